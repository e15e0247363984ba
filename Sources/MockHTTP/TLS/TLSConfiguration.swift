#if TLS
    /// Where the server's TLS certificate comes from: PEM files, or a self-signed certificate made in
    /// memory at start-up.
    public struct TLSConfiguration: Sendable, Equatable {
        /// The source of the certificate and its private key.
        public enum Certificate: Sendable, Equatable {
            /// A PEM certificate file (the leaf first, then any intermediates) and its unencrypted PEM private key.
            case files(certificatePath: String, privateKeyPath: String)
            /// A new EC P-256 key and a self-signed certificate for these host names and IP addresses, made
            /// by OpenSSL when the context is created and never written to disk. It is also a CA certificate,
            /// so clients can use `TLSContext.certificatePEM` directly as their trust store.
            case selfSigned(hosts: [String])
        }

        /// The names a self-signed certificate covers unless told otherwise.
        public static let defaultSelfSignedHosts = ["localhost", "127.0.0.1", "::1"]

        public var certificate: Certificate

        public init(certificate: Certificate) {
            self.certificate = certificate
        }

        /// Serves the certificate chain and private key read from two PEM files (`--tls-cert`, `--tls-key`).
        public static func files(certificatePath: String, privateKeyPath: String) -> TLSConfiguration {
            TLSConfiguration(certificate: .files(certificatePath: certificatePath, privateKeyPath: privateKeyPath))
        }

        /// Serves a self-signed certificate made at start-up (`--tls`).
        public static func selfSigned(hosts: [String] = defaultSelfSignedHosts) -> TLSConfiguration {
            TLSConfiguration(certificate: .selfSigned(hosts: hosts))
        }
    }
#endif
