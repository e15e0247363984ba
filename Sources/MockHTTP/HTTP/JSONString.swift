/// JSON string quoting (RFC 8259 §7), shared by every part that writes JSON by hand.
public enum JSONString {
    /// `text` as a JSON string literal, quotes included; control characters escaped, everything else as UTF-8.
    public static func quoted(_ text: Substring) -> String {
        quoted(String(text))
    }

    /// `text` as a JSON string literal (not generic, so that callers in other modules get this specialized
    /// code rather than protocol-witness calls per byte).
    public static func quoted(_ text: String) -> String {
        // Most strings need no escaping: copy them as they are.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            return "\"" + text + "\""
        }
        var result = "\""
        result.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case let control where control.value < 0x20:
                let hex = String(control.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
