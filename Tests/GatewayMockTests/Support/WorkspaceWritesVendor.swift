import MockHTTP

@testable import GatewayMock

/// OpenRouter with a few write routes of its own, for tests of what the control plane does with writes
/// (fault rules matching a method and path, journaled bodies and routes) that do not depend on the real
/// write handlers: OpenRouter's keys, error envelope and listing (`GET /api/v1/workspaces`), plus rows
/// whose handlers answer `{"route":"<method> <pattern>","id":"<id>"}` (200) whatever the request says.
struct WorkspaceWritesVendor: VendorEmulation {
    private let openRouter = OpenRouterEmulation()
    var vendor: Vendor { openRouter.vendor }
    var pathPrefix: String { openRouter.pathPrefix }
    let routes: RouteTable<VendorContext, VendorError>

    init() {
        let listing = openRouter.routes.routes.filter {
            $0.method == "GET" && $0.pattern.description == "/api/v1/workspaces"
        }
        routes = RouteTable(
            listing + [
                Self.echo("POST", "/api/v1/workspaces"),
                Self.echo("GET", "/api/v1/workspaces/{id}"),
                Self.echo("PATCH", "/api/v1/workspaces/{id}"),
                Self.echo("DELETE", "/api/v1/workspaces/{id}"),
                Self.echo("GET", "/api/v1/workspaces/{id}/members"),
                Self.echo("DELETE", "/api/v1/workspaces/{id}/budgets/{interval}"),
            ])
    }

    /// A row that answers 200 `{"route":"DELETE /api/v1/workspaces/{id}","id":"abc"}` (`"id":null` without one).
    static func echo(_ method: String, _ pattern: String) -> Route<VendorContext, VendorError> {
        Route(method, pattern) { (_, context) throws(VendorError) in
            .json(
                .ok,
                [
                    "route": .string("\(method) \(pattern)"),
                    "id": .optional(context.parameters["id"].map(JSONValue.string)),
                ])
        }
    }

    func authenticate(_ request: HTTPRequest, keys: APIKeys) throws(VendorError) {
        try openRouter.authenticate(request, keys: keys)
    }

    func response(for error: VendorError) -> HTTPResponse {
        openRouter.response(for: error)
    }

    func exampleKeyHeader(keys: APIKeys) -> String {
        openRouter.exampleKeyHeader(keys: keys)
    }
}
