/// One workspace as the store holds it: the record exactly as seeded (key order and number text kept),
/// encoded once at load so that a page is a concatenation of ready bytes.
public struct WorkspaceRecord: Sendable {
    public let id: String
    public let slug: String
    public let name: String
    /// Portkey's `active`/`archived`; nil for OpenRouter records.
    public let status: String?
    /// The record as compact JSON, the bytes that go on the wire.
    public let encoded: [UInt8]

    init(value: JSONValue) {
        self.id = value["id"]?.stringValue ?? ""
        self.slug = value["slug"]?.stringValue ?? ""
        self.name = value["name"]?.stringValue ?? ""
        self.status = value["status"]?.stringValue
        self.encoded = Array(value.encoded.utf8)
    }
}
