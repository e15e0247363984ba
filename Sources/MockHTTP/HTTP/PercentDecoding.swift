/// Percent-decoding (RFC 3986 §2.1) as this server reads every URL part, in one place: the query
/// (`application/x-www-form-urlencoded`, where `+` is a space) and path segments (where `+` is itself).
///
/// `%HH` becomes the byte; a `%` not followed by two hex digits stays as it is; bytes that do not form
/// UTF-8 become U+FFFD, so that every input has one defined reading.
///
/// It works on the UTF-8 bytes in place: every request's path segments and query parameters pass
/// through it, and most have nothing to decode, so that they cost one scan and one `String`.
public enum PercentDecoding {
    public static func decode(_ encoded: Substring.UTF8View.SubSequence, plusAsSpace: Bool) -> String {
        var text = Substring(encoded)
        return text.withUTF8 { decode($0, plusAsSpace: plusAsSpace) }
    }

    /// `encoded`'s bytes decoded.
    public static func decode(_ encoded: UnsafeBufferPointer<UInt8>, plusAsSpace: Bool) -> String {
        guard encoded.contains(where: { $0 == UInt8(ascii: "%") || (plusAsSpace && $0 == UInt8(ascii: "+")) }) else {
            return String(decoding: encoded, as: UTF8.self)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(encoded.count)
        var index = 0
        while index < encoded.count {
            let byte = encoded[index]
            if plusAsSpace, byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), index + 2 < encoded.count,
                let high = hexValue(encoded[index + 1]), let low = hexValue(encoded[index + 2])
            {
                bytes.append(high << 4 | low)
                index += 2
            } else {
                bytes.append(byte)
            }
            index += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// The value of one hexadecimal digit, or nil.
func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
}
