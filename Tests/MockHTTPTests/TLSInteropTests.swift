#if TLS
    import Foundation
    import TestSupport
    import Testing

    @testable import MockHTTP

    #if canImport(Glibc)
        import Glibc
    #elseif canImport(Darwin)
        import Darwin
    #endif

    /// `TLSStream` served from a small poll loop on a loopback port, the way a connection will drive it
    /// (wait for the readiness it asks for), against Python's `ssl` module: another TLS implementation's
    /// view of the handshake, ALPN and the certificate, with strict verification.
    @Suite(.enabled(if: TLSTest.isOnPath("python3"), "needs python3"))
    struct TLSInteropTests {
        init() {
            ignoreSIGPIPE()
        }

        /// Connects to 127.0.0.1:PORT trusting CAFILE for SERVER_HOSTNAME, sends a 4-byte length and that
        /// many random bytes, reads the echo, and prints what it saw as key=value lines.
        static let pythonClient = """
            import os, socket, ssl, sys
            port, cafile, server_hostname, max_version, alpn = sys.argv[1:6]
            context = ssl.create_default_context(cafile=cafile)
            context.verify_flags |= ssl.VERIFY_X509_STRICT
            if max_version == "1.2":
                context.maximum_version = ssl.TLSVersion.TLSv1_2
            if alpn:
                context.set_alpn_protocols(alpn.split(","))
            payload = os.urandom(300000)
            try:
                with socket.create_connection(("127.0.0.1", int(port)), timeout=10) as raw:
                    with context.wrap_socket(raw, server_hostname=server_hostname) as tls:
                        tls.sendall(len(payload).to_bytes(4, "big") + payload)
                        echo = bytearray()
                        while len(echo) < len(payload):
                            chunk = tls.recv(65536)
                            if not chunk:
                                break
                            echo += chunk
                        print("version=" + tls.version())
                        print("alpn=" + str(tls.selected_alpn_protocol()))
                        print("echo=" + ("ok" if bytes(echo) == payload else "mismatch after %d" % len(echo)))
            except ssl.SSLCertVerificationError as error:
                print("verify-error=" + error.verify_message)
            except Exception as error:
                print("error=" + repr(error))
            """

        struct Outcome {
            /// The client's key=value lines.
            var client: [String: String]
            /// How the server side ended: "echoed N bytes" or the failure.
            var server: String
        }

        /// Runs the Python client against one connection served by `serveEcho`.
        static func run(serverHostname: String, maxVersion: String = "", alpn: String = "http/1.1") throws -> Outcome {
            let context = try TLSTest.context()
            let listener = try LoopbackListener()
            return try TLSTest.withTemporaryDirectory { directory in
                let ca = directory + "/ca.pem"
                try TLSTest.write(context.certificatePEM, to: ca)
                let process = ChildProcess()
                process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                process.arguments = [
                    "python3", "-c", pythonClient, String(listener.port), ca, serverHostname, maxVersion, alpn,
                ]
                let output = Pipe()
                process.standardOutput = output
                try process.run()
                var server = "no connection"
                if let descriptor = try listener.accept() {
                    defer { _ = Glibc.close(descriptor) }
                    server = serveEcho(context: context, descriptor: descriptor)
                }
                let data = output.fileHandleForReading.readAllBytes()
                process.waitUntilExit()
                var client: [String: String] = [:]
                for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
                    let parts = line.split(separator: "=", maxSplits: 1)
                    client[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
                }
                return Outcome(client: client, server: server)
            }
        }

        /// One connection, driven like the server's event loop will: handshake until done, waiting for the
        /// readiness each step asks for; read a length-prefixed message; write it back; close_notify.
        static func serveEcho(context: TLSContext, descriptor: Int32) -> String {
            guard let stream = try? TLSStream(context: context, descriptor: descriptor) else { return "no stream" }
            func wait(forWrite: Bool) -> Bool {
                TLSTest.poll(
                    descriptor: descriptor, events: Int16(forWrite ? POLLOUT : POLLIN), milliseconds: 10_000)
            }
            handshake: while true {
                switch stream.handshake() {
                case .done: break handshake
                case .wantsRead: guard wait(forWrite: false) else { return "handshake timeout" }
                case .wantsWrite: guard wait(forWrite: true) else { return "handshake timeout" }
                case .failed(let reason): return reason
                }
            }
            var inbound: [UInt8] = []
            var scratch = [UInt8](repeating: 0, count: 64 * 1024)
            func expected() -> Int? {
                guard inbound.count >= 4 else { return nil }
                return inbound[0..<4].reduce(0) { $0 << 8 | Int($1) } + 4
            }
            while inbound.count < expected() ?? Int.max {
                switch scratch.withUnsafeMutableBytes({ stream.read(into: $0) }) {
                case .bytes(let count): inbound += scratch[..<count]
                case .wouldBlock:
                    guard wait(forWrite: stream.lastWouldBlockWantsWrite) else { return "read timeout" }
                case .closed: return "closed while reading: \(stream.closeReason ?? "?")"
                }
            }
            let outbound = Array(inbound[4...])
            var offset = 0
            while offset < outbound.count {
                let progress = outbound.withUnsafeBytes {
                    stream.write(UnsafeRawBufferPointer(rebasing: $0[offset...]))
                }
                switch progress {
                case .bytes(let count): offset += count
                case .wouldBlock:
                    guard wait(forWrite: stream.lastWouldBlockWantsWrite) else { return "write timeout" }
                case .closed: return "closed while writing: \(stream.closeReason ?? "?")"
                }
            }
            stream.shutdown()
            return "echoed \(outbound.count) bytes"
        }

        @Test(arguments: ["localhost", "127.0.0.1", "::1"])
        func pythonVerifiesTheSelfSignedCertificateAndGetsItsBytesBackOverTLS13(serverHostname: String) throws {
            let outcome = try Self.run(serverHostname: serverHostname)
            #expect(outcome.client["version"] == "TLSv1.3", "\(outcome)")
            #expect(outcome.client["alpn"] == "http/1.1")
            #expect(outcome.client["echo"] == "ok")
            #expect(outcome.server == "echoed 300000 bytes")
        }

        @Test func pythonLimitedToTLS12GetsTLS12WithALPN() throws {
            let outcome = try Self.run(serverHostname: "localhost", maxVersion: "1.2", alpn: "h2,http/1.1")
            #expect(outcome.client["version"] == "TLSv1.2", "\(outcome)")
            #expect(outcome.client["alpn"] == "http/1.1")
            #expect(outcome.client["echo"] == "ok")
        }

        @Test func pythonOfferingOnlyH2ContinuesWithoutALPN() throws {
            let outcome = try Self.run(serverHostname: "localhost", alpn: "h2")
            #expect(outcome.client["alpn"] == "None", "\(outcome)")
            #expect(outcome.client["echo"] == "ok")
        }

        @Test func pythonRefusesTheCertificateForAnotherHostAndTheServerLogsWhy() throws {
            let outcome = try Self.run(serverHostname: "example.com")
            #expect(outcome.client["verify-error"]?.contains("Hostname mismatch") == true, "\(outcome)")
            #expect(outcome.server.hasPrefix("TLS handshake failed: "), "\(outcome)")
        }
    }
#endif
