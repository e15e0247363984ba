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

    public func openRouterRole(of key: String) -> Role? {
        Self.role(of: key, admin: openRouterManagement, limited: openRouterInference)
    }

    public func portkeyRole(of key: String) -> Role? {
        Self.role(of: key, admin: portkeyAdmin, limited: portkeyWorkspace)
    }

    /// Where `key` is listed, as the journal and the access log name it: the vendor, the role as
    /// `keys.json` names it and the 1-based place in that role's list, e.g. `openrouter management key 1`;
    /// nil when it is in no list. `vendor`'s lists are searched first. Every listed key is compared, in
    /// constant time, so the time taken says nothing about how much of an unknown key is right.
    func label(of key: String, preferring vendor: Vendor) -> String? {
        var preferred: String?
        var other: String?
        func search(_ list: [String], _ listVendor: Vendor, _ role: String) {
            for (index, candidate) in list.enumerated() where constantTimeEquals(key, candidate) {
                let label = "\(listVendor.rawValue) \(role) key \(index + 1)"
                if listVendor == vendor {
                    if preferred == nil { preferred = label }
                } else if other == nil {
                    other = label
                }
            }
        }
        search(openRouterManagement, .openrouter, "management")
        search(openRouterInference, .openrouter, "inference")
        search(portkeyAdmin, .portkey, "admin")
        search(portkeyWorkspace, .portkey, "workspace")
        return preferred ?? other
    }

    private static func role(of key: String, admin: [String], limited: [String]) -> Role? {
        var isAdmin = false
        var isLimited = false
        for candidate in admin { isAdmin = constantTimeEquals(key, candidate) || isAdmin }
        for candidate in limited { isLimited = constantTimeEquals(key, candidate) || isLimited }
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

/// Compares two strings in time that depends only on their lengths, not on where they first differ.
func constantTimeEquals(_ a: String, _ b: String) -> Bool {
    var a = a
    var b = b
    // Native strings hand out their UTF-8 storage without copying (`withUTF8` makes them native first).
    return a.withUTF8 { left in
        b.withUTF8 { right in
            var difference: UInt8 = left.count == right.count ? 0 : 1
            for index in 0..<max(left.count, right.count) {
                let x = index < left.count ? left[index] : 0
                let y = index < right.count ? right[index] : 0
                difference |= x ^ y
            }
            return difference == 0
        }
    }
}
