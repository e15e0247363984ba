/// Records in the order they were added, where appending, replacing or removing one record costs the
/// same whatever the number of records, and a page (`offset`, `limit`) is found without walking the
/// records before it.
///
/// The records live in blocks of at most `blockCapacity`. Each record gets a sequence number when it is
/// added (ascending, never reused), so a record is found by binary search over the blocks' first sequence
/// numbers and then within its block. A removal shifts at most one block; a page walks the block counts
/// (a few hundred for 100 000 records), never the records. The collection is mutated only by its owner
/// under the namespace's lock and is never shared while it is mutated, so no copy-on-write copy happens.
struct OrderedRecords<Record: Sendable>: Sendable {
    /// Records per block: a removal moves at most this many, a page walk touches `count / blockCapacity`
    /// block counts.
    static var blockCapacity: Int { 256 }

    private struct Entry: Sendable {
        let sequence: Int
        var record: Record
    }

    /// Non-empty blocks in sequence order.
    private var blocks: [[Entry]] = []
    private var nextSequence = 0
    private(set) var count = 0

    init() {}

    init(_ records: some Sequence<Record>) {
        for record in records { append(record) }
    }

    /// Adds `record` after every other one; returns its sequence number.
    @discardableResult
    mutating func append(_ record: Record) -> Int {
        let sequence = nextSequence
        nextSequence += 1
        count += 1
        if let last = blocks.indices.last, blocks[last].count < Self.blockCapacity {
            blocks[last].append(Entry(sequence: sequence, record: record))
        } else {
            var block: [Entry] = []
            block.reserveCapacity(Self.blockCapacity)
            block.append(Entry(sequence: sequence, record: record))
            blocks.append(block)
        }
        return sequence
    }

    /// The record with sequence number `sequence`, nil when there is none.
    subscript(sequence sequence: Int) -> Record? {
        guard let (block, index) = location(of: sequence) else { return nil }
        return blocks[block][index].record
    }

    /// Replaces the record with sequence number `sequence` (it keeps its place); false when there is none.
    @discardableResult
    mutating func replace(sequence: Int, with record: Record) -> Bool {
        guard let (block, index) = location(of: sequence) else { return false }
        blocks[block][index].record = record
        return true
    }

    /// Removes the record with sequence number `sequence`; nil when there is none.
    @discardableResult
    mutating func remove(sequence: Int) -> Record? {
        guard let (block, index) = location(of: sequence) else { return nil }
        let removed = blocks[block].remove(at: index).record
        if blocks[block].isEmpty { blocks.remove(at: block) }
        count -= 1
        return removed
    }

    /// Up to `limit` records starting at position `offset` (0-based), in order.
    func page(offset: Int, limit: Int) -> [Record] {
        var result: [Record] = []
        visit(offset: offset, limit: limit) { result.append($0) }
        return result
    }

    /// Calls `body` with up to `limit` records starting at position `offset` (0-based), in order, without
    /// copying them into an array first.
    func visit(offset: Int, limit: Int, _ body: (Record) -> Void) {
        guard offset < count, limit > 0 else { return }
        var skip = offset
        var block = 0
        while skip >= blocks[block].count {
            skip -= blocks[block].count
            block += 1
        }
        var remaining = limit
        while block < blocks.count, remaining > 0 {
            let end = min(blocks[block].count, skip + remaining)
            for index in skip..<end { body(blocks[block][index].record) }
            remaining -= end - skip
            skip = 0
            block += 1
        }
    }

    /// How many records `isIncluded` accepts, and those of them at positions `offset..<offset + limit`
    /// among the accepted: a walk over every record that copies only the page.
    func page(where isIncluded: (Record) -> Bool, offset: Int, limit: Int) -> (count: Int, page: [Record]) {
        var count = 0
        var page: [Record] = []
        for block in blocks.indices {
            // By index, so that a record is only copied when it is on the page.
            for index in blocks[block].indices where isIncluded(blocks[block][index].record) {
                if count >= offset, page.count < limit { page.append(blocks[block][index].record) }
                count += 1
            }
        }
        return (count, page)
    }

    /// Every record in order (a walk over all of them).
    var all: [Record] {
        var result: [Record] = []
        result.reserveCapacity(count)
        for block in blocks {
            for entry in block { result.append(entry.record) }
        }
        return result
    }

    /// Where the record with sequence number `sequence` is: binary search over the blocks' first sequence
    /// numbers, then within the block (sequence numbers ascend throughout).
    private func location(of sequence: Int) -> (block: Int, index: Int)? {
        var low = 0
        var high = blocks.count
        while low < high {
            let middle = (low + high) / 2
            if blocks[middle][0].sequence <= sequence { low = middle + 1 } else { high = middle }
        }
        guard low > 0 else { return nil }
        let block = low - 1
        let entries = blocks[block]
        var first = 0
        var last = entries.count
        while first < last {
            let middle = (first + last) / 2
            if entries[middle].sequence < sequence { first = middle + 1 } else { last = middle }
        }
        guard first < entries.count, entries[first].sequence == sequence else { return nil }
        return (block, first)
    }
}
