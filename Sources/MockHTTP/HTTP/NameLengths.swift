/// The lengths of a collection's names, one bit per length in UTF-8 bytes (names of 63 bytes or more share
/// bit 63): a lookup of a name that no name has the length of answers "absent" without comparing any.
/// `HTTPHeaders` and `QueryParameters` keep one, as most lookups are of names a request does not carry
/// (`Transfer-Encoding`, `Expect`, `Prefer`, a list's unused filters).
struct NameLengths: Sendable {
    private var bits: UInt64 = 0

    init(_ names: some Sequence<String>) {
        for name in names { insert(name) }
    }

    mutating func insert(_ name: String) {
        bits |= Self.bit(name)
    }

    /// False when no name can be `name` (none has its length).
    func mayContain(_ name: String) -> Bool {
        bits & Self.bit(name) != 0
    }

    private static func bit(_ name: String) -> UInt64 {
        1 << min(name.utf8.count, 63)
    }
}
