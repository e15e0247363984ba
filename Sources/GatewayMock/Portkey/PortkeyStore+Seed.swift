import MockHTTP

/// Loading and replacing Portkey's collections from JSON (seed files and the control plane's
/// `PUT /__admin/seed/portkey/<collection>`), each validated against its schema and the others.
extension PortkeyStore {
    /// The files of a store directory, relative to it. Only the workspaces are required; a missing
    /// file of the others is an empty collection.
    enum File {
        static let workspaces = "portkey/workspaces.json"
        static let users = "portkey/users.json"
        static let members = "portkey/members.json"
        static let dependents = "portkey/dependents.json"
    }

    /// Loads every collection; `read` gives an optional file's bytes (nil when it does not exist),
    /// `required` those of a file that must exist.
    static func load(
        read: (String) throws(SeedError) -> [UInt8]?, required: (String) throws(SeedError) -> [UInt8]
    ) throws(SeedError) -> PortkeyStore {
        var store = PortkeyStore(workspaces: try parseWorkspaces(try required(File.workspaces), file: File.workspaces))
        if let bytes = try read(File.users) {
            _ = store.replaceUsers(try parseUsers(bytes, file: File.users))
        }
        if let bytes = try read(File.members) {
            store.replaceMembers(try store.parseMembers(bytes, file: File.members))
        }
        if let bytes = try read(File.dependents) {
            store.replaceVirtualKeys(try store.parseDependents(bytes, file: File.dependents))
        }
        return store
    }

    /// Workspaces as `WorkspaceCatalog` reads them, with at most one default workspace.
    static func parseWorkspaces(_ bytes: [UInt8], file: String) throws(SeedError) -> WorkspaceCatalog {
        let catalog = try WorkspaceCatalog(json: bytes, schema: .portkeyWorkspace, file: file)
        let defaults = catalog.all.enumerated().filter { $0.element.isPortkeyDefault }
        if defaults.count > 1 {
            throw SeedError(
                file: file, location: "[\(defaults[1].offset)].defaults.is_default",
                reason: "a second default workspace (the first is [\(defaults[0].offset)])")
        }
        return catalog
    }

    /// The organization's users: Portkey's `User`, ids and emails unique.
    static func parseUsers(_ bytes: [UInt8], file: String) throws(SeedError) -> KeyedRecords<PortkeyUser> {
        var roster = KeyedRecords<PortkeyUser>()
        var firstOfEmail: [String: Int] = [:]
        var firstOfID: [String: Int] = [:]
        for (index, element) in try SeedError.array(in: bytes, of: "users", file: file).enumerated() {
            try RecordSchema.portkeyUser.validate(element, file: file, index: index)
            let user = PortkeyUser(value: element)
            if let first = firstOfID.updateValue(index, forKey: user.id) {
                throw SeedError(
                    file: file, location: "[\(index)].id",
                    reason: "duplicate of [\(first)].id \(JSONString.quoted(user.id))")
            }
            if let first = firstOfEmail.updateValue(index, forKey: user.email.lowercased()) {
                throw SeedError(
                    file: file, location: "[\(index)].email",
                    reason: "duplicate of [\(first)].email \(JSONString.quoted(user.email))")
            }
            roster.upsert(user)
        }
        return roster
    }

    /// Memberships: each of a user of the organization, in a workspace of this store, one per
    /// (workspace, user).
    func parseMembers(_ bytes: [UInt8], file: String) throws(SeedError) -> [PortkeyMembership] {
        var result: [PortkeyMembership] = []
        var firstOfPair: [String: Int] = [:]
        for (index, element) in try SeedError.array(in: bytes, of: "workspace members", file: file).enumerated() {
            try RecordSchema.portkeyMembership.validate(element, file: file, index: index)
            func refuse(_ key: String, _ reason: String) -> SeedError {
                SeedError(file: file, location: "[\(index)].\(key)", reason: reason)
            }
            let workspaceID = element["workspace_id"]?.stringValue ?? ""
            let userID = element["user_id"]?.stringValue ?? ""
            guard workspaces.containsID(workspaceID) else {
                throw refuse("workspace_id", "no workspace has the id \(JSONString.quoted(workspaceID))")
            }
            guard let user = users[userID] else {
                throw refuse("user_id", "\(JSONString.quoted(userID)) is not a user of the organization")
            }
            if let first = firstOfPair.updateValue(index, forKey: workspaceID + " " + userID) {
                throw refuse("user_id", "duplicate of [\(first)]: the same user in the same workspace")
            }
            result.append(
                PortkeyMembership(
                    workspaceID: workspaceID, user: user, role: element["role"]?.stringValue ?? "",
                    createdAt: element["created_at"]?.stringValue ?? "",
                    lastUpdatedAt: element["last_updated_at"]?.stringValue ?? ""))
        }
        return result
    }

    /// `{"virtual_keys":{"<workspace id>":<count ≥ 1>}}`: the workspaces of this store that hold virtual keys.
    func parseDependents(_ bytes: [UInt8], file: String) throws(SeedError) -> [String: Int] {
        guard case .object(let members) = try SeedError.object(in: bytes, file: file) else { return [:] }
        var counts: [String: Int] = [:]
        for (key, value) in members {
            guard key == "virtual_keys" else {
                throw SeedError(file: file, location: key, reason: "unknown dependent (expected virtual_keys)")
            }
            guard case .object(let byWorkspace) = value else {
                throw SeedError(
                    file: file, location: key,
                    reason: "expected an object of workspace ids, got \(value.typeDescription)")
            }
            for (id, count) in byWorkspace {
                guard workspaces.containsID(id) else {
                    throw SeedError(file: file, location: "\(key).\(id)", reason: "no workspace has this id")
                }
                guard case .number(let text) = count, let number = Int(text), number >= 1 else {
                    throw SeedError(file: file, location: "\(key).\(id)", reason: "expected an integer of 1 or more")
                }
                counts[id] = number
            }
        }
        return counts
    }

    /// `dependents.json` as it would be written now.
    var dependentsJSON: JSONValue {
        let workspaceIDs = workspaces.all.map(\.id).filter { virtualKeys[$0] != nil }
        return ["virtual_keys": .object(workspaceIDs.map { ($0, .integer(virtualKeys[$0] ?? 0)) })]
    }
}
