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

    /// The collection the path names, else a 404 listing them.
    static func collection<Collection: CaseIterable & RawRepresentable<String>>(
        _ vendor: String, _ context: Context
    ) throws(ControlPlaneError) -> Collection {
        let name = context.parameters["collection"] ?? ""
        guard let collection = Collection(rawValue: name) else {
            throw ControlPlaneError(
                .notFound,
                "no \(vendor) collection \(JSONString.quoted(name)) (expected "
                    + Collection.allCases.map(\.rawValue).joined(separator: ", ") + ")")
        }
        return collection
    }

    /// The answer to a replacement: `{"vendor","collection","count"?,"dropped":{…}}`.
    static func replaced(
        _ vendor: Vendor, _ collection: String, count: Int?, dropped: [(key: String, value: JSONValue)]
    ) -> HTTPResponse {
        var answer: [(key: String, value: JSONValue)] = [
            ("vendor", .string(vendor.rawValue)), ("collection", .string(collection)),
        ]
        if let count { answer.append(("count", .integer(count))) }
        answer.append(("dropped", .object(dropped)))
        return .json(.ok, .object(answer))
    }

    @Sendable static func openRouterCollection(_ request: HTTPRequest, _ context: Context) throws(ControlPlaneError)
        -> HTTPResponse
    {
        let collection: OpenRouterCollection = try collection("OpenRouter", context)
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
        let collection: OpenRouterCollection = try collection("OpenRouter", context)
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
            return replaced(
                .openrouter, collection.rawValue, count: count,
                dropped: [("members", .integer(dropped.members)), ("budgets", .integer(dropped.budgets))])
        } catch {
            throw ControlPlaneError(.badRequest, error.description)
        }
    }
}
