import ArgumentParser
import Dispatch
import GatewayMock
import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// `gateway-mock`: serves the OpenRouter and Portkey workspace listings from a seed store until
/// SIGINT or SIGTERM.
@main
struct GatewayMockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway-mock",
        abstract: "A local mock of OpenRouter's and Portkey's workspace-listing admin endpoints.",
        discussion: """
            Serves GET /api/v1/workspaces (OpenRouter) and GET /v1/admin/workspaces (Portkey) from a seed \
            store. Prints one line with its base URL on stdout once it is listening; logs go to stderr. \
            Exit status: 0 after SIGINT/SIGTERM, 1 when it cannot listen, 2 for invalid seed data.
            """,
        version: GatewayMock.version)

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

    @Option(help: "Log level on stderr (one line per request at info).")
    var logLevel: Logger.Level = .info

    func validate() throws {
        for key in openrouterKey + portkeyKey
        where key.isEmpty || key.utf8.contains(where: { $0 <= 0x20 || $0 >= 0x7F }) {
            throw ValidationError("API keys must be non-empty visible ASCII without spaces; got \"\(key)\".")
        }
    }

    func run() throws {
        let level = logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "gateway-mock")
        let mock: GatewayMock
        do {
            mock = try GatewayMock.start(
                GatewayMock.Configuration(
                    host: host, port: port, seed: seedData.map(SeedStore.Source.directory) ?? .embedded,
                    extraOpenRouterKeys: openrouterKey, extraPortkeyKeys: portkeyKey),
                logger: logger)
        } catch let error as SeedError {
            printError("gateway-mock: invalid seed data: \(error)")
            throw ExitCode(2)
        } catch {
            printError("gateway-mock: cannot listen on \(host):\(port): \(error)")
            throw ExitCode(1)
        }
        if let portFile {
            do {
                try writeAtomically("\(mock.port)\n", to: portFile)
            } catch {
                printError("gateway-mock: \(error)")
                mock.stop()
                throw ExitCode(1)
            }
        }
        // Unbuffered, so a script reading our stdout through a pipe sees the line at once.
        writeLine("gateway-mock listening on \(mock.baseURL)", to: STDOUT_FILENO)
        waitForTerminationSignal(then: {
            logger.notice("signal received, finishing in-flight responses")
            mock.stop()
            Glibc.exit(0)
        })
    }
}

/// Installs SIGINT/SIGTERM handlers that run `shutdown` on the main queue, then parks the main thread.
private func waitForTerminationSignal(then shutdown: @escaping @Sendable () -> Void) -> Never {
    var sources: [any DispatchSourceSignal] = []
    for signalNumber in [SIGINT, SIGTERM] {
        signal(signalNumber, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .main)
        source.setEventHandler(handler: shutdown)
        source.resume()
        sources.append(source)
    }
    withExtendedLifetime(sources) {}
    dispatchMain()
}

private func printError(_ message: String) {
    writeLine(message, to: STDERR_FILENO)
}

private func writeLine(_ text: String, to descriptor: Int32) {
    let bytes = Array((text + "\n").utf8)
    var offset = 0
    while offset < bytes.count {
        let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        if written < 0 && errno == EINTR { continue }
        guard written > 0 else { return }
        offset += written
    }
}

/// An error writing the port file.
struct PortFileError: Error, CustomStringConvertible {
    var description: String
}

/// Writes `text` to a temporary file beside `path`, then renames it over `path`, so a reader never sees
/// a half-written file.
private func writeAtomically(_ text: String, to path: String) throws {
    let temporary = "\(path).\(getpid()).tmp"
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else {
        throw PortFileError(description: "cannot write --port-file \(path): \(String(cString: strerror(errno)))")
    }
    let bytes = Array(text.utf8)
    let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    close(descriptor)
    guard written == bytes.count, rename(temporary, path) == 0 else {
        unlink(temporary)
        throw PortFileError(description: "cannot write --port-file \(path): \(String(cString: strerror(errno)))")
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
