import Foundation
import TestSupport
import Testing

/// The `gateway-mock` executable as CI scripts use it: the listening line, `--port-file`, exit statuses,
/// SIGTERM. Needs the executable built beside the tests (`swift build` before `swift test`; scripts/test.sh does).
@Suite(.onOwnThread) struct CommandLineTests {
    static let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        .deletingLastPathComponent().appendingPathComponent("gateway-mock")

    struct Run {
        let process: ChildProcess
        let stdout: Pipe
        /// stderr goes to a file, not a pipe: a child that writes more than a pipe holds (a sanitizer's
        /// report at exit, say) must not block while the test waits for it to exit. The file is unlinked
        /// as soon as it is open, so that no run leaves it behind; this handle reads it.
        let stderrFile: FileHandle

        /// Everything written to stderr so far (call after the process exited).
        var stderr: String {
            try? stderrFile.seek(toOffset: 0)
            return String(decoding: stderrFile.readDataToEndOfFile(), as: UTF8.self)
        }
    }

    static func launch(_ arguments: [String], executable launched: URL = executable) throws -> Run {
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw RawHTTPClient.Failure(description: "\(executable.path) is missing: run `swift build` first")
        }
        let process = ChildProcess()
        process.executableURL = launched
        process.arguments = arguments
        let stdout = Pipe()
        let stderrPath = FileManager.default.temporaryDirectory.appendingPathComponent("gm-stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: stderrPath.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: stderrPath) }
        let stderrFile = try FileHandle(forReadingFrom: stderrPath)
        process.standardOutput = stdout
        process.standardError = try FileHandle(forWritingTo: stderrPath)
        try process.run()
        return Run(process: process, stdout: stdout, stderrFile: stderrFile)
    }

    static func firstLine(of pipe: Pipe) -> String {
        var bytes: [UInt8] = []
        while true {
            guard let value = pipe.fileHandleForReading.readByte(), value != 10 else { break }
            bytes.append(value)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func printsOneListeningLineWritesThePortFileAndExitsZeroOnSIGTERM() async throws {
        let portFile = FileManager.default.temporaryDirectory.appendingPathComponent("gm-\(UUID().uuidString).port")
        defer { try? FileManager.default.removeItem(at: portFile) }
        let run = try Self.launch(["--port", "0", "--port-file", portFile.path])
        let line = Self.firstLine(of: run.stdout)
        let match = try #require(line.firstMatch(of: /^gateway-mock listening on http:\/\/127\.0\.0\.1:(\d+)$/))
        let port = try #require(UInt16(match.1))
        #expect(try String(contentsOf: portFile, encoding: .utf8) == "\(port)\n")

        let client = try RawHTTPClient(port: port)
        try client.send(
            "GET /api/v1/workspaces?limit=1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer sk-or-v1-mock-management\r\n\r\n"
        )
        #expect(try client.readResponse().status == 200)

        run.process.terminate()
        run.process.waitUntilExit()
        #expect(run.process.terminationReason == .exit)
        #expect(run.process.terminationStatus == 0)
        let rest = run.stdout.fileHandleForReading.readAllBytes()
        #expect(rest.isEmpty, "exactly one line on stdout")
    }

    /// A script may send SIGTERM the moment it has read the listening line: the signal must never be lost
    /// (it once was, when the handler was armed asynchronously and the test suite was busy).
    @Test func sigtermRightAfterTheListeningLineAlwaysStopsTheServer() async throws {
        for _ in 0..<20 {
            let run = try Self.launch(["--port", "0", "--quiet"])
            _ = Self.firstLine(of: run.stdout)
            run.process.terminate()
            var waited = 0
            while run.process.isRunning, waited < 5_000 {
                usleep(10_000)
                waited += 10
            }
            if run.process.isRunning {
                kill(run.process.processIdentifier, SIGKILL)
                Issue.record("SIGTERM was lost: the server still ran 5 s later")
                return
            }
            #expect(run.process.terminationReason == .exit)
            #expect(run.process.terminationStatus == 0)
        }
    }

    @Test func invalidSeedDataExitsWithStatus2AndOneClearMessage() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gm-seed-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        for file in ["openrouter/workspaces.json", "portkey/workspaces.json", "keys.json"] {
            let target = directory.appendingPathComponent(file)
            try FileManager.default.createDirectory(
                at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: SeedFiles.directory.appendingPathComponent(file), to: target)
        }
        var records = try SeedFiles.openRouter
        records[17].removeValue(forKey: "slug")
        try JSONSerialization.data(withJSONObject: records).write(
            to: directory.appendingPathComponent("openrouter/workspaces.json"))

        let run = try Self.launch(["--port", "0", "--seed-data", directory.path])
        run.process.waitUntilExit()
        #expect(run.process.terminationStatus == 2)
        let stderr = run.stderr
        #expect(stderr == "gateway-mock: invalid seed data: openrouter/workspaces.json: [17].slug: missing\n")
        #expect(run.stdout.fileHandleForReading.readAllBytes().isEmpty)
    }

    @Test func aPortInUseExitsWithStatus1() async throws {
        try await withTestServer { mock throws in
            let run = try Self.launch(["--port", "\(mock.port)"])
            run.process.waitUntilExit()
            #expect(run.process.terminationStatus == 1)
            let stderr = run.stderr
            #expect(stderr.contains("Address already in use"))
        }
    }

    /// A client that goes away while its response is delayed must not leave the server spinning on a
    /// socket that stays readable (end of stream) until the delay is over.
    @Test func aClientLeavingDuringADelayCostsNoCPU() async throws {
        let run = try Self.launch(["--port", "0", "--quiet"])
        defer { run.process.terminate() }
        let line = Self.firstLine(of: run.stdout)
        let port = try #require(line.split(separator: ":").last.flatMap { UInt16($0) })
        for ending in ["close", "half-close"] {
            let client = try RawHTTPClient(port: port)
            try client.send(
                "GET /api/v1/workspaces?limit=1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer sk-or-v1-mock-management\r\nPrefer: delay=3000\r\n\r\n"
            )
            usleep(100_000)
            let before = try Self.cpuSeconds(of: run.process.processIdentifier)
            if ending == "close" { client.resetConnection() } else { client.shutdownWrite() }
            usleep(1_000_000)
            let used = try Self.cpuSeconds(of: run.process.processIdentifier) - before
            #expect(used < 0.3, "\(ending): \(used) s of CPU in 1 s while the delay runs")
        }
    }

    @Test func threadsMustBeFrom1To256() async throws {
        for value in ["0", "257"] {
            let run = try Self.launch(["--port", "0", "--threads", value])
            run.process.waitUntilExit()
            #expect(run.process.terminationStatus == 64)
            #expect(run.stderr.contains("--threads must be from 1 to 256."))
        }
    }

    @Test func journalBytesMustNotBeNegative() async throws {
        let run = try Self.launch(["--port", "0", "--journal-bytes=-1"])
        run.process.waitUntilExit()
        #expect(run.process.terminationStatus == 64)
        #expect(run.stderr.contains("--journal-bytes must be 0 or more."))
    }

    /// A bad key on the command line is refused with where it is wrong, not what it is.
    @Test func aKeyWithASpaceIsRefusedWithoutBeingShown() async throws {
        let run = try Self.launch(["--port", "0", "--openrouter-key", "sk-ok", "--openrouter-key", "sk-my secret"])
        run.process.waitUntilExit()
        #expect(run.process.terminationStatus == 64)
        #expect(
            run.stderr.contains(
                "API keys must be visible ASCII without spaces; --openrouter-key number 2 has a space, control or non-ASCII character at byte 6."
            ))
        #expect(!run.stderr.contains("secret"))
    }

    @Test func aCORSOriginThatNoBrowserWouldSendExitsNamingWhatToWrite() async throws {
        let run = try Self.launch([
            "--port", "0", "--cors-origin", "http://localhost:5173", "--cors-origin", "http://localhost:5173/",
        ])
        run.process.waitUntilExit()
        #expect(run.process.terminationStatus == 64)
        #expect(
            run.stderr.hasPrefix(
                #"Error: --cors-origin "http://localhost:5173/" is not an origin: an origin has no path, query or fragment: http://localhost:5173"#
                    + "\n"))
    }

    @Test func noCORSWithCORSOriginIsRefused() async throws {
        let run = try Self.launch(["--port", "0", "--no-cors", "--cors-origin", "http://localhost:5173"])
        run.process.waitUntilExit()
        #expect(run.process.terminationStatus == 64)
        #expect(run.stderr.hasPrefix("Error: --no-cors turns CORS off; leave out --cors-origin, or --no-cors.\n"))
    }

    /// The flags reach the responder: `--cors-origin` allows only the origins named, `--no-cors` none.
    @Test func corsFlagsChooseWhichOriginsMayRead() async throws {
        let origin = { (name: String) in "GET /v1/nope HTTP/1.1\r\nHost: x\r\nOrigin: \(name)\r\n\r\n" }
        for (flags, allowed) in [
            ([String](), ["http://localhost:5173", "http://localhost:3000"]),
            (["--cors-origin", "http://localhost:5173"], ["http://localhost:5173"]),
            (["--no-cors"], []),
        ] {
            let run = try Self.launch(["--port", "0", "--quiet"] + flags)
            defer { run.process.terminate() }
            let port = try #require(Self.firstLine(of: run.stdout).split(separator: ":").last.flatMap { UInt16($0) })
            for name in ["http://localhost:5173", "http://localhost:3000"] {
                let client = try RawHTTPClient(port: port)
                try client.send(origin(name))
                let response = try client.readResponse()
                #expect(response.status == 404)
                #expect(
                    response.header("Access-Control-Allow-Origin") == (allowed.contains(name) ? name : nil),
                    "\(flags) \(name)")
            }
        }
    }

    /// Connections spread over several event loops are each answered, also when they all arrive at once.
    @Test(arguments: ["1", "3"])
    func everyConnectionIsServedWhateverTheNumberOfThreads(threads: String) async throws {
        let run = try Self.launch(["--port", "0", "--threads", threads, "--quiet"])
        defer { run.process.terminate() }
        let line = Self.firstLine(of: run.stdout)
        let port = try #require(line.split(separator: ":").last.flatMap { UInt16($0) })
        let clients = try (0..<12).map { _ in try RawHTTPClient(port: port) }
        for client in clients {
            try client.send(
                "GET /api/v1/workspaces?limit=1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer sk-or-v1-mock-management\r\n\r\n"
            )
        }
        for client in clients {
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(String(decoding: response.body, as: UTF8.self).hasSuffix(#"],"total_count":120}"#))
        }
    }

    @Test func healthcheckExitsZeroForAReadyMockAndOneOtherwise() async throws {
        try await withTestServer { mock throws in
            let ready = try Self.launch(["healthcheck", "--url", mock.baseURL])
            ready.process.waitUntilExit()
            #expect(ready.process.terminationStatus == 0)
            #expect(Self.firstLine(of: ready.stdout) == "ready: \(mock.baseURL)")
        }
        try await withTestServer(.init(adminEnabled: false)) { mock throws in
            let noAdmin = try Self.launch(["healthcheck", "--url", mock.baseURL])
            noAdmin.process.waitUntilExit()
            #expect(noAdmin.process.terminationStatus == 1)
            let stderr = noAdmin.stderr
            #expect(
                stderr == "gateway-mock healthcheck: \(mock.baseURL) is not ready: answered HTTP/1.1 404 Not Found\n")
        }
        let closed = try Self.launch(["healthcheck", "--url", "http://127.0.0.1:1", "--wait", "0.2"])
        closed.process.waitUntilExit()
        #expect(closed.process.terminationStatus == 1)
    }

    @Test func accessLogHasOneLinePerRequestUnlessQuiet() async throws {
        for quiet in [false, true] {
            let run = try Self.launch(["--port", "0"] + (quiet ? ["--quiet"] : []))
            let line = Self.firstLine(of: run.stdout)
            let port = try #require(line.split(separator: ":").last.flatMap { UInt16($0) })
            let client = try RawHTTPClient(port: port)
            try client.send(
                "GET /api/v1/workspaces?limit=2 HTTP/1.1\r\nHost: x\r\nX-Mock-Namespace: ci\r\nAuthorization: Bearer sk-or-v1-mock-management\r\n\r\n"
            )
            #expect(try client.readResponse().status == 200)
            run.process.terminate()
            run.process.waitUntilExit()
            let stderr = run.stderr
            let access = stderr.split(separator: "\n").filter { $0.contains("GET /api/v1/workspaces") }
            if quiet {
                #expect(access.isEmpty)
            } else {
                #expect(access.count == 1)
                #expect(
                    access.first?.range(
                        of: #" ci GET /api/v1/workspaces\?limit=2 200 \d+µs key=\[openrouter management key 1\]$"#,
                        options: .regularExpression) != nil)
            }
            #expect(!stderr.contains("sk-or-v1-mock-management"))
        }
    }

    /// With a descriptor limit of 64 and a connection limit above it, `accept` fails with EMFILE: the
    /// server must pause accepting rather than spin on a listening socket that stays readable, and serve
    /// again once descriptors are free.
    @Test func runningOutOfDescriptorsDoesNotSpinTheCPU() async throws {
        let run = try Self.launch(
            ["-c", "ulimit -n 64 && exec \"$0\" --port 0 --max-connections 1000 --quiet", Self.executable.path],
            executable: URL(fileURLWithPath: "/bin/sh"))
        defer { run.process.terminate() }
        let line = Self.firstLine(of: run.stdout)
        let port = try #require(line.split(separator: ":").last.flatMap { UInt16($0) })
        var clients: [RawHTTPClient] = []
        for _ in 0..<100 { clients.append(try RawHTTPClient(port: port)) }  // the kernel completes them; some wait
        #expect(run.process.isRunning, "stderr: \(run.stderr)")
        let before = try Self.cpuSeconds(of: run.process.processIdentifier)
        usleep(1_000_000)
        #expect(run.process.isRunning, "stderr ends: \(run.stderr.suffix(1500))")
        let used = try Self.cpuSeconds(of: run.process.processIdentifier) - before
        #expect(used < 0.5, "\(used) s of CPU in 1 s: the accept loop is spinning")
        #expect(run.stderr.contains("accept failed; pausing accepts for 100 ms"), "EMFILE was reached")
        clients.removeAll()
        var status = 0
        for _ in 0..<40 where status != 200 {
            let client = try RawHTTPClient(port: port, timeoutSeconds: 1)
            try? client.send("GET /__admin/health HTTP/1.1\r\nHost: x\r\n\r\n")
            status = (try? client.readResponse().status) ?? 0
            if status != 200 { usleep(50_000) }
        }
        #expect(status == 200, "running: \(run.process.isRunning); stderr ends: \(run.stderr.suffix(600))")
    }

    /// User plus system CPU time of a process, from /proc/PID/stat.
    static func cpuSeconds(of pid: Int32) throws -> Double {
        let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        let fields = stat[stat.lastIndex(of: ")")!...].split(separator: " ")
        let ticks = Double(fields[12])! + Double(fields[13])!
        return ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    #if !TLS
        @Test func tlsFlagsInABuildWithoutTLSSayHowToBuildIt() async throws {
            let run = try Self.launch(["--tls", "--port", "0"])
            run.process.waitUntilExit()
            #expect(run.process.terminationStatus == 64)
            #expect(
                run.stderr.contains("this gateway-mock was built without TLS. Build it with `swift build --traits TLS`")
            )
        }
    #endif
}
