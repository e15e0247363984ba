import Logging
import MockHTTP
import TestSupport

@testable import GatewayMock

/// The mock's responder without a server, for the handler tier: a request value goes straight in and the
/// response value comes straight out — no socket, no thread (Hummingbird's `.router` test mode).
///
/// This is the one place that builds the responder: when its construction changes, only this file
/// changes. Each `TestRouter` has its own state (namespaces, fault rules, journals), so tests stay
/// independent; the embedded seed is loaded once and shared.
///
/// What the connection does is not here: it adds `Date`, `Content-Length` and `Connection`, leaves out
/// the body of an answer to `HEAD`, waits out `delay` and carries out `disposition`. Tests of those stay
/// end-to-end (Tests/EndToEndTests).
struct TestRouter: Sendable {
    /// The embedded seed store, loaded once for every test.
    private static let seed = Result { () throws(SeedError) in try SeedStore.load(from: .embedded) }

    /// A logger that drops everything.
    static let quietLogger = Logger(label: "gateway-mock-tests") { _ in SwiftLogNoOpLogHandler() }

    private let responder: any HTTPResponder
    /// The namespaces, their fault rules and the journals behind the responder.
    let state: MockState

    /// - Parameters:
    ///   - journalSize: requests each namespace's journal keeps (`--journal-size`).
    ///   - journalBytes: the byte budget of all journals together (`--journal-bytes`).
    ///   - maxNamespaces: namespaces that may exist besides the default one (`--max-namespaces`).
    ///   - adminEnabled: serve the control plane and the index page (`--no-admin` turns them off).
    ///   - cors: which other origins may call the vendor endpoints and use the control plane.
    ///   - maxCreatedWorkspaces: workspaces the API may create per namespace (`--max-created-workspaces`).
    ///   - accessLogger: where the access log goes (one line per request); nil for no access log.
    ///   - vendors: the vendor emulations to serve instead of the real two (e.g. `WorkspaceWritesVendor`).
    init(
        journalSize: Int = 1000, journalBytes: Int = MockState.defaultJournalBytes, maxNamespaces: Int = 256,
        maxCreatedWorkspaces: Int = 10_000, adminEnabled: Bool = true, cors: CORSPolicy = .allOrigins,
        accessLogger: Logger? = nil, vendors: [any VendorEmulation]? = nil
    ) throws {
        state = MockState(
            store: try Self.seed.get(), journalCapacity: journalSize, journalBytes: journalBytes,
            maxNamespaces: maxNamespaces, maxCreatedWorkspaces: maxCreatedWorkspaces)
        let logger = accessLogger ?? Self.quietLogger
        if let vendors {
            responder = GatewayRouter(
                state: state, vendors: vendors, adminEnabled: adminEnabled, cors: cors,
                accessLog: accessLogger != nil, logger: logger)
        } else {
            responder = GatewayRouter(
                state: state, adminEnabled: adminEnabled, cors: cors, accessLog: accessLogger != nil,
                logger: logger)
        }
    }

    /// The responder's answer to `request`.
    func respond(_ request: HTTPRequest) -> HTTPResponse {
        responder.respond(to: request)
    }

    /// Any request, built by `HTTPRequest.make` (so with `Host: localhost`).
    func request(
        _ target: String, method: String = "GET", headers: [(String, String)] = [], body: String? = nil
    ) -> HTTPResponse {
        respond(.make(method: method, target: target, headers: headers, body: body))
    }

    /// A control-plane call, optionally in a namespace (`X-Mock-Namespace`).
    func admin(_ method: String, _ path: String, body: String? = nil, namespace: String? = nil) -> HTTPResponse {
        request(path, method: method, headers: namespace.map { [("X-Mock-Namespace", $0)] } ?? [], body: body)
    }

    /// `GET /api/v1/workspaces` + `query`, with `Authorization: Bearer <key>` (when `key` is not nil) and then
    /// `headers`.
    func openRouter(
        _ query: String = "", key: String? = DefaultKeys.openRouterManagement, headers: [(String, String)] = [],
        method: String = "GET"
    ) -> HTTPResponse {
        let authorization = key.map { [("Authorization", "Bearer \($0)")] } ?? []
        return request("/api/v1/workspaces" + query, method: method, headers: authorization + headers)
    }

    /// Any OpenRouter call: `method` on `/api/v1` + `path` with the management key (or `key`), a JSON
    /// `body`, in `namespace` when given.
    func openRouter(
        _ method: String, _ path: String, body: String? = nil, key: String = DefaultKeys.openRouterManagement,
        namespace: String? = nil
    ) -> HTTPResponse {
        let headers = [("Authorization", "Bearer \(key)")] + (namespace.map { [("X-Mock-Namespace", $0)] } ?? [])
        return request("/api/v1" + path, method: method, headers: headers, body: body)
    }

    /// Any Portkey call: `method` on `/v1` + `path` with the admin key (or `key`), a JSON `body`, in
    /// `namespace` when given.
    func portkey(
        _ method: String, _ path: String, body: String? = nil, key: String = DefaultKeys.portkeyAdmin,
        namespace: String? = nil
    ) -> HTTPResponse {
        let headers = [("x-portkey-api-key", key)] + (namespace.map { [("X-Mock-Namespace", $0)] } ?? [])
        return request("/v1" + path, method: method, headers: headers, body: body)
    }

    /// `GET /v1/admin/workspaces` + `query`, with `x-portkey-api-key: <key>` (when `key` is not nil) and then
    /// `headers`.
    func portkey(
        _ query: String = "", key: String? = DefaultKeys.portkeyAdmin, headers: [(String, String)] = [],
        method: String = "GET"
    ) -> HTTPResponse {
        let apiKey = key.map { [("x-portkey-api-key", $0)] } ?? []
        return request("/v1/admin/workspaces" + query, method: method, headers: apiKey + headers)
    }
}
