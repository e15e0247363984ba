/// One namespace's entries inside `JournalStore`, oldest first, each with the sequence number the store
/// gave it when it was recorded (one sequence across all namespaces, so that the store can find the
/// oldest entry of all). A queue: appending and dropping the oldest are O(1) (amortized).
///
/// Each entry is an object of its own and a slot holds a reference and a sequence number (24 bytes with
/// the optional's tag): so the slots that a growing array leaves spare, or that a journal drained by the
/// byte budget keeps, cost little, and an entry's own size is counted once, in its `cost`.
struct RequestJournal: Sendable {
    private struct Slot: Sendable {
        let sequence: UInt64
        let entry: JournalEntry
    }

    /// Slots before `start` are dropped entries, already nil so that their memory is released at once;
    /// the slots themselves are removed in one go once they are half the array.
    private var slots: [Slot?] = []
    private var start = 0

    /// The sum of the entries' `cost`.
    private(set) var bytes = 0

    var count: Int { slots.count - start }
    var isEmpty: Bool { count == 0 }

    /// The sequence number of the oldest entry; nil when empty.
    var oldestSequence: UInt64? { isEmpty ? nil : slots[start]?.sequence }

    mutating func append(_ entry: JournalEntry, sequence: UInt64) {
        slots.append(Slot(sequence: sequence, entry: entry))
        bytes += entry.cost
    }

    /// Drops the oldest entry and returns it with its sequence number; nil when empty.
    mutating func removeOldest() -> (sequence: UInt64, entry: JournalEntry)? {
        guard !isEmpty, let (sequence, entry) = slots[start].map({ ($0.sequence, $0.entry) }) else { return nil }
        slots[start] = nil
        bytes -= entry.cost
        start += 1
        if start == slots.count {
            slots.removeAll()
            start = 0
        } else if start >= 32, start * 2 >= slots.count {
            slots.removeFirst(start)
            start = 0
        }
        return (sequence, entry)
    }

    /// Entries oldest first, only those `filter` matches, and then only the newest `limit`.
    func entries(matching filter: JournalFilter = .all, limit: Int? = nil) -> [JournalEntry] {
        let ordered = slots[start...].lazy.compactMap { $0?.entry }
        let matching = filter == .all ? Array(ordered) : ordered.filter(filter.matches)
        guard let limit else { return matching }
        return Array(matching.suffix(max(0, limit)))
    }
}
