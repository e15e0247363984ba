/// A record with one key that identifies it in its collection (a user id, a member's user id).
protocol KeyedRecord: Sendable {
    var key: String { get }
}

/// `OrderedRecords` whose records are also found by their key, with the same costs.
struct KeyedRecords<Record: KeyedRecord>: Sendable {
    private var records = OrderedRecords<Record>()
    private var sequenceOfKey: [String: Int] = [:]

    init() {}

    var count: Int { records.count }

    /// Every record in order.
    var all: [Record] { records.all }

    subscript(key: String) -> Record? {
        sequenceOfKey[key].flatMap { records[sequence: $0] }
    }

    /// Adds `record` last, or replaces the one with its key in place.
    mutating func upsert(_ record: Record) {
        if let sequence = sequenceOfKey[record.key] {
            records.replace(sequence: sequence, with: record)
        } else {
            sequenceOfKey[record.key] = records.append(record)
        }
    }

    @discardableResult
    mutating func remove(key: String) -> Record? {
        sequenceOfKey.removeValue(forKey: key).flatMap { records.remove(sequence: $0) }
    }

    func page(offset: Int, limit: Int) -> [Record] { records.page(offset: offset, limit: limit) }
}
