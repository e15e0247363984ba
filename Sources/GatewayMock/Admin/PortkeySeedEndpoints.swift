import MockHTTP

/// `GET`/`PUT /__admin/seed/portkey/<collection>`: read or replace one of Portkey's collections in the
/// caller's namespace (`workspaces`, `users`, `members`, `dependents`), in the layout of its seed file,
/// validated and all or nothing like OpenRouter's (`OpenRouterSeedEndpoints.swift`). Replacing the
/// workspaces or the users drops the memberships (and virtual keys) left without their workspace or user.
/// To restore a snapshot, put `users`, `workspaces`, `members`, `dependents` in that order.
extension ControlPlane {
    enum PortkeyCollection: String, CaseIterable {
        case workspaces, users, members, dependents

        var file: String {
            switch self {
            case .workspaces: PortkeyStore.File.workspaces
            case .users: PortkeyStore.File.users
            case .members: PortkeyStore.File.members
            case .dependents: PortkeyStore.File.dependents
            }
        }
    }

    @Sendable static func portkeyCollection(_ request: HTTPRequest, _ context: Context) throws(ControlPlaneError)
        -> HTTPResponse
    {
        let collection: PortkeyCollection = try collection("Portkey", context)
        return try context.namespace().read { store in
            let portkey = store.portkey
            return switch collection {
            case .workspaces: .json(.ok, .list(portkey.workspaces.all, prefix: "[", suffix: "]"))
            case .users: .json(.ok, .list(portkey.users.all, prefix: "[", suffix: "]"))
            case .members: .json(.ok, .array(portkey.allMembers.map(\.seedValue)))
            case .dependents: .json(.ok, portkey.dependentsJSON)
            }
        }
    }

    @Sendable static func replacePortkeyCollection(_ request: HTTPRequest, _ context: Context)
        throws(ControlPlaneError) -> HTTPResponse
    {
        let collection: PortkeyCollection = try collection("Portkey", context)
        let namespace = try context.namespace()
        let label = "request body (\(collection.file))"
        do {
            let (count, dropped) = try namespace.write { (store) throws(SeedError) -> (Int, PortkeyStore.Dropped) in
                switch collection {
                case .workspaces:
                    let catalog = try PortkeyStore.parseWorkspaces(request.body, file: label)
                    return (catalog.count, store.portkey.replaceWorkspaces(catalog))
                case .users:
                    let roster = try PortkeyStore.parseUsers(request.body, file: label)
                    return (roster.count, store.portkey.replaceUsers(roster))
                case .members:
                    let members = try store.portkey.parseMembers(request.body, file: label)
                    store.portkey.replaceMembers(members)
                    return (members.count, PortkeyStore.Dropped())
                case .dependents:
                    let counts = try store.portkey.parseDependents(request.body, file: label)
                    store.portkey.replaceVirtualKeys(counts)
                    return (counts.count, PortkeyStore.Dropped())
                }
            }
            return replaced(
                .portkey, collection.rawValue, count: count,
                dropped: [("members", .integer(dropped.members)), ("virtual_keys", .integer(dropped.virtualKeys))])
        } catch {
            throw ControlPlaneError(.badRequest, error.description)
        }
    }
}
