import MockHTTP
import Synchronization

/// One caller's world: its own copy of the store, its fault rules and its request journal. Parallel
/// test suites each use their own (`X-Mock-Namespace`), so they never see each other's changes.
///
/// The journal lives in the shared `JournalStore` (one byte budget for all namespaces), under this
/// namespace's key; it is released when the namespace is reset or goes away. What it records also goes to
/// the live feed (`RequestFeed`), under the namespace's name.
final class Namespace: Sendable {
    let name: String
    /// How many workspaces the API may create in this namespace (`--max-created-workspaces`); seeds and
    /// control-plane replacements are not counted.
    let maxCreatedWorkspaces: Int
    private let state: Locked<State>
    private let journals: JournalStore
    private let journalKey: JournalStore.Key
    private let feed: RequestFeed
    /// Requests recorded since the namespace was made or reset. Not under `state`'s lock, which a long
    /// read of the store (a filtered list) can hold while the request that records waits.
    private let recorded = Atomic<Int>(0)

    private struct State {
        var store: SeedStore
        var faults: [FaultRule] = []
        var nextFaultID = 1
    }

    init(
        name: String, store: SeedStore, journals: JournalStore, feed: RequestFeed, maxCreatedWorkspaces: Int = 10_000
    ) {
        self.name = name
        self.maxCreatedWorkspaces = maxCreatedWorkspaces
        self.state = Locked(State(store: store))
        self.journals = journals
        self.journalKey = journals.makeKey()
        self.feed = feed
    }

    deinit {
        journals.clear(journalKey)
    }

    /// The store as it is now (a copy: later changes do not change it). A copy shares the store's
    /// storage, and a write while it is alive copies what the write touches, so handlers use `read` and
    /// `write` instead.
    var store: SeedStore { state.withLock { $0.store } }

    /// The keys the namespace accepts now.
    var keys: APIKeys { state.withLock { $0.store.keys } }

    /// Runs `body` on the store under the namespace's lock: what it returns reflects every write
    /// answered before, and no write happens while it runs.
    func read<Result, Failure: Error>(_ body: (SeedStore) throws(Failure) -> Result) throws(Failure)
        -> Result
    {
        try state.withLock { (state) throws(Failure) in try body(state.store) }
    }

    /// Runs `body` on the store under the namespace's lock; writes from other connections wait. `body`
    /// checks everything before it changes anything, so a write is all or nothing; once `write`
    /// returns, every later request on any connection sees the change.
    func write<Result, Failure: Error>(_ body: (inout SeedStore) throws(Failure) -> Result) throws(Failure)
        -> Result
    {
        try state.withLock { (state) throws(Failure) in try body(&state.store) }
    }

    /// Back to `store` with no fault rules, an empty journal and no request counted.
    func reset(to store: SeedStore) {
        state.withLock { state in
            state.store = store
            state.faults.removeAll()
        }
        recorded.store(0, ordering: .relaxed)
        journals.clear(journalKey)
    }

    // MARK: - Fault rules

    func addFault(_ rule: FaultRule) -> FaultRule {
        state.withLock { state in
            var rule = rule
            rule.id = state.nextFaultID
            state.nextFaultID += 1
            state.faults.append(rule)
            return rule
        }
    }

    var faults: [FaultRule] { state.withLock { $0.faults } }

    /// Removes one rule; false when there is none with that id.
    func removeFault(id: Int) -> Bool {
        state.withLock { state in
            guard let index = state.faults.firstIndex(where: { $0.id == id }) else { return false }
            state.faults.remove(at: index)
            return true
        }
    }

    func removeAllFaults() {
        state.withLock { $0.faults.removeAll() }
    }

    /// The first rule matching a request of `vendor` with this method and path, counted as used: its
    /// `times` goes down by one, and a rule used up is removed. Rules that do not match are left as they are.
    func takeFault(for vendor: Vendor, method: String, path: RequestPath) -> FaultRule? {
        state.withLock { state in
            guard let index = state.faults.firstIndex(where: { $0.matches(vendor: vendor, method: method, path: path) })
            else { return nil }
            let rule = state.faults[index]
            if let times = rule.times {
                if times <= 1 {
                    state.faults.remove(at: index)
                } else {
                    state.faults[index].times = times - 1
                }
            }
            return rule
        }
    }

    // MARK: - Journal

    /// Counts a request, keeps it in the journal (within its bounds) and hands it to the live feed.
    func record(_ entry: JournalEntry) {
        recorded.add(1, ordering: .relaxed)
        journals.record(entry, in: journalKey)
        feed.publish(entry, in: name)
    }

    func journal(matching filter: JournalFilter = .all, limit: Int? = nil) -> [JournalEntry] {
        journals.entries(in: journalKey, matching: filter, limit: limit)
    }

    /// Requests recorded since the namespace was made or last reset, those the journal no longer keeps
    /// (or never kept) included; clearing the journal does not change it.
    var requestCount: Int { recorded.load(ordering: .relaxed) }

    /// Requests the journal keeps now.
    var journalCount: Int { journals.count(in: journalKey) }

    func clearJournal() {
        journals.clear(journalKey)
    }
}
