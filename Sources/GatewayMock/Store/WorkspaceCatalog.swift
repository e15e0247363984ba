import MockHTTP

/// One vendor's workspaces in creation (seed) order, validated as a whole: every record fits the
/// vendor's schema, and no two share an id or a slug.
///
/// The records are also kept encoded once, back to back with commas between them, so that a page of
/// consecutive records is one copy of ready bytes.
public struct WorkspaceCatalog: Sendable {
    public let records: [WorkspaceRecord]
    /// Every record's compact JSON, joined by commas.
    private let joined: [UInt8]
    /// Where each record ends in `joined` (exclusive); the next one starts one byte (the comma) later.
    private let ends: [Int]

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
        var joined: [UInt8] = []
        var ends: [Int] = []
        joined.reserveCapacity(records.reduce(records.count) { $0 + $1.encoded.count })
        ends.reserveCapacity(records.count)
        for record in records {
            if !joined.isEmpty { joined.append(UInt8(ascii: ",")) }
            joined.append(contentsOf: record.encoded)
            ends.append(joined.count)
        }
        self.joined = joined
        self.ends = ends
    }

    /// `prefix`, the records in `range` as a comma-separated list, then `suffix`: the records are a slice
    /// of the shared encoded bytes, not a copy.
    public func page(_ range: Range<Int>, prefix: String, suffix: String) -> HTTPBody {
        let records = range.isEmpty ? joined[0..<0] : joined[start(of: range.lowerBound)..<ends[range.upperBound - 1]]
        return HTTPBody(parts: [Array(prefix.utf8)[...], records, Array(suffix.utf8)[...]])
    }

    /// `prefix`, the records at `indices` (ascending) as a comma-separated list, then `suffix`.
    public func page(_ indices: some Collection<Int>, prefix: String, suffix: String) -> HTTPBody {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(prefix.utf8.count + suffix.utf8.count + indices.reduce(0) { $0 + length(of: $1) + 1 })
        bytes.append(contentsOf: prefix.utf8)
        var first = true
        for index in indices {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            bytes.append(contentsOf: joined[start(of: index)..<ends[index]])
        }
        bytes.append(contentsOf: suffix.utf8)
        return HTTPBody(bytes)
    }

    private func start(of index: Int) -> Int { index == 0 ? 0 : ends[index - 1] + 1 }

    private func length(of index: Int) -> Int { ends[index] - start(of: index) }
}
