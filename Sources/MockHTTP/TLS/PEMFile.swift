#if TLS
    import COpenSSL
    import Glibc

    /// Reading certificates and private keys from PEM files, with errors that say what is wrong with the
    /// file rather than OpenSSL's "no start line".
    enum PEMFile {
        /// More than any certificate chain or key: a larger file is the wrong file.
        static let maximumSize = 1 << 20

        /// Every certificate in the file, in order (the leaf first), each owned by the caller (`X509_free`).
        static func certificates(at path: String) throws(TLSError) -> [OpaquePointer] {
            let contents = try contents(of: path)
            var certificates: [OpaquePointer] = []
            try withMemoryBIO(contents, path: path) { bio throws(TLSError) in
                OpenSSLErrors.clear()
                while let certificate = PEM_read_bio_X509(bio, nil, refusePassword, nil) {
                    certificates.append(certificate)
                }
                // The loop ends at the end of the data ("no start line"), or at a block that is not a
                // certificate; only a file without any certificate is refused.
                OpenSSLErrors.clear()
            }
            guard !certificates.isEmpty else {
                throw TLSError(.notPEM, path: path, "contains no PEM certificate (\(describeLabels(in: contents)))")
            }
            return certificates
        }

        /// The first private key in the file, owned by the caller (`EVP_PKEY_free`). Encrypted keys are
        /// refused rather than prompting for a password on the terminal, which OpenSSL would otherwise do.
        static func privateKey(at path: String) throws(TLSError) -> OpaquePointer {
            let contents = try contents(of: path)
            var key: OpaquePointer?
            try withMemoryBIO(contents, path: path) { bio throws(TLSError) in
                OpenSSLErrors.clear()
                key = PEM_read_bio_PrivateKey(bio, nil, refusePassword, nil)
                OpenSSLErrors.clear()
            }
            if let key { return key }
            let labels = pemLabels(in: contents)
            if labels.contains("ENCRYPTED PRIVATE KEY") || contents.contains("Proc-Type: 4,ENCRYPTED") {
                throw TLSError(
                    .encryptedKey, path: path,
                    "the key is protected by a password, which is not supported; decrypt it with"
                        + " `openssl pkey -in \(path) -out key.pem`")
            }
            throw TLSError(.notPEM, path: path, "contains no PEM private key (\(describeLabels(in: contents)))")
        }

        /// The certificates as consecutive PEM blocks.
        static func encode(_ certificates: [OpaquePointer]) throws(TLSError) -> String {
            guard let bio = BIO_new(BIO_s_mem()) else { throw .openSSL("BIO_new") }
            defer { BIO_free(bio) }
            for certificate in certificates {
                guard PEM_write_bio_X509(bio, certificate) == 1 else { throw .openSSL("PEM_write_bio_X509") }
            }
            var start: UnsafeMutablePointer<CChar>?
            let count = COpenSSL_BIO_get_mem_data(bio, &start)
            guard let start, count > 0 else { throw .openSSL("BIO_get_mem_data") }
            return String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
        }

        // MARK: - Reading

        /// The file's contents, with errors naming the problem (missing, a directory, no permission, too large).
        static func contents(of path: String) throws(TLSError) -> String {
            let descriptor = open(path, O_RDONLY | O_CLOEXEC)
            if descriptor < 0 {
                let code = errno
                if code == ENOENT || code == ENOTDIR { throw TLSError(.fileNotFound, path: path, "no such file") }
                throw TLSError(.fileUnreadable, path: path, String(cString: strerror(code)))
            }
            defer { _ = closeDescriptor(descriptor) }
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 16 * 1024)
            while bytes.count <= maximumSize {
                let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count == 0 { break }
                if count < 0 {
                    let code = errno
                    if code == EINTR { continue }
                    throw TLSError(.fileUnreadable, path: path, String(cString: strerror(code)))
                }
                bytes += chunk[..<count]
            }
            guard bytes.count <= maximumSize else {
                throw TLSError(.notPEM, path: path, "larger than \(maximumSize / 1024) KiB, not a PEM file")
            }
            return String(decoding: bytes, as: UTF8.self)
        }

        /// Runs `body` with a memory BIO holding a copy of `contents`.
        private static func withMemoryBIO(
            _ contents: String, path: String, _ body: (OpaquePointer) throws(TLSError) -> Void
        ) throws(TLSError) {
            guard let bio = BIO_new(BIO_s_mem()) else { throw .openSSL("BIO_new") }
            defer { BIO_free(bio) }
            let bytes = Array(contents.utf8)
            let written = bytes.withUnsafeBytes { BIO_write(bio, $0.baseAddress, Int32($0.count)) }
            guard written == bytes.count || bytes.isEmpty else { throw .openSSL("BIO_write") }
            try body(bio)
        }

        // MARK: - Describing the wrong file

        /// The labels of the PEM blocks in `contents` (`CERTIFICATE`, `PRIVATE KEY`, …), in order.
        static func pemLabels(in contents: String) -> [String] {
            contents.split(whereSeparator: \.isNewline).compactMap { rawLine in
                var line = rawLine
                while line.first?.isWhitespace == true { line.removeFirst() }
                while line.last?.isWhitespace == true { line.removeLast() }
                guard line.hasPrefix("-----BEGIN "), line.hasSuffix("-----") else { return nil }
                return String(line.dropFirst("-----BEGIN ".count).dropLast("-----".count))
            }
        }

        private static func describeLabels(in contents: String) -> String {
            let labels = pemLabels(in: contents)
            if labels.isEmpty {
                return contents.isEmpty ? "the file is empty" : "no PEM block at all: is it DER or something else?"
            }
            return "it holds: " + labels.joined(separator: ", ")
        }
    }

    /// A `pem_password_cb` that supplies no password, so an encrypted block fails to load instead of making
    /// OpenSSL ask on the terminal.
    private func refusePassword(
        _ buffer: UnsafeMutablePointer<CChar>?, _ size: Int32, _ forWriting: Int32, _ userData: UnsafeMutableRawPointer?
    ) -> Int32 {
        0
    }
#endif
