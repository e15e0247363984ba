/// The last `capacity` vendor requests of a namespace, oldest first: a ring buffer, so recording stays
/// O(1) however long the mock runs.
struct RequestJournal: Sendable {
    let capacity: Int
    private var entries: [JournalEntry] = []
    private var oldest = 0

    init(capacity: Int) {
        self.capacity = max(0, capacity)
    }

    mutating func record(_ entry: JournalEntry) {
        guard capacity > 0 else { return }
        if entries.count < capacity {
            entries.append(entry)
        } else {
            entries[oldest] = entry
            oldest = (oldest + 1) % capacity
        }
    }

    /// Entries oldest first, optionally only one vendor's, and then only the newest `limit`.
    func entries(vendor: Vendor? = nil, limit: Int? = nil) -> [JournalEntry] {
        let ordered = entries[oldest...] + entries[..<oldest]
        let matching = vendor.map { vendor in ordered.filter { $0.vendor == vendor } } ?? Array(ordered)
        guard let limit else { return matching }
        return Array(matching.suffix(max(0, limit)))
    }

    mutating func clear() {
        entries.removeAll()
        oldest = 0
    }
}
