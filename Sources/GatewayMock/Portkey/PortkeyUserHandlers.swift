import MockHTTP

/// `/admin/workspaces/{workspaceId}/users` (add, list), `/admin/workspaces/{workspaceId}/users/{userId}`
/// (retrieve, update, remove) and `/admin/users`, the organization's roster that members are drawn from.
/// Roles in a workspace: `admin`, `manager`, `member`; in the organization: `owner`, `admin`, `member`.
extension PortkeyEmulation {
    /// `POST /admin/workspaces/{workspaceId}/users` with `{"users":[{"id","role"}]}` (the SDK adds
    /// `workspace_id`): `{}`. Adding a user who is already a member sets the role given (an upsert, so
    /// that a provisioning script can run twice); the whole call is refused if one entry is bad.
    @Sendable static func addMembers(_ request: HTTPRequest, _ context: VendorContext) throws(VendorError)
        -> HTTPResponse
    {
        let body = try RequestBody(request)
        guard case .array(let entries)? = body["users"], !entries.isEmpty else {
            throw .invalidRequest("users must be a non-empty array of {\"id\", \"role\"} objects")
        }
        var requested: [(id: String, role: String)] = []
        for (index, entry) in entries.enumerated() {
            guard let id = entry["id"]?.stringValue, !id.isEmpty else {
                throw .invalidRequest("users[\(index)].id must be a user id")
            }
            requested.append((id, try role(entry["role"], at: "users[\(index)].role")))
        }
        let key = context.parameters["workspaceId"] ?? ""
        let now = WallClockTime.now().iso8601
        try context.namespace.write { (store) throws(VendorError) in
            let workspace = try workspace(key, in: store)
            var memberships: [PortkeyMembership] = []
            for (index, entry) in requested.enumerated() {
                guard let user = store.portkey.users[entry.id] else {
                    throw .invalidRequest(
                        "users[\(index)].id \(RequestBody.shown(entry.id)) is not a user of the organization")
                }
                let existing = store.portkey.member(user.id, of: workspace.id)
                memberships.append(
                    PortkeyMembership(
                        workspaceID: workspace.id, user: user, role: entry.role, createdAt: existing?.createdAt ?? now,
                        lastUpdatedAt: now))
            }
            for membership in memberships { store.portkey.upsertMember(membership) }
        }
        return empty
    }

    /// `GET /admin/workspaces/{workspaceId}/users`: `{"total","object":"list","data":[WorkspaceMember]}`,
    /// paged with `page_size`/`current_page` (camelCase accepted too), filtered by `role` and `email`.
    @Sendable static func listMembers(_ request: HTTPRequest, _ context: VendorContext) throws(VendorError)
        -> HTTPResponse
    {
        let query = request.query
        let (size, page) = try paging(query)
        let roleFilter = try query.singleValue(of: ["role"])
        if let roleFilter, !PortkeyMembership.roles.contains(roleFilter) {
            throw .badRequest(
                ParameterProblem(parameter: "role", value: roleFilter, reason: "must be admin, manager or member"))
        }
        let email = try query.singleValue(of: ["email"])
        let key = context.parameters["workspaceId"] ?? ""
        return try context.namespace.read { (store) throws(VendorError) in
            let workspace = try workspace(key, in: store)
            let members = store.portkey.members(of: workspace.id).filter { member in
                (roleFilter.map { member.role == $0 } ?? true)
                    && (email.map { store.portkey.users[member.userID]?.email.lowercased() == $0.lowercased() } ?? true)
            }
            return list(members, size: size, page: page)
        }
    }

    /// `GET /admin/workspaces/{workspaceId}/users/{userId}`: the WorkspaceMember, 404 AB08 when the user
    /// is not a member.
    @Sendable static func retrieveMember(_ request: HTTPRequest, _ context: VendorContext) throws(VendorError)
        -> HTTPResponse
    {
        try context.namespace.read { (store) throws(VendorError) in
            .json(.ok, HTTPBody(parts: [try member(context, in: store).member.encoded]))
        }
    }

    /// `PUT /admin/workspaces/{workspaceId}/users/{userId}` with `{"role"}` (the SDK adds `user_id`): `{}`.
    @Sendable static func updateMember(_ request: HTTPRequest, _ context: VendorContext) throws(VendorError)
        -> HTTPResponse
    {
        let role = try role(RequestBody(request)["role"], at: "role")
        let now = WallClockTime.now().iso8601
        try context.namespace.write { (store) throws(VendorError) in
            let (member, user) = try member(context, in: store)
            store.portkey.upsertMember(
                PortkeyMembership(
                    workspaceID: member.workspaceID, user: user, role: role, createdAt: member.createdAt,
                    lastUpdatedAt: now))
        }
        return empty
    }

    /// `DELETE /admin/workspaces/{workspaceId}/users/{userId}`: `{}`.
    @Sendable static func removeMember(_ request: HTTPRequest, _ context: VendorContext) throws(VendorError)
        -> HTTPResponse
    {
        try context.namespace.write { (store) throws(VendorError) in
            let (member, _) = try member(context, in: store)
            store.portkey.removeMember(member.userID, of: member.workspaceID)
        }
        return empty
    }

    /// `GET /admin/users`: `{"total","object":"list","data":[User]}`, paged with `pageSize`/`currentPage`
    /// (snake_case accepted too), filtered by `role` (`owner`, `admin`, `member`) and `email`.
    @Sendable static func listUsers(_ request: HTTPRequest, _ context: VendorContext) throws(VendorError)
        -> HTTPResponse
    {
        let query = request.query
        let (size, page) = try paging(query)
        let roleFilter = try query.singleValue(of: ["role"])
        if let roleFilter, !PortkeyUser.roles.contains(roleFilter) {
            throw .badRequest(
                ParameterProblem(parameter: "role", value: roleFilter, reason: "must be owner, admin or member"))
        }
        let email = try query.singleValue(of: ["email"])
        return context.namespace.read { store in
            let users = store.portkey.users.all.filter { user in
                (roleFilter.map { user.role == $0 } ?? true)
                    && (email.map { user.email.lowercased() == $0.lowercased() } ?? true)
            }
            return list(users, size: size, page: page)
        }
    }

    /// The membership the path names and its user: 404 AB08 for an unknown workspace or a user who is not
    /// a member of it.
    private static func member(_ context: VendorContext, in store: SeedStore) throws(VendorError) -> (
        member: PortkeyMembership, user: PortkeyUser
    ) {
        let workspace = try workspace(context.parameters["workspaceId"] ?? "", in: store)
        let userID = context.parameters["userId"] ?? ""
        guard let member = store.portkey.member(userID, of: workspace.id), let user = store.portkey.users[userID] else {
            throw .resourceNotFound("User \(RequestBody.shown(userID)) is not a member of this workspace")
        }
        return (member, user)
    }

    /// A workspace role (`admin`, `manager`, `member`), else a 400 naming `field`.
    private static func role(_ value: JSONValue?, at field: String) throws(VendorError) -> String {
        guard let role = value?.stringValue, PortkeyMembership.roles.contains(role) else {
            throw .invalidRequest("\(field) must be admin, manager or member")
        }
        return role
    }
}
