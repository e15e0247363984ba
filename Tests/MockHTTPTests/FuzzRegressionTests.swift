import Foundation
import Testing

@testable import MockHTTP

/// Replays the fuzzer's inputs: every file in Tests/Fuzz/regressions/http/ (inputs that once crashed the parser
/// or broke an invariant; see Tests/Fuzz/README.md) and the seed corpus Tests/Fuzz/corpus/http/, with the fuzz harness's
/// own checks (`httpParserInvariantViolations`, in Support/HTTPParserInvariants.swift) at every split point.
@Suite struct FuzzRegressionTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The files of `folder` (relative to the package root), sorted; none when it does not exist.
    static func files(in folder: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(folder).path))
        return (names ?? []).filter { !$0.hasPrefix(".") }.sorted().map { "\(folder)/\($0)" }
    }

    static let inputs = files(in: "Tests/Fuzz/regressions/http") + files(in: "Tests/Fuzz/corpus/http")

    @Test func theSeedCorpusAndTheRegressionsAreThere() {
        #expect(Self.files(in: "Tests/Fuzz/corpus/http").count >= 12)
        #expect(Self.files(in: "Tests/Fuzz/regressions/http").count >= 2)
    }

    @Test(arguments: inputs) func inputKeepsEveryInvariant(_ path: String) throws {
        let input = try [UInt8](Data(contentsOf: Self.root.appendingPathComponent(path)))
        let violations = httpParserInvariantViolations(input, everySplit: true)
        #expect(violations.isEmpty, "\(violations.joined(separator: "\n"))")
    }

    // MARK: - What the fuzzer found

    /// Tests/Fuzz/regressions/http/tokens-non-ascii-capital.http: `tokens(for:)` lowercased with Unicode rules, so a
    /// `Host: \u{3FD}` came back as U+037B. Tokens are ASCII: only A-Z are lowercased.
    @Test func tokensLowercaseOnlyASCIILetters() {
        let headers = HTTPHeaders([("Connection", "CLOSE, \u{3FD},\u{212A}eep-Alive , \u{C0}")])
        #expect(
            headers.tokens(for: "connection").map { Array($0.utf8) }
                == ["close", "\u{3FD}", "\u{212A}eep-alive", "\u{C0}"].map { Array($0.utf8) })
    }

    /// Tests/Fuzz/regressions/http/transfer-encoding-kelvin-sign.http: with Unicode lowercasing,
    /// `Transfer-Encoding: chun\u{212A}ed` (KELVIN SIGN) was read as `chunked`.
    @Test func transferEncodingWithAKelvinSignIsNotChunked() {
        let input = Fixture.request(
            "POST / HTTP/1.1", headers: ["Host: a", "Transfer-Encoding: chun\u{212A}ed"], body: "0\r\n\r\n")
        expectRejection(input, .unsupportedTransferEncoding, status: 501)
    }

    @Test func keepAliveWithAKelvinSignDoesNotKeepAnHTTP10ConnectionOpen() throws {
        let input = Fixture.request("GET / HTTP/1.0", headers: ["Connection: \u{212A}eep-alive"])
        #expect(try parseComplete(input).request.keepAlive == false)
    }
}
