import MockHTTP

/// Portkey's admin API: the `x-portkey-api-key` header and errors shaped
/// `{"success":false,"data":{"message":"…","errorCode":"ABnn"}}` with Portkey's documented codes
/// (AB01 validation, AB03 forbidden, AB04 internal, AB05 unauthorised, AB06 rate limit, AB08 not found).
struct PortkeyEmulation: VendorEmulation {
    let vendor = Vendor.portkey
    let pathPrefix = "v1"

    let routes = RouteTable<VendorContext, VendorError>([
        Route("GET", "/v1/admin/workspaces", example: "?page_size=5&current_page=0", listWorkspaces),
        Route("POST", "/v1/admin/workspaces", example: .body(#"{"name":"Launch Prep"}"#), createWorkspace),
        Route(
            "GET", "/v1/admin/workspaces/{workspaceId}", example: .path("/v1/admin/workspaces/ws-production-ab8e18"),
            retrieveWorkspace),
        Route(
            "PUT", "/v1/admin/workspaces/{workspaceId}",
            example: .path("/v1/admin/workspaces/ws-onboarding-a4963c", body: #"{"description":"New hires"}"#),
            updateWorkspace),
        Route(
            "DELETE", "/v1/admin/workspaces/{workspaceId}",
            example: .path("/v1/admin/workspaces/ws-onboarding-a4963c", body: #"{"force_delete":true}"#),
            deleteWorkspace),
        Route(
            "POST", "/v1/admin/workspaces/{workspaceId}/users",
            example: .path(
                "/v1/admin/workspaces/ws-production-ab8e18/users",
                body: #"{"users":[{"id":"9f625fc3-fe7c-5ca7-992b-db5c98ebdbb7","role":"admin"}]}"#),
            addMembers),
        Route(
            "GET", "/v1/admin/workspaces/{workspaceId}/users",
            example: .path("/v1/admin/workspaces/ws-production-ab8e18/users", query: "?page_size=5&current_page=0"),
            listMembers),
        Route(
            "GET", "/v1/admin/workspaces/{workspaceId}/users/{userId}",
            example: .path("/v1/admin/workspaces/ws-production-ab8e18/users/9f625fc3-fe7c-5ca7-992b-db5c98ebdbb7"),
            retrieveMember),
        Route(
            "PUT", "/v1/admin/workspaces/{workspaceId}/users/{userId}",
            example: .path(
                "/v1/admin/workspaces/ws-production-ab8e18/users/9f625fc3-fe7c-5ca7-992b-db5c98ebdbb7",
                body: #"{"role":"admin"}"#),
            updateMember),
        Route(
            "DELETE", "/v1/admin/workspaces/{workspaceId}/users/{userId}",
            example: .path(
                "/v1/admin/workspaces/ws-production-ab8e18/users/9f625fc3-fe7c-5ca7-992b-db5c98ebdbb7"),
            removeMember),
        Route("GET", "/v1/admin/users", example: "?pageSize=5&currentPage=0", listUsers),
    ])

    func authenticate(_ request: HTTPRequest, keys: APIKeys) throws(VendorError) {
        // The key trimmed and looked up on the header's bytes in place: every request comes through here.
        // (nil: no header or an empty one; nil?: no known key.)
        let role: APIKeys.Role?? =
            request.headers.withFirstValue(for: "x-portkey-api-key") { bytes -> APIKeys.Role?? in
                let key = bytes.trimmingASCIIWhitespace(bytes.indices)
                return key.isEmpty ? nil : keys.portkeyRole(of: UnsafeBufferPointer(rebasing: bytes[key]))
            } ?? nil
        switch role {
        case nil: throw .missingKey
        case .admin?: return
        case .limited?: throw .forbidden
        case nil?: throw .invalidKey
        }
    }

    func response(for error: VendorError) -> HTTPResponse {
        let (message, code): (String, String) =
            switch error {
            case .missingKey, .invalidKey: ("Unauthorised Request", "AB05")
            case .forbidden: ("You do not have enough permissions to execute this request", "AB03")
            case .badRequest(let problem?):
                (
                    "Invalid value for \(problem.parameter): \(problem.reason) (got \(JSONString.quoted(problem.value)))",
                    "AB01"
                )
            case .badRequest(nil): ("Invalid request", "AB01")
            case .repeatedParameter(let repeated): (repeated.message, "AB01")
            case .invalidRequest(let message): (message, "AB01")
            case .notFound: ("Not Found", "AB08")
            case .resourceNotFound(let message): (message, "AB08")
            case .refused(let message): (message, "AB03")
            case .conflict(let message): (message, "AB07")
            case .methodNotAllowed: ("Method Not Allowed", "AB01")
            case .rateLimited: ("Too many requests, please try again later", "AB06")
            case .internalError: ("Internal Server Error", "AB04")
            }
        var response = ErrorEnvelope.portkey(error.status, message, errorCode: code)
        if error.status == .unauthorized { response.headers.add(name: "WWW-Authenticate", value: Self.challenge) }
        return response
    }

    /// The `WWW-Authenticate` challenge on every 401 (RFC 9110 §11.6.1 requires one; without it, JDK's
    /// `HttpClient` with an `Authenticator` throws instead of returning the response). Portkey's key
    /// travels in its own header, not in `Authorization`, so no registered scheme fits; the challenge's
    /// scheme is the header's name, a valid auth-scheme token (RFC 9110 §11.1: `-` is a tchar), so the
    /// 401 itself says which header to send, with a realm as OpenRouter's challenge has. (Rather than
    /// `ApiKey header="…"`: `ApiKey` is not registered either, and APIs use it with different meanings.)
    /// Whether Portkey itself sends a challenge is not documented.
    static let challenge = #"x-portkey-api-key realm="Portkey""#

    func exampleKeyHeader(keys: APIKeys) -> String { "x-portkey-api-key: \(keys.portkeyAdmin.first ?? "<admin key>")" }

    // MARK: - GET /v1/admin/workspaces

    /// One page of the filtered workspaces: `{"total":N,"object":"list","data":[…]}`, `total` counting
    /// every workspace that passes the filters.
    @Sendable static func listWorkspaces(_ request: HTTPRequest, _ context: VendorContext) throws(VendorError)
        -> HTTPResponse
    {
        let query = request.query
        let (pageSize, currentPage) = try paging(query)
        let name = try query.singleValue(of: ["name"])
        let exactName = try query.singleValue(of: ["exact_name"])
        let statuses = try Self.statuses(query.singleValue(of: ["status"], takesList: true))

        return context.namespace.read { store in
            let catalog = store.portkey.workspaces
            if name == nil, exactName == nil, statuses == nil {
                // Unfiltered: a gather of the page's records.
                let from = Self.pageStart(page: currentPage, size: pageSize, count: catalog.count)
                return .json(.ok, catalog.page(offset: from, limit: pageSize, in: .portkey))
            }
            // Filtered: a walk over every record under the namespace's lock, copying only the page. Names
            // compare as UTF-8 bytes (case-sensitive, as the vendor's filter).
            let (offset, overflow) = currentPage.multipliedReportingOverflow(by: pageSize)
            let (count, page) = catalog.page(
                where: { record in
                    (name.map { record.name.containsBytes(of: $0) } ?? true)
                        && (exactName.map { record.name.utf8.elementsEqual($0.utf8) } ?? true)
                        && (statuses.map { record.status.map($0.contains) ?? false } ?? true)
                }, offset: overflow ? .max : offset, limit: pageSize)
            return .json(.ok, .list(page, in: .portkey, count: count))
        }
    }

    /// `page_size` (a positive integer, default 50) and `current_page` (0-based, default 0), each also
    /// spelled in camelCase: the paging of every Portkey list. The official Python SDK sends camelCase on
    /// the workspace and user lists, snake_case on the members list, and may send the literal `None`
    /// (it `urlencode`s a Python `None`), which counts as absent, as `null` does. Errors name the spelling
    /// the client used; both spellings with different values are a `RepeatedParameter`.
    static func paging(_ query: QueryParameters) throws(VendorError) -> (size: Int, page: Int) {
        let size = try query.integer(
            PagingNames.size, in: 1...Int.max, default: 50, requirement: "must be a positive integer",
            treatingAsAbsent: PagingNames.absent)
        let page = try query.integer(
            PagingNames.page, in: 0...Int.max, default: 0, requirement: "must be an integer of 0 or more",
            treatingAsAbsent: PagingNames.absent)
        return (size, page)
    }

    /// The paging parameters' names and the values that count as leaving them out, made once rather than
    /// for every list request.
    private enum PagingNames {
        static let size = ["page_size", "pageSize"]
        static let page = ["current_page", "currentPage"]
        static let absent = ["None", "null"]
    }

    /// `{"total":N,"object":"list","data":[…]}`: page `page` of `size` of `records`.
    static func list(_ records: [some EncodedRecord], size: Int, page: Int) -> HTTPResponse {
        let from = pageStart(page: page, size: size, count: records.count)
        return .json(
            .ok,
            .list(records[from..<(from + min(size, records.count - from))], in: .portkey, count: records.count))
    }

    /// Where page `page` of `size` starts among `count` items: at most `count` (an empty page), without
    /// overflowing for huge page numbers.
    static func pageStart(page: Int, size: Int, count: Int) -> Int {
        let (start, overflow) = page.multipliedReportingOverflow(by: size)
        return overflow ? count : min(start, count)
    }

    /// The statuses named in a comma-separated `status` value; nil means no status filter.
    static func statuses(_ value: String?) throws(VendorError) -> Set<String>? {
        guard let value else { return nil }
        let names = value.split(separator: ",").map { String($0.trimmingASCIIWhitespace()) }.filter { !$0.isEmpty }
        let known = Set(PortkeyWorkspaceStatus.allCases.map(\.rawValue))
        if let unknown = names.first(where: { !known.contains($0) }) {
            throw .badRequest(
                ParameterProblem(
                    parameter: "status", value: unknown, reason: "must be active, archived or both, comma separated"))
        }
        return names.isEmpty ? nil : Set(names)
    }
}

extension String {
    /// Whether `needle`'s UTF-8 bytes occur in this string's: a case-sensitive substring test on bytes, as
    /// a JavaScript `includes` on the vendor's side would be, without the cost of comparing Characters.
    func containsBytes(of needle: String) -> Bool {
        var haystack = self
        var needle = needle
        return haystack.withUTF8 { text in
            needle.withUTF8 { pattern in
                guard !pattern.isEmpty else { return true }
                guard pattern.count <= text.count else { return false }
                for start in 0...(text.count - pattern.count)
                where text[start] == pattern[0]
                    && text[start..<start + pattern.count].elementsEqual(pattern)
                {
                    return true
                }
                return false
            }
        }
    }
}
