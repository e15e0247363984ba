import Foundation
import MockHTTP
import TestSupport
import Testing

@testable import GatewayMock

/// The index's curl commands: for the address the client used (`Host`, an absolute-form target's
/// authority, TLS), and quoted so that a shell runs curl with exactly those arguments, whatever the
/// authority or the keys hold.
@Suite struct IndexPageTests {
    /// The curl commands of the index answered to `request`.
    static func commands(_ router: TestRouter, _ request: HTTPRequest) throws -> [String] {
        let index = try #require(try router.respond(request).json() as? [String: Any])
        let endpoints = try #require(index["endpoints"] as? [[String: String]])
        return endpoints.compactMap { $0["curl"] }
    }

    /// The first command (`GET /api/v1/workspaces`) of the index answered to `GET /` with these headers.
    static func firstCommand(
        headers: [(String, String)], targetAuthority: String? = nil, overTLS: Bool = false, router: TestRouter? = nil
    ) throws -> String {
        var request = HTTPRequest.make(target: "/", headers: headers)
        request.targetAuthority = targetAuthority
        request.receivedOverTLS = overTLS
        return try #require(try commands(router ?? TestRouter(), request).first)
    }

    /// The arguments a POSIX shell passes to curl for `command`: it runs with `printf` in curl's place.
    static func shellArguments(_ command: String) throws -> [String] {
        let process = ChildProcess()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", #"printf '%s\n' "# + command.dropFirst("curl ".count)]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readAllBytes()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    static let listing = "/api/v1/workspaces?offset=0&limit=5"
    static let key = "Authorization: Bearer \(DefaultKeys.openRouterManagement)"

    @Test func theHostIsUsedAsSentIPv6BracketsIncluded() throws {
        #expect(
            try Self.firstCommand(headers: [("Host", "[::1]:8080")])
                == "curl -H '\(Self.key)' 'http://[::1]:8080\(Self.listing)'")
        #expect(
            try Self.firstCommand(headers: [("Host", "mock.internal")])
                == "curl -H '\(Self.key)' 'http://mock.internal\(Self.listing)'")
    }

    /// RFC 3986 allows `'`, `$`, `(`, `)`, `;`, `&` in a host name: they are quoted, and a shell passes
    /// them to curl as text.
    @Test(arguments: ["h$(touch.pwned)", "x';touch.pwned;'", "a&b;c=$HOME", "'", "(x)*+,!~"])
    func aHostWithShellCharactersStaysOneQuotedArgument(host: String) throws {
        #expect(URIAuthority.isValid(host))
        let command = try Self.firstCommand(headers: [("Host", host)])
        let url = "http://\(host)\(Self.listing)"
        #expect(command == "curl -H '\(Self.key)' \(ShellQuoting.quoted(url))")
        #expect(try Self.shellArguments(command) == ["-H", Self.key, url])
    }

    @Test func quotesInsideAHostAreClosedEscapedAndReopened() throws {
        #expect(
            try Self.firstCommand(headers: [("Host", "a'b")])
                == #"curl -H '\#(Self.key)' 'http://a'\''b\#(Self.listing)'"#)
    }

    /// The parser answers 400 to such a `Host`; a request built without it still never puts one in a command.
    @Test(arguments: ["a b", "h`id`", "x\"y", "a\\b", "evil.example/x?", "user@host", "zoë"])
    func anInvalidAuthorityGivesThePlaceholder(host: String) throws {
        let command = try Self.firstCommand(headers: [("Host", host)])
        #expect(command == "curl -H '\(Self.key)' 'http://<host:port>\(Self.listing)'")
    }

    /// An HTTP/1.0 request may come without `Host` (or with an empty one): the commands name a placeholder.
    @Test func noHostGivesThePlaceholder() throws {
        let request = HTTPRequest(method: "GET", target: "/", minorVersion: 0)
        let command = try #require(try Self.commands(TestRouter(), request).first)
        #expect(command == "curl -H '\(Self.key)' 'http://<host:port>\(Self.listing)'")
        #expect(
            try Self.firstCommand(headers: [("Host", "")])
                == "curl -H '\(Self.key)' 'http://<host:port>\(Self.listing)'")
    }

    /// RFC 9112 §3.2.2: an absolute-form target's authority, not `Host`, is the address used.
    @Test func anAbsoluteFormTargetsAuthorityWinsOverHost() throws {
        #expect(
            try Self.firstCommand(headers: [("Host", "ignored:1")], targetAuthority: "127.0.0.1:9999")
                == "curl -H '\(Self.key)' 'http://127.0.0.1:9999\(Self.listing)'")
    }

    @Test func aRequestOverTLSGetsHTTPSCommands() throws {
        let commands = try Self.commands(
            TestRouter(),
            {
                var request = HTTPRequest.make(target: "/", headers: [("Host", "localhost:8443")])
                request.receivedOverTLS = true
                return request
            }())
        #expect(commands.count == 24)
        #expect(commands.allSatisfy { $0.contains(" 'https://localhost:8443/") })
    }

    /// Keys are visible ASCII, so `'` may be one of their characters: the key header is quoted too.
    @Test func aKeyWithAQuoteIsQuoted() throws {
        let router = try TestRouter()
        let keys = #"{"openrouter":{"management":["it's"]},"portkey":{"admin":["$(id)"]}}"#
        #expect(router.admin("PUT", "/__admin/seed/keys", body: keys).code == 200)
        let commands = try Self.commands(router, .make(target: "/", headers: [("Host", "localhost")]))
        #expect(commands[0] == #"curl -H 'Authorization: Bearer it'\''s' 'http://localhost\#(Self.listing)'"#)
        #expect(
            try Self.shellArguments(commands[0]) == [
                "-H", "Authorization: Bearer it's", "http://localhost\(Self.listing)",
            ])
        let portkey = try #require(commands.first { $0.contains("x-portkey-api-key") })
        #expect(try Self.shellArguments(portkey).prefix(2) == ["-H", "x-portkey-api-key: $(id)"])
    }

    /// Every command of the index, bodies included, reaches curl as the arguments it was built from.
    @Test func everyCommandSplitsIntoTheArgumentsItWasBuiltFrom() throws {
        for command in try Self.commands(TestRouter(), .make(target: "/", headers: [("Host", "a'b:1")])) {
            let arguments = try Self.shellArguments(command)
            #expect(arguments.last?.hasPrefix("http://a'b:1/") == true, "\(command)")
            #expect(arguments.contains("-H"), "\(command)")
            if let data = arguments.firstIndex(of: "-d") { #expect(arguments[data + 1].hasPrefix("{"), "\(command)") }
        }
    }
}
