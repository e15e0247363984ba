/// A user's membership of one Portkey workspace. The seed file and the control plane hold it in the
/// mock's own layout, `{"workspace_id","user_id","role","created_at","last_updated_at"}`, so that a user's
/// name and email live in one place (`users.json`); what is served is Portkey's `WorkspaceMember`, composed
/// from the membership and its user and encoded once:
/// `{"object":"workspace-user","id","first_name","last_name","email","org_role","role","status":"active",
/// "workspace_id","created_at","last_updated_at"}`.
struct PortkeyMembership: EncodedRecord, KeyedRecord {
    let workspaceID: String
    let userID: String
    /// `admin`, `manager` or `member`.
    let role: String
    let createdAt: String
    let lastUpdatedAt: String
    /// Portkey's `WorkspaceMember`, as served.
    let commaAndJSON: [UInt8]

    var key: String { userID }

    static let roles = ["admin", "manager", "member"]

    init(workspaceID: String, user: PortkeyUser, role: String, createdAt: String, lastUpdatedAt: String) {
        self.workspaceID = workspaceID
        self.userID = user.id
        self.role = role
        self.createdAt = createdAt
        self.lastUpdatedAt = lastUpdatedAt
        commaAndJSON = Self.commaAndJSON(of: [
            "object": "workspace-user", "id": .string(user.id), "first_name": user.firstName,
            "last_name": user.lastName, "email": .string(user.email), "org_role": .string(user.role),
            "role": .string(role), "status": "active", "workspace_id": .string(workspaceID),
            "created_at": .string(createdAt), "last_updated_at": .string(lastUpdatedAt),
        ])
    }

    /// The same membership with `user`'s current name, email and organization role.
    func composed(with user: PortkeyUser) -> PortkeyMembership {
        PortkeyMembership(
            workspaceID: workspaceID, user: user, role: role, createdAt: createdAt, lastUpdatedAt: lastUpdatedAt)
    }

    /// The membership in the seed file's layout.
    var seedValue: JSONValue {
        [
            "workspace_id": .string(workspaceID), "user_id": .string(userID), "role": .string(role),
            "created_at": .string(createdAt), "last_updated_at": .string(lastUpdatedAt),
        ]
    }
}
