import Logging
import MockHTTP
import Testing

@testable import GatewayMock

/// 404 vs 405, `Allow`, `OPTIONS`, `HEAD` and the index page all come from the one table: adding a row
/// changes every one of them, through the whole router, with no other edit.
@Suite struct RouteTableTests {
    /// A vendor whose table the test writes: `/test/…`, errors in the `{"error":{…}}` envelope.
    struct TableVendor: VendorEmulation {
        let vendor = Vendor.openrouter
        let pathPrefix = "test"
        let routes: RouteTable<VendorContext, VendorError>

        func authenticate(_ request: HTTPRequest, keys: APIKeys) throws(VendorError) {}
        func response(for error: VendorError) -> HTTPResponse {
            ErrorEnvelope.codeAndMessage(error.status, error.description)
        }
        func exampleKeyHeader(keys: APIKeys) -> String { "Test: yes" }
    }

    static let listThings = Route<VendorContext, VendorError>("GET", "/test/things") { _, _ in
        .json(.ok, ["things": []])
    }
    static let getThing = Route<VendorContext, VendorError>("GET", "/test/things/{id}") { _, context in
        .json(.ok, ["id": .string(context.parameters["id"] ?? "")])
    }

    static func router(_ routes: [Route<VendorContext, VendorError>]) throws -> GatewayRouter {
        GatewayRouter(
            state: MockState(store: try SeedStore.load(from: .embedded)),
            vendors: [TableVendor(routes: RouteTable(routes))], adminEnabled: true, accessLog: false,
            logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
    }

    static func send(_ router: GatewayRouter, _ method: String, _ target: String) -> HTTPResponse {
        router.respond(to: HTTPRequest(method: method, target: target, headers: HTTPHeaders([("Host", "localhost")])))
    }

    static func text(_ response: HTTPResponse) -> String { String(decoding: response.body.bytes, as: UTF8.self) }

    @Test func addingOneRowChanges404Into405AllowOptionsHeadAndTheIndex() throws {
        let before = try Self.router([Self.listThings])
        let after = try Self.router([Self.listThings, Self.getThing])

        // 404 before; the new row answers after, with its parameter decoded.
        #expect(Self.send(before, "GET", "/test/things/a%2Fb").status.code == 404)
        let get = Self.send(after, "GET", "/test/things/a%2Fb")
        #expect(get.status.code == 200)
        #expect(Self.text(get) == #"{"id":"a/b"}"#)
        // HEAD is served by the GET handler (the connection drops the body).
        #expect(Self.send(before, "HEAD", "/test/things/x").status.code == 404)
        #expect(Self.text(Self.send(after, "HEAD", "/test/things/x")) == #"{"id":"x"}"#)

        // Another method: 404 before, 405 with the derived Allow after.
        #expect(Self.send(before, "DELETE", "/test/things/x").status.code == 404)
        let delete = Self.send(after, "DELETE", "/test/things/x")
        #expect(delete.status.code == 405)
        #expect(delete.headers["Allow"] == "GET, HEAD, OPTIONS")

        // OPTIONS: 404 before, 204 with Allow after.
        #expect(Self.send(before, "OPTIONS", "/test/things/x").status.code == 404)
        let options = Self.send(after, "OPTIONS", "/test/things/x")
        #expect(options.status.code == 204)
        #expect(options.headers["Allow"] == "GET, HEAD, OPTIONS")

        // The index lists the new endpoint.
        let paths = { (router: GatewayRouter) -> [String] in
            let index = try? JSONParser.parse(Self.send(router, "GET", "/").body.bytes)
            guard case .array(let endpoints)? = index?["endpoints"] else { return [] }
            return endpoints.compactMap { $0["path"]?.stringValue }
        }
        #expect(paths(before) == ["/test/things"])
        #expect(paths(after) == ["/test/things", "/test/things/{id}"])
    }

    static func ok(_ method: String, _ pattern: String) -> Route<Void, VendorError> {
        Route(method, pattern) { (_, _) throws(VendorError) in HTTPResponse(status: .ok) }
    }

    @Test func allowListsTableMethodsInOrderWithDerivedHeadAndOptions() {
        let table = RouteTable<Void, VendorError>([
            Self.ok("GET", "/w"),
            Self.ok("POST", "/w"),
            Self.ok("DELETE", "/w/{id}"),
        ])
        #expect(table.allowedMethods(RequestPath("/w")) == ["GET", "HEAD", "POST", "OPTIONS"])
        #expect(table.allowedMethods(RequestPath("/w/1")) == ["DELETE", "OPTIONS"])
        #expect(table.allowedMethods(RequestPath("/x")) == [])
        guard case .methodNotAllowed(let allowed) = table.resolve(method: "HEAD", path: RequestPath("/w/1")) else {
            Issue.record("HEAD without a GET row must be a 405")
            return
        }
        #expect(allowed == ["DELETE", "OPTIONS"])
        #expect(
            table.endpoints.map { "\($0.methods.joined(separator: "|")) \($0.pattern)" } == [
                "GET|POST /w", "DELETE /w/{id}",
            ])
    }

    @Test func aTableThatDoesNotAnswerOptionsLeavesItOutOfAllow() {
        let table = RouteTable<Void, VendorError>([Self.ok("GET", "/a"), Self.ok("POST", "/b")], answersOPTIONS: false)
        #expect(table.allowedMethods(RequestPath("/a")) == ["GET", "HEAD"])
        #expect(table.allowedMethods(RequestPath("/b")) == ["POST"])
        guard case .methodNotAllowed(let allowed) = table.resolve(method: "OPTIONS", path: RequestPath("/a")) else {
            Issue.record("OPTIONS must be a 405 when the table does not answer it")
            return
        }
        #expect(allowed == ["GET", "HEAD"])
        #expect(table.endpoints.map(\.methods) == [["GET"], ["POST"]])
    }
}
