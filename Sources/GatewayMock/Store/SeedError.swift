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
        let document: JSONValue
        do {
            document = try JSONParser.parse(bytes)
        } catch {
            throw SeedError(file: file, location: "", reason: error.description)
        }
        guard case .array(let elements) = document else {
            throw SeedError(
                file: file, location: "", reason: "expected a JSON array of \(what), got \(document.typeDescription)")
        }
        return elements
    }
}
