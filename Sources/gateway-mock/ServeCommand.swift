import ArgumentParser
import GatewayMock
import Logging
import MockHTTP

/// `gateway-mock [serve]`: serves both vendors' workspace listings and the control plane until SIGINT
/// or SIGTERM.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the mock (the default when no subcommand is given).",
        discussion: """
            Serves OpenRouter's workspace admin API under /api/v1/ and Portkey's under /v1/ (workspaces, \
            members, budgets, users) from a seed store, and the control plane under /__admin/. Prints one \
            line with its base URL on stdout once it is listening; logs go to stderr. Exit status: 0 after \
            SIGINT/SIGTERM, 1 when it cannot listen, 2 for invalid seed data.
            """)

    @Option(help: "Address to bind: an IPv4 or IPv6 literal (e.g. 0.0.0.0, ::1) or localhost.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on; 0 picks a free one.")
    var port: UInt16 = 8080

    @Option(help: ArgumentHelp("Also write the bound port to this file (atomically), for scripts.", valueName: "path"))
    var portFile: String?

    @Option(
        help: ArgumentHelp(
            "Serve this seed directory (same layout as seed-data/) instead of the embedded store.", valueName: "dir"))
    var seedData: String?

    @Option(help: ArgumentHelp("An extra OpenRouter management key to accept (repeatable).", valueName: "key"))
    var openrouterKey: [String] = []

    @Option(help: ArgumentHelp("An extra Portkey admin key to accept (repeatable).", valueName: "key"))
    var portkeyKey: [String] = []

    @Flag(help: "Turn off the control plane (/__admin/ and the index at /): 404 there.")
    var noAdmin = false

    @Option(
        help: ArgumentHelp(
            "Allow only this origin (scheme://host[:port]) to call the vendor endpoints from a browser, and let it use the control plane (repeatable; default: every origin, vendor endpoints only).",
            valueName: "origin"))
    var corsOrigin: [String] = []

    @Flag(help: "No CORS headers at all: pages from other origins cannot read any answer.")
    var noCors = false

    @Option(help: "Requests kept in each namespace's journal.")
    var journalSize = 1000

    @Option(
        help: ArgumentHelp(
            "Bytes all journals together may keep (estimated per request); the oldest requests of any namespace go first.",
            valueName: "bytes"))
    var journalBytes = MockState.defaultJournalBytes

    @Option(help: "Namespaces (X-Mock-Namespace) that may exist besides the default one.")
    var maxNamespaces = 256

    @Option(help: "Workspaces the API may create in each namespace; seed data and replacements are not counted.")
    var maxCreatedWorkspaces = 10_000

    @Option(help: "Seconds a client has to send a whole request (from its first byte) before a 408.")
    var requestTimeout: Double = 10

    @Option(help: "Seconds an idle keep-alive connection stays open.")
    var idleTimeout: Double = 60

    @Option(help: "Connections served at once; more get a 503 and are closed (default: 1024 or the fd limit - 64).")
    var maxConnections: Int?

    @Option(help: "Threads serving connections, each with its own event loop (default: one per processor).")
    var threads: Int?

    @Flag(
        help:
            "Serve HTTPS with a self-signed certificate made at start-up for localhost, 127.0.0.1 and ::1 (TLS builds)."
    )
    var tls = false

    @Option(
        help: ArgumentHelp(
            "Serve HTTPS with this PEM certificate (chain); needs --tls-key (TLS builds).", valueName: "file"))
    var tlsCert: String?

    @Option(help: ArgumentHelp("The PEM private key for --tls-cert (TLS builds).", valueName: "file"))
    var tlsKey: String?

    @Option(
        help: ArgumentHelp(
            "Write the served certificate (PEM) here, for clients to trust as their CA (TLS builds).", valueName: "file"
        ))
    var tlsCaOut: String?

    @Flag(help: "No access log (one line per request otherwise).")
    var quiet = false

    @Option(help: "Log level on stderr (the access log is at info).")
    var logLevel: Logger.Level = .info

    func validate() throws {
        // The message says where a key is wrong, never what it is (it would end up in CI logs).
        for (option, keys) in [("--openrouter-key", openrouterKey), ("--portkey-key", portkeyKey)] {
            for (number, key) in zip(1..., keys) {
                let bad = key.utf8.firstIndex { $0 <= 0x20 || $0 >= 0x7F }.map { key.utf8[..<$0].count + 1 }
                guard key.isEmpty || bad != nil else { continue }
                let problem = bad.map { "has a space, control or non-ASCII character at byte \($0)" } ?? "is empty"
                throw ValidationError(
                    "API keys must be visible ASCII without spaces; \(option) number \(number) \(problem).")
            }
        }
        _ = try corsPolicy()
        if journalSize < 0 { throw ValidationError("--journal-size must be 0 or more.") }
        if journalBytes < 0 { throw ValidationError("--journal-bytes must be 0 or more.") }
        if maxNamespaces < 0 { throw ValidationError("--max-namespaces must be 0 or more.") }
        if maxCreatedWorkspaces < 0 { throw ValidationError("--max-created-workspaces must be 0 or more.") }
        if !(requestTimeout > 0 && idleTimeout > 0) {
            throw ValidationError("--request-timeout and --idle-timeout must be more than 0 seconds.")
        }
        if let maxConnections, maxConnections < 1 { throw ValidationError("--max-connections must be 1 or more.") }
        if let threads, !(1...256).contains(threads) { throw ValidationError("--threads must be from 1 to 256.") }
        let tlsRequested = tls || tlsCert != nil || tlsKey != nil || tlsCaOut != nil
        #if TLS
            if tlsRequested {
                if tls, tlsCert != nil || tlsKey != nil {
                    throw ValidationError("--tls makes its own certificate; leave out --tls-cert/--tls-key, or --tls.")
                }
                if (tlsCert == nil) != (tlsKey == nil) {
                    throw ValidationError("--tls-cert and --tls-key go together.")
                }
                if !tls, tlsCert == nil { throw ValidationError("--tls-ca-out needs --tls or --tls-cert/--tls-key.") }
            }
        #else
            if tlsRequested {
                throw ValidationError(
                    "this gateway-mock was built without TLS. Build it with `swift build --traits TLS` "
                        + "(needs OpenSSL's headers: apt-get install libssl-dev), then use --tls or --tls-cert/--tls-key."
                )
            }
        #endif
    }

    /// The CORS policy the flags ask for: `--no-cors`, the `--cors-origin` origins, or every origin.
    private func corsPolicy() throws -> CORSPolicy {
        if noCors {
            guard corsOrigin.isEmpty else {
                throw ValidationError("--no-cors turns CORS off; leave out --cors-origin, or --no-cors.")
            }
            return .disabled
        }
        if corsOrigin.isEmpty { return .allOrigins }
        do {
            return try CORSPolicy(allowing: corsOrigin)
        } catch {
            throw ValidationError("--cors-origin \(error)")
        }
    }

    func run() throws {
        // Before any thread exists, so that every thread inherits it: see `TerminationSignals.block()`.
        TerminationSignals.block()
        let level = logLevel
        LoggingSystem.bootstrap { label in
            var handler = BatchedLogHandler(label: label)
            handler.logLevel = level
            return handler
        }
        // Log lines go out in batches from a thread of their own: write out what is left before exiting.
        defer { LogLineWriter.standardError.flush() }
        let logger = Logger(label: "gateway-mock")
        var timeouts = HTTPServerConfiguration.Timeouts()
        timeouts.request = .milliseconds(Int(requestTimeout * 1000))
        timeouts.idle = .milliseconds(Int(idleTimeout * 1000))
        var configuration = GatewayMock.Configuration(
            host: host, port: port, seed: seedData.map(SeedStore.Source.directory) ?? .embedded,
            extraOpenRouterKeys: openrouterKey, extraPortkeyKeys: portkeyKey, adminEnabled: !noAdmin,
            cors: try corsPolicy(),
            journalSize: journalSize, journalBytes: journalBytes, maxNamespaces: maxNamespaces,
            maxCreatedWorkspaces: maxCreatedWorkspaces, accessLog: !quiet, timeouts: timeouts,
            maxConnections: maxConnections ?? HTTPServerConfiguration.defaultMaxConnections(),
            threads: threads ?? onlineProcessorCount())
        #if TLS
            if tls {
                configuration.tls = .selfSigned()
            } else if let tlsCert, let tlsKey {
                configuration.tls = .files(certificatePath: tlsCert, privateKeyPath: tlsKey)
            }
        #endif
        let mock: GatewayMock
        do {
            mock = try GatewayMock.start(configuration, logger: logger)
        } catch let error as SeedError {
            Console.error("gateway-mock: invalid seed data: \(error)")
            throw ExitCode(2)
        } catch {
            #if TLS
                if let error = error as? TLSError {
                    Console.error("gateway-mock: TLS: \(error)")
                    throw ExitCode(2)
                }
            #endif
            Console.error("gateway-mock: cannot listen on \(host):\(port): \(error)")
            throw ExitCode(1)
        }
        if let tlsCaOut, let certificate = mock.certificatePEM {
            do {
                try AtomicFile.write(certificate, to: tlsCaOut)
                logger.notice("TLS certificate for clients to trust written to \(tlsCaOut)")
            } catch {
                Console.error("gateway-mock: \(error)")
                mock.stop()
                throw ExitCode(1)
            }
        }
        if let portFile {
            do {
                try AtomicFile.write("\(mock.port)\n", to: portFile)
            } catch {
                Console.error("gateway-mock: \(error)")
                mock.stop()
                throw ExitCode(1)
            }
        }
        Console.out("gateway-mock listening on \(mock.baseURL)")
        _ = TerminationSignals.wait()
        logger.notice("signal received, finishing in-flight responses")
        mock.stop()
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
