import MockHTTP

/// Everything Portkey serves in one namespace: the workspaces, the organization's users, each workspace's
/// members, and which workspaces hold virtual keys.
///
/// The virtual keys are a fact of the mock's (`dependents.json`), never served: the real service refuses
/// to delete a workspace that still has them (409 AB07) unless the body says `force_delete: true`, and the
/// virtual-key API is not emulated. The default workspace is the one whose `defaults.is_default` is 1.
/// Every mutation keeps the references whole: a member is a user of the organization, in a workspace
/// that exists.
public struct PortkeyStore: Sendable {
    public private(set) var workspaces: WorkspaceCatalog
    private(set) var users: KeyedRecords<PortkeyUser>
    /// Members by workspace id.
    private var members: [String: KeyedRecords<PortkeyMembership>] = [:]
    /// Virtual keys by workspace id.
    private(set) var virtualKeys: [String: Int] = [:]
    /// Workspaces created through the API in this namespace since it was made or reset.
    var creations = WorkspaceCreations()

    init(workspaces: WorkspaceCatalog, users: KeyedRecords<PortkeyUser> = KeyedRecords()) {
        self.workspaces = workspaces
        self.users = users
    }

    // MARK: - Workspaces

    mutating func insertWorkspace(_ record: WorkspaceRecord) { workspaces.insert(record) }

    mutating func replaceWorkspace(_ record: WorkspaceRecord) { workspaces.replace(record) }

    /// Removes a workspace with its members and its virtual keys.
    mutating func removeWorkspace(id: String) {
        workspaces.remove(id: id)
        members[id] = nil
        virtualKeys[id] = nil
    }

    // MARK: - Members

    /// A workspace's members in the order they were added.
    func members(of workspaceID: String) -> [PortkeyMembership] { members[workspaceID]?.all ?? [] }

    func member(_ userID: String, of workspaceID: String) -> PortkeyMembership? { members[workspaceID]?[userID] }

    mutating func upsertMember(_ member: PortkeyMembership) {
        members[member.workspaceID, default: KeyedRecords()].upsert(member)
    }

    mutating func removeMember(_ userID: String, of workspaceID: String) {
        members[workspaceID]?.remove(key: userID)
    }

    // MARK: - Whole collections (the control plane's seed endpoints)

    /// Every membership, by workspace in list order.
    var allMembers: [PortkeyMembership] { workspaces.all.flatMap { members(of: $0.id) } }

    /// What was dropped because a replacement left it without its workspace or user.
    struct Dropped: Sendable, Equatable {
        var members = 0
        var virtualKeys = 0
    }

    /// Replaces the workspaces; members and virtual keys of workspaces that are gone are dropped.
    mutating func replaceWorkspaces(_ catalog: WorkspaceCatalog) -> Dropped {
        workspaces = catalog
        var dropped = Dropped()
        for id in Array(members.keys) where !catalog.containsID(id) {
            dropped.members += members.removeValue(forKey: id)?.count ?? 0
        }
        for id in Array(virtualKeys.keys) where !catalog.containsID(id) {
            virtualKeys[id] = nil
            dropped.virtualKeys += 1
        }
        return dropped
    }

    /// Replaces the organization's users; memberships of users no longer in it are dropped, the others
    /// show their user's new name, email and role.
    mutating func replaceUsers(_ roster: KeyedRecords<PortkeyUser>) -> Dropped {
        users = roster
        var dropped = Dropped()
        for (workspaceID, list) in members {
            for member in list.all {
                if let user = roster[member.userID] {
                    members[workspaceID]?.upsert(member.composed(with: user))
                } else {
                    members[workspaceID]?.remove(key: member.userID)
                    dropped.members += 1
                }
            }
        }
        return dropped
    }

    /// Replaces every membership (already checked against this store).
    mutating func replaceMembers(_ list: [PortkeyMembership]) {
        members = [:]
        for member in list { upsertMember(member) }
    }

    /// Replaces the virtual-key counts (already checked against this store).
    mutating func replaceVirtualKeys(_ counts: [String: Int]) { virtualKeys = counts }
}
