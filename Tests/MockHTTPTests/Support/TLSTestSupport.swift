#if TLS
    import COpenSSL
    import Foundation
    import TestSupport
    import Testing

    @testable import MockHTTP

    #if canImport(Glibc)
        import Glibc
    #elseif canImport(Darwin)
        import Darwin
    #endif

    /// Test support for the TLS building blocks: a connected pair of non-blocking sockets, an OpenSSL client,
    /// loops that drive a server `TLSStream` and a client against each other in one thread, a loopback
    /// listener for external clients, and a way to run `openssl` and `python3`.
    enum TLSTest {
        struct Failure: Error, CustomStringConvertible {
            let description: String
        }

        /// One self-signed context for the tests that do not care which certificate they get (making a key
        /// costs a millisecond, but there is no reason to pay it in every test).
        static let sharedContext = Result { () throws(TLSError) in try TLSContext(configuration: .selfSigned()) }

        static func context() throws -> TLSContext {
            try sharedContext.get()
        }

        // MARK: - Driving both ends in one thread

        /// Calls `handshake()` on both ends in turn until both are done or failed (or `rounds` run out).
        static func handshake(
            server: TLSStream, client: TLSTestClient, rounds: Int = 100
        ) -> (server: TLSStream.HandshakeProgress, client: TLSStream.HandshakeProgress) {
            var serverProgress = TLSStream.HandshakeProgress.wantsRead
            var clientProgress = TLSStream.HandshakeProgress.wantsWrite
            for _ in 0..<rounds {
                if !clientProgress.isFinal { clientProgress = client.handshake() }
                if !serverProgress.isFinal { serverProgress = server.handshake() }
                if serverProgress.isFinal && clientProgress.isFinal { break }
            }
            return (serverProgress, clientProgress)
        }

        /// A server stream and a client over a fresh socket pair, with the handshake completed.
        static func connect(
            context: TLSContext? = nil, client options: TLSTestClient.Options = .init()
        ) throws -> TLSTestConnection {
            let pair = try SocketPair()
            let server = try TLSStream(context: context ?? Self.context(), descriptor: pair.server)
            let client = try TLSTestClient(descriptor: pair.client, options: options)
            let (serverProgress, clientProgress) = handshake(server: server, client: client)
            guard serverProgress == .done, clientProgress == .done else {
                throw Failure(description: "handshake: server \(serverProgress), client \(clientProgress)")
            }
            return TLSTestConnection(pair: pair, server: server, client: client)
        }

        /// Counts of what a transfer went through.
        struct TransferStatistics {
            var writes = 0
            var wouldBlocks = 0
            var wouldBlocksWantingWrite = 0
        }

        /// Sends `payload` with `write` and receives it with `read`, alternating (one thread, non-blocking),
        /// until all of it arrived. Returns the bytes received and what the writer went through.
        static func transfer(
            _ payload: [UInt8], write: (UnsafeRawBufferPointer) -> StreamSocket.Progress,
            wouldBlockWantsWrite: () -> Bool, read: (UnsafeMutableRawBufferPointer) -> StreamSocket.Progress
        ) throws -> (received: [UInt8], statistics: TransferStatistics) {
            var statistics = TransferStatistics()
            var sent = 0
            var received: [UInt8] = []
            received.reserveCapacity(payload.count)
            var scratch = [UInt8](repeating: 0, count: 64 * 1024)
            var idleRounds = 0
            while received.count < payload.count {
                let before = (sent, received.count)
                writing: while sent < payload.count {
                    let progress = payload.withUnsafeBytes { write(UnsafeRawBufferPointer(rebasing: $0[sent...])) }
                    switch progress {
                    case .bytes(let count):
                        statistics.writes += 1
                        sent += count
                    case .wouldBlock:
                        statistics.wouldBlocks += 1
                        if wouldBlockWantsWrite() { statistics.wouldBlocksWantingWrite += 1 }
                        break writing
                    case .closed:
                        throw Failure(description: "writer closed after \(sent) bytes")
                    }
                }
                reading: while true {
                    switch scratch.withUnsafeMutableBytes({ read($0) }) {
                    case .bytes(let count): received += scratch[..<count]
                    case .wouldBlock: break reading
                    case .closed: throw Failure(description: "reader closed after \(received.count) bytes")
                    }
                }
                idleRounds = (sent, received.count) == before ? idleRounds + 1 : 0
                if idleRounds > 100 {
                    throw Failure(description: "stuck after \(sent) sent, \(received.count) received")
                }
            }
            return (received, statistics)
        }

        /// Reads from a server stream until `count` bytes arrived (alternating with nothing else: the peer
        /// has already written them).
        static func readAll(_ count: Int, from stream: TLSStream) throws -> [UInt8] {
            var received: [UInt8] = []
            var scratch = [UInt8](repeating: 0, count: 16 * 1024)
            var idleRounds = 0
            while received.count < count {
                switch scratch.withUnsafeMutableBytes({ stream.read(into: $0) }) {
                case .bytes(let got):
                    received += scratch[..<got]
                    idleRounds = 0
                case .wouldBlock:
                    idleRounds += 1
                    if idleRounds > 100 { throw Failure(description: "only \(received.count) of \(count) bytes came") }
                    _ = poll(descriptor: stream.descriptor, events: Int16(POLLIN), milliseconds: 10)
                case .closed:
                    throw Failure(description: "closed after \(received.count) bytes: \(stream.closeReason ?? "?")")
                }
            }
            return received
        }

        static func randomBytes(_ count: Int) -> [UInt8] {
            var bytes = [UInt8](repeating: 0, count: count)
            _ = RAND_bytes(&bytes, Int32(count))
            return bytes
        }

        // MARK: - Files and processes

        /// A new empty directory under the system's temporary directory, removed when `body` returns.
        static func withTemporaryDirectory<R>(_ body: (String) throws -> R) throws -> R {
            let directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("gateway-mock-tls-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            return try body(directory)
        }

        static func write(_ text: String, to path: String) throws {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }

        /// `scripts/gen-cert.sh` of this checkout.
        static let genCertScript = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/gen-cert.sh").path

        /// Runs a program found on `PATH`; returns its exit status and its standard output and error together.
        @discardableResult
        static func run(_ program: String, _ arguments: [String], input: String? = nil) throws -> (
            status: Int32, output: String
        ) {
            let process = ChildProcess()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [program] + arguments
            let output = Pipe()
            process.standardOutput = output
            process.standardError = output
            let stdin = Pipe()
            process.standardInput = stdin
            try process.run()
            if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
            try stdin.fileHandleForWriting.close()
            let data = output.fileHandleForReading.readAllBytes()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: data, as: UTF8.self))
        }

        static func isOnPath(_ program: String) -> Bool {
            let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
            return path.split(separator: ":").contains { access("\($0)/\(program)", X_OK) == 0 }
        }

        // MARK: - Readiness

        /// Waits until `descriptor` is ready for `events`; false on timeout.
        @discardableResult
        static func poll(descriptor: Int32, events: Int16, milliseconds: Int32) -> Bool {
            var entry = pollfd(fd: descriptor, events: events, revents: 0)
            while true {
                let result = Glibc.poll(&entry, 1, milliseconds)
                if result >= 0 { return result > 0 }
                if errno != EINTR { return false }
            }
        }
    }

    extension TLSStream.HandshakeProgress {
        /// Done or failed: calling again changes nothing.
        var isFinal: Bool {
            switch self {
            case .done, .failed: true
            case .wantsRead, .wantsWrite: false
            }
        }

        var failureReason: String? {
            if case .failed(let reason) = self { return reason }
            return nil
        }
    }

    /// Both ends of a connection and the sockets under them, which live as long as this object.
    final class TLSTestConnection {
        let pair: SocketPair
        let server: TLSStream
        let client: TLSTestClient

        init(pair: SocketPair, server: TLSStream, client: TLSTestClient) {
            self.pair = pair
            self.server = server
            self.client = client
        }
    }

    // MARK: - Sockets

    /// Two connected, non-blocking stream sockets (`socketpair(AF_UNIX, SOCK_STREAM)`), closed on deinit.
    final class SocketPair {
        let server: Int32
        let client: Int32
        private var clientClosed = false

        init(sendBufferSize: Int32? = nil) throws {
            var descriptors: [Int32] = [-1, -1]
            guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &descriptors) == 0 else {
                throw SocketError(call: "socketpair", code: errno)
            }
            server = descriptors[0]
            client = descriptors[1]
            for descriptor in descriptors {
                try setNonBlocking(descriptor)
                if var size = sendBufferSize {
                    _ = setsockopt(descriptor, SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size))
                }
            }
        }

        /// Writes raw bytes from the client end (all of them; the tests send little).
        func sendFromClient(_ text: String) {
            let bytes = Array(text.utf8)
            _ = bytes.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        }

        func sendFromClient(_ bytes: [UInt8]) {
            _ = bytes.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        }

        func closeClient() {
            guard !clientClosed else { return }
            clientClosed = true
            _ = Glibc.close(client)
        }

        deinit {
            _ = Glibc.close(server)
            closeClient()
        }
    }

    /// A TCP listener on 127.0.0.1 and a port the kernel chose, for clients in other processes.
    final class LoopbackListener {
        let descriptor: Int32
        let port: UInt16

        init() throws {
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard descriptor >= 0 else { throw SocketError(call: "socket", code: errno) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = 0
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
            }
            guard bound == 0, listen(descriptor, 16) == 0 else {
                let code = errno
                _ = Glibc.close(descriptor)
                throw SocketError(call: "bind/listen", code: code)
            }
            _ = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
            }
            self.descriptor = descriptor
            self.port = UInt16(bigEndian: address.sin_port)
        }

        /// The next connection, non-blocking, owned by the caller; nil if none came within `milliseconds`.
        func accept(milliseconds: Int32 = 10_000) throws -> Int32? {
            guard TLSTest.poll(descriptor: descriptor, events: Int16(POLLIN), milliseconds: milliseconds) else {
                return nil
            }
            let accepted = Glibc.accept(descriptor, nil, nil)
            guard accepted >= 0 else { throw SocketError(call: "accept", code: errno) }
            try setNonBlocking(accepted)
            return accepted
        }

        deinit { _ = Glibc.close(descriptor) }
    }

    // MARK: - An OpenSSL client

    /// The client side of a TLS connection through OpenSSL's client API, non-blocking, for driving a server
    /// `TLSStream` from the same thread.
    final class TLSTestClient {
        struct Options {
            /// Certificates (PEM) to trust; nil: no verification at all.
            var trustedPEM: String?
            /// The DNS name (or, with `expectedIP`, nothing) the certificate must be valid for.
            var expectedHost: String? = "localhost"
            /// The IP address the certificate must be valid for, instead of `expectedHost`.
            var expectedIP: String?
            /// The ALPN protocols offered, in order; empty: no ALPN extension.
            var alpn: [String] = ["http/1.1"]
            var minimumVersion: Int32 = 0
            var maximumVersion: Int32 = 0
            /// A TLS 1.2-and-earlier cipher list, e.g. `DEFAULT:@SECLEVEL=0` to allow TLS 1.0.
            var cipherList: String?
        }

        private let context: OpaquePointer
        private let ssl: OpaquePointer

        init(descriptor: Int32, options: Options = .init()) throws {
            ERR_clear_error()
            guard let context = SSL_CTX_new(TLS_client_method()) else { throw TLSError.openSSL("SSL_CTX_new") }
            // Versions and trust are read from the context when the `SSL` is made: set them first.
            if options.minimumVersion != 0 {
                _ = COpenSSL_SSL_CTX_set_min_proto_version(context, options.minimumVersion)
            }
            if options.maximumVersion != 0 {
                _ = COpenSSL_SSL_CTX_set_max_proto_version(context, options.maximumVersion)
            }
            if let trustedPEM = options.trustedPEM {
                let store = SSL_CTX_get_cert_store(context)
                for certificate in try Self.certificates(fromPEM: trustedPEM) {
                    X509_STORE_add_cert(store, certificate)
                    X509_free(certificate)
                }
            }
            guard let ssl = SSL_new(context) else {
                SSL_CTX_free(context)
                throw TLSError.openSSL("SSL_new")
            }
            self.context = context
            self.ssl = ssl
            if let cipherList = options.cipherList {
                _ = SSL_set_cipher_list(ssl, cipherList)
            }
            if options.trustedPEM != nil {
                SSL_set_verify(ssl, SSL_VERIFY_PEER, nil)
                let parameters = SSL_get0_param(ssl)
                X509_VERIFY_PARAM_set_flags(parameters, UInt(X509_V_FLAG_X509_STRICT))
                if let ip = options.expectedIP {
                    X509_VERIFY_PARAM_set1_ip_asc(parameters, ip)
                } else if let host = options.expectedHost {
                    SSL_set1_host(ssl, host)
                }
            }
            if !options.alpn.isEmpty {
                let wire = options.alpn.flatMap { [UInt8($0.utf8.count)] + Array($0.utf8) }
                _ = SSL_set_alpn_protos(ssl, wire, UInt32(wire.count))
            }
            SSL_set_fd(ssl, descriptor)
            SSL_set_connect_state(ssl)
        }

        deinit {
            SSL_free(ssl)
            SSL_CTX_free(context)
        }

        static func certificates(fromPEM pem: String) throws -> [OpaquePointer] {
            guard let bio = BIO_new(BIO_s_mem()) else { throw TLSError.openSSL("BIO_new") }
            defer { BIO_free(bio) }
            let bytes = Array(pem.utf8)
            _ = bytes.withUnsafeBytes { BIO_write(bio, $0.baseAddress, Int32($0.count)) }
            var certificates: [OpaquePointer] = []
            while let certificate = PEM_read_bio_X509(bio, nil, nil, nil) { certificates.append(certificate) }
            ERR_clear_error()
            return certificates
        }

        func handshake() -> TLSStream.HandshakeProgress {
            ERR_clear_error()
            let result = SSL_do_handshake(ssl)
            if result == 1 { return .done }
            switch SSL_get_error(ssl, result) {
            case SSL_ERROR_WANT_READ: return .wantsRead
            case SSL_ERROR_WANT_WRITE: return .wantsWrite
            default:
                let verify = SSL_get_verify_result(ssl)
                let reasons = OpenSSLErrors.drain()
                if verify != X509_V_OK {
                    return .failed("verify: \(String(cString: X509_verify_cert_error_string(verify))); \(reasons)")
                }
                return .failed(reasons)
            }
        }

        func read(into buffer: UnsafeMutableRawBufferPointer) -> StreamSocket.Progress {
            ERR_clear_error()
            var count = 0
            let result = SSL_read_ex(ssl, buffer.baseAddress, buffer.count, &count)
            if result == 1 { return .bytes(count) }
            return progress(after: result)
        }

        func write(_ bytes: UnsafeRawBufferPointer) -> StreamSocket.Progress {
            ERR_clear_error()
            var count = 0
            let result = SSL_write_ex(ssl, bytes.baseAddress, bytes.count, &count)
            if result == 1 { return .bytes(count) }
            return progress(after: result)
        }

        private(set) var lastWouldBlockWantsWrite = false

        private func progress(after result: Int32) -> StreamSocket.Progress {
            switch SSL_get_error(ssl, result) {
            case SSL_ERROR_WANT_READ:
                lastWouldBlockWantsWrite = false
                return .wouldBlock
            case SSL_ERROR_WANT_WRITE:
                lastWouldBlockWantsWrite = true
                return .wouldBlock
            default:
                ERR_clear_error()
                return .closed
            }
        }

        /// Sends close_notify.
        func shutdown() {
            ERR_clear_error()
            _ = SSL_shutdown(ssl)
            ERR_clear_error()
        }

        var protocolVersion: String { String(cString: SSL_get_version(ssl)) }

        var negotiatedALPN: String? {
            var data: UnsafePointer<UInt8>?
            var length: UInt32 = 0
            SSL_get0_alpn_selected(ssl, &data, &length)
            guard let data, length > 0 else { return nil }
            return String(decoding: UnsafeBufferPointer(start: data, count: Int(length)), as: UTF8.self)
        }
    }
#endif
