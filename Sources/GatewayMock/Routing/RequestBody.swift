import MockHTTP

/// A JSON request body, read for a write operation: an object, or a 400 that says what is wrong with it.
/// Keys the operation does not know are ignored, as the vendors' APIs ignore them.
struct RequestBody {
    let members: JSONValue

    init(_ request: HTTPRequest) throws(VendorError) {
        guard !request.body.isEmpty else { throw .invalidRequest("Request body must be a JSON object, got nothing") }
        let document: JSONValue
        do {
            document = try JSONParser.parse(request.body)
        } catch {
            throw .invalidRequest("Request body is not valid JSON: \(error)")
        }
        guard case .object = document else {
            throw .invalidRequest("Request body must be a JSON object, got \(document.typeDescription)")
        }
        members = document
    }

    /// The member `key`, nil when absent.
    subscript(key: String) -> JSONValue? { members[key] }

    /// A string of `lengths` characters (Unicode code points, as JSON Schema's `maxLength` in the vendors'
    /// documents counts them);
    /// nil when absent; `null` refused unless `nullable`, as `.some(nil)`.
    func string(_ key: String, lengths: ClosedRange<Int>, nullable: Bool = false) throws(VendorError) -> String?? {
        guard let value = self[key] else { return nil }
        if case .null = value, nullable { return .some(nil) }
        guard case .string(let text) = value else {
            throw .invalidRequest("\(key) must be a string\(nullable ? " or null" : ""), got \(value.typeDescription)")
        }
        let length = text.unicodeScalars.count
        guard lengths.contains(length) else {
            throw .invalidRequest("\(key) must be \(Self.describe(lengths)) characters long, got \(length)")
        }
        return .some(text)
    }

    /// A list of 1 to `maximum` strings (`user_ids`).
    func strings(_ key: String, maximum: Int) throws(VendorError) -> [String] {
        guard let value = self[key] else { throw .invalidRequest("\(key) is required") }
        guard case .array(let elements) = value else {
            throw .invalidRequest("\(key) must be an array of strings, got \(value.typeDescription)")
        }
        guard (1...maximum).contains(elements.count) else {
            throw .invalidRequest("\(key) must hold 1 to \(maximum) ids, got \(elements.count)")
        }
        var result: [String] = []
        for (index, element) in elements.enumerated() {
            guard let text = element.stringValue else {
                throw .invalidRequest("\(key)[\(index)] must be a string, got \(element.typeDescription)")
            }
            guard !text.isEmpty else { throw .invalidRequest("\(key)[\(index)] must not be empty") }
            result.append(text)
        }
        return result
    }

    private static func describe(_ lengths: ClosedRange<Int>) -> String {
        lengths.upperBound == Int.max
            ? "at least \(lengths.lowerBound)" : "\(lengths.lowerBound) to \(lengths.upperBound)"
    }

    /// A value for messages: quoted, and cut after 60 characters.
    static func shown(_ text: String) -> String {
        text.count <= 60 ? JSONString.quoted(text) : JSONString.quoted(String(text.prefix(60)) + "…")
    }
}
