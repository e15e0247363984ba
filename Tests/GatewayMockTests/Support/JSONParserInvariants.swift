// The invariants of `JSONParser`, in one copy shared by the fuzz harness and the regression tests:
// `scripts/fuzz.sh` compiles this file into Tests/Fuzz/JSONParserFuzzer (which traps on a violation), and SwiftPM
// compiles it into GatewayMockTests (JSONParserFuzzRegressionTests.swift expects none). It therefore imports
// only GatewayMock, not `@testable`, and uses only its public API. See Tests/Fuzz/README.md.

import GatewayMock

/// The invariants `bytes` breaks; empty when every one holds (at most one: the first found).
/// - a document that parses re-encodes (`.encoded`) to text that parses again to an equal value, whose
///   encoding is the same text byte for byte (the encoding is canonical);
/// - text given as a `String` parses as its UTF-8 bytes do;
/// - an error points at a line and column inside the input.
func jsonParserInvariantViolations(_ bytes: [UInt8]) -> [String] {
    firstJSONParserInvariantViolation(bytes).map { [$0] } ?? []
}

private func firstJSONParserInvariantViolation(_ input: [UInt8]) -> String? {
    let first: JSONValue
    do {
        first = try JSONParser.parse(input)
    } catch {
        let lines = input.count(where: { $0 == UInt8(ascii: "\n") }) + 1
        guard error.line >= 1, error.line <= lines, error.column >= 1, error.column <= input.count + 1,
            !error.reason.isEmpty
        else { return "error \(error) outside \(lines) lines of \(input.count) bytes" }
        if let text = String(validating: input, as: UTF8.self) {
            do {
                let value = try JSONParser.parse(text)
                return "the bytes fail (\(error)) but the same text as a String parses to \(value.encoded)"
            } catch let textError {
                guard textError == error else { return "bytes fail with \(error), the String with \(textError)" }
            }
        }
        return nil
    }
    let encoded = first.encoded
    let second: JSONValue
    do {
        second = try JSONParser.parse(encoded)
    } catch {
        return "the encoding \(encoded.debugDescription) does not parse: \(error)"
    }
    guard second == first else { return "\(encoded.debugDescription) parses to another value" }
    guard second.encoded.utf8.elementsEqual(encoded.utf8) else {
        return "encoding is not stable: \(encoded.debugDescription) then \(second.encoded.debugDescription)"
    }
    if let text = String(validating: input, as: UTF8.self) {
        guard let value = try? JSONParser.parse(text), value.encoded.utf8.elementsEqual(encoded.utf8) else {
            return "the same text as a String does not parse to \(encoded.debugDescription)"
        }
    }
    return nil
}
