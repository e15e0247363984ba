/// One workspace as the store holds it (a class: a page copies one reference per record, not five): the
/// record's JSON exactly as seeded or written (key order and
/// number text kept), encoded once, and the fields the mock looks records up by.
public final class WorkspaceRecord: EncodedRecord {
    public let id: String
    public let slug: String
    public let name: String
    /// Portkey's `active`/`archived`; nil for OpenRouter records.
    public let status: String?
    /// OpenRouter's `include_byok_in_budgets`, nil when the record does not have it.
    public let includeBYOKInBudgets: Bool?
    /// Portkey's `defaults.is_default` is 1: the organization's default workspace.
    public let isPortkeyDefault: Bool
    let commaAndJSON: [UInt8]

    init(value: JSONValue) {
        self.id = value["id"]?.stringValue ?? ""
        self.slug = value["slug"]?.stringValue ?? ""
        self.name = value["name"]?.stringValue ?? ""
        self.status = value["status"]?.stringValue
        if case .bool(let flag)? = value["include_byok_in_budgets"] {
            includeBYOKInBudgets = flag
        } else {
            includeBYOKInBudgets = nil
        }
        isPortkeyDefault = value["defaults"]?["is_default"] == .number("1")
        self.commaAndJSON = Self.commaAndJSON(of: value)
    }

    /// The record as a JSON value again (parsed from its bytes, which the mock wrote itself), to change it.
    var value: JSONValue {
        // The bytes were encoded from a JSONValue, so they parse.
        (try? JSONParser.parse(Array(encoded))) ?? .null
    }
}
