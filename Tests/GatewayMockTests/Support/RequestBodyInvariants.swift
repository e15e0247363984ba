// The invariants of the write operations' request bodies, in one copy shared by the fuzz harness and the
// regression tests: `scripts/fuzz.sh` compiles this file (with HTTPRequest+Mock.swift) into
// Tests/Fuzz/RequestBodyFuzzer (which traps on a violation), and SwiftPM compiles it into GatewayMockTests
// (RequestBodyFuzzRegressionTests.swift expects none). It therefore imports only GatewayMock, MockHTTP and
// Logging, not `@testable`, and drives the public `GatewayRouter.respond(to:)` as the server does. See
// Tests/Fuzz/README.md.

import GatewayMock
import Logging
import MockHTTP

/// The store every input starts from (`Tests/Fuzz/bodies-store/`, a small subset of `seed-data/`), and
/// what a fresh namespace of it shows, computed once.
struct RequestBodyFuzzFixture: Sendable {
    let store: SeedStore
    /// The control plane's view of a fresh namespace (`NamespaceSnapshot.paths`).
    let snapshot: NamespaceSnapshot
    /// The id each vendor's first create gets in a fresh namespace.
    let firstCreatedIDs: [Vendor: String]
    let logger = Logger(label: "request-body-fuzzer") { _ in SwiftLogNoOpLogHandler() }

    init(directory: String) throws(SeedError) {
        store = try SeedStore.load(from: .directory(directory))
        let router = GatewayRouter(state: MockState(store: store), accessLog: false, logger: logger)
        snapshot = NamespaceSnapshot(router)
        var ids: [Vendor: String] = [:]
        for vendor in Vendor.allCases { ids[vendor] = nextCreatedID(vendor, router, keys: store.keys) }
        firstCreatedIDs = ids
    }

    /// A router on a fresh copy of the store, as a new server would be.
    func makeRouter() -> GatewayRouter {
        GatewayRouter(state: MockState(store: store), accessLog: false, logger: logger)
    }
}

/// The invariants one write request breaks; empty when every one holds. The input's first byte chooses
/// the operation (`WriteOperation.all`), the second its path parameters (existing and unknown ids and
/// slugs), the rest is the body. The request goes to a fresh namespace of `fixture`'s store, with the
/// vendor's admin key.
/// - every answer is JSON with `Content-Type: application/json`, sent normally (no delay, no fault);
/// - a 4xx/5xx answer is in the documented error shape of the API that answered — OpenRouter's and the
///   control plane's `{"error":{"code":N,"message":"…"}}` (OpenRouter may add `metadata`), Portkey's
///   `{"success":false,"data":{"message":"…","errorCode":"ABnn"}}` with the code of its status — and leaves
///   the namespace as it was: the same seed collections, keys and fault rules (and after a refused
///   create, the next create gets the id it would have got);
/// - after a 2xx answer the store still holds together: ids and slugs unique, every member, budget and
///   virtual-key count of a workspace that exists and of a user that exists (OpenRouter members with
///   their organization role, none listed for the default workspace), budgets strictly decreasing as the
///   interval narrows; and, for the vendor the operation writes to, what the control plane shows can be
///   put back (`PUT` of each `GET`) without changing anything, and the vendor's lists count the records.
func requestBodyInvariantViolations(_ bytes: [UInt8], fixture: RequestBodyFuzzFixture) -> [String] {
    guard let first = bytes.first else { return [] }
    let operation = WriteOperation.all[Int(first) % WriteOperation.all.count]
    let choice = bytes.count > 1 ? Int(bytes[1]) : 0
    let router = fixture.makeRouter()
    let request = operation.request(choice: choice, body: Array(bytes.dropFirst(2)), keys: fixture.store.keys)
    let response = router.respond(to: request)
    let label = "\(request.method) \(request.target)"
    if let problem = answerViolation(response, api: operation.api) { return ["\(label): \(problem)"] }

    let after = NamespaceSnapshot(router)
    if response.status.code >= 400 {
        var violations = after.differences(from: fixture.snapshot).map {
            "\(label) answered \(response.status.code) but changed \($0)"
        }
        if operation.isCreate, let vendor = operation.vendor {
            let id = nextCreatedID(vendor, router, keys: fixture.store.keys)
            if id != fixture.firstCreatedIDs[vendor] {
                violations.append("\(label) answered \(response.status.code) but the next create got \(id)")
            }
        }
        return violations
    }
    return storeViolations(router, after, writtenVendor: operation.vendor).map {
        "after \(label) (\(response.status.code)): \($0)"
    }
}

// MARK: - The operations

/// A write operation of one of the three APIs, with the path parameters an input can choose from.
struct WriteOperation: Sendable {
    enum API: Sendable { case openRouter, portkey, controlPlane }

    let api: API
    let method: String
    /// The vendor whose data it writes; nil for the keys and the fault rules.
    let vendor: Vendor?
    /// The path for the input's second byte.
    let path: @Sendable (Int) -> String

    init(_ api: API, _ vendor: Vendor?, _ method: String, _ path: @escaping @Sendable (Int) -> String) {
        (self.api, self.method, self.vendor, self.path) = (api, method, vendor, path)
    }

    /// Whether it creates a workspace through the vendor's API (which counts the creates).
    var isCreate: Bool { method == "POST" && path(0).hasSuffix("/workspaces") }

    /// The request as a client sends it: `Host`, the admin key of the vendor (the first of `keys`), JSON
    /// `Content-Type` and `Content-Length`.
    func request(choice: Int, body: [UInt8], keys: APIKeys) -> HTTPRequest {
        var headers = [("Content-Type", "application/json"), ("Content-Length", "\(body.count)")]
        switch api {
        case .openRouter: headers.append(("Authorization", "Bearer \(keys.openRouterManagement.first ?? "")"))
        case .portkey: headers.append(("x-portkey-api-key", keys.portkeyAdmin.first ?? ""))
        case .controlPlane: break
        }
        var request = HTTPRequest.make(method: method, target: path(choice), headers: headers)
        request.body = body
        return request
    }

    /// Workspace ids and slugs of `bodies-store/openrouter/workspaces.json` ("production" is the default
    /// one, "support-internal" has budgets), an unknown one and an escaped one.
    static let openRouterWorkspaces = [
        "production", "be8573d0-8601-5a67-8741-309f714d32b7", "support-apac", "support-internal",
        "2c870388-5694-54e5-8c35-cd9da57a0665", "no-such-workspace", "support%2Dapac", "%C3%A9",
    ]
    static let intervals = ["daily", "weekly", "monthly", "lifetime", "yearly"]
    /// Portkey's default workspace, an archived one, one with virtual keys, one without members, an unknown.
    static let portkeyWorkspaces = [
        "ws-production-ab8e18", "ws-partner-sandbox-23bf5f", "ws-staging-us-ce72e7", "ws-docs-assistant-ccd0fe",
        "ws-nope-000000",
    ]
    /// A member of ws-staging-us and ws-production, one of ws-partner-sandbox only, a user of no
    /// workspace, an unknown id.
    static let portkeyUsers = [
        "fe4c0fe7-87fa-52f8-bc03-f408852a1749", "ae5a688b-2770-5609-a0db-feae083aabf5",
        "c4e3293a-9969-539d-a0d5-d4d84bfd89be", "00000000-0000-5000-8000-000000000000",
    ]
    static let openRouterCollections = ["workspaces", "organization-members", "members", "budgets", "settings", "x"]
    static let portkeyCollections = ["workspaces", "users", "members", "dependents", "x"]

    /// `list[choice % list.count]`.
    private static func pick(_ list: [String], _ choice: Int) -> String { list[choice % list.count] }

    /// Every operation the fuzzer drives, in the order the first byte of an input numbers them (modulo).
    static let all: [WriteOperation] = [
        WriteOperation(.openRouter, .openrouter, "POST") { _ in "/api/v1/workspaces" },
        WriteOperation(.openRouter, .openrouter, "PATCH") { "/api/v1/workspaces/\(pick(openRouterWorkspaces, $0))" },
        WriteOperation(.openRouter, .openrouter, "POST") {
            "/api/v1/workspaces/\(pick(openRouterWorkspaces, $0))/members/add"
        },
        WriteOperation(.openRouter, .openrouter, "POST") {
            "/api/v1/workspaces/\(pick(openRouterWorkspaces, $0))/members/remove"
        },
        WriteOperation(.openRouter, .openrouter, "PUT") {
            "/api/v1/workspaces/\(pick(openRouterWorkspaces, $0))/budgets/\(pick(intervals, $0 / 8))"
        },
        WriteOperation(.portkey, .portkey, "POST") { _ in "/v1/admin/workspaces" },
        WriteOperation(.portkey, .portkey, "PUT") { "/v1/admin/workspaces/\(pick(portkeyWorkspaces, $0))" },
        WriteOperation(.portkey, .portkey, "DELETE") { "/v1/admin/workspaces/\(pick(portkeyWorkspaces, $0))" },
        WriteOperation(.portkey, .portkey, "POST") { "/v1/admin/workspaces/\(pick(portkeyWorkspaces, $0))/users" },
        WriteOperation(.portkey, .portkey, "PUT") {
            "/v1/admin/workspaces/\(pick(portkeyWorkspaces, $0))/users/\(pick(portkeyUsers, $0 / 5))"
        },
        WriteOperation(.controlPlane, nil, "POST") { _ in "/__admin/faults" },
        WriteOperation(.controlPlane, nil, "PUT") { _ in "/__admin/seed/keys" },
        WriteOperation(.controlPlane, .openrouter, "PUT") {
            "/__admin/seed/openrouter/\(pick(openRouterCollections, $0))"
        },
        WriteOperation(.controlPlane, .portkey, "PUT") { "/__admin/seed/portkey/\(pick(portkeyCollections, $0))" },
    ]
}

// MARK: - Answers

/// Why `response` is not a well-formed answer of `api`; nil when it is.
private func answerViolation(_ response: HTTPResponse, api: WriteOperation.API) -> String? {
    let status = response.status.code
    guard response.disposition == .send, response.delay == nil else { return "a fault or a delay without a rule" }
    guard response.headers["Content-Type"] == "application/json" else {
        return "\(status) with Content-Type \(response.headers["Content-Type"] ?? "none")"
    }
    let document: JSONValue
    do {
        document = try JSONParser.parse(response.body.bytes)
    } catch {
        return
            "\(status) with a body that is not JSON (\(error)): \(String(decoding: response.body.bytes, as: UTF8.self))"
    }
    switch status {
    case 200..<300: return nil
    case 400..<600: break
    default: return "status \(status)"
    }
    let shown = "\(status) \(document.encoded)"
    switch api {
    case .openRouter, .controlPlane:
        guard case .object(let top) = document, top.count == 1, let error = document["error"],
            case .object(let members) = error, error["code"] == .number("\(status)"),
            let message = error["message"]?.stringValue, !message.isEmpty
        else { return "not {\"error\":{\"code\":\(status),\"message\":…}}: \(shown)" }
        let allowed = api == .openRouter ? ["code", "message", "metadata"] : ["code", "message"]
        if let extra = members.first(where: { !allowed.contains($0.key) }) {
            return "an error member \(extra.key) that is not documented: \(shown)"
        }
    case .portkey:
        let codes = [
            400: "AB01", 401: "AB05", 403: "AB03", 404: "AB08", 405: "AB01", 409: "AB07", 429: "AB06", 500: "AB04",
        ]
        guard case .object(let top) = document, top.count == 2, document["success"] == .bool(false),
            let data = document["data"], case .object(let members) = data, members.count == 2,
            let message = data["message"]?.stringValue, !message.isEmpty,
            let code = data["errorCode"]?.stringValue, code == codes[status]
        else {
            return
                "not {\"success\":false,\"data\":{\"message\":…,\"errorCode\":\"\(codes[status] ?? "?")\"}}: \(shown)"
        }
    }
    return nil
}

// MARK: - The namespace as the control plane shows it

/// Every seed collection, the keys and the fault rules of the default namespace, as the bytes of the
/// control plane's `GET` answers.
struct NamespaceSnapshot: Sendable {
    /// The seed collections in the order that restores a snapshot (the control plane's documentation),
    /// then the keys and the fault rules.
    static let paths = [
        "/__admin/seed/openrouter/organization-members", "/__admin/seed/openrouter/workspaces",
        "/__admin/seed/openrouter/settings", "/__admin/seed/openrouter/members", "/__admin/seed/openrouter/budgets",
        "/__admin/seed/portkey/users", "/__admin/seed/portkey/workspaces", "/__admin/seed/portkey/members",
        "/__admin/seed/portkey/dependents", "/__admin/seed/keys", "/__admin/faults",
    ]
    /// Each path's status and body.
    let answers: [String: (status: Int, body: [UInt8])]

    init(_ router: GatewayRouter) {
        var answers: [String: (status: Int, body: [UInt8])] = [:]
        for path in Self.paths {
            let response = router.respond(to: .make(method: "GET", target: path))
            answers[path] = (response.status.code, response.body.bytes)
        }
        self.answers = answers
    }

    /// The paths whose answers differ from `other`'s.
    func differences(from other: NamespaceSnapshot) -> [String] {
        Self.paths.filter {
            answers[$0]?.status != other.answers[$0]?.status || answers[$0]?.body != other.answers[$0]?.body
        }
    }

    /// The parsed body of `path`'s answer, nil when it was not a 200 with JSON.
    func document(_ path: String) -> JSONValue? {
        guard let answer = answers[path], answer.status == 200 else { return nil }
        return try? JSONParser.parse(answer.body)
    }
}

/// The id that creating a workspace through `vendor`'s API gives now, with the admin key of `keys` (or
/// the status when the create fails).
private func nextCreatedID(_ vendor: Vendor, _ router: GatewayRouter, keys: APIKeys) -> String {
    let request: HTTPRequest =
        switch vendor {
        case .openrouter:
            .make(
                method: "POST", target: "/api/v1/workspaces",
                headers: [("Authorization", "Bearer \(keys.openRouterManagement.first ?? "")")],
                body: #"{"name":"Next","slug":"next-created-id"}"#)
        case .portkey:
            .make(
                method: "POST", target: "/v1/admin/workspaces",
                headers: [("x-portkey-api-key", keys.portkeyAdmin.first ?? "")], body: #"{"name":"Next"}"#)
        }
    let response = router.respond(to: request)
    let document = try? JSONParser.parse(response.body.bytes)
    return (document?["data"] ?? document)?["id"]?.stringValue ?? "\(response.status.code)"
}

// MARK: - The store's invariants

/// What is wrong with the store `router` serves, seen as `snapshot`; the collections of `writtenVendor`
/// (the keys when nil) are also put back and counted through the vendor's lists.
private func storeViolations(_ router: GatewayRouter, _ snapshot: NamespaceSnapshot, writtenVendor: Vendor?)
    -> [String]
{
    var violations: [String] = []
    func documents(_ path: String) -> [JSONValue] {
        guard let document = snapshot.document(path) else {
            violations.append("GET \(path) answered \(snapshot.answers[path]?.status ?? 0) or not JSON")
            return []
        }
        if case .array(let elements) = document { return elements }
        return [document]
    }
    func unique(_ values: [String?], _ what: String) {
        var seen: Set<[UInt8]> = []
        for value in values {
            if let value, !seen.insert(Array(value.utf8)).inserted {
                violations.append("\(what) \(value) is not unique")
            } else if value == nil {
                violations.append("\(what) missing")
            }
        }
    }

    // OpenRouter.
    let workspaces = documents("/__admin/seed/openrouter/workspaces")
    let workspaceIDs = workspaces.map { $0["id"]?.stringValue }
    unique(workspaceIDs, "OpenRouter workspace id")
    unique(workspaces.map { $0["slug"]?.stringValue }, "OpenRouter workspace slug")
    let roster = documents("/__admin/seed/openrouter/organization-members")
    unique(roster.map { $0["id"]?.stringValue }, "organization member id")
    unique(roster.map { $0["email"]?.stringValue }, "organization member email")
    let defaultID = documents("/__admin/seed/openrouter/settings").first?["default_workspace_id"]?.stringValue
    if let defaultID, !workspaceIDs.contains(defaultID) {
        violations.append("the default workspace \(defaultID) does not exist")
    }
    let members = documents("/__admin/seed/openrouter/members")
    unique(members.map { $0["id"]?.stringValue }, "OpenRouter member id")
    unique(
        members.map { "\($0["workspace_id"]?.stringValue ?? "") \($0["user_id"]?.stringValue ?? "")" },
        "OpenRouter membership")
    for member in members {
        let workspace = member["workspace_id"]?.stringValue
        let user = roster.first { $0["id"] == member["user_id"] }
        let role = user?["role"] == .string("org:admin") ? "admin" : "member"
        if !workspaceIDs.contains(workspace) || workspace == defaultID || user == nil || member["role"] != .string(role)
        {
            violations.append(
                "OpenRouter member \(member.encoded) is not a member of the roster in a workspace that is not the default one, with its role"
            )
        }
    }
    let budgets = documents("/__admin/seed/openrouter/budgets")
    unique(budgets.map { $0["id"]?.stringValue }, "budget id")
    unique(
        budgets.map { "\($0["workspace_id"]?.stringValue ?? "") \($0["reset_interval"]?.encoded ?? "")" },
        "budget interval")
    // Narrowest first: daily, weekly, monthly, lifetime (`reset_interval` null).
    let ladder: [JSONValue?] = [.string("daily"), .string("weekly"), .string("monthly"), .null]
    for id in workspaceIDs {
        let limits = ladder.compactMap { interval in
            budgets.first { $0["workspace_id"]?.stringValue == id && $0["reset_interval"] == interval }
        }.map { $0["limit_usd"]?.number ?? -1 }
        if zip(limits, limits.dropFirst()).contains(where: { $0 >= $1 }) || limits.contains(where: { $0 <= 0 }) {
            violations.append("the budgets of \(id ?? "?") do not strictly decrease as the interval narrows: \(limits)")
        }
    }
    for budget in budgets where !workspaceIDs.contains(budget["workspace_id"]?.stringValue) {
        violations.append("budget \(budget.encoded) of no workspace")
    }

    // Portkey.
    let portkeyWorkspaces = documents("/__admin/seed/portkey/workspaces")
    let portkeyIDs = portkeyWorkspaces.map { $0["id"]?.stringValue }
    unique(portkeyIDs, "Portkey workspace id")
    unique(portkeyWorkspaces.map { $0["slug"]?.stringValue }, "Portkey workspace slug")
    let users = documents("/__admin/seed/portkey/users")
    let userIDs = users.map { $0["id"]?.stringValue }
    unique(userIDs, "Portkey user id")
    let portkeyMembers = documents("/__admin/seed/portkey/members")
    unique(
        portkeyMembers.map { "\($0["workspace_id"]?.stringValue ?? "") \($0["user_id"]?.stringValue ?? "")" },
        "Portkey membership")
    for member in portkeyMembers
    where !portkeyIDs.contains(member["workspace_id"]?.stringValue) || !userIDs.contains(member["user_id"]?.stringValue)
    {
        violations.append("Portkey member \(member.encoded) of no workspace or no user")
    }
    if case .object(let counts)? = documents("/__admin/seed/portkey/dependents").first?["virtual_keys"] {
        for (id, _) in counts where !portkeyIDs.contains(id) { violations.append("virtual keys of no workspace \(id)") }
    }
    unique(documents("/__admin/faults").first?["faults"]?.elements?.map { $0["id"]?.encoded } ?? [], "fault rule id")
    guard violations.isEmpty else { return violations }

    // What the control plane shows can be put back unchanged.
    let restorable = NamespaceSnapshot.paths.filter {
        switch writtenVendor {
        case .openrouter?: $0.hasPrefix("/__admin/seed/openrouter/")
        case .portkey?: $0.hasPrefix("/__admin/seed/portkey/")
        case nil: $0 == "/__admin/seed/keys"
        }
    }
    for path in restorable {
        let response = router.respond(
            to: .make(
                method: "PUT", target: path, body: String(decoding: snapshot.answers[path]?.body ?? [], as: UTF8.self)))
        if response.status.code != 200 {
            violations.append(
                "PUT \(path) of its own GET answered \(response.status.code): \(String(decoding: response.body.bytes, as: UTF8.self))"
            )
        }
    }
    let restored = NamespaceSnapshot(router)
    violations += restored.differences(from: snapshot).map { "putting back what GET showed changed \($0)" }
    guard violations.isEmpty else { return violations }

    // The vendors' lists count the records (without fault rules, which would answer instead).
    _ = router.respond(to: .make(method: "DELETE", target: "/__admin/faults"))
    let keys = snapshot.document("/__admin/seed/keys")
    func total(_ target: String, _ header: (String, String), _ name: String) -> Int? {
        let response = router.respond(to: .make(target: target, headers: [header]))
        let document = try? JSONParser.parse(response.body.bytes)
        guard response.status.code == 200, let total = document?[name]?.number else {
            violations.append(
                "GET \(target) answered \(response.status.code) \(String(decoding: response.body.bytes, as: UTF8.self))"
            )
            return nil
        }
        return Int(total)
    }
    func expect(_ target: String, _ header: (String, String), _ name: String, _ count: Int) {
        if let total = total(target, header, name), total != count {
            violations.append("GET \(target) counts \(total), the store holds \(count)")
        }
    }
    if writtenVendor == .openrouter, let key = keys?["openrouter"]?["management"]?.elements?.first?.stringValue {
        let header = ("Authorization", "Bearer \(key)")
        expect("/api/v1/workspaces?limit=1", header, "total_count", workspaces.count)
        expect("/api/v1/organization/members?limit=1", header, "total_count", roster.count)
        for id in workspaceIDs.compactMap({ $0 }) {
            let explicit = members.count(where: { $0["workspace_id"]?.stringValue == id })
            expect(
                "/api/v1/workspaces/\(escaped(id))/members?limit=1", header, "total_count",
                id == defaultID ? roster.count : explicit)
        }
    }
    if writtenVendor == .portkey, let key = keys?["portkey"]?["admin"]?.elements?.first?.stringValue {
        let header = ("x-portkey-api-key", key)
        expect("/v1/admin/workspaces?page_size=1", header, "total", portkeyWorkspaces.count)
        expect("/v1/admin/users?pageSize=1", header, "total", users.count)
        for id in portkeyIDs.compactMap({ $0 }) {
            let count = portkeyMembers.count(where: { $0["workspace_id"]?.stringValue == id })
            expect("/v1/admin/workspaces/\(escaped(id))/users?page_size=1", header, "total", count)
        }
    }
    return violations
}

/// `text` as one path segment: every byte but RFC 3986's unreserved characters percent-encoded.
private func escaped(_ text: String) -> String {
    let hex = Array("0123456789ABCDEF".utf8)
    var bytes: [UInt8] = []
    for byte in text.utf8 {
        if byte.isUnreserved {
            bytes.append(byte)
        } else {
            bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 15)]]
        }
    }
    return String(decoding: bytes, as: UTF8.self)
}

extension UInt8 {
    fileprivate var isUnreserved: Bool {
        (0x30...0x39).contains(self) || (0x41...0x5A).contains(self) || (0x61...0x7A).contains(self)
            || self == 0x2D || self == 0x2E || self == 0x5F || self == 0x7E
    }
}

extension JSONValue {
    fileprivate var elements: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    fileprivate var number: Double? {
        if case .number(let text) = self { return Double(text) }
        return nil
    }
}
