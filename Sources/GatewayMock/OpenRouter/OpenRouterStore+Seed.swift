import MockHTTP

/// Loading and replacing OpenRouter's collections from JSON (seed files and the control plane's
/// `PUT /__admin/seed/openrouter/<collection>`), each validated against its schema and the others.
extension OpenRouterStore {
    /// The files of a store directory, relative to it. Only the workspaces are required; a missing
    /// file of the others is an empty collection (and no default workspace).
    enum File {
        static let workspaces = "openrouter/workspaces.json"
        static let organizationMembers = "openrouter/organization-members.json"
        static let members = "openrouter/members.json"
        static let budgets = "openrouter/budgets.json"
        static let settings = "openrouter/settings.json"
    }

    /// Loads every collection; `read` gives an optional file's bytes (nil when it does not exist),
    /// `required` those of a file that must exist.
    static func load(
        read: (String) throws(SeedError) -> [UInt8]?, required: (String) throws(SeedError) -> [UInt8]
    ) throws(SeedError) -> OpenRouterStore {
        var store = OpenRouterStore(
            workspaces: try WorkspaceCatalog(
                json: try required(File.workspaces), schema: .openRouterWorkspace, file: File.workspaces))
        if let bytes = try read(File.organizationMembers) {
            _ = store.replaceOrganizationMembers(try parseOrganizationMembers(bytes, file: File.organizationMembers))
        }
        if let bytes = try read(File.settings) {
            _ = store.setDefaultWorkspace(try store.parseSettings(bytes, file: File.settings))
        }
        if let bytes = try read(File.members) {
            store.replaceMembers(try store.parseMembers(bytes, file: File.members))
        }
        if let bytes = try read(File.budgets) {
            store.replaceBudgets(try store.parseBudgets(bytes, file: File.budgets))
        }
        return store
    }

    /// An organization roster: a JSON array of `{"id","email","first_name","last_name","role"}`, ids and
    /// emails unique.
    static func parseOrganizationMembers(_ bytes: [UInt8], file: String) throws(SeedError)
        -> KeyedRecords<OrganizationMember>
    {
        var roster = KeyedRecords<OrganizationMember>()
        var firstOfEmail: [String: Int] = [:]
        var firstOfID: [String: Int] = [:]
        for (index, element) in try SeedError.array(in: bytes, of: "organization members", file: file).enumerated() {
            try RecordSchema.openRouterOrganizationMember.validate(element, file: file, index: index)
            let member = OrganizationMember(value: element)
            if let first = firstOfID.updateValue(index, forKey: member.id) {
                throw SeedError(
                    file: file, location: "[\(index)].id",
                    reason: "duplicate of [\(first)].id \(JSONString.quoted(member.id))")
            }
            let email = element["email"]?.stringValue ?? ""
            if let first = firstOfEmail.updateValue(index, forKey: email) {
                throw SeedError(
                    file: file, location: "[\(index)].email",
                    reason: "duplicate of [\(first)].email \(JSONString.quoted(email))")
            }
            roster.upsert(member)
        }
        return roster
    }

    /// `{"default_workspace_id": "<id>" | null}`: the id must be a workspace of this store.
    func parseSettings(_ bytes: [UInt8], file: String) throws(SeedError) -> String? {
        let document = try SeedError.object(in: bytes, file: file)
        guard case .object(let members) = document else { return nil }
        if let unknown = members.first(where: { $0.key != "default_workspace_id" }) {
            throw SeedError(
                file: file, location: unknown.key, reason: "unknown setting (expected default_workspace_id)")
        }
        switch document["default_workspace_id"] {
        case nil, .null?:
            return nil
        case .string(let id)?:
            guard workspaces.containsID(id) else {
                throw SeedError(
                    file: file, location: "default_workspace_id",
                    reason: "no workspace has the id \(JSONString.quoted(id))")
            }
            return id
        case let other?:
            throw SeedError(
                file: file, location: "default_workspace_id",
                reason: "expected a workspace id or null, got \(other.typeDescription)")
        }
    }

    /// Explicit workspace memberships: each of an organization member, in a workspace of this store
    /// other than the default one, with the role the member holds in the organization; one per
    /// (workspace, user) and unique ids.
    func parseMembers(_ bytes: [UInt8], file: String) throws(SeedError) -> [WorkspaceMember] {
        var result: [WorkspaceMember] = []
        var firstOfPair: [String: Int] = [:]
        var firstOfID: [String: Int] = [:]
        for (index, element) in try SeedError.array(in: bytes, of: "workspace members", file: file).enumerated() {
            try RecordSchema.openRouterWorkspaceMember.validate(element, file: file, index: index)
            let member = WorkspaceMember(value: element)
            func refuse(_ key: String, _ reason: String) -> SeedError {
                SeedError(file: file, location: "[\(index)].\(key)", reason: reason)
            }
            guard workspaces.containsID(member.workspaceID) else {
                throw refuse("workspace_id", "no workspace has the id \(JSONString.quoted(member.workspaceID))")
            }
            if member.workspaceID == defaultWorkspaceID {
                throw refuse(
                    "workspace_id",
                    "the default workspace holds every organization member implicitly; list no members of it")
            }
            guard let user = organizationMembers[member.userID] else {
                throw refuse("user_id", "\(JSONString.quoted(member.userID)) is not an organization member")
            }
            if member.role != user.role.workspaceRole {
                throw refuse(
                    "role",
                    "must be \(JSONString.quoted(user.role.workspaceRole)), the role of a \(user.role.rawValue) member")
            }
            if let first = firstOfID.updateValue(index, forKey: member.id) {
                throw refuse("id", "duplicate of [\(first)].id \(JSONString.quoted(member.id))")
            }
            if let first = firstOfPair.updateValue(index, forKey: member.workspaceID + " " + member.userID) {
                throw refuse("user_id", "duplicate of [\(first)]: the same user in the same workspace")
            }
            result.append(member)
        }
        return result
    }

    /// Budgets: each of a workspace of this store, one per (workspace, interval), unique ids, a positive
    /// limit, and every workspace's limits strictly decreasing as the interval narrows.
    func parseBudgets(_ bytes: [UInt8], file: String) throws(SeedError) -> [WorkspaceBudget] {
        var result: [WorkspaceBudget] = []
        var byWorkspace: [String: [(index: Int, budget: WorkspaceBudget)]] = [:]
        var firstOfID: [String: Int] = [:]
        for (index, element) in try SeedError.array(in: bytes, of: "workspace budgets", file: file).enumerated() {
            try RecordSchema.openRouterWorkspaceBudget.validate(element, file: file, index: index)
            let budget = WorkspaceBudget(value: element)
            func refuse(_ key: String, _ reason: String) -> SeedError {
                SeedError(file: file, location: "[\(index)].\(key)", reason: reason)
            }
            guard workspaces.containsID(budget.workspaceID) else {
                throw refuse("workspace_id", "no workspace has the id \(JSONString.quoted(budget.workspaceID))")
            }
            guard budget.limit > 0 else { throw refuse("limit_usd", "must be greater than 0") }
            if let first = firstOfID.updateValue(index, forKey: budget.id) {
                throw refuse("id", "duplicate of [\(first)].id \(JSONString.quoted(budget.id))")
            }
            let siblings = byWorkspace[budget.workspaceID, default: []]
            if let other = siblings.first(where: { $0.budget.interval == budget.interval }) {
                throw refuse(
                    "reset_interval",
                    "duplicate of [\(other.index)]: one \(budget.interval.rawValue) budget per workspace")
            }
            if let problem = WorkspaceBudget.orderingProblem(siblings.map(\.budget) + [budget]) {
                throw refuse("limit_usd", problem)
            }
            byWorkspace[budget.workspaceID, default: []].append((index, budget))
            result.append(budget)
        }
        return result
    }

    /// `settings.json` as it would be written now.
    var settingsJSON: JSONValue { ["default_workspace_id": .optional(defaultWorkspaceID.map(JSONValue.string))] }
}

extension RecordSchema {
    /// Checks element `index` of a seed array, as a `SeedError` naming `file`.
    func validate(_ value: JSONValue, file: String, index: Int) throws(SeedError) {
        do {
            try validate(value, at: "[\(index)]")
        } catch {
            throw SeedError(file: file, location: error.location, reason: error.reason)
        }
    }
}
