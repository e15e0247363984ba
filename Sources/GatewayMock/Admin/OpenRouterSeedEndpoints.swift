import MockHTTP

/// `GET`/`PUT /__admin/seed/openrouter/<collection>`: read or replace one of OpenRouter's collections in
/// the caller's namespace, in the layout of its seed file, so that a test can snapshot what it built and
/// put it back. A replacement is validated like the seed file (schema, and references to the other
/// collections as they are now) and is all or nothing. Replacing the workspaces or the organization's
/// members drops the memberships and budgets left without their workspace or user (as deleting them
/// would), and a default workspace that is gone; the answer counts what was dropped. To restore a
/// snapshot, put `organization-members`, `workspaces`, `settings`, `members`, `budgets` in that order.
extension ControlPlane {
    enum OpenRouterCollection: String, CaseIterable {
        case workspaces
        case organizationMembers = "organization-members"
        case members, budgets, settings

        var file: String {
            switch self {
            case .workspaces: OpenRouterStore.File.workspaces
            case .organizationMembers: OpenRouterStore.File.organizationMembers
            case .members: OpenRouterStore.File.members
            case .budgets: OpenRouterStore.File.budgets
            case .settings: OpenRouterStore.File.settings
            }
        }
    }

    private static func collection(_ context: Context) throws(ControlPlaneError) -> OpenRouterCollection {
        let name = context.parameters["collection"] ?? ""
        guard let collection = OpenRouterCollection(rawValue: name) else {
            throw ControlPlaneError(
                .notFound,
                "no OpenRouter collection \(JSONString.quoted(name)) (expected "
                    + OpenRouterCollection.allCases.map(\.rawValue).joined(separator: ", ") + ")")
        }
        return collection
    }

    @Sendable static func openRouterCollection(_ request: HTTPRequest, _ context: Context) throws(ControlPlaneError)
        -> HTTPResponse
    {
        let collection = try collection(context)
        return try context.namespace().read { store in
            let openRouter = store.openRouter
            return switch collection {
            case .workspaces: .json(.ok, .list(openRouter.workspaces.all, prefix: "[", suffix: "]"))
            case .organizationMembers: .json(.ok, .list(openRouter.organizationMembers.all, prefix: "[", suffix: "]"))
            case .members: .json(.ok, .list(openRouter.allMembers, prefix: "[", suffix: "]"))
            case .budgets: .json(.ok, .list(openRouter.allBudgets, prefix: "[", suffix: "]"))
            case .settings: .json(.ok, openRouter.settingsJSON)
            }
        }
    }

    @Sendable static func replaceOpenRouterCollection(_ request: HTTPRequest, _ context: Context)
        throws(ControlPlaneError) -> HTTPResponse
    {
        let collection = try collection(context)
        let namespace = try context.namespace()
        let label = "request body (\(collection.file))"
        do {
            let (count, dropped) = try namespace.write { (store) throws(SeedError) -> (Int?, OpenRouterStore.Dropped) in
                switch collection {
                case .workspaces:
                    let catalog = try WorkspaceCatalog(json: request.body, vendor: .openrouter, file: label)
                    return (catalog.count, store.openRouter.replaceWorkspaces(catalog))
                case .organizationMembers:
                    let roster = try OpenRouterStore.parseOrganizationMembers(request.body, file: label)
                    return (roster.count, store.openRouter.replaceOrganizationMembers(roster))
                case .members:
                    let members = try store.openRouter.parseMembers(request.body, file: label)
                    store.openRouter.replaceMembers(members)
                    return (members.count, OpenRouterStore.Dropped())
                case .budgets:
                    let budgets = try store.openRouter.parseBudgets(request.body, file: label)
                    store.openRouter.replaceBudgets(budgets)
                    return (budgets.count, OpenRouterStore.Dropped())
                case .settings:
                    let id = try store.openRouter.parseSettings(request.body, file: label)
                    return (nil, store.openRouter.setDefaultWorkspace(id))
                }
            }
            var answer: [(key: String, value: JSONValue)] = [
                ("vendor", "openrouter"), ("collection", .string(collection.rawValue)),
            ]
            if let count { answer.append(("count", .integer(count))) }
            answer.append(("dropped", ["members": .integer(dropped.members), "budgets": .integer(dropped.budgets)]))
            return .json(.ok, .object(answer))
        } catch {
            throw ControlPlaneError(.badRequest, error.description)
        }
    }
}
