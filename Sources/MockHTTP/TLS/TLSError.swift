#if TLS
    import COpenSSL

    /// Why a `TLSContext` could not be made: a certificate or key file that is missing, unreadable, not
    /// PEM or encrypted, a key that does not belong to the certificate, a host name that cannot go into a
    /// certificate, or OpenSSL itself failing.
    public struct TLSError: Error, Sendable, Equatable, CustomStringConvertible {
        /// The kind of failure.
        public struct Code: Sendable, Hashable, CustomStringConvertible {
            fileprivate let name: String

            public static let fileNotFound = Code(name: "file not found")
            public static let fileUnreadable = Code(name: "file not readable")
            public static let notPEM = Code(name: "not PEM")
            public static let encryptedKey = Code(name: "encrypted private key")
            public static let keyMismatch = Code(name: "private key does not match the certificate")
            public static let invalidHost = Code(name: "invalid host for a certificate")
            public static let openSSL = Code(name: "OpenSSL failure")

            public var description: String { name }
        }

        public let code: Code
        /// The file concerned, if any.
        public let path: String?
        /// What exactly went wrong, for the log and the command line.
        public let detail: String

        public init(_ code: Code, path: String? = nil, _ detail: String) {
            self.code = code
            self.path = path
            self.detail = detail
        }

        public var description: String {
            if let path { return "\(code.name): \(path): \(detail)" }
            return "\(code.name): \(detail)"
        }

        /// `call` failed; the detail carries OpenSSL's error queue for this thread, which is emptied.
        static func openSSL(_ call: String) -> TLSError {
            let queue = OpenSSLErrors.drain()
            return TLSError(.openSSL, queue.isEmpty ? "\(call) failed" : "\(call) failed: \(queue)")
        }
    }

    /// OpenSSL's error queue, which is per thread. Every call whose failure is read through it starts by
    /// clearing it, because one event-loop thread serves many connections (and `TLSContext` is made on
    /// whichever thread starts the server): an old entry left by another call must not be mistaken for a
    /// new one.
    enum OpenSSLErrors {
        static func clear() {
            ERR_clear_error()
        }

        /// The queued errors, oldest first, as "library: reason" joined by "; "; the queue is left empty.
        static func drain() -> String {
            var messages: [String] = []
            while case let code = ERR_get_error(), code != 0 {
                messages.append(message(for: code))
            }
            return messages.joined(separator: "; ")
        }

        static func message(for code: UInt) -> String {
            guard let reason = ERR_reason_error_string(code) else {
                var buffer = [CChar](repeating: 0, count: 256)
                ERR_error_string_n(code, &buffer, buffer.count)
                return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
            if let library = ERR_lib_error_string(code) {
                return "\(String(cString: library)): \(String(cString: reason))"
            }
            return String(cString: reason)
        }
    }
#endif
