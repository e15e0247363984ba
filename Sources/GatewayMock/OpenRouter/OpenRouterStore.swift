import MockHTTP

/// Everything OpenRouter serves in one namespace: the workspaces, the organization's members, each
/// workspace's members and budgets, and which workspace is the default one.
///
/// Which workspace is the default is a fact of the mock's (`settings.json`), never served: the records go
/// out with exactly the vendor's fields. The default workspace implicitly holds every organization member
/// (OpenRouter's documentation of `GET /workspaces/{id}/members`), so it has no explicit members.
/// Every mutation keeps the references whole: a member is an organization member of a workspace that
/// exists, a budget belongs to a workspace that exists.
public struct OpenRouterStore: Sendable {
    public private(set) var workspaces: WorkspaceCatalog
    private(set) var organizationMembers: KeyedRecords<OrganizationMember>
    /// Explicit members by workspace id (never the default workspace's).
    private var members: [String: KeyedRecords<WorkspaceMember>] = [:]
    /// Budgets by workspace id, then interval.
    private var budgets: [String: [BudgetInterval: WorkspaceBudget]] = [:]
    public private(set) var defaultWorkspaceID: String?
    /// The default workspace's members: one per organization member, in roster order.
    private var implicitMembers: [WorkspaceMember] = []
    /// Workspaces created through the API in this namespace since it was made or reset.
    var creations = WorkspaceCreations()

    init(
        workspaces: WorkspaceCatalog, organizationMembers: KeyedRecords<OrganizationMember> = KeyedRecords(),
        members: [WorkspaceMember] = [], budgets: [WorkspaceBudget] = [], defaultWorkspaceID: String? = nil
    ) {
        self.workspaces = workspaces
        self.organizationMembers = organizationMembers
        self.defaultWorkspaceID = defaultWorkspaceID
        for member in members { self.members[member.workspaceID, default: KeyedRecords()].upsert(member) }
        for budget in budgets { self.budgets[budget.workspaceID, default: [:]][budget.interval] = budget }
        deriveImplicitMembers()
    }

    // MARK: - Workspaces

    func isDefault(_ workspace: WorkspaceRecord) -> Bool { workspace.id == defaultWorkspaceID }

    mutating func insertWorkspace(_ record: WorkspaceRecord) {
        workspaces.insert(record)
    }

    mutating func replaceWorkspace(_ record: WorkspaceRecord) {
        workspaces.replace(record)
        if record.id == defaultWorkspaceID { deriveImplicitMembers() }
    }

    /// Removes a workspace with its members and budgets (OpenRouter: "Deleting any workspace permanently
    /// deletes its budgets"); removing the default workspace leaves none.
    mutating func removeWorkspace(id: String) {
        workspaces.remove(id: id)
        members[id] = nil
        budgets[id] = nil
        if id == defaultWorkspaceID {
            defaultWorkspaceID = nil
            implicitMembers = []
        }
    }

    // MARK: - Members

    func memberCount(of workspace: WorkspaceRecord) -> Int {
        isDefault(workspace) ? implicitMembers.count : members[workspace.id]?.count ?? 0
    }

    func members(of workspace: WorkspaceRecord, offset: Int, limit: Int) -> [WorkspaceMember] {
        if isDefault(workspace) { return Array(implicitMembers.dropFirst(offset).prefix(limit)) }
        return members[workspace.id]?.page(offset: offset, limit: limit) ?? []
    }

    /// The membership of `userID` in `workspace`, implicit ones included.
    func member(_ userID: String, of workspace: WorkspaceRecord) -> WorkspaceMember? {
        if isDefault(workspace) { return implicitMembers.first { $0.userID == userID } }
        return members[workspace.id]?[userID]
    }

    /// Adds or updates an explicit membership (never of the default workspace).
    mutating func upsertMember(_ member: WorkspaceMember) {
        members[member.workspaceID, default: KeyedRecords()].upsert(member)
    }

    mutating func removeMember(_ userID: String, of workspaceID: String) {
        members[workspaceID]?.remove(key: userID)
    }

    // MARK: - Budgets

    /// A workspace's budgets, narrowest interval first.
    func budgets(of workspaceID: String) -> [WorkspaceBudget] {
        guard let byInterval = budgets[workspaceID] else { return [] }
        return BudgetInterval.allCases.compactMap { byInterval[$0] }
    }

    func budget(of workspaceID: String, _ interval: BudgetInterval) -> WorkspaceBudget? {
        budgets[workspaceID]?[interval]
    }

    mutating func setBudget(_ budget: WorkspaceBudget) {
        budgets[budget.workspaceID, default: [:]][budget.interval] = budget
    }

    mutating func removeBudget(of workspaceID: String, _ interval: BudgetInterval) {
        budgets[workspaceID]?[interval] = nil
    }

    // MARK: - Whole collections (the control plane's seed endpoints)

    /// Every explicit membership, by workspace in list order.
    var allMembers: [WorkspaceMember] {
        workspaces.all.flatMap { members[$0.id]?.all ?? [] }
    }

    /// Every budget, by workspace in list order.
    var allBudgets: [WorkspaceBudget] {
        workspaces.all.flatMap { budgets(of: $0.id) }
    }

    /// What was dropped because a replacement left it without its workspace or user.
    struct Dropped: Sendable, Equatable {
        var members = 0
        var budgets = 0
    }

    /// Replaces the workspaces; members and budgets of workspaces that are gone are dropped, and so is a
    /// default workspace that is gone.
    mutating func replaceWorkspaces(_ catalog: WorkspaceCatalog) -> Dropped {
        workspaces = catalog
        var dropped = Dropped()
        for id in Array(members.keys) where !catalog.containsID(id) {
            dropped.members += members.removeValue(forKey: id)?.count ?? 0
        }
        for id in Array(budgets.keys) where !catalog.containsID(id) {
            dropped.budgets += budgets.removeValue(forKey: id)?.count ?? 0
        }
        if let id = defaultWorkspaceID, !catalog.containsID(id) { defaultWorkspaceID = nil }
        deriveImplicitMembers()
        return dropped
    }

    /// Replaces the organization's roster; memberships of users no longer in it are dropped, and those of
    /// users whose organization role changed take the workspace role that goes with it (as `members/add`
    /// gives it), so that the members stay what a seed file may hold.
    mutating func replaceOrganizationMembers(_ roster: KeyedRecords<OrganizationMember>) -> Dropped {
        organizationMembers = roster
        var dropped = Dropped()
        for (workspaceID, list) in members {
            for member in list.all {
                if let user = roster[member.userID] {
                    if member.role != user.role.workspaceRole {
                        members[workspaceID]?.upsert(member.withRole(user.role.workspaceRole))
                    }
                } else {
                    members[workspaceID]?.remove(key: member.userID)
                    dropped.members += 1
                }
            }
        }
        deriveImplicitMembers()
        return dropped
    }

    /// Replaces every explicit membership (already checked against this store).
    mutating func replaceMembers(_ list: [WorkspaceMember]) {
        members = [:]
        for member in list { upsertMember(member) }
    }

    /// Replaces every budget (already checked against this store).
    mutating func replaceBudgets(_ list: [WorkspaceBudget]) {
        budgets = [:]
        for budget in list { setBudget(budget) }
    }

    /// Makes `id` (an existing workspace, or nil) the default workspace; its explicit members are dropped,
    /// since it now holds every organization member.
    mutating func setDefaultWorkspace(_ id: String?) -> Dropped {
        defaultWorkspaceID = id
        var dropped = Dropped()
        if let id { dropped.members = members.removeValue(forKey: id)?.count ?? 0 }
        deriveImplicitMembers()
        return dropped
    }

    private mutating func deriveImplicitMembers() {
        guard let id = defaultWorkspaceID, let workspace = workspaces.record(idOrSlug: id) else {
            implicitMembers = []
            return
        }
        let createdAt = workspace.value["created_at"]?.stringValue ?? ""
        implicitMembers = organizationMembers.all.map {
            WorkspaceMember(workspaceID: workspace.id, user: $0, createdAt: createdAt)
        }
    }
}
