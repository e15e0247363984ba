import Foundation
import Testing

@testable import GatewayMock

/// Replays the JSON fuzzer's inputs: every file in Tests/Fuzz/regressions/json/ (if any; see Tests/Fuzz/README.md) and
/// the seed corpus Tests/Fuzz/corpus/json/, with the fuzz harness's own checks (`jsonParserInvariantViolations`,
/// in Support/JSONParserInvariants.swift).
@Suite struct JSONParserFuzzRegressionTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The files of `folder` (relative to the package root), sorted; none when it does not exist.
    static func files(in folder: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(folder).path))
        return (names ?? []).filter { !$0.hasPrefix(".") }.sorted().map { "\(folder)/\($0)" }
    }

    static let inputs = files(in: "Tests/Fuzz/regressions/json") + files(in: "Tests/Fuzz/corpus/json")

    @Test func theSeedCorpusIsThere() {
        #expect(Self.files(in: "Tests/Fuzz/corpus/json").count >= 12)
    }

    @Test(arguments: inputs) func inputKeepsEveryInvariant(_ path: String) throws {
        let input = try [UInt8](Data(contentsOf: Self.root.appendingPathComponent(path)))
        let violations = jsonParserInvariantViolations(input)
        #expect(violations.isEmpty, "\(violations.joined(separator: "\n"))")
    }

    // MARK: - Duplicate keys

    /// RFC 8259 §8.3: names are compared code unit by code unit (after unescaping), so keys with the same
    /// bytes are duplicates, however they are written.
    @Test(arguments: [
        "{\"\u{E9}\":1,\"\u{E9}\":2}",  // precomposed é twice
        "{\"\u{E9}\":1,\"\\u00e9\":2}",  // the same code units, the second escaped
    ])
    func byteIdenticalKeysAreDuplicates(_ text: String) {
        #expect(throws: JSONParser.Error(line: 1, column: 8, reason: "duplicate key \u{E9}")) {
            try JSONParser.parse(text)
        }
        #expect(throws: JSONParser.Error(line: 1, column: 8, reason: "duplicate key \u{E9}")) {
            try JSONParser.parse(Array(text.utf8))
        }
    }

    /// A precomposed é (C3 A9) and e + COMBINING ACUTE ACCENT (65 CC 81) are canonically equivalent, so
    /// Swift's `String ==` (and a `Set<String>`) takes them for one; as JSON names they differ.
    @Test func canonicallyEquivalentKeysWithDifferentBytesAreNotDuplicates() throws {
        let text: [UInt8] =
            Array(#"{""#.utf8) + [0xC3, 0xA9] + Array(#"":1,"e"#.utf8) + [0xCC, 0x81] + Array(#"":2}"#.utf8)
        let value = try JSONParser.parse(text)
        guard case .object(let members) = value else {
            Issue.record("not an object: \(value)")
            return
        }
        #expect(members.map { Array($0.key.utf8) } == [[0xC3, 0xA9], [0x65, 0xCC, 0x81]])
        #expect(members.map(\.value) == [.number("1"), .number("2")])
        #expect(Array(value.encoded.utf8) == text)
        #expect(jsonParserInvariantViolations(text).isEmpty)
    }
}
