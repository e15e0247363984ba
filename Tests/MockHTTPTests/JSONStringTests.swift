import Testing

@testable import MockHTTP

/// JSON string literals (RFC 8259 §7).
@Suite struct JSONStringTests {
    @Test(arguments: [
        ("", #""""#),
        ("plain", #""plain""#),
        (#"say "hi""#, #""say \"hi\"""#),
        (#"C:\dir"#, #""C:\\dir""#),
        ("a\nb", #""a\nb""#),
        ("a\r\tb", #""a\r\tb""#),
        ("\u{1}", #""\u0001""#),
        ("\u{0}\u{8}\u{C}\u{1B}\u{1F}", #""\u0000\u0008\u000c\u001b\u001f""#),
        ("/ \u{7F}", "\"/ \u{7F}\""),
    ])
    func quotedEscapesQuotesBackslashesAndControlCharacters(text: String, expected: String) {
        #expect(JSONString.quoted(text) == expected)
    }

    @Test func nonASCIIIsKeptAsUTF8() {
        let quoted = JSONString.quoted("café € 😀 \u{2028}")
        #expect(quoted == "\"café € 😀 \u{2028}\"")
        #expect(Array(quoted.utf8) == [0x22] + Array("café € 😀 \u{2028}".utf8) + [0x22])
    }

    @Test func substringIsQuotedLikeAString() {
        let text = "xx\"yy"
        #expect(JSONString.quoted(text.dropFirst(1).dropLast(1)) == #""x\"y""#)
    }
}
