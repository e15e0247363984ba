import MockHTTP

/// A request path as the route tables match it: the raw path split on `/` first, then each segment
/// percent-decoded on its own, so that an encoded slash (`%2F`) stays inside an id or slug while an
/// encoded unreserved character (`%77orkspaces`) reads like the plain one (RFC 3986 §6.2.2.2).
///
/// `/api/v1/workspaces` has the segments `api`, `v1`, `workspaces`; `/` has one empty segment; a
/// trailing slash adds an empty segment. An invalid escape (`%G1`, a lone `%`) is taken literally, and
/// bytes that are not UTF-8 read as U+FFFD (`PercentDecoding`). A target that does not start with `/`
/// (`*`, an authority) has no segments and matches no route.
struct RequestPath: Sendable, Equatable {
    let segments: [String]

    init(_ path: Substring) {
        var path = path
        segments = path.withUTF8 { bytes in
            guard bytes.first == UInt8(ascii: "/") else { return [] }
            var segments: [String] = []
            segments.reserveCapacity(8)
            // One pass: each segment's end, and whether it has an escape to decode.
            var (start, escaped) = (1, false)
            for index in 1...bytes.count {
                guard index == bytes.count || bytes[index] == UInt8(ascii: "/") else {
                    escaped = escaped || bytes[index] == UInt8(ascii: "%")
                    continue
                }
                let segment = UnsafeBufferPointer(rebasing: bytes[start..<index])
                segments.append(
                    escaped
                        ? PercentDecoding.decode(segment, plusAsSpace: false) : String(decoding: segment, as: UTF8.self)
                )
                (start, escaped) = (index + 1, false)
            }
            return segments
        }
    }

    /// The first segment (`api`, `v1`, `__admin`), which tells who owns the path.
    var first: String? { segments.first }
}
