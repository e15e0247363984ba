import ArgumentParser
import Glibc
import MockHTTP

/// `gateway-mock healthcheck --url URL`: exit 0 when the mock at URL answers `GET /__admin/health` with
/// 200, 1 otherwise, so a container or CI step can wait for readiness without curl.
struct HealthcheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "healthcheck",
        abstract: "Exit 0 when the mock at --url is ready (GET /__admin/health answers 200), 1 otherwise.")

    @Option(help: "The mock's base URL, e.g. http://127.0.0.1:8080.")
    var url: String

    @Option(help: "Keep trying for up to this many seconds (0: try once).")
    var wait: Double = 0

    @Option(help: "Seconds allowed for each attempt.")
    var timeout: Double = 2

    func validate() throws {
        _ = try target()
        if wait < 0 || timeout <= 0 { throw ValidationError("--wait must be 0 or more and --timeout more than 0.") }
    }

    /// Host and port of an `http://host[:port][/]` URL (IPv6 literals in brackets).
    private func target() throws -> (host: String, port: UInt16) {
        guard url.hasPrefix("http://") else {
            throw ValidationError("--url must start with http:// (e.g. http://127.0.0.1:8080)")
        }
        var authority = url.dropFirst("http://".count)
        if let slash = authority.firstIndex(of: "/") { authority = authority[..<slash] }
        var host = authority
        var port: UInt16 = 80
        if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
            guard let parsed = UInt16(authority[authority.index(after: colon)...]) else {
                throw ValidationError("--url has an invalid port: \(url)")
            }
            host = authority[..<colon]
            port = parsed
        }
        return (String(host), port)
    }

    func run() throws {
        let (host, port) = try target()
        let deadline = ContinuousClock.now + .milliseconds(Int(wait * 1000))
        var lastProblem = ""
        repeat {
            do {
                let address = try SocketAddress(host: host, port: port)
                let socket = try ClientSocket(connectingTo: address, timeout: .milliseconds(Int(timeout * 1000)))
                let request = "GET /__admin/health HTTP/1.1\r\nHost: \(host):\(port)\r\nConnection: close\r\n\r\n"
                try socket.send(Array(request.utf8))
                let response = String(decoding: try socket.receiveAll(), as: UTF8.self)
                if response.hasPrefix("HTTP/1.1 200 ") {
                    Console.out("ready: \(url)")
                    return
                }
                lastProblem = "answered \(response.prefix { !$0.isNewline })"
            } catch {
                lastProblem = "\(error)"
            }
            if ContinuousClock.now < deadline { usleep(50_000) }
        } while ContinuousClock.now < deadline
        Console.error("gateway-mock healthcheck: \(url) is not ready: \(lastProblem)")
        throw ExitCode(1)
    }
}
