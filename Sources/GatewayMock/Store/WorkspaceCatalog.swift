import MockHTTP

/// One vendor's workspaces in creation (seed) order, validated as a whole: every record fits the
/// vendor's schema, and no two share an id or a slug.
public struct WorkspaceCatalog: Sendable {
    public let records: [WorkspaceRecord]

    /// Reads a JSON array of `vendor`'s records; `file` names the source in errors.
    public init(json bytes: [UInt8], vendor: Vendor, file: String) throws(SeedError) {
        let schema: RecordSchema =
            switch vendor {
            case .openrouter: .openRouterWorkspace
            case .portkey: .portkeyWorkspace
            }
        try self.init(json: bytes, schema: schema, file: file)
    }

    /// Reads a JSON array of records; `file` names the source in errors.
    init(json bytes: [UInt8], schema: RecordSchema, file: String) throws(SeedError) {
        let document: JSONValue
        do {
            document = try JSONParser.parse(bytes)
        } catch {
            throw SeedError(file: file, location: "", reason: error.description)
        }
        guard case .array(let elements) = document else {
            throw SeedError(
                file: file, location: "", reason: "expected a JSON array of workspaces, got \(document.typeDescription)"
            )
        }
        var records: [WorkspaceRecord] = []
        records.reserveCapacity(elements.count)
        var firstIndexOfID: [String: Int] = [:]
        var firstIndexOfSlug: [String: Int] = [:]
        for (index, element) in elements.enumerated() {
            do {
                try schema.validate(element, at: "[\(index)]")
            } catch {
                throw SeedError(file: file, location: error.location, reason: error.reason)
            }
            let record = WorkspaceRecord(value: element)
            if let first = firstIndexOfID.updateValue(index, forKey: record.id) {
                throw SeedError(
                    file: file, location: "[\(index)].id",
                    reason: "duplicate of [\(first)].id \(JSONString.quoted(record.id))")
            }
            if let first = firstIndexOfSlug.updateValue(index, forKey: record.slug) {
                throw SeedError(
                    file: file, location: "[\(index)].slug",
                    reason: "duplicate of [\(first)].slug \(JSONString.quoted(record.slug))")
            }
            records.append(record)
        }
        self.records = records
    }
}
