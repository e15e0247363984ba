import MockHTTP

/// `GET /`: what this server is and how to try it, for people running it by hand: both vendor endpoints
/// with a ready curl command (using the keys currently in force) and the control-plane endpoints.
enum IndexPage {
    static let adminEndpoints = [
        "GET /__admin/health", "POST /__admin/reset",
        "GET|PUT /__admin/seed/openrouter/workspaces", "GET|PUT /__admin/seed/portkey/workspaces",
        "GET|PUT /__admin/seed/keys", "GET|POST|DELETE /__admin/faults", "DELETE /__admin/faults/{id}",
        "GET|DELETE /__admin/requests",
    ]

    static func response(for request: HTTPRequest, keys: APIKeys) -> HTTPResponse {
        let host = request.headers["Host"] ?? "localhost"
        let base = "http://\(host)"
        let openRouterKey = keys.openRouterManagement.first ?? "<management key>"
        let portkeyKey = keys.portkeyAdmin.first ?? "<admin key>"
        let endpoints = [
            endpoint(
                vendor: "openrouter", path: "/api/v1/workspaces",
                curl: "curl -H 'Authorization: Bearer \(openRouterKey)' '\(base)/api/v1/workspaces?offset=0&limit=5'"),
            endpoint(
                vendor: "portkey", path: "/v1/admin/workspaces",
                curl:
                    "curl -H 'x-portkey-api-key: \(portkeyKey)' '\(base)/v1/admin/workspaces?page_size=5&current_page=0'"
            ),
        ]
        let body =
            #"{"name":"GatewayMock","version":"\#(GatewayMock.version)","endpoints":[\#(endpoints.joined(separator: ","))],"#
            + #""admin":[\#(adminEndpoints.map(JSONString.quoted).joined(separator: ","))]}"#
        return .json(.ok, Array(body.utf8))
    }

    private static func endpoint(vendor: String, path: String, curl: String) -> String {
        #"{"vendor":"\#(vendor)","method":"GET","path":"\#(path)","curl":\#(JSONString.quoted(curl))}"#
    }
}
