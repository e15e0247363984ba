/// A response body as the pieces it is made of (say a prefix, a slice of bytes the responder shares
/// between responses, and a suffix): the connection writes the pieces with one gathering call, so the
/// shared bytes are never copied into a buffer of their own.
public struct HTTPBody: Sendable, Equatable {
    /// The pieces in order, none empty.
    private(set) var parts: [ArraySlice<UInt8>]
    /// The length in bytes.
    public private(set) var count: Int

    public init(_ bytes: [UInt8] = []) {
        parts = bytes.isEmpty ? [] : [bytes[...]]
        count = bytes.count
    }

    public init(parts: [ArraySlice<UInt8>]) {
        self.parts = parts.filter { !$0.isEmpty }
        count = parts.reduce(0) { $0 + $1.count }
    }

    public var isEmpty: Bool { count == 0 }

    /// The bytes as one array (a copy, one block move per piece).
    public var bytes: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        for part in parts { bytes.append(contentsOf: part) }
        return bytes
    }

    /// The first `length` bytes (all of them when the body is shorter).
    public func prefix(_ length: Int) -> HTTPBody {
        var remaining = max(0, length)
        var kept: [ArraySlice<UInt8>] = []
        for part in parts where remaining > 0 {
            kept.append(part.prefix(remaining))
            remaining -= kept.last!.count
        }
        return HTTPBody(parts: kept)
    }

    public static func == (lhs: HTTPBody, rhs: HTTPBody) -> Bool {
        lhs.count == rhs.count && lhs.parts.joined().elementsEqual(rhs.parts.joined())
    }
}
