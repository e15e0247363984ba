/// Builds a list response from records encoded at load: the prefix, the records joined by commas, the suffix.
enum JSONPage {
    static func build(prefix: String, records: some Collection<WorkspaceRecord>, suffix: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(
            prefix.utf8.count + suffix.utf8.count + records.reduce(records.count) { $0 + $1.encoded.count })
        bytes.append(contentsOf: prefix.utf8)
        for (index, record) in records.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(contentsOf: record.encoded)
        }
        bytes.append(contentsOf: suffix.utf8)
        return bytes
    }
}
