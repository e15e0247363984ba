#if TLS
    import COpenSSL
    import Glibc

    /// The server's OpenSSL context (`SSL_CTX`): protocol versions, options, ALPN and the certificate with
    /// its key. Made once at start-up; every connection's `TLSStream` is created from it.
    ///
    /// - TLS 1.2 and 1.3 only; no renegotiation, no compression.
    /// - ALPN: `http/1.1` when the client offers it; a client offering only other protocols (`h2`)
    ///   continues without ALPN rather than failing.
    /// - Partial writes and moving write buffers, so a non-blocking writer can retry from wherever its
    ///   buffer is; buffers are released while a connection is idle.
    ///
    /// `@unchecked Sendable`: the `SSL_CTX` is configured completely in `init` and never changed afterwards.
    /// OpenSSL supports creating `SSL` objects from one such context on many threads at once (its reference
    /// counts and session cache take their own locks), and that is all the connections do with it.
    public final class TLSContext: @unchecked Sendable {
        /// The `SSL_CTX *`, owned by this object.
        let context: OpaquePointer
        /// The certificates served, leaf first, as PEM. For a self-signed certificate this is also the CA
        /// certificate clients should trust (`--tls-ca-out`).
        public let certificatePEM: String

        public init(configuration: TLSConfiguration) throws(TLSError) {
            OpenSSLErrors.clear()
            let (chain, key) = try Self.credentials(for: configuration.certificate)
            defer {
                chain.forEach { X509_free($0) }
                EVP_PKEY_free(key)
            }
            guard let context = SSL_CTX_new(TLS_server_method()) else { throw .openSSL("SSL_CTX_new") }
            do throws(TLSError) {
                try Self.configure(context)
                try Self.install(chain: chain, key: key, in: context)
                self.certificatePEM = try PEMFile.encode(chain)
            } catch {
                SSL_CTX_free(context)
                throw error
            }
            self.context = context
        }

        deinit {
            SSL_CTX_free(context)
        }

        // MARK: - Configuration

        private static func configure(_ context: OpaquePointer) throws(TLSError) {
            guard COpenSSL_SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION) == 1 else {
                throw .openSSL("SSL_CTX_set_min_proto_version")
            }
            // No maximum: TLS 1.3, and whatever later versions the library supports.
            SSL_CTX_set_options(
                context,
                COpenSSL_SSL_OP_NO_RENEGOTIATION | COpenSSL_SSL_OP_NO_COMPRESSION
                    | COpenSSL_SSL_OP_CIPHER_SERVER_PREFERENCE)
            _ = COpenSSL_SSL_CTX_set_mode(
                context,
                Int(SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS))
            SSL_CTX_set_alpn_select_cb(context, selectHTTP11, nil)
        }

        /// The certificate chain (leaf first, never empty) and the private key, each owned by the caller.
        private static func credentials(for certificate: TLSConfiguration.Certificate) throws(TLSError) -> (
            chain: [OpaquePointer], key: OpaquePointer
        ) {
            switch certificate {
            case .files(let certificatePath, let privateKeyPath):
                let chain = try PEMFile.certificates(at: certificatePath)
                let key: OpaquePointer
                do {
                    key = try PEMFile.privateKey(at: privateKeyPath)
                } catch {
                    chain.forEach { X509_free($0) }
                    throw error
                }
                guard X509_check_private_key(chain[0], key) == 1 else {
                    OpenSSLErrors.clear()
                    chain.forEach { X509_free($0) }
                    EVP_PKEY_free(key)
                    throw TLSError(
                        .keyMismatch, path: privateKeyPath,
                        "this key does not belong to the first certificate in \(certificatePath)")
                }
                return (chain, key)
            case .selfSigned(let hosts):
                let key = try SelfSignedCertificate.makeKey()
                do {
                    return ([try SelfSignedCertificate.make(hosts: hosts, key: key)], key)
                } catch {
                    EVP_PKEY_free(key)
                    throw error
                }
            }
        }

        private static func install(chain: [OpaquePointer], key: OpaquePointer, in context: OpaquePointer)
            throws(TLSError)
        {
            guard SSL_CTX_use_certificate(context, chain[0]) == 1 else { throw .openSSL("SSL_CTX_use_certificate") }
            for certificate in chain.dropFirst() {
                guard COpenSSL_SSL_CTX_add1_chain_cert(context, certificate) == 1 else {
                    throw .openSSL("SSL_CTX_add1_chain_cert")
                }
            }
            guard SSL_CTX_use_PrivateKey(context, key) == 1 else { throw .openSSL("SSL_CTX_use_PrivateKey") }
            guard SSL_CTX_check_private_key(context) == 1 else { throw .openSSL("SSL_CTX_check_private_key") }
        }
    }

    // MARK: - ALPN

    /// The ALPN selection callback: `http/1.1` if the client offers it, otherwise no ALPN at all
    /// (`SSL_TLSEXT_ERR_NOACK`), so that a client offering only `h2` still completes its handshake and
    /// finds out from the response (or its absence of ALPN) that this server speaks HTTP/1.1.
    private func selectHTTP11(
        _ ssl: OpaquePointer?, _ selected: UnsafeMutablePointer<UnsafePointer<UInt8>?>?,
        _ selectedLength: UnsafeMutablePointer<UInt8>?, _ offered: UnsafePointer<UInt8>?, _ offeredLength: UInt32,
        _ userData: UnsafeMutableRawPointer?
    ) -> Int32 {
        guard let selected, let selectedLength, let offered else { return SSL_TLSEXT_ERR_NOACK }
        // The offer is a list of protocol names, each preceded by its length in one byte (RFC 7301 §3.1).
        let list = UnsafeBufferPointer(start: offered, count: Int(offeredLength))
        var index = 0
        while index < list.count {
            let length = Int(list[index])
            let start = index + 1
            guard start + length <= list.count else { break }
            if list[start..<start + length].elementsEqual("http/1.1".utf8) {
                // The selection must point into the offer (or static storage) and stay valid: it does.
                selected.pointee = offered + start
                selectedLength.pointee = UInt8(length)
                return SSL_TLSEXT_ERR_OK
            }
            index = start + length
        }
        return SSL_TLSEXT_ERR_NOACK
    }
#endif
