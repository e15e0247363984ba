// The system's OpenSSL (3.0 or later) for GatewayMock's TLS trait; Debian's libssl-dev, found through
// pkg-config.
//
// Swift imports OpenSSL's functions and plain integer constants directly, but not its function-like
// macros (SSL_CTX_set_mode, BIO_get_mem_data, ...) nor the SSL_OP_* constants, which are built from
// casts and shifts. Those are wrapped here under a `COpenSSL_` prefix, and nothing else is.
#ifndef GATEWAYMOCK_COPENSSL_SHIM_H
#define GATEWAYMOCK_COPENSSL_SHIM_H

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/opensslv.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#if OPENSSL_VERSION_NUMBER < 0x30000000L
#error "GatewayMock's TLS trait needs OpenSSL 3.0 or later"
#endif

// MARK: - SSL_OP_* options

static const uint64_t COpenSSL_SSL_OP_NO_RENEGOTIATION = SSL_OP_NO_RENEGOTIATION;
static const uint64_t COpenSSL_SSL_OP_NO_COMPRESSION = SSL_OP_NO_COMPRESSION;
static const uint64_t COpenSSL_SSL_OP_CIPHER_SERVER_PREFERENCE = SSL_OP_CIPHER_SERVER_PREFERENCE;

// MARK: - SSL_CTX control macros

static inline long COpenSSL_SSL_CTX_set_mode(SSL_CTX *ctx, long mode) {
    return SSL_CTX_set_mode(ctx, mode);
}

static inline int COpenSSL_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_min_proto_version(ctx, version);
}

static inline int COpenSSL_SSL_CTX_set_max_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_max_proto_version(ctx, version);
}

/// Adds `x509` to the chain sent after the leaf certificate; the context takes its own reference.
static inline int COpenSSL_SSL_CTX_add1_chain_cert(SSL_CTX *ctx, X509 *x509) {
    return (int)SSL_CTX_add1_chain_cert(ctx, x509);
}

// MARK: - BIO

/// The bytes held by a memory BIO: stores their start in `*data` and returns their count.
static inline long COpenSSL_BIO_get_mem_data(BIO *bio, char **data) {
    return BIO_get_mem_data(bio, data);
}

#endif
