import Glibc

/// The header field names that most requests carry, in the two spellings clients send them (Title-Case
/// and lowercase), so that the parser can hand out the literal instead of making a `String` of the bytes:
/// no allocation and no UTF-8 validation for a name that matches one byte for byte (the name is still
/// kept exactly as sent). A request from an HTTP client library (httpx, fetch, curl) has four to ten such
/// fields.
enum CommonFieldName {
    /// The literal spelled as `bytes` are, nil when they are no common name.
    static func literal(for bytes: UnsafeBufferPointer<UInt8>) -> String? {
        switch bytes.count {
        case 4: match(bytes, "Host") ?? match(bytes, "host")
        case 6: match(bytes, "Accept") ?? match(bytes, "accept")
        case 10:
            match(bytes, "User-Agent") ?? match(bytes, "user-agent") ?? match(bytes, "Connection")
                ?? match(bytes, "connection")
        case 12: match(bytes, "Content-Type") ?? match(bytes, "content-type")
        case 13: match(bytes, "Authorization") ?? match(bytes, "authorization")
        case 14: match(bytes, "Content-Length") ?? match(bytes, "content-length")
        case 15: match(bytes, "Accept-Encoding") ?? match(bytes, "accept-encoding")
        case 17: match(bytes, "x-portkey-api-key")
        default: nil
        }
    }

    /// `name` when `bytes` (of the same length) spell it exactly.
    private static func match(_ bytes: UnsafeBufferPointer<UInt8>, _ name: String) -> String? {
        var name = name
        return name.withUTF8 { memcmp(bytes.baseAddress!, $0.baseAddress!, bytes.count) == 0 } ? name : nil
    }
}
