/// The lengths of a collection's names, one bit per length in UTF-8 bytes (names of 63 bytes or more share
/// bit 63): a lookup of a name that no name has the length of answers "absent" without comparing any.
/// `HTTPHeaders` and `QueryParameters` keep one, as most lookups are of names a request does not carry
/// (`Transfer-Encoding`, `Expect`, `Prefer`, a list's unused filters).
struct NameLengths: Sendable {
    private var bits: UInt64 = 0

    init() {}

    init(_ names: some Sequence<String>) {
        for name in names { insert(length: name.utf8.count) }
    }

    /// Notes a name of `length` UTF-8 bytes.
    mutating func insert(length: Int) {
        bits |= 1 << min(length, 63)
    }

    /// False when no name can be `name` (none has its length).
    func mayContain(_ name: String) -> Bool {
        bits & 1 << min(name.utf8.count, 63) != 0
    }
}
