/// A user's membership of one workspace: `{"id","workspace_id","user_id","role","created_at"}`.
struct WorkspaceMember: EncodedRecord, KeyedRecord {
    let id: String
    let workspaceID: String
    let userID: String
    let role: String
    let commaAndJSON: [UInt8]

    var key: String { userID }

    /// From a record that passed `RecordSchema.openRouterWorkspaceMember`, kept exactly as seeded.
    init(value: JSONValue) {
        id = value["id"]?.stringValue ?? ""
        workspaceID = value["workspace_id"]?.stringValue ?? ""
        userID = value["user_id"]?.stringValue ?? ""
        role = value["role"]?.stringValue ?? ""
        commaAndJSON = Self.commaAndJSON(of: value)
    }

    /// A membership made by the mock: its id derived from the workspace and the user, so that the same
    /// calls give the same ids.
    init(workspaceID: String, user: OrganizationMember, createdAt: String) {
        self.init(value: [
            "id": .string(Self.id(workspaceID: workspaceID, userID: user.id)), "workspace_id": .string(workspaceID),
            "user_id": .string(user.id), "role": .string(user.role.workspaceRole), "created_at": .string(createdAt),
        ])
    }

    /// The same membership (id, `created_at` and key order kept) with another role.
    func withRole(_ role: String) -> WorkspaceMember {
        guard let value = try? JSONParser.parse(Array(encoded)) else { return self }
        return WorkspaceMember(value: value.setting("role", to: .string(role)))
    }

    /// `uuid5(seed namespace, "openrouter-member:<workspace id>:<user id>")`, as the seed generator derives it.
    static func id(workspaceID: String, userID: String) -> String {
        UUID5.make(namespace: UUID5.seedNamespace, name: "openrouter-member:\(workspaceID):\(userID)")
    }
}
