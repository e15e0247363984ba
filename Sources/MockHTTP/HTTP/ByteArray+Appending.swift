/// Appending text to bytes that go on the wire (a response head, a log line) without making a `String`
/// in between: these run for every request.
extension [UInt8] {
    /// Appends a literal's UTF-8 bytes (a copy of bytes in the binary, no String in between).
    public mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { append(contentsOf: $0) }
    }

    /// Appends a string's UTF-8 bytes, copied in one go from its storage (appending `text.utf8` goes
    /// through the generic sequence path, several times slower for short texts).
    public mutating func appendUTF8(_ text: String) {
        var text = text
        text.withUTF8 { append(contentsOf: $0) }
    }

    /// Appends a non-negative integer in decimal ASCII, without making a String.
    public mutating func appendDecimal(_ value: Int) {
        if value >= 10 { appendDecimal(value / 10) }
        append(UInt8(ascii: "0") + UInt8(value % 10))
    }

    /// Appends a non-negative integer in lowercase hexadecimal ASCII (a chunk size, RFC 9112 §7.1).
    mutating func appendHexadecimal(_ value: Int) {
        if value >= 16 { appendHexadecimal(value / 16) }
        let digit = UInt8(value % 16)
        append(digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10)
    }
}
