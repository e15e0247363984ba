/// Header fields in the order they arrived, duplicates kept (so that two conflicting `Content-Length`
/// fields are seen, not merged). Names compare case-insensitively.
public struct HTTPHeaders: Sendable, Equatable, Sequence {
    public typealias Field = (name: String, value: String)

    private var fields: [Field]
    private var nameLengths: NameLengths

    public init(_ fields: [Field] = []) {
        self.fields = fields
        nameLengths = NameLengths(fields.lazy.map(\.name))
    }

    public var count: Int { fields.count }

    /// No fields yet, with room for `capacity` without growing (the parser's, for a typical request).
    init(capacity: Int) {
        fields = []
        fields.reserveCapacity(capacity)
        nameLengths = NameLengths([])
    }

    public mutating func add(name: String, value: String) {
        fields.append((name, value))
        nameLengths.insert(name)
    }

    /// Replaces every field named `name` with one holding `value`.
    public mutating func replaceOrAdd(name: String, value: String) {
        if fields.contains(where: { $0.name.equalsIgnoringASCIICase(name) }) {
            fields.removeAll { $0.name.equalsIgnoringASCIICase(name) }
        }
        add(name: name, value: value)
    }

    /// Every value of the fields named `name`, in order.
    public func values(for name: String) -> [String] {
        guard nameLengths.mayContain(name) else { return [] }
        return fields.filter { $0.name.equalsIgnoringASCIICase(name) }.map(\.value)
    }

    /// For a field that must appear once: the first value of a later field named `name` that differs from
    /// the first one's, nil when there is none (the field appears at most once, or repeats one value).
    public func conflictingValue(for name: String) -> String? {
        guard nameLengths.mayContain(name) else { return nil }
        var first: String?
        for field in fields where field.name.equalsIgnoringASCIICase(name) {
            guard let first else {
                first = field.value
                continue
            }
            if field.value != first { return field.value }
        }
        return nil
    }

    /// The first value of the fields named `name`.
    public subscript(name: String) -> String? {
        guard nameLengths.mayContain(name) else { return nil }
        return fields.first { $0.name.equalsIgnoringASCIICase(name) }?.value
    }

    public func contains(_ name: String) -> Bool {
        guard nameLengths.mayContain(name) else { return false }
        return fields.contains { $0.name.equalsIgnoringASCIICase(name) }
    }

    /// The comma-separated tokens of every field named `name`, trimmed of spaces and tabs, ASCII letters
    /// lowercased (for list-valued fields such as `Connection` and `Transfer-Encoding`). It works on the
    /// UTF-8 bytes, as tokens are ASCII (RFC 9110 §5.6.2): Unicode lowercasing would read `chun\u{212A}ed`
    /// (KELVIN SIGN) as `chunked`, and a comma or space followed by a combining mark would not split or trim.
    public func tokens(for name: String) -> [String] {
        let values = values(for: name)
        if values.isEmpty { return [] }  // (most requests carry none of the fields asked about)
        return values.flatMap { $0.utf8.split(separator: UInt8(ascii: ",")) }
            .map { item in
                let trimmed = item.drop(while: isASCIIBlank).reversed().drop(while: isASCIIBlank).reversed()
                return String(decoding: trimmed.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
            }
            .filter { !$0.isEmpty }
    }

    public func makeIterator() -> IndexingIterator<[Field]> {
        fields.makeIterator()
    }

    public static func == (lhs: HTTPHeaders, rhs: HTTPHeaders) -> Bool {
        lhs.fields.elementsEqual(rhs.fields) { $0.name == $1.name && $0.value == $1.value }
    }
}

extension StringProtocol {
    /// ASCII case-insensitive equality, without allocating lowercased copies. (Inlinable, so that it is
    /// specialized where it is called: it runs for every header lookup of every request.)
    @inlinable
    public func equalsIgnoringASCIICase(_ other: some StringProtocol) -> Bool {
        let equal = { (a: UInt8, b: UInt8) in
            a == b || (a ^ 0x20 == b && (a | 0x20) >= UInt8(ascii: "a") && (a | 0x20) <= UInt8(ascii: "z"))
        }
        // Lengths first (a native string's is stored): most names looked up differ in length.
        guard utf8.count == other.utf8.count else { return false }
        // Native strings' bytes in place (no index arithmetic per byte); others byte by byte.
        let inPlace = utf8.withContiguousStorageIfAvailable { left in
            other.utf8.withContiguousStorageIfAvailable { right in
                left.indices.allSatisfy { equal(left[$0], right[$0]) }
            }
        }
        if let inPlace = inPlace ?? nil { return inPlace }
        return utf8.elementsEqual(other.utf8, by: equal)
    }

    /// The text without leading and trailing spaces and tabs (looked at as UTF-8 bytes, not Characters).
    @inlinable
    public func trimmingASCIIWhitespace() -> Substring {
        let text = Substring(self)
        let bytes = text.utf8
        // Native strings: the blanks counted on the bytes in place, then one cut by UTF-8 offsets.
        if let kept = bytes.withContiguousStorageIfAvailable({ $0.trimmingASCIIWhitespace($0.indices) }) {
            if kept.count == bytes.count { return text }
            let start = bytes.index(bytes.startIndex, offsetBy: kept.lowerBound)
            return Substring(bytes[start..<bytes.index(start, offsetBy: kept.count)])
        }
        guard let first = bytes.firstIndex(where: { !isASCIIBlank($0) }) else { return text[text.endIndex...] }
        let last = bytes.lastIndex(where: { !isASCIIBlank($0) })!
        return text[first..<bytes.index(after: last)]
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// `range` without the spaces and tabs at its ends (RFC 9110 §5.6.3's optional whitespace), for code
    /// that reads a field value's bytes in place.
    @inlinable
    public func trimmingASCIIWhitespace(_ range: Range<Int>) -> Range<Int> {
        var (start, end) = (range.lowerBound, range.upperBound)
        while start < end, isASCIIBlank(self[start]) { start += 1 }
        while end > start, isASCIIBlank(self[end - 1]) { end -= 1 }
        return start..<end
    }

    /// Whether the bytes from `start` on begin with `lowercase`, but for the case of ASCII letters (a
    /// header name's part, an authentication scheme).
    public func matchesIgnoringASCIICase(_ lowercase: StaticString, at start: Int) -> Bool {
        let expected = UnsafeBufferPointer(start: lowercase.utf8Start, count: lowercase.utf8CodeUnitCount)
        guard start >= 0, start + expected.count <= count else { return false }
        for (offset, byte) in expected.enumerated() {
            let sent = self[start + offset]
            guard (sent >= UInt8(ascii: "A") && sent <= UInt8(ascii: "Z") ? sent | 0x20 : sent) == byte else {
                return false
            }
        }
        return true
    }
}

/// A space or a horizontal tab: the blanks of RFC 9110 §5.6.3's optional whitespace around field values
/// and list items.
@inlinable
func isASCIIBlank(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
}
