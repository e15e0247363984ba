/// Header fields in the order they arrived, duplicates kept (so that two conflicting `Content-Length`
/// fields are seen, not merged). Names compare case-insensitively.
///
/// The fields are kept as UTF-8 bytes, each name and value a span of one array: a parsed request's
/// fields are its head's header section, copied once, and no `String` is made of a name or value until
/// one is asked for (most requests are answered without any: the key and `Host` are read on the bytes in
/// place). A value that is not UTF-8 (obs-text) reads with U+FFFD for its bad bytes.
public struct HTTPHeaders: Sendable, Equatable, Sequence {
    public typealias Field = (name: String, value: String)

    /// The names' and values' bytes, as `spans` place them (a parsed head's bytes between them too).
    private var bytes: [UInt8]
    private var spans: [Span]
    private var nameLengths = NameLengths()

    /// Where one field's name and value are in `bytes` (32-bit offsets: a parsed head is at most the
    /// parser's `maxHeaderBytes`, 32 KiB).
    struct Span: Sendable, Equatable {
        var nameStart: Int32
        var nameEnd: Int32
        var valueStart: Int32
        var valueEnd: Int32

        init(name: Range<Int>, value: Range<Int>) {
            (nameStart, nameEnd) = (Int32(name.lowerBound), Int32(name.upperBound))
            (valueStart, valueEnd) = (Int32(value.lowerBound), Int32(value.upperBound))
        }

        var name: Range<Int> { Int(nameStart)..<Int(nameEnd) }
        var value: Range<Int> { Int(valueStart)..<Int(valueEnd) }
    }

    public init(_ fields: [Field] = []) {
        (bytes, spans) = ([], [])
        for (name, value) in fields { add(name: name, value: value) }
    }

    /// The fields of a parsed head: `spans` place them in `section`, its header section's bytes.
    init(section: [UInt8], spans: [Span]) {
        (bytes, self.spans) = (section, spans)
        for span in spans { nameLengths.insert(length: span.name.count) }
    }

    public var count: Int { spans.count }

    /// The bytes the fields are kept in, for an estimate of the memory they hold (the journal's budget).
    public var storedByteCount: Int { bytes.count }

    public mutating func add(name: String, value: String) {
        let nameStart = bytes.count
        bytes.appendUTF8(name)
        let valueStart = bytes.count
        bytes.appendUTF8(value)
        spans.append(Span(name: nameStart..<valueStart, value: valueStart..<bytes.count))
        nameLengths.insert(length: valueStart - nameStart)
    }

    /// Replaces every field named `name` with one holding `value`.
    public mutating func replaceOrAdd(name: String, value: String) {
        if contains(name) { self = HTTPHeaders(filter { !$0.name.equalsIgnoringASCIICase(name) }) }
        add(name: name, value: value)
    }

    /// Every value of the fields named `name`, in order.
    public func values(for name: String) -> [String] {
        indices(named: name).map { text(spans[$0].value) }
    }

    /// For a field that must appear once: the first value of a later field named `name` that differs from
    /// the first one's, nil when there is none (the field appears at most once, or repeats one value).
    public func conflictingValue(for name: String) -> String? {
        let named = indices(named: name)
        guard let first = named.first else { return nil }
        return bytes.withUnsafeBufferPointer { bytes in
            let firstValue = bytes[spans[first].value]
            return named.dropFirst().first { !bytes[spans[$0].value].elementsEqual(firstValue) }
        }.map { text(spans[$0].value) }
    }

    /// The first value of the fields named `name`.
    public subscript(name: String) -> String? {
        firstIndex(named: name).map { text(spans[$0].value) }
    }

    public func contains(_ name: String) -> Bool {
        firstIndex(named: name) != nil
    }

    /// How many fields are named `name`.
    public func count(of name: String) -> Int {
        guard nameLengths.mayContain(name) else { return 0 }
        return name.withUTF8Bytes { name in
            bytes.withUnsafeBufferPointer { bytes in spans.count { Self.name(of: $0, in: bytes, is: name) } }
        }
    }

    /// `body` given the bytes of the first value of the fields named `name` in place; nil when there is
    /// no such field. (For the values read on every request, such as the key: no `String` is made.)
    public func withFirstValue<Result>(
        for name: String, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result
    ) rethrows -> Result? {
        guard let index = firstIndex(named: name) else { return nil }
        return try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[spans[index].value])) }
    }

    /// The comma-separated tokens of every field named `name`, trimmed of spaces and tabs, ASCII letters
    /// lowercased (for list-valued fields such as `Connection` and `Transfer-Encoding`). It works on the
    /// UTF-8 bytes, as tokens are ASCII (RFC 9110 §5.6.2): Unicode lowercasing would read `chun\u{212A}ed`
    /// (KELVIN SIGN) as `chunked`, and a comma or space followed by a combining mark would not split or trim.
    public func tokens(for name: String) -> [String] {
        let named = indices(named: name)
        if named.isEmpty { return [] }  // (most requests carry none of the fields asked about)
        return bytes.withUnsafeBufferPointer { bytes in
            var tokens: [String] = []
            for index in named {
                let value = spans[index].value
                var start = value.lowerBound
                while start <= value.upperBound {
                    let end = bytes[start..<value.upperBound].firstIndex(of: UInt8(ascii: ",")) ?? value.upperBound
                    let token = bytes.trimmingASCIIWhitespace(start..<end)
                    if !token.isEmpty {
                        tokens.append(
                            String(
                                decoding: bytes[token].map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
                        )
                    }
                    start = end + 1
                }
            }
            return tokens
        }
    }

    /// Appends `name: value` CRLF for each field, as a response head writes them.
    func appendFieldLines(to head: inout [UInt8]) {
        bytes.withUnsafeBufferPointer { bytes in
            for span in spans {
                head.append(contentsOf: bytes[span.name])
                head.append(": ")
                head.append(contentsOf: bytes[span.value])
                head.append("\r\n")
            }
        }
    }

    public func makeIterator() -> Iterator {
        Iterator(headers: self)
    }

    /// The fields in order, each name and value made a `String` as it is reached.
    public struct Iterator: IteratorProtocol {
        let headers: HTTPHeaders
        var index = 0

        public mutating func next() -> Field? {
            guard index < headers.spans.count else { return nil }
            defer { index += 1 }
            let span = headers.spans[index]
            return (headers.text(span.name), headers.text(span.value))
        }
    }

    /// Equal when they hold the same names and values, byte for byte, in the same order.
    public static func == (lhs: HTTPHeaders, rhs: HTTPHeaders) -> Bool {
        // (The same storage, as a response's shared fields compared with the last head's: no byte compared.)
        if lhs.bytes == rhs.bytes, lhs.spans == rhs.spans { return true }
        guard lhs.spans.count == rhs.spans.count else { return false }
        return lhs.bytes.withUnsafeBufferPointer { left in
            rhs.bytes.withUnsafeBufferPointer { right in
                zip(lhs.spans, rhs.spans).allSatisfy { a, b in
                    left[a.name].elementsEqual(right[b.name]) && left[a.value].elementsEqual(right[b.value])
                }
            }
        }
    }

    // MARK: - Lookup on the bytes

    private func text(_ range: Range<Int>) -> String {
        bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self) }
    }

    /// The index of the first field named `name`.
    private func firstIndex(named name: String) -> Int? {
        guard nameLengths.mayContain(name) else { return nil }
        return name.withUTF8Bytes { name in
            bytes.withUnsafeBufferPointer { bytes in
                for index in spans.indices where Self.name(of: spans[index], in: bytes, is: name) { return index }
                return nil
            }
        }
    }

    /// The indices of the fields named `name`, in order.
    private func indices(named name: String) -> [Int] {
        guard nameLengths.mayContain(name) else { return [] }
        return name.withUTF8Bytes { name in
            bytes.withUnsafeBufferPointer { bytes in
                spans.indices.filter { Self.name(of: spans[$0], in: bytes, is: name) }
            }
        }
    }

    /// Whether `span`'s name in `bytes` is `name` but for the case of ASCII letters.
    private static func name(
        of span: Span, in bytes: UnsafeBufferPointer<UInt8>, is name: UnsafeBufferPointer<UInt8>
    ) -> Bool {
        guard Int(span.nameEnd - span.nameStart) == name.count else { return false }
        let start = Int(span.nameStart)
        for offset in 0..<name.count {
            guard isEqualIgnoringASCIICase(bytes[start + offset], name[offset]) else { return false }
        }
        return true
    }
}

extension StringProtocol {
    /// `body` given the text's UTF-8 bytes: in place when they are contiguous (a native string's), else a
    /// copy. (For code that reads a text's bytes on every request: a key, `Host`, a credential.)
    @inlinable
    public func withUTF8Bytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        if let result = try utf8.withContiguousStorageIfAvailable(body) { return result }
        return try Array(utf8).withUnsafeBufferPointer(body)
    }

    /// ASCII case-insensitive equality, without allocating lowercased copies. (Inlinable, so that it is
    /// specialized where it is called: it runs for every header lookup of every request.)
    @inlinable
    public func equalsIgnoringASCIICase(_ other: some StringProtocol) -> Bool {
        let equal = isEqualIgnoringASCIICase
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
        return expected.indices.allSatisfy { isEqualIgnoringASCIICase(self[start + $0], expected[$0]) }
    }
}

/// Whether two bytes are equal but for the case of ASCII letters.
@inlinable
func isEqualIgnoringASCIICase(_ a: UInt8, _ b: UInt8) -> Bool {
    a == b || (a ^ 0x20 == b && (a | 0x20) >= UInt8(ascii: "a") && (a | 0x20) <= UInt8(ascii: "z"))
}

/// A space or a horizontal tab: the blanks of RFC 9110 §5.6.3's optional whitespace around field values
/// and list items.
@inlinable
func isASCIIBlank(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
}
