#if TLS
    import COpenSSL
    import Glibc

    /// A key and a self-signed certificate made in memory at start-up (`--tls`), for hosts such as
    /// `localhost`, `127.0.0.1` and `::1`.
    ///
    /// The certificate is its own CA (`basicConstraints` critical `CA:TRUE`, `keyUsage` with `keyCertSign`),
    /// so a client can take it as its whole trust store, and it also meets what strict verifiers ask of a
    /// server certificate (Python's `VERIFY_X509_STRICT`, OpenSSL's `-x509_strict`, Apple's rules): names
    /// in `subjectAltName`, `extendedKeyUsage` `serverAuth`, subject and authority key identifiers, SHA-256,
    /// a random serial and a validity of at most 825 days (from a day back, to allow for clock skew).
    enum SelfSignedCertificate {
        static let validityBackdate = 24 * 60 * 60
        static let validity = 825 * 24 * 60 * 60

        /// A new EC P-256 key, owned by the caller (`EVP_PKEY_free`).
        static func makeKey() throws(TLSError) -> OpaquePointer {
            OpenSSLErrors.clear()
            guard let keyContext = EVP_PKEY_CTX_new_id(EVP_PKEY_EC, nil) else { throw .openSSL("EVP_PKEY_CTX_new_id") }
            defer { EVP_PKEY_CTX_free(keyContext) }
            var key: OpaquePointer?
            guard EVP_PKEY_keygen_init(keyContext) == 1,
                EVP_PKEY_CTX_set_ec_paramgen_curve_nid(keyContext, NID_X9_62_prime256v1) == 1,
                EVP_PKEY_keygen(keyContext, &key) == 1, let key
            else { throw .openSSL("EVP_PKEY_keygen") }
            return key
        }

        /// A certificate for `hosts` signed by `key`, owned by the caller (`X509_free`).
        static func make(hosts: [String], key: OpaquePointer) throws(TLSError) -> OpaquePointer {
            let subjectAltName = try subjectAltName(for: hosts)
            OpenSSLErrors.clear()
            guard let certificate = X509_new() else { throw .openSSL("X509_new") }
            do {
                try fill(certificate, commonName: hosts[0], subjectAltName: subjectAltName, key: key)
                return certificate
            } catch {
                X509_free(certificate)
                throw error
            }
        }

        /// The `subjectAltName` value: `DNS:` for names, `IP:` for IPv4 and IPv6 literals (brackets allowed).
        static func subjectAltName(for hosts: [String]) throws(TLSError) -> String {
            guard !hosts.isEmpty else {
                throw TLSError(.invalidHost, "a self-signed certificate needs at least one host")
            }
            var entries: [String] = []
            for rawHost in hosts {
                var host = rawHost
                if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
                var probe4 = in_addr()
                var probe6 = in6_addr()
                if inet_pton(AF_INET, host, &probe4) == 1 || inet_pton(AF_INET6, host, &probe6) == 1 {
                    entries.append("IP:\(host)")
                    continue
                }
                // A DNS name: letters, digits, hyphens, dots, and a leading `*.` wildcard. Anything else
                // (a comma in particular) would change the meaning of the extension's text.
                let allowed = host.utf8.allSatisfy { byte in
                    switch byte {
                    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "*"):
                        true
                    default: false
                    }
                }
                guard !host.isEmpty, host.utf8.count <= 253, allowed else {
                    throw TLSError(.invalidHost, "\"\(rawHost)\" is neither a DNS name nor an IP address")
                }
                entries.append("DNS:\(host)")
            }
            return entries.joined(separator: ",")
        }

        private static func fill(
            _ certificate: OpaquePointer, commonName: String, subjectAltName: String, key: OpaquePointer
        ) throws(TLSError) {
            guard X509_set_version(certificate, 2) == 1 else { throw .openSSL("X509_set_version") }  // v3
            try setRandomSerial(certificate)
            guard X509_gmtime_adj(X509_getm_notBefore(certificate), -validityBackdate) != nil,
                X509_gmtime_adj(X509_getm_notAfter(certificate), validity) != nil
            else { throw .openSSL("X509_gmtime_adj") }
            guard X509_set_pubkey(certificate, key) == 1 else { throw .openSSL("X509_set_pubkey") }

            guard let name = X509_get_subject_name(certificate),
                X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, "GatewayMock", -1, -1, 0) == 1,
                X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, String(commonName.prefix(64)), -1, -1, 0) == 1,
                X509_set_issuer_name(certificate, name) == 1
            else { throw .openSSL("X509_NAME_add_entry_by_txt") }

            var extensionContext = X509V3_CTX()
            X509V3_set_ctx(&extensionContext, certificate, certificate, nil, nil, 0)
            // The subject key identifier first: the authority key identifier of a self-signed certificate
            // is read from it.
            let extensions: [(Int32, String)] = [
                (NID_basic_constraints, "critical,CA:TRUE"),
                (NID_key_usage, "critical,digitalSignature,keyCertSign"),
                (NID_ext_key_usage, "serverAuth"),
                (NID_subject_alt_name, subjectAltName),
                (NID_subject_key_identifier, "hash"),
                (NID_authority_key_identifier, "keyid:always"),
            ]
            for (nid, value) in extensions {
                guard let x509Extension = X509V3_EXT_conf_nid(nil, &extensionContext, nid, value) else {
                    throw .openSSL("X509V3_EXT_conf_nid(\(String(cString: OBJ_nid2sn(nid))), \(value))")
                }
                defer { X509_EXTENSION_free(x509Extension) }
                guard X509_add_ext(certificate, x509Extension, -1) == 1 else { throw .openSSL("X509_add_ext") }
            }
            guard X509_sign(certificate, key, EVP_sha256()) > 0 else { throw .openSSL("X509_sign") }
        }

        /// A random positive serial of 159 bits (RFC 5280 allows up to 20 octets).
        private static func setRandomSerial(_ certificate: OpaquePointer) throws(TLSError) {
            guard let serial = BN_new() else { throw .openSSL("BN_new") }
            defer { BN_free(serial) }
            guard BN_rand(serial, 159, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) == 1,
                BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(certificate)) != nil
            else { throw .openSSL("BN_rand") }
        }
    }
#endif
