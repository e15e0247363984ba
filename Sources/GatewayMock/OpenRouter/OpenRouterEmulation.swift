import MockHTTP

/// OpenRouter's management API: `Authorization: Bearer <management key>` and errors shaped
/// `{"error":{"code":N,"message":"…"}}`, with the messages of the vendor's OpenAPI document.
struct OpenRouterEmulation: VendorEmulation {
    let vendor = Vendor.openrouter
    let pathPrefix = "api"

    let routes = RouteTable<VendorContext, VendorError>([
        Route("GET", "/api/v1/workspaces", example: "?offset=0&limit=5", listWorkspaces)
    ])

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
        let message =
            switch error {
            case .missingKey: "Missing Authentication header"
            case .invalidKey: "Invalid credentials"
            case .forbidden: "Only management keys can perform this operation"
            case .badRequest: "Invalid request parameters"
            case .notFound: "Resource not found"
            case .methodNotAllowed: "Method Not Allowed"
            case .rateLimited: "Rate limit exceeded"
            case .internalError: "Internal Server Error"
            }
        var metadata: JSONValue?
        if case .badRequest(let problem?) = error {
            metadata = [
                "parameter": .string(problem.parameter), "value": .string(problem.value),
                "reason": .string(problem.reason),
            ]
        }
        return ErrorEnvelope.codeAndMessage(error.status, message, metadata: metadata)
    }

    func curlHeader(keys: APIKeys) -> String {
        "-H 'Authorization: Bearer \(keys.openRouterManagement.first ?? "<management key>")'"
    }

    // MARK: - GET /api/v1/workspaces

    /// One page of workspaces in creation order: `{"data":[…],"total_count":N}`.
    @Sendable static func listWorkspaces(_ request: HTTPRequest, _ context: VendorContext) throws(VendorError)
        -> HTTPResponse
    {
        let query = request.query
        let offset = try query.integer(
            ["offset"], in: 0...Int.max, default: 0, requirement: "must be an integer of 0 or more",
            treatingAsAbsent: ["null"])
        let limit = try query.integer(
            ["limit"], in: 1...100, default: 50, requirement: "must be an integer from 1 to 100")
        let catalog = context.store.openRouterWorkspaces
        let count = catalog.records.count
        let start = min(offset, count)
        let page = catalog.page(
            start..<min(start + limit, count), prefix: #"{"data":["#, suffix: #"],"total_count":\#(count)}"#)
        return .json(.ok, page)
    }
}
