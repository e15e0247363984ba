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
        guard encoded.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) else {
            return String(decoding: encoded, as: UTF8.self)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(encoded.count)
        var index = encoded.startIndex
        while index < encoded.endIndex {
            let byte = encoded[index]
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"),
                let high = encoded.index(index, offsetBy: 1, limitedBy: encoded.endIndex), high < encoded.endIndex,
                let low = encoded.index(index, offsetBy: 2, limitedBy: encoded.endIndex), low < encoded.endIndex,
                let highValue = hexValue(encoded[high]), let lowValue = hexValue(encoded[low])
            {
                bytes.append(highValue << 4 | lowValue)
                index = low
            } else {
                bytes.append(byte)
            }
            index = encoded.index(after: index)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// The value of one hexadecimal digit, or nil.
func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
}
