/// Why seed data was refused: which file, where in it, and what is wrong, as one line such as
/// `openrouter/workspaces.json: [17].slug: missing`. Nothing is loaded when one is thrown.
public struct SeedError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file relative to the seed directory (`openrouter/workspaces.json`), or a label such as `request body`.
    public var file: String
    /// Where in the document: `[17].slug`, empty for the document itself.
    public var location: String
    public var reason: String

    public init(file: String, location: String, reason: String) {
        self.file = file
        self.location = location
        self.reason = reason
    }

    public var description: String {
        location.isEmpty ? "\(file): \(reason)" : "\(file): \(location): \(reason)"
    }
}

extension SeedError {
    /// The elements of the JSON array in `bytes`; `what` names them in the error for anything else
    /// (`expected a JSON array of workspaces, got an object`).
    static func array(in bytes: [UInt8], of what: String, file: String) throws(SeedError) -> [JSONValue] {
        let document = try parse(bytes, file: file)
        guard case .array(let elements) = document else {
            throw SeedError(
                file: file, location: "", reason: "expected a JSON array of \(what), got \(document.typeDescription)")
        }
        return elements
    }

    /// The JSON object in `bytes` (an error for anything else).
    static func object(in bytes: [UInt8], file: String) throws(SeedError) -> JSONValue {
        let document = try parse(bytes, file: file)
        guard case .object = document else {
            throw SeedError(file: file, location: "", reason: "expected an object, got \(document.typeDescription)")
        }
        return document
    }

    private static func parse(_ bytes: [UInt8], file: String) throws(SeedError) -> JSONValue {
        do {
            return try JSONParser.parse(bytes)
        } catch {
            throw SeedError(file: file, location: "", reason: error.description)
        }
    }
}
