import MockHTTP

/// Literals, so that control-plane bodies and error envelopes are written as values and encoded by
/// `JSONValue.encoded`, never by string interpolation:
/// `["status": "ok", "uptime_seconds": .integer(uptime), "faults": .array(rules.map(\.jsonValue))]`.
/// A dictionary literal keeps its keys in the order written.
extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .integer(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(elements.map { (key: $0.0, value: $0.1) })
    }
    public init(nilLiteral: ()) { self = .null }

    /// An integer as a JSON number.
    static func integer(_ value: Int) -> JSONValue { .number(String(value)) }

    /// `value`, or `null` when it is nil.
    static func optional(_ value: JSONValue?) -> JSONValue { value ?? .null }
}

extension HTTPResponse {
    /// A JSON response whose body is `value`, encoded compactly.
    static func json(_ status: HTTPStatus, _ value: JSONValue, headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        .json(status, value.encodedBytes, headers: headers)
    }
}
