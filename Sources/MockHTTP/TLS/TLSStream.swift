#if TLS
    import COpenSSL
    import Glibc

    /// The server side of one TLS connection over an accepted, non-blocking socket: the handshake, then
    /// reads and writes with the same non-blocking contract as `StreamSocket`.
    ///
    /// It does not own the descriptor: the connection keeps owning it and closes it (after `shutdown()`,
    /// if it wants to say goodbye properly). It owns its `SSL` object and frees it on deinit. Like the
    /// socket, it is not thread-safe and is used only on its connection's event-loop thread. That thread
    /// serves many connections, so every call clears OpenSSL's per-thread error queue first (another
    /// connection may have left an entry) and reads it straight after.
    ///
    /// Driving it:
    /// - call `handshake()` at once after creation, then on the readiness it asks for, until `.done`;
    ///   `.failed` means log the reason and close (`receivedPlainHTTP` tells a plain HTTP client apart);
    ///   a client that stalls stays at `.wantsRead`, so the caller's handshake timeout ends it;
    /// - then use `read(into:)`, `write(_:)` and `write(vectors:)` like the socket's. After `.wouldBlock`,
    ///   `lastWouldBlockWantsWrite` says which readiness to wait for (almost always the obvious one);
    /// - read until `.wouldBlock` before waiting: decrypted bytes held inside OpenSSL raise no readiness;
    /// - after a `.wouldBlock` from a write, write the same unsent bytes again (more may follow them;
    ///   their address may change), not something else;
    /// - `shutdown()` before shutting down or closing the descriptor sends close_notify when it can.
    final class TLSStream {
        /// What a call to `handshake()` achieved.
        enum HandshakeProgress: Equatable {
            /// The handshake is complete: read and write.
            case done
            /// Call `handshake()` again when the socket is readable.
            case wantsRead
            /// Call `handshake()` again when the socket is writable.
            case wantsWrite
            /// The handshake failed (reason for the log): close the connection. When the client spoke
            /// plain HTTP, the reason starts with `plainHTTPReasonPrefix` and `receivedPlainHTTP` is true.
            case failed(String)
        }

        /// How the reason of a handshake failure begins when the client sent plain HTTP to the TLS port.
        static let plainHTTPReasonPrefix = "plain HTTP sent to the TLS port"

        /// The socket the TLS records travel over; not owned.
        let descriptor: Int32
        /// The `SSL *`, owned.
        private let ssl: OpaquePointer

        /// Which readiness the last `.wouldBlock` of `read` or `write` waits for: writability if true,
        /// readability if false. OpenSSL may need to write while reading or read while writing.
        private(set) var lastWouldBlockWantsWrite = false
        /// Why the last `read` or `write` returned `.closed`, for the log (the connection logs it on closing).
        private(set) var closeReason: String?
        /// True once the handshake failed because the client's first bytes were a plain HTTP request. Those
        /// bytes are still unread in the socket, so the caller may answer them with a plain-text 400.
        private(set) var receivedPlainHTTP = false
        private(set) var isHandshakeComplete = false

        /// The client's first bytes have been looked at and are TLS (or at least not plain HTTP).
        private var firstBytesChecked = false
        /// A fatal error occurred: OpenSSL forbids any further call, `SSL_shutdown` included.
        private var failure: String?
        private var shutdownSent = false

        /// Sets up the server side of a connection; the handshake starts with the first `handshake()` call.
        init(context: TLSContext, descriptor: Int32) throws(TLSError) {
            OpenSSLErrors.clear()
            guard let ssl = SSL_new(context.context) else { throw .openSSL("SSL_new") }
            // The socket BIO that SSL_set_fd makes leaves the descriptor open when freed (BIO_NOCLOSE).
            guard SSL_set_fd(ssl, descriptor) == 1 else {
                SSL_free(ssl)
                throw .openSSL("SSL_set_fd")
            }
            SSL_set_accept_state(ssl)
            self.ssl = ssl
            self.descriptor = descriptor
        }

        deinit {
            SSL_free(ssl)
        }

        // MARK: - Handshake

        func handshake() -> HandshakeProgress {
            if isHandshakeComplete { return .done }
            if let failure { return .failed(failure) }
            if !firstBytesChecked {
                switch checkFirstBytes() {
                case .notYet: return .wantsRead
                case .failed(let reason):
                    failure = reason
                    return .failed(reason)
                case .tls: firstBytesChecked = true
                }
            }
            OpenSSLErrors.clear()
            errno = 0
            let result = SSL_do_handshake(ssl)
            let code = errno
            if result == 1 {
                isHandshakeComplete = true
                return .done
            }
            let error = SSL_get_error(ssl, result)
            switch error {
            case SSL_ERROR_WANT_READ: return .wantsRead
            case SSL_ERROR_WANT_WRITE: return .wantsWrite
            default:
                let reason = "TLS handshake failed: " + describe(error, errno: code)
                failure = reason
                return .failed(reason)
            }
        }

        private enum FirstBytes {
            case notYet
            case tls
            case failed(String)
        }

        /// Peeks (without consuming) at the client's first bytes. A TLS connection starts with a handshake
        /// record (0x16); a plain HTTP request starts with a method, in capital letters. Anything else is
        /// left for OpenSSL to reject with its own reason.
        private func checkFirstBytes() -> FirstBytes {
            withUnsafeTemporaryAllocation(byteCount: 64, alignment: 1) { buffer in
                while true {
                    let count = recv(descriptor, buffer.baseAddress, buffer.count, Int32(MSG_PEEK))
                    if count > 0 {
                        let first = buffer[0]
                        guard first >= UInt8(ascii: "A") && first <= UInt8(ascii: "Z") else { return .tls }
                        receivedPlainHTTP = true
                        let line = buffer[..<count].prefix { $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\n") }
                        let printable = line.map { $0 >= 0x20 && $0 < 0x7F ? Character(UnicodeScalar($0)) : "?" }
                        return .failed("\(Self.plainHTTPReasonPrefix) (\"\(String(printable))\")")
                    }
                    if count == 0 { return .failed("TLS handshake failed: the client closed before sending anything") }
                    let code = errno
                    switch code {
                    case EINTR: continue
                    case EAGAIN, EWOULDBLOCK: return .notYet
                    default: return .failed("TLS handshake failed: \(String(cString: strerror(code)))")
                    }
                }
            }
        }

        // MARK: - Reading and writing

        /// Decrypted bytes into `buffer` (not empty). Read until `.wouldBlock` before waiting for readiness:
        /// OpenSSL may hold decrypted bytes that no socket readiness will announce.
        func read(into buffer: UnsafeMutableRawBufferPointer) -> StreamSocket.Progress {
            precondition(!buffer.isEmpty, "TLSStream.read needs room for at least one byte")
            assert(isHandshakeComplete, "TLSStream.read before the handshake is done")
            return transfer { ssl, count in SSL_read_ex(ssl, buffer.baseAddress, buffer.count, &count) }
        }

        /// Encrypts and sends from `bytes`: one TLS record (at most 16 KiB) per successful call, or two when
        /// it completes one that an earlier call left half-sent. After `.wouldBlock`, call again with the
        /// same unsent bytes (or more): OpenSSL has already taken some of them, which that call reports.
        func write(_ bytes: UnsafeRawBufferPointer) -> StreamSocket.Progress {
            assert(isHandshakeComplete, "TLSStream.write before the handshake is done")
            if failure == nil, bytes.isEmpty { return .bytes(0) }
            return transfer { ssl, count in SSL_write_ex(ssl, bytes.baseAddress, bytes.count, &count) }
        }

        /// Runs one `SSL_read_ex`/`SSL_write_ex` (`operation`, which sets the byte count) with OpenSSL's error
        /// queue and `errno` cleared first, so a failure is described by what this call left.
        private func transfer(_ operation: (OpaquePointer, inout Int) -> Int32) -> StreamSocket.Progress {
            if failure != nil { return .closed }
            OpenSSLErrors.clear()
            errno = 0
            var count = 0
            let result = operation(ssl, &count)
            let code = errno
            if result == 1 { return .bytes(count) }
            return progress(afterFailureOf: result, errno: code)
        }

        /// The largest plaintext one TLS record carries.
        static let maximumRecordSize = 16 * 1024

        /// `write(_:)` for gathered buffers (the connection's `OutboundQueue.drain(using:)`). TLS has no
        /// gathering write: a first buffer of a record or more, or a lone buffer, is written from where it
        /// is; smaller ones are copied together (up to one record) so a response head and its body share a
        /// record. Retrying after `.wouldBlock` with the same (or more) queued bytes is safe either way:
        /// OpenSSL only needs at least as many bytes as before, wherever they are.
        func write(vectors: UnsafeBufferPointer<iovec>) -> StreamSocket.Progress {
            guard let first = vectors.first else { return .bytes(0) }
            if vectors.count == 1 || first.iov_len >= Self.maximumRecordSize {
                return write(UnsafeRawBufferPointer(start: first.iov_base, count: first.iov_len))
            }
            var size = 0
            for vector in vectors where size < Self.maximumRecordSize {
                size = min(size + vector.iov_len, Self.maximumRecordSize)
            }
            return withUnsafeTemporaryAllocation(byteCount: size, alignment: 1) { record in
                var filled = 0
                for vector in vectors where filled < size {
                    let count = min(vector.iov_len, size - filled)
                    if count > 0, let base = vector.iov_base {
                        UnsafeMutableRawBufferPointer(rebasing: record[filled..<filled + count])
                            .copyMemory(from: UnsafeRawBufferPointer(start: base, count: count))
                        filled += count
                    }
                }
                return write(UnsafeRawBufferPointer(record))
            }
        }

        /// Decrypted bytes already inside OpenSSL, waiting for a `read`.
        var hasBufferedInput: Bool {
            SSL_has_pending(ssl) == 1
        }

        private func progress(afterFailureOf result: Int32, errno code: Int32) -> StreamSocket.Progress {
            let error = SSL_get_error(ssl, result)
            switch error {
            case SSL_ERROR_WANT_READ:
                lastWouldBlockWantsWrite = false
                return .wouldBlock
            case SSL_ERROR_WANT_WRITE:
                lastWouldBlockWantsWrite = true
                return .wouldBlock
            case SSL_ERROR_ZERO_RETURN:
                closeReason = "the client sent close_notify"
                return .closed
            default:
                let reason = describe(error, errno: code)
                failure = reason
                closeReason = reason
                return .closed
            }
        }

        // MARK: - Closing

        /// Sends close_notify if the connection is still sound, without waiting for anything: best effort,
        /// before the caller shuts down or closes the descriptor. Idempotent.
        func shutdown() {
            guard isHandshakeComplete, failure == nil, !shutdownSent else { return }
            shutdownSent = true
            OpenSSLErrors.clear()
            _ = SSL_shutdown(ssl)
            OpenSSLErrors.clear()
        }

        // MARK: - Describing the connection

        /// The protocol negotiated, e.g. `TLSv1.3`.
        var protocolVersion: String {
            String(cString: SSL_get_version(ssl))
        }

        /// The ALPN protocol agreed (`http/1.1`), or nil when the client offered none we speak.
        var negotiatedALPN: String? {
            var data: UnsafePointer<UInt8>?
            var length: UInt32 = 0
            SSL_get0_alpn_selected(ssl, &data, &length)
            guard let data, length > 0 else { return nil }
            return String(decoding: UnsafeBufferPointer(start: data, count: Int(length)), as: UTF8.self)
        }

        // MARK: - Errors

        /// OpenSSL's reason for `error`, from the error queue (emptied), the `errno` of the failed call, or
        /// the kind of end, in words for the log.
        private func describe(_ error: Int32, errno code: Int32) -> String {
            let queued = ERR_peek_error()
            let reasons = OpenSSLErrors.drain()
            if error == SSL_ERROR_SYSCALL {
                if !reasons.isEmpty { return reasons }
                return code == 0 ? "the client closed the connection" : String(cString: strerror(code))
            }
            if ERR_GET_LIB(queued) == ERR_LIB_SSL && ERR_GET_REASON(queued) == SSL_R_UNEXPECTED_EOF_WHILE_READING {
                return "the client closed the connection without close_notify"
            }
            return reasons.isEmpty ? "SSL error \(error)" : reasons
        }
    }
#endif
