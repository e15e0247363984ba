import MockHTTP

/// `POST /admin/workspaces`, `GET`/`PUT`/`DELETE /admin/workspaces/{workspaceId}` (the id or the slug).
/// Statuses and bodies as the official SDK (`portkey-ai` 2.3.4) and Portkey's Terraform provider need
/// them (`LIFECYCLE-NOTES.md`): create answers the whole workspace, retrieve adds its `users`, update and
/// delete answer `{}`.
extension PortkeyEmulation {
    /// `POST /admin/workspaces`: 200, the new workspace (`defaults.is_default` 0, `status` active). `users`
    /// (user ids) become members with the role `member`.
    @Sendable static func createWorkspace(_ request: HTTPRequest, _ context: VendorContext) throws(VendorError)
        -> HTTPResponse
    {
        let body = try RequestBody(request)
        let fields = try PortkeyWorkspaceFields(body)
        guard let name = fields.name else { throw .invalidRequest("name is required") }
        var userIDs: [String] = []
        if let users = body["users"], users != .null {
            guard case .array(let elements) = users, elements.allSatisfy({ $0.stringValue != nil }) else {
                throw .invalidRequest("users must be an array of user ids")
            }
            userIDs = elements.compactMap(\.stringValue)
        }
        let now = WallClockTime.now().iso8601
        let limit = context.namespace.maxCreatedWorkspaces
        let record = try context.namespace.write { (store) throws(VendorError) -> WorkspaceRecord in
            let reservation = try store.portkey.creations.reserve(limit: limit, in: store.portkey.workspaces) {
                PortkeyWorkspaceFields.id(name: name, number: $0)
            }
            let id = reservation.id
            var users: [PortkeyUser] = []
            for (index, id) in userIDs.enumerated() where !users.contains(where: { $0.id == id }) {
                guard let user = store.portkey.users[id] else {
                    throw .invalidRequest("users[\(index)] \(RequestBody.shown(id)) is not a user of the organization")
                }
                users.append(user)
            }
            let created: JSONValue = [
                "id": .string(id), "slug": .string(id), "name": .string(name), "description": nil,
                "created_at": .string(now), "last_updated_at": .string(now),
                "defaults": ["metadata": [:], "is_default": 0, "object": "workspace"], "usage_limits": [],
                "rate_limits": [], "object": "workspace", "status": "active",
            ]
            let record = WorkspaceRecord(value: fields.applied(to: created, now: now))
            store.portkey.creations.commit(reservation)
            store.portkey.insertWorkspace(record)
            for user in users {
                store.portkey.upsertMember(
                    PortkeyMembership(workspaceID: id, user: user, role: "member", createdAt: now, lastUpdatedAt: now))
            }
            return record
        }
        return .json(.ok, HTTPBody(parts: [record.encoded]))
    }

    /// `GET /admin/workspaces/{workspaceId}`: the workspace plus `users`, its members.
    @Sendable static func retrieveWorkspace(_ request: HTTPRequest, _ context: VendorContext) throws(VendorError)
        -> HTTPResponse
    {
        let key = context.parameters["workspaceId"] ?? ""
        return try context.namespace.read { (store) throws(VendorError) in
            let workspace = try workspace(key, in: store)
            // The record without its closing brace, then `,"users":[…]}`: a gather, no re-encoding.
            return .json(
                .ok,
                .list(
                    store.portkey.members(of: workspace.id), leading: workspace.encoded.dropLast(),
                    prefix: #","users":["#, suffix: "]}"))
        }
    }

    /// `PUT /admin/workspaces/{workspaceId}`: a partial update (`name`, `description`, `defaults.metadata`,
    /// `usage_limits`, `rate_limits`; null clears a limit list); renaming keeps the id and slug. `{}`.
    @Sendable static func updateWorkspace(_ request: HTTPRequest, _ context: VendorContext) throws(VendorError)
        -> HTTPResponse
    {
        let fields = try PortkeyWorkspaceFields(RequestBody(request))
        let key = context.parameters["workspaceId"] ?? ""
        let now = WallClockTime.now().iso8601
        try context.namespace.write { (store) throws(VendorError) in
            let current = try workspace(key, in: store)
            store.portkey.replaceWorkspace(WorkspaceRecord(value: fields.applied(to: current.value, now: now)))
        }
        return empty
    }

    /// `DELETE /admin/workspaces/{workspaceId}`, with an optional JSON body (`workspace_id`, `name`,
    /// `force_delete`): `{}`. The default workspace cannot be deleted (403 AB03); one that holds virtual
    /// keys only with `force_delete: true` (409 AB07 otherwise, the live service's answer). The workspace
    /// leaves the list (whether the real service archives it instead is unknown).
    @Sendable static func deleteWorkspace(_ request: HTTPRequest, _ context: VendorContext) throws(VendorError)
        -> HTTPResponse
    {
        var force = false
        if !request.body.isEmpty, let value = try RequestBody(request)["force_delete"], value != .null {
            guard case .bool(let flag) = value else {
                throw .invalidRequest("force_delete must be a boolean, got \(value.typeDescription)")
            }
            force = flag
        }
        let key = context.parameters["workspaceId"] ?? ""
        try context.namespace.write { (store) throws(VendorError) in
            let current = try workspace(key, in: store)
            if current.isPortkeyDefault {
                throw .refused("The default workspace cannot be deleted")
            }
            if store.portkey.virtualKeys[current.id] != nil, !force {
                throw .conflict("Unable to delete. Please ensure that all Virtual Keys are deleted")
            }
            store.portkey.removeWorkspace(id: current.id)
        }
        return empty
    }

    /// The workspace whose id or slug is `key`, else 404 AB08.
    static func workspace(_ key: String, in store: SeedStore) throws(VendorError) -> WorkspaceRecord {
        try store.portkey.workspaces.required(key)
    }

    /// `{}`: what Portkey answers to updates and deletes (the SDK needs a JSON object on every 2xx).
    static let empty = HTTPResponse.json(.ok, [:])
}
