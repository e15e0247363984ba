import MockHTTP

/// Every namespace's request journal, behind one lock, within one byte budget: the newest
/// `capacityPerNamespace` entries of each namespace (`--journal-size`), and of all of them together no
/// more than `byteBudget` bytes by `JournalEntry.cost` (`--journal-bytes`). Recording an entry that
/// would pass the budget first drops the oldest entries, whichever namespaces they are in.
///
/// Recording is O(1) (amortized) whatever the number of namespaces.
///
/// Why one store rather than a journal inside each `Namespace`: evicting another namespace's entries
/// from inside one namespace's lock would take two namespace locks in no fixed order, which can deadlock.
/// Here there is one lock, taken last (after a namespace's own, never the other way round) and never
/// held while calling out.
final class JournalStore: Sendable {
    /// A namespace's journal in the store: given by `makeKey()`, never reused, so an entry recorded by a
    /// request still running in a namespace that `reset?namespace=*` dropped cannot land in the journal
    /// of a new namespace of the same name.
    typealias Key = Int

    let capacityPerNamespace: Int
    let byteBudget: Int
    private let state = Locked(State())

    private struct State {
        /// Only journals with entries.
        var journals: [Key: RequestJournal] = [:]
        var usedBytes = 0
        /// Entries in all journals.
        var entryCount = 0
        var nextSequence: UInt64 = 0
        var nextKey: Key = 0
        /// Every entry recorded, as its journal and sequence number, oldest first (from `orderStart`): the
        /// first one still in its journal is the oldest entry of all, found in O(1) (amortized). Entries
        /// that went otherwise (a namespace's cap, a clear) stay listed until they reach the front or the
        /// list is compacted, once it holds twice as many as there are entries.
        var order: [(key: Key, sequence: UInt64)] = []
        var orderStart = 0
    }

    init(capacityPerNamespace: Int, byteBudget: Int) {
        self.capacityPerNamespace = max(0, capacityPerNamespace)
        self.byteBudget = max(0, byteBudget)
    }

    /// A key for a new namespace's journal.
    func makeKey() -> Key {
        state.withLock { state in
            defer { state.nextKey += 1 }
            return state.nextKey
        }
    }

    /// Keeps `entry` as the newest of `key`'s journal. First, when the journal is at its capacity, its
    /// oldest entry goes; then, while the budget would be passed, the oldest entry of all namespaces.
    /// An entry that alone costs more than the whole budget keeps only as much of its body as fits
    /// (marked truncated), or is not kept at all when even its head does not fit.
    func record(_ entry: JournalEntry, in key: Key) {
        guard capacityPerNamespace > 0 else { return }
        guard let entry = entry.fitted(within: byteBudget) else { return }
        // The entry that a full journal drops is returned, so that it is released after the lock is: with
        // it goes its request's memory, which the other loops need not wait for.
        _ = state.withLock { state -> JournalEntry? in
            var dropped: JournalEntry?
            // (No `if let journal = …`: a copy held while removing would make the removal copy the array.)
            if (state.journals[key]?.count ?? 0) >= capacityPerNamespace {
                dropped = Self.removeOldest(of: key, in: &state)
            }
            while state.usedBytes + entry.cost > byteBudget, Self.removeOldestOfAll(in: &state) {}
            let sequence = state.nextSequence
            state.nextSequence += 1
            state.journals[key, default: RequestJournal()].append(entry, sequence: sequence)
            state.usedBytes += entry.cost
            state.entryCount += 1
            state.order.append((key, sequence))
            if state.order.count - state.orderStart > 2 * state.entryCount + 64 { Self.compactOrder(&state) }
            return dropped
        }
    }

    /// `key`'s entries oldest first, only those `filter` matches, and then only the newest `limit`.
    func entries(in key: Key, matching filter: JournalFilter = .all, limit: Int? = nil) -> [JournalEntry] {
        state.withLock { $0.journals[key]?.entries(matching: filter, limit: limit) ?? [] }
    }

    /// How many entries `key`'s journal keeps now.
    func count(in key: Key) -> Int {
        state.withLock { $0.journals[key]?.count ?? 0 }
    }

    /// Drops `key`'s entries and releases their bytes.
    func clear(_ key: Key) {
        state.withLock { state in
            guard let journal = state.journals.removeValue(forKey: key) else { return }
            state.usedBytes -= journal.bytes
            state.entryCount -= journal.count
        }
    }

    /// Drops every namespace's entries.
    func removeAll() {
        state.withLock { state in
            state.journals.removeAll()
            state.usedBytes = 0
            state.entryCount = 0
            state.order.removeAll()
            state.orderStart = 0
        }
    }

    /// The bytes the entries kept now count against the budget.
    var usedBytes: Int { state.withLock { $0.usedBytes } }

    // MARK: - Eviction (under the lock)

    /// Drops the oldest entry of all namespaces; false when there is none.
    private static func removeOldestOfAll(in state: inout State) -> Bool {
        while state.orderStart < state.order.count {
            let (key, sequence) = state.order[state.orderStart]
            dropFrontOfOrder(&state)
            // A journal's entries are its newest: listed entries older than its oldest went otherwise.
            if state.journals[key]?.oldestSequence == sequence {
                _ = removeOldest(of: key, in: &state)
                return true
            }
        }
        return false
    }

    /// Drops `key`'s oldest entry and returns it. When that entry is also the first listed in `order` (as
    /// it is while one namespace takes all the requests and its cap drops its oldest), it leaves the list
    /// at once, so that the list needs no compacting.
    private static func removeOldest(of key: Key, in state: inout State) -> JournalEntry? {
        // Through the dictionary's index, which changes the journal in place: `journals[key]?.…` moves it
        // out of the dictionary and back (~800 instructions, once per request when the journal is full).
        guard let index = state.journals.index(forKey: key),
            let (sequence, removed) = state.journals.values[index].removeOldest()
        else { return nil }
        state.usedBytes -= removed.cost
        state.entryCount -= 1
        if state.journals.values[index].isEmpty { state.journals.remove(at: index) }
        if state.orderStart < state.order.count, state.order[state.orderStart] == (key, sequence) {
            dropFrontOfOrder(&state)
        }
        return removed
    }

    /// Moves past the first entry listed in `order`, removing the passed ones once they are half the list.
    private static func dropFrontOfOrder(_ state: inout State) {
        state.orderStart += 1
        if state.orderStart >= 64, state.orderStart * 2 >= state.order.count {
            state.order.removeFirst(state.orderStart)
            state.orderStart = 0
        }
    }

    /// Keeps in `order` only the entries still in their journals.
    private static func compactOrder(_ state: inout State) {
        let journals = state.journals
        state.order = state.order[state.orderStart...].filter { listed in
            guard let oldest = journals[listed.key]?.oldestSequence else { return false }
            return listed.sequence >= oldest
        }
        state.orderStart = 0
    }
}
