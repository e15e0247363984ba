import MockHTTP

/// The workspace fields a create (`POST /admin/workspaces`) or update (`PUT /admin/workspaces/{id}`) body
/// sets, checked against Portkey's document: `name` (1–255 characters, the mock's bound), `description`
/// (a string or null), `defaults` (an object whose `metadata` maps strings to strings), `usage_limits` and
/// `rate_limits` (lists shaped like the seed's, `null` for an empty list). Other keys are ignored (the SDK
/// and the Terraform provider send `workspace_id`, `users`).
struct PortkeyWorkspaceFields {
    var name: String?
    var description: JSONValue?
    /// `defaults.metadata` as given (nil: not given).
    var metadata: JSONValue?
    var usageLimits: JSONValue?
    var rateLimits: JSONValue?

    init(_ body: RequestBody) throws(VendorError) {
        if let value = try body.string("name", lengths: 1...255) { name = value }
        if let value = try body.string("description", lengths: 0...Int.max, nullable: true) {
            description = .optional(value.map(JSONValue.string))
        }
        if let defaults = body["defaults"] {
            switch defaults {
            case .null: break
            case .object:
                if let given = defaults["metadata"] {
                    guard case .object(let members) = given, members.allSatisfy({ $0.value.stringValue != nil }) else {
                        throw .invalidRequest("defaults.metadata must be an object of strings")
                    }
                    metadata = given
                }
            default:
                throw .invalidRequest("defaults must be an object or null, got \(defaults.typeDescription)")
            }
        }
        usageLimits = try Self.list(body["usage_limits"], "usage_limits", of: Self.usageLimit)
        rateLimits = try Self.list(body["rate_limits"], "rate_limits", of: Self.rateLimit)
    }

    /// `record` with these fields set; `last_updated_at` becomes `now`.
    func applied(to record: JSONValue, now: String) -> JSONValue {
        var record = record
        if let name { record = record.setting("name", to: .string(name)) }
        if let description { record = record.setting("description", to: description) }
        if let metadata {
            let defaults =
                record["defaults"].flatMap { $0 == .null ? nil : $0 } ?? ["is_default": 0, "object": "workspace"]
            record = record.setting("defaults", to: defaults.setting("metadata", to: metadata))
        }
        if let usageLimits { record = record.setting("usage_limits", to: usageLimits) }
        if let rateLimits { record = record.setting("rate_limits", to: rateLimits) }
        return record.setting("last_updated_at", to: .string(now))
    }

    static let usageLimit = RecordSchema(fields: [
        .init(key: "credit_limit", type: .integer, nullable: true, required: false),
        .init(key: "type", type: .oneOf(["cost", "tokens"]), required: false),
        .init(key: "alert_threshold", type: .integer, nullable: true, required: false),
        .init(key: "periodic_reset", type: .oneOf(["monthly", "weekly"]), nullable: true, required: false),
        .init(key: "periodic_reset_days", type: .integer, nullable: true, required: false),
    ])

    static let rateLimit = RecordSchema(fields: [
        .init(key: "type", type: .oneOf(["requests", "tokens"]), required: false),
        .init(key: "unit", type: .oneOf(["rpd", "rph", "rpm"]), required: false),
        .init(key: "value", type: .integer, required: false),
    ])

    /// A list whose elements fit `schema`; `null` is an empty list; nil when absent.
    private static func list(_ value: JSONValue?, _ key: String, of schema: RecordSchema) throws(VendorError)
        -> JSONValue?
    {
        switch value {
        case nil: return nil
        case .null?: return []
        case .array(let elements)?:
            for (index, element) in elements.enumerated() {
                do {
                    try schema.validate(element, at: "\(key)[\(index)]")
                } catch {
                    throw .invalidRequest("\(error.location): \(error.reason)")
                }
            }
            return .array(elements)
        case let other?:
            throw .invalidRequest("\(key) must be an array or null, got \(other.typeDescription)")
        }
    }

    /// A created workspace's id and slug: `ws-<name as a slug>-<6 hex>`. The name is lowercased, ASCII
    /// letters and digits kept, every other run of characters one `-`, trimmed, cut to 40 characters
    /// (`workspace` when nothing is left); the hex digits are the start of SHA-1 of the namespace's create
    /// counter, so the same calls in a fresh namespace give the same ids.
    static func id(name: String, number: Int) -> String {
        var slug = ""
        for scalar in name.lowercased().unicodeScalars {
            if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                slug.unicodeScalars.append(scalar)
            } else if !slug.isEmpty, !slug.hasSuffix("-") {
                slug += "-"
            }
        }
        slug = String(slug.prefix(40))
        while slug.hasSuffix("-") { slug.removeLast() }
        let digest = UUID5.sha1(Array("gateway-mock-portkey-workspace:\(number)".utf8))
        let hex = digest.prefix(3).map { byte in
            let text = String(byte, radix: 16)
            return text.count == 1 ? "0" + text : text
        }
        return "ws-\(slug.isEmpty ? "workspace" : slug)-\(hex.joined())"
    }
}
