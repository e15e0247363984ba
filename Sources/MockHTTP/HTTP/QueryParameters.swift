/// The parameters of a query string, decoded and in order, repeats kept.
///
/// Decoding follows `application/x-www-form-urlencoded` as browsers and HTTP client libraries write it:
/// `+` is a space, `%XX` a byte. A `%` not followed by two hex digits stays as it is, and bytes that do not
/// form UTF-8 become U+FFFD, so that every query string has one defined reading.
public struct QueryParameters: Sendable, Equatable, Sequence {
    public typealias Parameter = (name: String, value: String)

    private let parameters: [Parameter]

    public init(_ parameters: [Parameter]) {
        self.parameters = parameters
    }

    /// Parses the part of a request target after `?` (without the `?`).
    public init(parsing query: Substring) {
        var parameters: [Parameter] = []
        for pair in query.utf8.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            if let equals = pair.firstIndex(of: UInt8(ascii: "=")) {
                let value = pair[pair.index(after: equals)...]
                parameters.append((Self.decode(pair[..<equals]), Self.decode(value)))
            } else {
                parameters.append((Self.decode(pair), ""))
            }
        }
        self.parameters = parameters
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
    static func decode(_ encoded: Substring.UTF8View.SubSequence) -> String {
        PercentDecoding.decode(encoded, plusAsSpace: true)
    }
}
