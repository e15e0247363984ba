import MockHTTP

/// Portkey's admin API: the `x-portkey-api-key` header and errors shaped
/// `{"success":false,"data":{"message":"…","errorCode":"ABnn"}}` with Portkey's documented codes
/// (AB01 validation, AB03 forbidden, AB04 internal, AB05 unauthorised, AB06 rate limit, AB08 not found).
struct PortkeyEmulation: VendorEmulation {
    let vendor = Vendor.portkey
    let pathPrefix = "v1"

    let routes = RouteTable<VendorContext, VendorError>([
        Route("GET", "/v1/admin/workspaces", example: "?page_size=5&current_page=0", listWorkspaces)
    ])

    func authenticate(_ request: HTTPRequest, keys: APIKeys) throws(VendorError) {
        guard let key = request.headers["x-portkey-api-key"]?.trimmingASCIIWhitespace(), !key.isEmpty else {
            throw .missingKey
        }
        switch keys.portkeyRole(of: String(key)) {
        case .admin: return
        case .limited: throw .forbidden
        case nil: throw .invalidKey
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
            case .invalidRequest(let message): (message, "AB01")
            case .notFound: ("Not Found", "AB08")
            case .resourceNotFound(let message): (message, "AB08")
            case .refused(let message): (message, "AB03")
            case .methodNotAllowed: ("Method Not Allowed", "AB01")
            case .rateLimited: ("Too many requests, please try again later", "AB06")
            case .internalError: ("Internal Server Error", "AB04")
            }
        return ErrorEnvelope.portkey(error.status, message, errorCode: code)
    }

    func curlHeader(keys: APIKeys) -> String { "-H 'x-portkey-api-key: \(keys.portkeyAdmin.first ?? "<admin key>")'" }

    // MARK: - GET /v1/admin/workspaces

    /// One page of the filtered workspaces: `{"total":N,"object":"list","data":[…]}`, `total` counting
    /// every workspace that passes the filters.
    @Sendable static func listWorkspaces(_ request: HTTPRequest, _ context: VendorContext) throws(VendorError)
        -> HTTPResponse
    {
        let query = request.query
        // The official Python SDK sends camelCase and may send the literal None.
        let absent = ["None", "null"]
        let pageSize = try query.integer(
            ["page_size", "pageSize"], in: 1...Int.max, default: 50, requirement: "must be a positive integer",
            treatingAsAbsent: absent)
        let currentPage = try query.integer(
            ["current_page", "currentPage"], in: 0...Int.max, default: 0,
            requirement: "must be an integer of 0 or more",
            treatingAsAbsent: absent)
        let name = try query.singleValue(of: ["name"])
        let exactName = try query.singleValue(of: ["exact_name"])
        let statuses = try Self.statuses(query.singleValue(of: ["status"]))

        return context.namespace.read { store in
            let catalog = store.portkeyWorkspaces
            if name == nil, exactName == nil, statuses == nil {
                // Unfiltered: a gather of the page's records.
                let from = Self.pageStart(page: currentPage, size: pageSize, count: catalog.count)
                return .json(
                    .ok,
                    catalog.page(
                        offset: from, limit: pageSize, prefix: #"{"total":\#(catalog.count),"object":"list","data":["#,
                        suffix: "]}"))
            }
            // Filtered: a walk over every record (O(n) under the namespace's lock).
            let matching = catalog.all.filter { record in
                (name.map { record.name.contains($0) } ?? true) && (exactName.map { record.name == $0 } ?? true)
                    && (statuses.map { record.status.map($0.contains) ?? false } ?? true)
            }
            let from = Self.pageStart(page: currentPage, size: pageSize, count: matching.count)
            return .json(
                .ok,
                .list(
                    matching[from..<(from + min(pageSize, matching.count - from))],
                    prefix: #"{"total":\#(matching.count),"object":"list","data":["#, suffix: "]}"))
        }
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
