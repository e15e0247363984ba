/// A user of the Portkey organization (`GET /admin/users`), the roster workspace members are drawn from.
/// Kept exactly as seeded: `{"object":"user","id","first_name","last_name","role","email","created_at",
/// "last_updated_at"}`.
struct PortkeyUser: EncodedRecord, KeyedRecord {
    let id: String
    /// `owner`, `admin` or `member`: the user's role in the organization (a member's `org_role`).
    let role: String
    let email: String
    let firstName: JSONValue
    let lastName: JSONValue
    let commaAndJSON: [UInt8]

    var key: String { id }

    /// From a record that passed `RecordSchema.portkeyUser`.
    init(value: JSONValue) {
        id = value["id"]?.stringValue ?? ""
        role = value["role"]?.stringValue ?? ""
        email = value["email"]?.stringValue ?? ""
        firstName = value["first_name"] ?? .null
        lastName = value["last_name"] ?? .null
        commaAndJSON = Self.commaAndJSON(of: value)
    }

    static let roles = ["owner", "admin", "member"]
}
