import MockHTTP
import Testing

@testable import GatewayMock

/// `JournalStore` against a model of its rules written as plainly as possible (one list of every entry in
/// the order recorded): after each of thousands of random records, clears and resets over a few
/// namespaces, every journal and the byte count are the model's.
@Suite struct JournalStoreTests {
    /// SplitMix64: the same sequence on every run.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// A request to `/t?id=<id>` with a body of `size` bytes.
    static func entry(id: Int, size: Int) -> JournalEntry {
        JournalEntry(
            request: .make(method: "POST", target: "/t?id=\(id)", body: String(repeating: "b", count: size)),
            keys: APIKeys(), namespace: "n", vendor: .openrouter, route: nil, status: 200, fault: nil, forced: false)
    }

    @Test(arguments: [(3, 8), (50, 20), (1000, 5), (2, 9)])
    func theStoreKeepsWhatTheModelKeeps(capacity: Int, budgetInEntries: Int) {
        var random = SeededGenerator(state: UInt64(capacity * 31 + budgetInEntries))
        let budget = budgetInEntries * Self.entry(id: 0, size: 150).cost
        let store = JournalStore(capacityPerNamespace: capacity, byteBudget: budget)
        let keys = (0..<5).map { _ in store.makeKey() }
        var model: [(key: Int, id: Int, cost: Int)] = []

        for id in 0..<4000 {
            // The first namespace records rarely, so that its entries grow old while others come and go.
            let key =
                Int.random(in: 0..<50, using: &random) == 0
                ? keys[0] : keys[Int.random(in: 1..<keys.count, using: &random)]
            switch Int.random(in: 0..<100, using: &random) {
            case 0..<3:
                store.clear(key)
                model.removeAll { $0.key == key }
            case 3:
                store.removeAll()
                model.removeAll()
            default:
                let entry = Self.entry(id: id, size: Int.random(in: 0...300, using: &random))
                store.record(entry, in: key)
                if model.count(where: { $0.key == key }) >= capacity {
                    model.remove(at: model.firstIndex { $0.key == key }!)
                }
                while model.reduce(0, { $0 + $1.cost }) + entry.cost > budget { model.removeFirst() }
                model.append((key, id, entry.cost))
            }
            #expect(store.usedBytes == model.reduce(0) { $0 + $1.cost })
            for key in keys {
                let kept = store.entries(in: key).map { $0.query.first?.value ?? "" }
                #expect(kept == model.filter { $0.key == key }.map { String($0.id) }, "after step \(id)")
            }
        }
    }

    /// The oldest entry of all is found after thousands of younger ones have come and gone in another
    /// namespace (and the store has compacted its list of them).
    @Test func anOldEntryIsStillTheFirstDroppedAfterManyYoungerOnesCameAndWent() {
        let cost = Self.entry(id: 1000, size: 0).cost
        let store = JournalStore(capacityPerNamespace: 2, byteBudget: 4 * cost)
        let (old, busy, late) = (store.makeKey(), store.makeKey(), store.makeKey())
        store.record(Self.entry(id: 1000, size: 0), in: old)
        for id in 1001...3000 { store.record(Self.entry(id: id, size: 0), in: busy) }
        #expect(store.usedBytes == 3 * cost)
        store.record(Self.entry(id: 4000, size: 100), in: late)
        #expect(store.entries(in: old).isEmpty)
        #expect(store.entries(in: busy).map { $0.query.first?.value } == ["2999", "3000"])
        #expect(store.entries(in: late).count == 1)
    }
}
