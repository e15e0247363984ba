import MockHTTP

/// `/api/v1/workspaces/{id}/members` (list, `add`, `remove`) and `/api/v1/organization/members`. Members
/// are drawn from the organization's roster and get the role they hold in it; the default workspace
/// implicitly holds every organization member (OpenRouter's documentation of the members list).
extension OpenRouterEmulation {
    /// `GET /workspaces/{id}/members`: `{"data":[Member],"total_count":N}`, paged like the workspace list.
    @Sendable static func listMembers(_ request: HTTPRequest, _ context: VendorContext) throws(VendorError)
        -> HTTPResponse
    {
        let (offset, limit) = try paging(request.query)
        let key = context.parameters["id"] ?? ""
        return try context.namespace.read { (store) throws(VendorError) in
            let workspace = try workspace(key, in: store)
            return list(
                store.openRouter.members(of: workspace, offset: offset, limit: limit),
                totalCount: store.openRouter.memberCount(of: workspace))
        }
    }

    /// `POST /workspaces/{id}/members/add` with `{"user_ids":[…]}` (1–100 organization members):
    /// `{"added_count":N,"data":[Member]}`, counting the memberships created or whose role changed.
    @Sendable static func addMembers(_ request: HTTPRequest, _ context: VendorContext) throws(VendorError)
        -> HTTPResponse
    {
        let userIDs = try RequestBody(request).strings("user_ids", maximum: 100)
        let key = context.parameters["id"] ?? ""
        let now = WallClockTime.now().iso8601Seconds
        let added = try context.namespace.write { (store) throws(VendorError) -> [WorkspaceMember] in
            let workspace = try workspace(key, in: store)
            var users: [OrganizationMember] = []
            for (index, id) in userIDs.enumerated() where !users.contains(where: { $0.id == id }) {
                guard let user = store.openRouter.organizationMembers[id] else {
                    throw .invalidRequest(
                        "user_ids[\(index)] \(RequestBody.shown(id)) is not a member of the organization")
                }
                users.append(user)
            }
            var added: [WorkspaceMember] = []
            for user in users {
                let existing = store.openRouter.member(user.id, of: workspace)
                if existing?.role == user.role.workspaceRole { continue }
                let member = WorkspaceMember(workspaceID: workspace.id, user: user, createdAt: now)
                store.openRouter.upsertMember(member)
                added.append(member)
            }
            return added
        }
        return .json(
            .ok, .list(added, prefix: #"{"added_count":\#(added.count),"data":["#, suffix: "]}"))
    }

    /// `POST /workspaces/{id}/members/remove` with `{"user_ids":[…]}` (1–100 members of the workspace):
    /// `{"removed_count":N}`. The default workspace's members are implicit and cannot be removed.
    @Sendable static func removeMembers(_ request: HTTPRequest, _ context: VendorContext) throws(VendorError)
        -> HTTPResponse
    {
        let userIDs = try RequestBody(request).strings("user_ids", maximum: 100)
        let key = context.parameters["id"] ?? ""
        let removed = try context.namespace.write { (store) throws(VendorError) -> Int in
            let workspace = try workspace(key, in: store)
            if store.openRouter.isDefault(workspace) {
                throw .invalidRequest(
                    "Members cannot be removed from the default workspace: it holds every organization member")
            }
            var unique: [String] = []
            for (index, id) in userIDs.enumerated() where !unique.contains(id) {
                guard store.openRouter.member(id, of: workspace) != nil else {
                    throw .invalidRequest(
                        "user_ids[\(index)] \(RequestBody.shown(id)) is not a member of this workspace")
                }
                unique.append(id)
            }
            for id in unique { store.openRouter.removeMember(id, of: workspace.id) }
            return unique.count
        }
        return .json(.ok, ["removed_count": .integer(removed)])
    }

    /// `GET /organization/members`: `{"data":[OrgMember],"total_count":N}`, paged like the workspace list.
    @Sendable static func listOrganizationMembers(_ request: HTTPRequest, _ context: VendorContext)
        throws(VendorError) -> HTTPResponse
    {
        let (offset, limit) = try paging(request.query)
        return context.namespace.read { store in
            let roster = store.openRouter.organizationMembers
            return list(roster.page(offset: offset, limit: limit), totalCount: roster.count)
        }
    }
}
