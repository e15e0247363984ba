import MockHTTP

/// The workspace fields a create (`POST /workspaces`) or update (`PATCH /workspaces/{id}`) body sets,
/// checked against OpenRouter's `CreateWorkspaceRequest` / `UpdateWorkspaceRequest`: `name` 1–100
/// characters, `slug` 1–50 in dash-separated runs of lowercase letters and digits, `description` at most
/// 500 or null, the default models and provider sort strings or null, `io_logging_api_key_ids` integers or
/// null, `io_logging_sampling_rate` from 0.0001 to 1, three booleans, and `disabled_server_tools` (the
/// SDK's) strings or null. Other keys are ignored.
struct WorkspaceFields {
    /// The given fields, in the record's key order, each checked.
    private(set) var values: [(key: String, value: JSONValue)] = []

    /// The keys in the order a record holds them (`disabled_server_tools` last, only when given).
    static let recordOrder = [
        "id", "name", "slug", "description", "default_text_model", "default_image_model", "default_provider_sort",
        "is_observability_io_logging_enabled", "is_observability_broadcast_enabled",
        "is_data_discount_logging_enabled", "io_logging_sampling_rate", "io_logging_api_key_ids", "created_at",
        "updated_at", "created_by", "default_guardrail_id", "include_byok_in_budgets", "disabled_server_tools",
    ]

    init(_ body: RequestBody) throws(VendorError) {
        if let name = try body.string("name", lengths: 1...100) {
            values.append(("name", .optional(name.map(JSONValue.string))))
        }
        if let slug = try body.string("slug", lengths: 1...50) {
            let text = slug ?? ""
            guard Self.isSlug(text) else {
                throw .invalidRequest(
                    "slug must be lowercase letters and digits in runs separated by single hyphens, with no leading or trailing hyphen (got \(RequestBody.shown(text)))"
                )
            }
            values.append(("slug", .string(text)))
        }
        if let description = try body.string("description", lengths: 0...500, nullable: true) {
            values.append(("description", .optional(description.map(JSONValue.string))))
        }
        for key in ["default_text_model", "default_image_model", "default_provider_sort"] {
            if let text = try body.string(key, lengths: 0...Int.max, nullable: true) {
                values.append((key, .optional(text.map(JSONValue.string))))
            }
        }
        for key in [
            "is_observability_io_logging_enabled", "is_observability_broadcast_enabled",
            "is_data_discount_logging_enabled",
        ] {
            guard let value = body[key] else { continue }
            guard case .bool = value else {
                throw .invalidRequest("\(key) must be a boolean, got \(value.typeDescription)")
            }
            values.append((key, value))
        }
        if let value = body["io_logging_sampling_rate"] {
            guard case .number(let literal) = value, let rate = Double(literal), rate >= 0.0001, rate <= 1 else {
                throw .invalidRequest(
                    "io_logging_sampling_rate must be a number from 0.0001 to 1, got \(value.encoded.prefix(40))")
            }
            values.append(("io_logging_sampling_rate", value))
        }
        if let value = body["io_logging_api_key_ids"] {
            switch value {
            case .null: break
            case .array(let elements) where elements.allSatisfy(Self.isInteger):
                break
            default:
                throw .invalidRequest("io_logging_api_key_ids must be an array of integers or null")
            }
            values.append(("io_logging_api_key_ids", value))
        }
        if let value = body["disabled_server_tools"] {
            switch value {
            case .null: break
            case .array(let elements) where elements.allSatisfy({ $0.stringValue != nil }): break
            default: throw .invalidRequest("disabled_server_tools must be an array of strings or null")
            }
            values.append(("disabled_server_tools", value))
        }
    }

    subscript(key: String) -> JSONValue? { values.first { $0.key == key }?.value }

    /// A JSON number with no fractional part that fits an API key id: `7`, also `7.0` and `7e0` (JSON
    /// Schema's `integer` and the vendor's JavaScript accept those).
    static func isInteger(_ value: JSONValue) -> Bool {
        guard case .number(let literal) = value, let number = Double(literal) else { return false }
        return number == number.rounded() && abs(number) <= 9_007_199_254_740_991
    }

    /// `^[a-z0-9]+(?:-[a-z0-9]+)*$`.
    static func isSlug(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard let first = bytes.first, let last = bytes.last, first != UInt8(ascii: "-"), last != UInt8(ascii: "-")
        else { return false }
        return zip(bytes, bytes.dropFirst()).allSatisfy { !($0 == UInt8(ascii: "-") && $1 == UInt8(ascii: "-")) }
            && bytes.allSatisfy {
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
                    || $0 == UInt8(ascii: "-")
            }
    }

    /// `record` (an object) with these fields set: a present key changes in place, a missing one is added last.
    func applied(to record: JSONValue) -> JSONValue {
        values.reduce(record) { $0.setting($1.key, to: $1.value) }
    }
}

extension JSONValue {
    /// An object with member `key` set to `value` (replaced in place, or added last).
    func setting(_ key: String, to value: JSONValue) -> JSONValue {
        guard case .object(var members) = self else { return self }
        if let index = members.firstIndex(where: { $0.key == key }) {
            members[index].value = value
        } else {
            members.append((key, value))
        }
        return .object(members)
    }
}
