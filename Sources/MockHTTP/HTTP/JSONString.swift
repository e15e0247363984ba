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
        if !needsEscaping(text) {
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

    /// Appends `quoted(text)`'s UTF-8 bytes to `output`, without making a string when nothing needs escaping.
    public static func append(_ text: String, to output: inout [UInt8]) {
        guard !needsEscaping(text) else {
            output.append(contentsOf: quoted(text).utf8)
            return
        }
        output.append(UInt8(ascii: "\""))
        output.append(contentsOf: text.utf8)
        output.append(UInt8(ascii: "\""))
    }

    private static func needsEscaping(_ text: String) -> Bool {
        func escaped(_ byte: UInt8) -> Bool { byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") }
        // A native string's bytes are contiguous: scan them as a buffer, not through the UTF-8 view.
        return text.utf8.withContiguousStorageIfAvailable { $0.contains(where: escaped) }
            ?? text.utf8.contains(where: escaped)
    }
}
