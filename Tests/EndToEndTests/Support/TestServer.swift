import Foundation
import GatewayMock
import Logging

/// A logger that drops everything, so test output stays readable.
let quietLogger = Logger(label: "gateway-mock-tests") { _ in SwiftLogNoOpLogHandler() }

/// Starts a mock on a free port, runs `body`, and always stops it.
func withTestServer<T>(
    _ configuration: GatewayMock.Configuration = .init(), _ body: (GatewayMock) async throws -> T
) async throws -> T {
    let mock = try GatewayMock.start(configuration, logger: quietLogger)
    defer { mock.stop() }
    return try await body(mock)
}

extension GatewayMock {
    /// Sends one GET (or another method) on a fresh connection and reads the response.
    func request(
        _ target: String, method: String = "GET", headers: [String: String] = [:], body: String? = nil
    ) throws -> RawResponse {
        let client = try RawHTTPClient(port: port)
        var request = "\(method) \(target) HTTP/1.1\r\nHost: localhost\r\n"
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { request += "\(name): \(value)\r\n" }
        if let body { request += "Content-Length: \(body.utf8.count)\r\n" }
        request += "\r\n" + (body ?? "")
        try client.send(request)
        return try client.readResponse(bodyless: method == "HEAD")
    }

    /// A control-plane call, optionally in a namespace.
    func admin(_ method: String, _ path: String, body: String? = nil, namespace: String? = nil) throws -> RawResponse {
        try request(path, method: method, headers: namespace.map { ["X-Mock-Namespace": $0] } ?? [:], body: body)
    }

    func openRouter(
        _ query: String = "", key: String? = DefaultKeys.openRouterManagement, headers: [String: String] = [:]
    )
        throws -> RawResponse
    {
        var headers = headers
        if let key { headers["Authorization"] = "Bearer \(key)" }
        return try request("/api/v1/workspaces" + query, headers: headers)
    }

    func portkey(_ query: String = "", key: String? = DefaultKeys.portkeyAdmin, headers: [String: String] = [:])
        throws -> RawResponse
    {
        var headers = headers
        if let key { headers["x-portkey-api-key"] = key }
        return try request("/v1/admin/workspaces" + query, headers: headers)
    }
}

/// The keys of the default `seed-data/keys.json`, as the README documents them.
enum DefaultKeys {
    static let openRouterManagement = "sk-or-v1-mock-management"
    static let openRouterInference = "sk-or-v1-mock-inference"
    static let portkeyAdmin = "pk-mock-admin"
    static let portkeyWorkspace = "pk-mock-workspace"
}

/// The package's `seed-data/` directory, read with Foundation (independently of the server's loader).
enum SeedFiles {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("seed-data")

    static func records(_ file: String) throws -> [[String: Any]] {
        let data = try Data(contentsOf: directory.appendingPathComponent(file))
        return try JSONSerialization.jsonObject(with: data) as! [[String: Any]]
    }

    static var openRouter: [[String: Any]] { get throws { try records("openrouter/workspaces.json") } }
    static var portkey: [[String: Any]] { get throws { try records("portkey/workspaces.json") } }
}
