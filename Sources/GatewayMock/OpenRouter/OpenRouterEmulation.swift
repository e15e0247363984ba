import MockHTTP

/// OpenRouter's management API: `Authorization: Bearer <management key>` and errors shaped
/// `{"error":{"code":N,"message":"…"}}`, with the messages of the vendor's OpenAPI document.
struct OpenRouterEmulation: VendorEmulation {
    let name = "openrouter"

    func authenticate(_ request: HTTPRequest, keys: APIKeys) throws(VendorError) {
        guard let key = Self.bearerToken(request.headers["Authorization"]) else { throw .missingKey }
        switch keys.openRouterRole(of: key) {
        case .admin: return
        case .limited: throw .forbidden
        case nil: throw .invalidKey
        }
    }

    /// The token of `Bearer <token>` (scheme case-insensitive), nil when absent or empty.
    static func bearerToken(_ header: String?) -> String? {
        guard let header else { return nil }
        let text = header.trimmingASCIIWhitespace()
        guard let space = text.utf8.firstIndex(of: UInt8(ascii: " ")),
            text[..<space].equalsIgnoringASCIICase("Bearer")
        else { return nil }
        let token = text[space...].trimmingASCIIWhitespace()
        return token.isEmpty ? nil : String(token)
    }

    func response(for error: VendorError) -> HTTPResponse {
        let message: String
        var metadata: String?
        switch error {
        case .missingKey: message = "Missing Authentication header"
        case .invalidKey: message = "Invalid credentials"
        case .forbidden: message = "Only management keys can perform this operation"
        case .badRequest(let problem):
            message = "Invalid request parameters"
            metadata = problem.map {
                #"{"parameter":\#(JSONString.quoted($0.parameter)),"value":\#(JSONString.quoted($0.value)),"reason":\#(JSONString.quoted($0.reason))}"#
            }
        case .notFound: message = "Resource not found"
        case .methodNotAllowed: message = "Method Not Allowed"
        case .rateLimited: message = "Rate limit exceeded"
        case .internalError: message = "Internal Server Error"
        }
        let code = error.status.code
        let body =
            if let metadata {
                #"{"error":{"code":\#(code),"message":\#(JSONString.quoted(message)),"metadata":\#(metadata)}}"#
            } else {
                #"{"error":{"code":\#(code),"message":\#(JSONString.quoted(message))}}"#
            }
        return .json(error.status, Array(body.utf8))
    }

    // MARK: - GET /api/v1/workspaces

    /// One page of workspaces in creation order: `{"data":[…],"total_count":N}`.
    func listWorkspaces(_ request: HTTPRequest, store: SeedStore) throws(VendorError) -> HTTPResponse {
        let query = request.query
        let offset = try query.integer(
            ["offset"], in: 0...Int.max, default: 0, requirement: "must be an integer of 0 or more",
            treatingAsAbsent: ["null"])
        let limit = try query.integer(
            ["limit"], in: 1...100, default: 50, requirement: "must be an integer from 1 to 100")
        let catalog = store.openRouterWorkspaces
        let count = catalog.records.count
        let start = min(offset, count)
        let page = catalog.page(
            start..<min(start + limit, count), prefix: #"{"data":["#, suffix: #"],"total_count":\#(count)}"#)
        return .json(.ok, page)
    }
}
