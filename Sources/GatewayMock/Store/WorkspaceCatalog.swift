import MockHTTP

/// One vendor's workspaces in creation order, found by id or slug, each kept as the bytes that go on the
/// wire. Every record fits the vendor's schema, and no two share an id or a slug.
///
/// A write re-encodes the one record it changes and costs the same whatever the number of workspaces
/// (`OrderedRecords`); a page is a gather of the records' own bytes, never a copy of the store, kept as
/// one block for the next request for the same page until the catalog changes (`PageCache`).
public struct WorkspaceCatalog: Sendable {
    private var records: OrderedRecords<WorkspaceRecord>
    private var sequenceOfID: [String: Int] = [:]
    private var sequenceOfSlug: [String: Int] = [:]
    /// Pages served from this state (shared with equal copies; see `changed()`).
    private var pages = PageCache()

    /// How many workspaces there are.
    public var count: Int { records.count }

    /// Every workspace in order (a walk over all of them).
    public var all: [WorkspaceRecord] { records.all }

    /// How many workspaces `isIncluded` accepts, and the page `offset..<offset + limit` of them: a walk
    /// over every workspace that copies only the page.
    func page(where isIncluded: (WorkspaceRecord) -> Bool, offset: Int, limit: Int) -> (
        count: Int, page: [WorkspaceRecord]
    ) {
        records.page(where: isIncluded, offset: offset, limit: limit)
    }

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
        records = OrderedRecords()
        for (index, element) in try SeedError.array(in: bytes, of: "workspaces", file: file).enumerated() {
            do {
                try schema.validate(element, at: "[\(index)]")
            } catch {
                throw SeedError(file: file, location: error.location, reason: error.reason)
            }
            let record = WorkspaceRecord(value: element)
            if let other = sequenceOfID[record.id] {
                throw SeedError(
                    file: file, location: "[\(index)].id",
                    reason: "duplicate of [\(other)].id \(JSONString.quoted(record.id))")
            }
            if let other = sequenceOfSlug[record.slug] {
                throw SeedError(
                    file: file, location: "[\(index)].slug",
                    reason: "duplicate of [\(other)].slug \(JSONString.quoted(record.slug))")
            }
            insert(record)
        }
    }

    /// The workspace whose id is `key`, else the one whose slug is `key` (the vendors accept either).
    public func record(idOrSlug key: String) -> WorkspaceRecord? {
        guard let sequence = sequenceOfID[key] ?? sequenceOfSlug[key] else { return nil }
        return records[sequence: sequence]
    }

    /// The workspace whose id or slug is `key`, else a 404 naming it (both vendors answer this way).
    func required(_ key: String) throws(VendorError) -> WorkspaceRecord {
        guard let record = record(idOrSlug: key) else {
            throw .resourceNotFound("Workspace not found: no workspace has the id or slug \(RequestBody.shown(key))")
        }
        return record
    }

    public func containsID(_ id: String) -> Bool { sequenceOfID[id] != nil }

    public func containsSlug(_ slug: String) -> Bool { sequenceOfSlug[slug] != nil }

    /// Adds `record` last. Its id and slug must be free (the caller checked).
    mutating func insert(_ record: WorkspaceRecord) {
        precondition(sequenceOfID[record.id] == nil && sequenceOfSlug[record.slug] == nil)
        changed()
        let sequence = records.append(record)
        sequenceOfID[record.id] = sequence
        sequenceOfSlug[record.slug] = sequence
    }

    /// Replaces the workspace with `record.id` in its place; a new slug must be free (the caller checked).
    mutating func replace(_ record: WorkspaceRecord) {
        guard let sequence = sequenceOfID[record.id], let old = records[sequence: sequence] else {
            preconditionFailure("no workspace \(record.id)")
        }
        changed()
        if old.slug != record.slug {
            precondition(sequenceOfSlug[record.slug] == nil)
            sequenceOfSlug[old.slug] = nil
            sequenceOfSlug[record.slug] = sequence
        }
        records.replace(sequence: sequence, with: record)
    }

    /// Removes the workspace with id `id`; returns it, nil when there is none.
    @discardableResult
    mutating func remove(id: String) -> WorkspaceRecord? {
        guard let sequence = sequenceOfID.removeValue(forKey: id),
            let removed = records.remove(sequence: sequence)
        else { return nil }
        changed()
        sequenceOfSlug[removed.slug] = nil
        return removed
    }

    /// Drops the pages served so far: in place when no other copy shares them, else by starting a cache
    /// of this copy's own (the other copies, still unchanged, keep theirs).
    private mutating func changed() {
        if isKnownUniquelyReferenced(&pages) {
            pages.removeAll()
        } else {
            pages = PageCache()
        }
    }

    /// Up to `limit` records from position `offset` as a comma-separated list in `envelope`:
    /// the records' own bytes gathered the first time, then the same bytes as one block from `PageCache`
    /// until the catalog changes.
    func page(offset: Int, limit: Int, in envelope: ListEnvelope) -> HTTPBody {
        pages.body(for: PageCache.Key(offset: offset, limit: limit, envelope: envelope)) {
            gathered(
                offset: offset, limit: limit, prefix: envelope.prefix(count: count),
                suffix: envelope.suffix(count: count))
        }
    }

    private func gathered(offset: Int, limit: Int, prefix: String, suffix: String) -> HTTPBody {
        var parts: [ArraySlice<UInt8>] = [Array(prefix.utf8)[...]]
        parts.reserveCapacity(min(limit, count) + 2)
        records.visit(offset: offset, limit: limit) { record in
            parts.append(parts.count == 1 ? record.encoded : record.commaAndJSON[...])
        }
        parts.append(Array(suffix.utf8)[...])
        return HTTPBody(parts: parts)
    }
}
