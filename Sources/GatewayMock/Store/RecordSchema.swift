import MockHTTP

/// The shape a seed record must have: its fields, their JSON types, and whether they may be null or
/// left out. One schema per vendor, taken from the vendor's OpenAPI page and official SDK.
struct RecordSchema: Sendable {
    /// A JSON type a field may take.
    indirect enum FieldType: Sendable {
        case string
        /// One of the listed strings.
        case oneOf([String])
        case integer
        case number
        case boolean
        case array(of: FieldType)
        /// An object with these fields; other keys are allowed and kept.
        case object([Field])
        /// An object whose values all have this type (e.g. string → string metadata).
        case map(of: FieldType)
    }

    struct Field: Sendable {
        var key: String
        var type: FieldType
        var nullable = false
        var required = true
    }

    var fields: [Field]

    /// Checks `value` against the schema; `location` prefixes the paths in errors (e.g. `[3]`).
    func validate(_ value: JSONValue, at location: String) throws(SchemaViolation) {
        try Self.check(value, as: .object(fields), nullable: false, at: { location })
    }

    /// `location` is called only to name the place of a violation: a valid store (every start-up's case)
    /// builds no path strings.
    private static func check(
        _ value: JSONValue, as type: FieldType, nullable: Bool, at location: () -> String
    ) throws(SchemaViolation) {
        if case .null = value {
            if nullable { return }
            throw SchemaViolation(location: location(), reason: "must not be null")
        }
        switch (type, value) {
        case (.string, .string), (.number, .number), (.boolean, .bool):
            return
        case (.oneOf(let allowed), .string(let text)):
            if !allowed.contains(text) {
                throw SchemaViolation(
                    location: location(),
                    reason: "must be one of \(allowed.joined(separator: ", ")), got \(JSONString.quoted(text))")
            }
        case (.integer, .number(let literal)):
            if !literal.utf8.allSatisfy({ $0 == UInt8(ascii: "-") || ($0 >= 48 && $0 <= 57) }) {
                throw SchemaViolation(location: location(), reason: "expected an integer, got \(literal)")
            }
        case (.array(let elementType), .array(let elements)):
            for (index, element) in elements.enumerated() {
                try check(element, as: elementType, nullable: false, at: { "\(location())[\(index)]" })
            }
        case (.object(let fields), .object):
            for field in fields {
                func path() -> String { location().isEmpty ? field.key : "\(location()).\(field.key)" }
                guard let member = value[field.key] else {
                    if field.required { throw SchemaViolation(location: path(), reason: "missing") }
                    continue
                }
                try check(member, as: field.type, nullable: field.nullable, at: path)
            }
        case (.map(let valueType), .object(let members)):
            for member in members {
                try check(member.value, as: valueType, nullable: false, at: { "\(location()).\(member.key)" })
            }
        default:
            throw SchemaViolation(
                location: location(), reason: "expected \(type.name), got \(value.typeDescription)")
        }
    }
}

/// A record that does not fit its schema, before the file name is known.
struct SchemaViolation: Error {
    var location: String
    var reason: String
}

extension RecordSchema.FieldType {
    /// "a string", "an integer", … for error messages.
    var name: String {
        switch self {
        case .string, .oneOf: "a string"
        case .integer: "an integer"
        case .number: "a number"
        case .boolean: "a boolean"
        case .array: "an array"
        case .object, .map: "an object"
        }
    }
}
