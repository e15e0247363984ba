/// A member of the organization behind the management key: `GET /organization/members` lists them, and
/// workspace members are drawn from them. Kept exactly as seeded.
struct OrganizationMember: EncodedRecord, KeyedRecord {
    /// The user id (`user_…`), what `members/add` names.
    let id: String
    let role: OrganizationRole
    let commaAndJSON: [UInt8]

    var key: String { id }

    /// From a record that passed `RecordSchema.openRouterOrganizationMember`.
    init(value: JSONValue) {
        id = value["id"]?.stringValue ?? ""
        role = value["role"]?.stringValue.flatMap(OrganizationRole.init(rawValue:)) ?? .member
        commaAndJSON = Self.commaAndJSON(of: value)
    }
}

/// A role in the organization, and the workspace role a member with it gets (OpenRouter's documentation:
/// "Members are assigned the same role they hold in the organization").
enum OrganizationRole: String, CaseIterable, Sendable {
    case admin = "org:admin"
    case member = "org:member"

    var workspaceRole: String {
        switch self {
        case .admin: "admin"
        case .member: "member"
        }
    }
}
