import Testing

@testable import GatewayMock

/// The store's building blocks: `OrderedRecords` against a plain array, and `UUID5` against FIPS 180-4's
/// SHA-1 vectors and Python's `uuid.uuid5`.
@Suite struct StoreStructureTests {
    @Test func orderedRecordsBehaveLikeAnArrayThroughAppendsReplacementsAndRemovals() {
        var records = OrderedRecords<Int>()
        var model: [(sequence: Int, value: Int)] = []
        var generator = SystemRandomNumberGenerator()
        for step in 0..<5000 {
            switch Int.random(in: 0..<10, using: &generator) {
            case 0..<5:
                model.append((records.append(step), step))
            case 5..<7 where !model.isEmpty:
                let index = Int.random(in: 0..<model.count, using: &generator)
                let replaced = records.replace(sequence: model[index].sequence, with: -step)
                #expect(replaced)
                model[index].value = -step
            case 7..<10 where !model.isEmpty:
                let index = Int.random(in: 0..<model.count, using: &generator)
                let removed = records.remove(sequence: model[index].sequence)
                #expect(removed == model[index].value)
                model.remove(at: index)
            default:
                break
            }
        }
        #expect(records.count == model.count)
        #expect(records.all == model.map(\.value))
        for (offset, limit) in [(0, 50), (255, 3), (256, 100), (model.count - 1, 10), (model.count, 5)] {
            #expect(
                records.page(offset: offset, limit: limit)
                    == Array(model.map(\.value)[min(offset, model.count)..<min(model.count, offset + limit)]))
        }
        #expect(records[sequence: -1] == nil)
        let missing = records.remove(sequence: 1_000_000)
        #expect(missing == nil)
    }

    @Test(arguments: [
        ("", "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
        ("abc", "a9993e364706816aba3e25717850c26c9cd0d89d"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1"
        ),
    ])
    func sha1MatchesTheStandardsVectors(message: String, digest: String) {
        let hex = UUID5.sha1(Array(message.utf8)).map { String($0, radix: 16) }.map { $0.count == 1 ? "0" + $0 : $0 }
        #expect(hex.joined() == digest)
    }

    /// Values printed by Python 3's `uuid.uuid5`.
    @Test func uuid5MatchesPython() {
        #expect(
            UUID5.make(namespace: UUID5.seedNamespace, name: "gateway-mock-workspace:1")
                == "91d36246-e459-5a84-be2a-b38341e8f3b3")
        #expect(
            UUID5.make(namespace: "91d36246-e459-5a84-be2a-b38341e8f3b3", name: "default-guardrail")
                == "bbc8b734-c5bb-5c42-a7d5-ed2fa9d6a29e")
        #expect(
            UUID5.make(namespace: "6ba7b810-9dad-11d1-80b4-00c04fd430c8", name: "python.org")
                == "886313e1-3b8a-5372-9b90-0c9aee199e5d")
    }
}
