import Glibc
import Logging

#if TLS
    /// HTTPS under a connection: a `TLSStream` over the accepted socket, which it owns. Everything TLS
    /// asks of a connection is here: the handshake, reads that must come back for bytes OpenSSL already
    /// decrypted, writes that must wait for input, close_notify before the FIN, and the one plain-text
    /// answer to a client that spoke plain HTTP to the TLS port.
    final class TLSTransport: ConnectionTransport {
        private let socket: StreamSocket
        private var mode: Mode

        private enum Mode {
            /// The session is made at the first handshake step (so a failure is reported like a handshake's).
            case starting(TLSContext)
            case session(TLSStream)
            /// Plain HTTP arrived instead of a handshake: the answer goes out in the clear.
            case plain
        }

        /// A transport for `descriptor` (which it then owns), or nil when the server has no TLS context.
        init?(descriptor: Int32, context: TLSContextReference) {
            guard let context else { return nil }
            socket = StreamSocket(descriptor: descriptor)
            mode = .starting(context)
        }

        var descriptor: Int32 { socket.descriptor }

        var needsHandshake: Bool { true }

        func handshake() -> TransportHandshake {
            let tls: TLSStream
            switch mode {
            case .starting(let context):
                do {
                    tls = try TLSStream(context: context, descriptor: socket.descriptor)
                } catch {
                    mode = .plain
                    return .failed(reason: "cannot start a TLS session: \(error)", answer: nil)
                }
                mode = .session(tls)
            case .session(let session):
                tls = session
            case .plain:
                return .failed(reason: "the handshake has already failed", answer: nil)
            }
            switch tls.handshake() {
            case .done:
                return .done(["protocol": "\(tls.protocolVersion)", "alpn": "\(tls.negotiatedALPN ?? "-")"])
            case .wantsRead:
                return .wantsRead
            case .wantsWrite:
                return .wantsWrite
            case .failed(let reason):
                guard tls.receivedPlainHTTP else { return .failed(reason: reason, answer: nil) }
                // Answer without TLS, once, so that a curl pointed at the wrong scheme says why.
                mode = .plain
                return .failed(reason: reason, answer: HTTPServerError(code: .plainHTTPOnTLSPort))
            }
        }

        func read(into buffer: UnsafeMutableRawBufferPointer) -> StreamSocket.Progress {
            if case .session(let tls) = mode { return tls.read(into: buffer) }
            return socket.read(into: buffer)
        }

        func write(vectors: UnsafeBufferPointer<iovec>) -> StreamSocket.Progress {
            if case .session(let tls) = mode { return tls.write(vectors: vectors) }
            return socket.write(vectors: vectors)
        }

        var writeWaitsForInput: Bool {
            if case .session(let tls) = mode { return !tls.lastWouldBlockWantsWrite }
            return false
        }

        var hasBufferedInput: Bool {
            if case .session(let tls) = mode { return tls.hasBufferedInput }
            return false
        }

        /// The handshake wrote first (and the session tickets may still be in flight): every response
        /// follows a write, so Nagle's algorithm goes off before the first.
        func prepareToWrite() {
            socket.sendImmediately()
        }

        func shutdownWrite() {
            if case .session(let tls) = mode { tls.shutdown() }
            socket.shutdownWrite()
        }

        func close(reset: Bool) -> String? {
            var reason: String?
            if case .session(let tls) = mode {
                reason = tls.closeReason
                if !reset { tls.shutdown() }
            }
            _ = socket.close(reset: reset)
            return reason
        }
    }

    /// The TLS context a connection serves with, when the server speaks HTTPS.
    typealias TLSContextReference = TLSContext?
#else
    /// Without the TLS trait no connection speaks TLS: this transport is never made (its initializer
    /// always fails, there being no TLS context), so that the server names the same two kinds of
    /// connection in every build (`ServedConnection`).
    final class TLSTransport: ConnectionTransport {
        init?(descriptor: Int32, context: TLSContextReference) {
            return nil
        }

        private static let never = "no TLSTransport is ever made without the TLS trait"
        var descriptor: Int32 { fatalError(Self.never) }
        var needsHandshake: Bool { fatalError(Self.never) }
        func handshake() -> TransportHandshake { fatalError(Self.never) }
        func read(into buffer: UnsafeMutableRawBufferPointer) -> StreamSocket.Progress { fatalError(Self.never) }
        func write(vectors: UnsafeBufferPointer<iovec>) -> StreamSocket.Progress { fatalError(Self.never) }
        var writeWaitsForInput: Bool { fatalError(Self.never) }
        var hasBufferedInput: Bool { fatalError(Self.never) }
        func prepareToWrite() { fatalError(Self.never) }
        func shutdownWrite() { fatalError(Self.never) }
        func close(reset: Bool) -> String? { fatalError(Self.never) }
    }

    /// Without the TLS trait a connection never has a TLS context.
    typealias TLSContextReference = Never?
#endif
