import MockHTTP

/// The API keys the mock accepts, per vendor and role, as `seed-data/keys.json` lists them.
///
/// Keys are compared in constant time against every known key, so response timing does not reveal
/// how much of a guessed key was right.
public struct APIKeys: Sendable, Equatable {
    /// OpenRouter management keys: may list workspaces.
    public var openRouterManagement: [String]
    /// OpenRouter inference keys: known, but answered 403 on management endpoints.
    public var openRouterInference: [String]
    /// Portkey admin keys: may list workspaces.
    public var portkeyAdmin: [String]
    /// Portkey workspace-scoped keys: known, but answered 403 on admin endpoints.
    public var portkeyWorkspace: [String]

    public init(
        openRouterManagement: [String] = [], openRouterInference: [String] = [],
        portkeyAdmin: [String] = [], portkeyWorkspace: [String] = []
    ) {
        self.openRouterManagement = openRouterManagement
        self.openRouterInference = openRouterInference
        self.portkeyAdmin = portkeyAdmin
        self.portkeyWorkspace = portkeyWorkspace
    }

    /// What a presented key may do.
    public enum Role: Sendable, Equatable {
        /// Allowed on the admin endpoints (OpenRouter management, Portkey admin).
        case admin
        /// Known to the vendor but not allowed here (OpenRouter inference, Portkey workspace key).
        case limited
    }

    public func openRouterRole(of key: some StringProtocol) -> Role? {
        key.withUTF8Bytes { openRouterRole(of: $0) }
    }

    /// The role of the key whose UTF-8 bytes are `key` (read in place: every OpenRouter request's key).
    func openRouterRole(of key: UnsafeBufferPointer<UInt8>) -> Role? {
        Self.role(of: key, admin: openRouterManagement, limited: openRouterInference)
    }

    public func portkeyRole(of key: some StringProtocol) -> Role? {
        key.withUTF8Bytes { portkeyRole(of: $0) }
    }

    /// The role of the key whose UTF-8 bytes are `key` (read in place: every Portkey request's key).
    func portkeyRole(of key: UnsafeBufferPointer<UInt8>) -> Role? {
        Self.role(of: key, admin: portkeyAdmin, limited: portkeyWorkspace)
    }

    /// One of the four key lists.
    enum List: Int, CaseIterable, Sendable {
        case openRouterManagement, openRouterInference, portkeyAdmin, portkeyWorkspace

        var vendor: Vendor { self == .openRouterManagement || self == .openRouterInference ? .openrouter : .portkey }

        /// The role as `keys.json` names it.
        var role: String {
            switch self {
            case .openRouterManagement: "management"
            case .openRouterInference: "inference"
            case .portkeyAdmin: "admin"
            case .portkeyWorkspace: "workspace"
            }
        }
    }

    /// Where the key whose UTF-8 bytes are `key` is listed: the list and the 0-based index in it; nil when
    /// it is in no list. A key in several lists is placed in `vendor`'s first, and in the admin role's
    /// (management, admin) before the other's. Every listed key is compared, in constant time, so the time
    /// taken says nothing about how much of an unknown key is right. (On the bytes in place: every logged
    /// request shows its key.)
    func place(of key: UnsafeBufferPointer<UInt8>, preferring vendor: Vendor) -> (list: List, index: Int)? {
        // Every list is searched whatever is found, so that the time does not depend on the key.
        let management = Self.index(of: key, in: openRouterManagement)
        let inference = Self.index(of: key, in: openRouterInference)
        let admin = Self.index(of: key, in: portkeyAdmin)
        let workspace = Self.index(of: key, in: portkeyWorkspace)
        let openRouter =
            management.map { (List.openRouterManagement, $0) } ?? inference.map { (.openRouterInference, $0) }
        let portkey = admin.map { (List.portkeyAdmin, $0) } ?? workspace.map { (.portkeyWorkspace, $0) }
        return vendor == .openrouter ? openRouter ?? portkey : portkey ?? openRouter
    }

    /// The index of the first key of `list` equal to `key`, comparing with every one in constant time.
    private static func index(of key: UnsafeBufferPointer<UInt8>, in list: [String]) -> Int? {
        var found: Int?
        for (index, candidate) in list.enumerated() {
            let equal = candidate.withUTF8Bytes { constantTimeEquals(key, $0) }
            if equal, found == nil { found = index }
        }
        return found
    }

    private static func role(of key: UnsafeBufferPointer<UInt8>, admin: [String], limited: [String]) -> Role? {
        var isAdmin = false
        var isLimited = false
        for candidate in admin { isAdmin = candidate.withUTF8Bytes { constantTimeEquals(key, $0) } || isAdmin }
        for candidate in limited { isLimited = candidate.withUTF8Bytes { constantTimeEquals(key, $0) } || isLimited }
        return isAdmin ? .admin : isLimited ? .limited : nil
    }

    /// Parses `keys.json`: `{"openrouter":{"management":[…],"inference":[…]},"portkey":{"admin":[…],"workspace":[…]}}`.
    /// Every role may be left out (no keys); unknown vendors or roles are refused, to catch typos.
    init(json bytes: [UInt8], file: String) throws(SeedError) {
        let document: JSONValue
        do {
            document = try JSONParser.parse(bytes)
        } catch {
            throw SeedError(file: file, location: "", reason: error.description)
        }
        let layout = ["openrouter": ["management", "inference"], "portkey": ["admin", "workspace"]]
        var lists: [String: [String]] = [:]
        guard case .object(let vendors) = document else {
            throw SeedError(file: file, location: "", reason: "expected an object, got \(document.typeDescription)")
        }
        for (vendor, rolesValue) in vendors {
            guard let roleNames = layout[vendor] else {
                throw SeedError(file: file, location: vendor, reason: "unknown vendor (expected openrouter or portkey)")
            }
            guard case .object(let roles) = rolesValue else {
                throw SeedError(
                    file: file, location: vendor, reason: "expected an object, got \(rolesValue.typeDescription)")
            }
            for (role, keysValue) in roles {
                let location = "\(vendor).\(role)"
                guard roleNames.contains(role) else {
                    throw SeedError(
                        file: file, location: location,
                        reason: "unknown role (expected \(roleNames.joined(separator: " or ")))")
                }
                guard case .array(let keys) = keysValue else {
                    throw SeedError(
                        file: file, location: location,
                        reason: "expected an array of strings, got \(keysValue.typeDescription)")
                }
                lists[location] = try keys.enumerated().map { (index, key) throws(SeedError) in
                    guard let text = key.stringValue, !text.isEmpty, text.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F })
                    else {
                        throw SeedError(
                            file: file, location: "\(location)[\(index)]",
                            reason: "a key must be a non-empty string of visible ASCII")
                    }
                    return text
                }
            }
        }
        self.init(
            openRouterManagement: lists["openrouter.management"] ?? [],
            openRouterInference: lists["openrouter.inference"] ?? [],
            portkeyAdmin: lists["portkey.admin"] ?? [],
            portkeyWorkspace: lists["portkey.workspace"] ?? [])
    }
}

extension APIKeys {
    /// The keys in the layout of `keys.json`, so that what `GET /__admin/seed/keys` returns can be put back.
    var jsonValue: JSONValue {
        func list(_ keys: [String]) -> JSONValue { .array(keys.map(JSONValue.string)) }
        return [
            "openrouter": ["management": list(openRouterManagement), "inference": list(openRouterInference)],
            "portkey": ["admin": list(portkeyAdmin), "workspace": list(portkeyWorkspace)],
        ]
    }
}

/// Compares two byte strings in time that depends only on their lengths (eight bytes at a time).
func constantTimeEquals(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Bool {
    guard left.count == right.count else { return false }
    let (a, b) = (UnsafeRawBufferPointer(left), UnsafeRawBufferPointer(right))
    var difference: UInt64 = 0
    var offset = 0
    while offset + 8 <= a.count {
        difference |=
            a.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            ^ b.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
        offset += 8
    }
    while offset < a.count {
        difference |= UInt64(a[offset] ^ b[offset])
        offset += 1
    }
    return difference == 0
}
