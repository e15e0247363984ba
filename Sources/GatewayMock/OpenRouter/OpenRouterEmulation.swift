import MockHTTP

/// OpenRouter's management API: `Authorization: Bearer <management key>` and errors shaped
/// `{"error":{"code":N,"message":"…"}}`, with the messages of the vendor's OpenAPI document.
struct OpenRouterEmulation: VendorEmulation {
    let vendor = Vendor.openrouter
    let pathPrefix = "api"

    let routes = RouteTable<VendorContext, VendorError>([
        Route("GET", "/api/v1/workspaces", example: "?offset=0&limit=5", listWorkspaces),
        Route(
            "POST", "/api/v1/workspaces", example: .body(#"{"name":"Launch Prep","slug":"launch-prep"}"#),
            createWorkspace),
        Route("GET", "/api/v1/workspaces/{id}", example: .path("/api/v1/workspaces/production"), getWorkspace),
        Route(
            "PATCH", "/api/v1/workspaces/{id}",
            example: .path("/api/v1/workspaces/launch-prep", body: #"{"description":"Pre-release checks"}"#),
            updateWorkspace),
        Route("DELETE", "/api/v1/workspaces/{id}", example: .path("/api/v1/workspaces/launch-prep"), deleteWorkspace),
        Route(
            "GET", "/api/v1/workspaces/{id}/members",
            example: .path("/api/v1/workspaces/production/members", query: "?offset=0&limit=5"), listMembers),
        Route(
            "POST", "/api/v1/workspaces/{id}/members/add",
            example: .path("/api/v1/workspaces/staging/members/add", body: #"{"user_ids":["user_abc123"]}"#),
            addMembers),
        Route(
            "POST", "/api/v1/workspaces/{id}/members/remove",
            example: .path("/api/v1/workspaces/staging/members/remove", body: #"{"user_ids":["user_abc123"]}"#),
            removeMembers),
        Route(
            "GET", "/api/v1/workspaces/{id}/budgets", example: .path("/api/v1/workspaces/production/budgets"),
            listBudgets),
        Route(
            "GET", "/api/v1/workspaces/{id}/budgets/{interval}",
            example: .path("/api/v1/workspaces/support-internal/budgets/monthly"), getBudget),
        Route(
            "PUT", "/api/v1/workspaces/{id}/budgets/{interval}",
            example: .path("/api/v1/workspaces/staging/budgets/monthly", body: #"{"limit_usd":100}"#), setBudget),
        Route(
            "DELETE", "/api/v1/workspaces/{id}/budgets/{interval}",
            example: .path("/api/v1/workspaces/staging/budgets/monthly"), deleteBudget),
        Route("GET", "/api/v1/organization/members", example: "?offset=0&limit=5", listOrganizationMembers),
    ])

    func authenticate(_ request: HTTPRequest, keys: APIKeys) throws(VendorError) {
        // The token found and looked up on the header's bytes in place: every request comes through here.
        // (nil: no header or no token; nil?: a token of no known key.)
        let role: APIKeys.Role?? =
            request.headers.withFirstValue(for: "Authorization") { bytes in
                Self.bearerToken(in: bytes).map { keys.openRouterRole(of: UnsafeBufferPointer(rebasing: bytes[$0])) }
            } ?? nil
        switch role {
        case nil: throw .missingKey
        case .admin?: return
        case .limited?: throw .forbidden
        case nil?: throw .invalidKey
        }
    }

    /// Where the token of `Bearer <token>` (scheme case-insensitive) is in a header value's bytes, nil when
    /// the value has another form or an empty token.
    static func bearerToken(in bytes: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        let value = bytes.trimmingASCIIWhitespace(bytes.indices)
        // The scheme, `Bearer` in any case.
        guard let space = bytes[value].firstIndex(of: UInt8(ascii: " ")), space - value.lowerBound == 6,
            bytes.matchesIgnoringASCIICase("bearer", at: value.lowerBound)
        else { return nil }
        let token = bytes.trimmingASCIIWhitespace(space..<value.upperBound)
        return token.isEmpty ? nil : token
    }

    func response(for error: VendorError) -> HTTPResponse {
        let message =
            switch error {
            case .missingKey: "Missing Authentication header"
            case .invalidKey: "Invalid credentials"
            case .forbidden: "Only management keys can perform this operation"
            case .badRequest, .repeatedParameter: "Invalid request parameters"
            case .invalidRequest(let message), .resourceNotFound(let message), .refused(let message),
                .conflict(let message):
                message
            case .notFound: "Resource not found"
            case .methodNotAllowed: "Method Not Allowed"
            case .rateLimited: "Rate limit exceeded"
            case .internalError: "Internal Server Error"
            }
        var problem: ParameterProblem?
        switch error {
        case .badRequest(let refused?): problem = refused
        case .repeatedParameter(let repeated):
            // The value refused is the first that differs; the reason names every occurrence.
            problem = ParameterProblem(
                parameter: repeated.spellings[0], value: repeated.conflictingValue, reason: repeated.message)
        default: break
        }
        let metadata: JSONValue? = problem.map { problem in
            [
                "parameter": .string(problem.parameter), "value": .string(problem.value),
                "reason": .string(problem.reason),
            ]
        }
        var response = ErrorEnvelope.codeAndMessage(error.status, message, metadata: metadata)
        if let challenge = Self.challenge(for: error) {
            response.headers.add(name: "WWW-Authenticate", value: challenge)
        }
        return response
    }

    /// The `WWW-Authenticate` challenge that RFC 9110 §11.6.1 requires on a 401 (without it, JDK's
    /// `HttpClient` with an `Authenticator` throws instead of returning the response): the Bearer scheme of
    /// RFC 6750 §3 with the realm `OpenRouter`. A request with no usable Bearer token gets the bare
    /// challenge, as RFC 6750 §3.1 asks of a request that "lacks any authentication information"; a token
    /// the mock does not know adds `error="invalid_token"`, the code §3.1 defines for it. A forced 401
    /// (`Prefer: code=401`, a fault rule) answers as a missing key does. Whether OpenRouter itself sends a
    /// challenge is not documented; nil for every status but 401.
    static func challenge(for error: VendorError) -> String? {
        switch error {
        case .missingKey: #"Bearer realm="OpenRouter""#
        case .invalidKey: #"Bearer realm="OpenRouter", error="invalid_token""#
        default: nil
        }
    }

    func exampleKeyHeader(keys: APIKeys) -> String {
        "Authorization: Bearer \(keys.openRouterManagement.first ?? "<management key>")"
    }

    /// `offset` (0 or more, default 0; `null` counts as absent) and `limit` (1–100, default 50): the paging
    /// of every OpenRouter list.
    static func paging(_ query: QueryParameters) throws(VendorError) -> (offset: Int, limit: Int) {
        let offset = try query.integer(
            PagingNames.offset, in: 0...Int.max, default: 0, requirement: "must be an integer of 0 or more",
            treatingAsAbsent: PagingNames.absent)
        let limit = try query.integer(
            PagingNames.limit, in: 1...100, default: 50, requirement: "must be an integer from 1 to 100")
        return (offset, limit)
    }

    /// The paging parameters' names and the value that counts as leaving `offset` out, made once rather
    /// than for every list request.
    private enum PagingNames {
        static let offset = ["offset"]
        static let limit = ["limit"]
        static let absent = ["null"]
    }

    /// `{"data":<record>}` plus `extra` members (`,"include_byok_in_budgets":true`).
    static func data(_ record: some EncodedRecord, status: HTTPStatus = .ok, extra: String = "") -> HTTPResponse {
        .json(status, HTTPBody(parts: [Array(#"{"data":"#.utf8)[...], record.encoded, Array((extra + "}").utf8)[...]]))
    }

    /// `{"data":[…],"total_count":N}`: one page of a list.
    static func list(_ records: [some EncodedRecord], totalCount: Int) -> HTTPResponse {
        .json(.ok, .list(records, in: .openRouter, count: totalCount))
    }

    static let deleted = HTTPResponse.json(.ok, ["deleted": true])
}
