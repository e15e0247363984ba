import MockHTTP

/// Everything that changes while the mock runs: the namespaces, each starting as a copy of the store
/// loaded at start-up. The default namespace always exists; others are created on first use, up to a limit.
public final class MockState: Sendable {
    /// The store loaded at start-up, which `reset` restores.
    public let loadedStore: SeedStore
    /// Every namespace's journal, within one byte budget.
    let journals: JournalStore
    /// The live feed of what the journals record (`GET /__admin/requests/stream`).
    let requestFeed = RequestFeed()
    let maxNamespaces: Int
    let maxCreatedWorkspaces: Int
    let defaultNamespace: Namespace
    private let others = Locked<[String: Namespace]>([:])

    public static let defaultNamespaceName = "default"
    /// The default byte budget of all journals together (`--journal-bytes`): 64 MiB.
    public static let defaultJournalBytes = 64 * 1024 * 1024

    /// Why a namespace could not be had.
    public enum NamespaceError: Error, Sendable, Equatable, CustomStringConvertible {
        case invalidName(String)
        case limitReached(Int)

        public var description: String {
            switch self {
            case .invalidName(let name):
                "namespace \(name.debugDescription) is not 1 to 64 letters, digits, '.', '_' or '-'"
            case .limitReached(let limit):
                "too many namespaces: the limit of \(limit) is reached (raise --max-namespaces, or POST /__admin/reset?namespace=* to drop them)"
            }
        }
    }

    /// - Parameters:
    ///   - journalCapacity: requests each namespace's journal keeps (`--journal-size`).
    ///   - journalBytes: the byte budget of all journals together (`--journal-bytes`, `JournalEntry.cost`).
    ///   - maxNamespaces: namespaces that may exist besides the default one.
    ///   - maxCreatedWorkspaces: workspaces the API may create per namespace (seeds not counted).
    public init(
        store: SeedStore, journalCapacity: Int = 1000, journalBytes: Int = defaultJournalBytes,
        maxNamespaces: Int = 256, maxCreatedWorkspaces: Int = 10_000
    ) {
        self.loadedStore = store
        self.journals = JournalStore(capacityPerNamespace: journalCapacity, byteBudget: journalBytes)
        self.maxNamespaces = maxNamespaces
        self.maxCreatedWorkspaces = maxCreatedWorkspaces
        self.defaultNamespace = Namespace(
            name: Self.defaultNamespaceName, store: store, journals: journals, feed: requestFeed,
            maxCreatedWorkspaces: maxCreatedWorkspaces)
    }

    /// The namespace named `name` (nil or empty: the default one), created from the loaded store on first use.
    func namespace(_ name: String?) throws(NamespaceError) -> Namespace {
        guard let name, !name.isEmpty, name != Self.defaultNamespaceName else { return defaultNamespace }
        guard Self.isValidName(name) else { throw .invalidName(name) }
        return try others.withLock { (others) throws(NamespaceError) -> Namespace in
            if let existing = others[name] { return existing }
            guard others.count < maxNamespaces else { throw .limitReached(maxNamespaces) }
            let created = Namespace(
                name: name, store: loadedStore, journals: journals, feed: requestFeed,
                maxCreatedWorkspaces: maxCreatedWorkspaces)
            others[name] = created
            return created
        }
    }

    /// The namespace named `name` if it exists already (nil or empty: the default one); nil otherwise,
    /// and for a name that cannot be one. Nothing is created.
    func existingNamespace(_ name: String?) -> Namespace? {
        guard let name, !name.isEmpty, name != Self.defaultNamespaceName else { return defaultNamespace }
        return others.withLock { $0[name] }
    }

    /// 1 to 64 letters, digits, `.`, `_` or `-`.
    static func isValidName(_ name: String) -> Bool {
        var name = name
        // The bytes in place: the access log asks this of every request's namespace.
        return name.withUTF8 { bytes in
            !bytes.isEmpty && bytes.count <= 64
                && bytes.allSatisfy {
                    $0.isASCIIAlphanumeric || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_")
                        || $0 == UInt8(ascii: "-")
                }
        }
    }

    /// How many namespaces exist besides the default one.
    var namespaceCount: Int { others.withLock { $0.count } }

    /// Every namespace that exists: the default one first, then the others by name (in code-point order,
    /// which for the ASCII names a namespace may have is byte order).
    var namespaces: [Namespace] {
        [defaultNamespace] + others.withLock { Array($0.values) }.sorted { $0.name < $1.name }
    }

    /// Resets the default namespace and drops every other one, releasing every journal's bytes at once
    /// (a dropped namespace's own would be released only when the last request using it finishes).
    func resetAll() {
        others.withLock { $0.removeAll() }
        journals.removeAll()
        defaultNamespace.reset(to: loadedStore)
    }
}

extension UInt8 {
    var isASCIIAlphanumeric: Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(self) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(self)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self)
    }
}
