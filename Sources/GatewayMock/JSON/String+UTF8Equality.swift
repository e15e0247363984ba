import Glibc

extension String {
    /// Whether the two strings have identical UTF-8 bytes: how JSON member names are told apart (RFC 8259
    /// §8.3 compares names code unit by code unit; `String ==` compares by canonical equivalence, so that
    /// `"\u{E9}" == "e\u{301}"`). One `memcmp`, not a walk over two UTF-8 views.
    func hasSameUTF8(as other: String) -> Bool {
        var (first, second) = (self, other)
        guard first.utf8.count == second.utf8.count else { return false }
        return first.withUTF8 { a in
            second.withUTF8 { b in a.isEmpty || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0 }
        }
    }
}
