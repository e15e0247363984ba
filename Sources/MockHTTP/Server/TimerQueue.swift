import Dispatch

/// Work an event loop runs at a given time (delayed responses, the end of a lingering close), kept in
/// deadline order. A sorted array, earliest last: the loop pops from the end, and there are only ever a
/// few timers per loop (one per delayed response or lingering connection).
struct TimerQueue {
    private var entries: [(deadline: DispatchTime, work: () -> Void)] = []

    /// The earliest deadline, if any.
    var nextDeadline: DispatchTime? { entries.last?.deadline }

    mutating func schedule(at deadline: DispatchTime, _ work: @escaping () -> Void) {
        // Entries with the same deadline run in the order they were scheduled: insert before them.
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].deadline > deadline { low = middle + 1 } else { high = middle }
        }
        entries.insert((deadline, work), at: low)
    }

    /// Removes and returns the earliest entry's work if its deadline is at or before `now`.
    mutating func popDue(now: DispatchTime) -> (() -> Void)? {
        guard let last = entries.last, last.deadline <= now else { return nil }
        return entries.removeLast().work
    }
}
