#if TLS
    import Foundation
    import GatewayMock
    import MockHTTP
    import TestSupport
    import Testing

    /// HTTPS end to end (TLS builds only): real TLS clients (curl, Python's `ssl`) trusting the
    /// certificate the mock made at start-up get byte-identical bodies, and bad handshakes disturb no one.
    @Suite(.onOwnThread) struct HTTPSTests {
        static func withTLSServer(
            timeouts: HTTPServerConfiguration.Timeouts = .init(), _ body: (GatewayMock, URL) throws -> Void
        ) throws {
            var configuration = GatewayMock.Configuration(accessLog: false, timeouts: timeouts, threads: 1)
            configuration.tls = .selfSigned()
            let mock = try GatewayMock.start(configuration, logger: quietLogger)
            defer { mock.stop() }
            let ca = FileManager.default.temporaryDirectory.appendingPathComponent("gm-ca-\(UUID().uuidString).pem")
            try #require(mock.certificatePEM).write(to: ca, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: ca) }
            try body(mock, ca)
        }

        /// Runs a program and returns its standard output; fails the test on a non-zero exit.
        static func run(_ program: String, _ arguments: [String]) throws -> Data {
            let process = ChildProcess()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [program] + arguments
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let data = output.fileHandleForReading.readAllBytes()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(program) \(arguments) exited \(process.terminationStatus)")
            return data
        }

        @Test func curlTrustingTheGeneratedCertificateGetsTheSameBytesAsPlainHTTP() throws {
            let plain = try GatewayMock.start(.init(accessLog: false, threads: 1), logger: quietLogger)
            defer { plain.stop() }
            let expected = try plain.openRouter("?limit=50").body
            try Self.withTLSServer { mock, ca in
                #expect(mock.baseURL == "https://127.0.0.1:\(mock.port)")
                for host in ["localhost", "127.0.0.1"] {
                    let body = try Self.run(
                        "curl",
                        [
                            "--silent", "--fail", "--cacert", ca.path, "-H",
                            "Authorization: Bearer \(DefaultKeys.openRouterManagement)",
                            "https://\(host):\(mock.port)/api/v1/workspaces?limit=50",
                        ])
                    #expect(Array(body) == expected)
                }
            }
        }

        /// The connection tells the responder it is TLS: the index's commands use `https://` and the
        /// address curl used, and the first one, run as it is (plus the certificate), answers 200.
        @Test func theIndexOverTLSSuggestsHTTPSCommandsThatWork() throws {
            try Self.withTLSServer { mock, ca in
                let index = try Self.run(
                    "curl", ["--silent", "--fail", "--cacert", ca.path, "https://localhost:\(mock.port)/"])
                let json = try #require(try JSONSerialization.jsonObject(with: index) as? [String: Any])
                let commands = try #require(json["endpoints"] as? [[String: String]]).compactMap { $0["curl"] }
                #expect(commands.count == 24)
                #expect(commands.allSatisfy { $0.hasSuffix("'") && $0.contains(" 'https://localhost:\(mock.port)/") })
                let shell =
                    "\(commands[0]) --silent --fail --cacert '\(ca.path)' --output /dev/null --write-out '%{http_code}'"
                #expect(String(decoding: try Self.run("sh", ["-c", shell]), as: UTF8.self) == "200")
            }
        }

        @Test func pythonSSLClientVerifiesTheCertificateAndNegotiatesHTTP11() throws {
            try Self.withTLSServer { mock, ca in
                let script = """
                    import socket, ssl, sys
                    context = ssl.create_default_context(cafile=sys.argv[1])
                    context.set_alpn_protocols(["http/1.1"])
                    with socket.create_connection(("127.0.0.1", int(sys.argv[2]))) as raw:
                        with context.wrap_socket(raw, server_hostname="localhost") as tls:
                            tls.sendall(b"GET /__admin/health HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n")
                            data = b""
                            while chunk := tls.recv(65536):
                                data += chunk
                            print(tls.version(), tls.selected_alpn_protocol(), data.split(b"\\r\\n")[0].decode())
                    """
                let output = String(
                    decoding: try Self.run("python3", ["-c", script, ca.path, "\(mock.port)"]), as: UTF8.self)
                #expect(output == "TLSv1.3 http/1.1 HTTP/1.1 200 OK\n")
            }
        }

        @Test func plainHTTPToTheTLSPortGetsAPlainExplanationAndOthersAreServed() throws {
            try Self.withTLSServer { mock, ca in
                let client = try RawHTTPClient(port: mock.port)
                try client.send("GET /api/v1/workspaces HTTP/1.1\r\nHost: x\r\n\r\n")
                let response = try client.readResponse()
                #expect(response.status == 400)
                #expect(
                    response.text
                        == #"{"error":{"code":400,"message":"Bad Request: this port speaks HTTPS (TLS); use https://"}}"#
                )
                #expect(try client.serverClosed())
                _ = try Self.run("curl", ["--silent", "--fail", "--cacert", ca.path, "\(mock.baseURL)/__admin/health"])
            }
        }

        @Test func garbageAndStalledHandshakesAreClosedWithoutDisturbingOthers() throws {
            var timeouts = HTTPServerConfiguration.Timeouts()
            timeouts.request = .milliseconds(300)
            try Self.withTLSServer(timeouts: timeouts) { mock, ca in
                let garbage = try RawHTTPClient(port: mock.port)
                try garbage.send([0x16, 0x03, 0x01, 0x00, 0x05, 0xde, 0xad, 0xbe, 0xef, 0x00])
                let stalled = try RawHTTPClient(port: mock.port)
                _ = try Self.run("curl", ["--silent", "--fail", "--cacert", ca.path, "\(mock.baseURL)/__admin/health"])
                let garbageEnd = garbage.readUntilConnectionEnds()
                #expect(garbageEnd.bytes.allSatisfy { $0 != UInt8(ascii: "H") }, "no HTTP answer to a broken handshake")
                let stalledEnd = stalled.readUntilConnectionEnds()
                #expect(stalledEnd.bytes.isEmpty, "a stalled handshake is closed at the timeout, without a 408")
                _ = try Self.run("curl", ["--silent", "--fail", "--cacert", ca.path, "\(mock.baseURL)/__admin/health"])
            }
        }
    }
#endif
