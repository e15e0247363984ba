/// The parameters of a query string, decoded and in order, repeats kept.
///
/// Decoding follows `application/x-www-form-urlencoded` as browsers and HTTP client libraries write it:
/// `+` is a space, `%XX` a byte. A `%` not followed by two hex digits stays as it is, and bytes that do not
/// form UTF-8 become U+FFFD, so that every query string has one defined reading.
public struct QueryParameters: Sendable, Equatable, Sequence {
    public typealias Parameter = (name: String, value: String)

    private let parameters: [Parameter]
    private let nameLengths: NameLengths

    public init(_ parameters: [Parameter]) {
        self.parameters = parameters
        nameLengths = NameLengths(parameters.lazy.map(\.name))
    }

    /// Parses the part of a request target after `?` (without the `?`), on its UTF-8 bytes in place.
    public init(parsing query: Substring) {
        var query = query
        self.parameters = query.withUTF8 { bytes in
            var parameters: [Parameter] = []
            var start = 0
            while start < bytes.count {
                let end = bytes[start...].firstIndex(of: UInt8(ascii: "&")) ?? bytes.count
                let pair = bytes[start..<end]
                start = end + 1
                guard !pair.isEmpty else { continue }  // `a&&b`
                if let equals = pair.firstIndex(of: UInt8(ascii: "=")) {
                    parameters.append((Self.decode(pair[..<equals]), Self.decode(pair[(equals + 1)...])))
                } else {
                    parameters.append((Self.decode(pair), ""))
                }
            }
            return parameters
        }
        nameLengths = NameLengths(parameters.lazy.map(\.name))
    }

    /// False when no parameter can be named any of `names` (none has the length of one of them).
    public func mayContain(anyOf names: [String]) -> Bool {
        names.contains(where: nameLengths.mayContain)
    }

    public var isEmpty: Bool { parameters.isEmpty }

    /// Every value given for `name`, in order.
    public func values(for name: String) -> [String] {
        parameters.filter { $0.name == name }.map(\.value)
    }

    public func makeIterator() -> IndexingIterator<[Parameter]> {
        parameters.makeIterator()
    }

    public static func == (lhs: QueryParameters, rhs: QueryParameters) -> Bool {
        lhs.parameters.elementsEqual(rhs.parameters) { $0.name == $1.name && $0.value == $1.value }
    }

    /// Percent-decodes one name or value, `+` meaning space.
    private static func decode(_ part: Slice<UnsafeBufferPointer<UInt8>>) -> String {
        PercentDecoding.decode(UnsafeBufferPointer(rebasing: part), plusAsSpace: true)
    }
}
