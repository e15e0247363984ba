import MockHTTP

/// A record kept as the bytes that go on the wire, encoded once when it is loaded or written.
///
/// The bytes are a comma followed by the record's compact JSON, so that a list is a gather of the
/// records' own bytes: the first without its comma, every other one with it.
protocol EncodedRecord: Sendable {
    /// `,` then the record's compact JSON.
    var commaAndJSON: [UInt8] { get }
}

extension EncodedRecord {
    /// The record's compact JSON.
    public var encoded: ArraySlice<UInt8> { commaAndJSON.dropFirst() }

    /// What `commaAndJSON` holds for `value`.
    static func commaAndJSON(of value: JSONValue) -> [UInt8] {
        var bytes: [UInt8] = [UInt8(ascii: ",")]
        value.write(to: &bytes)
        return bytes
    }
}

extension HTTPBody {
    /// `leading` (bytes shared with a record, say), `prefix`, the records as a JSON list's elements, then
    /// `suffix`: a gather of the records' own bytes.
    static func list(
        _ records: some Collection<some EncodedRecord>, leading: ArraySlice<UInt8> = [], prefix: String,
        suffix: String
    ) -> HTTPBody {
        var parts: [ArraySlice<UInt8>] = [leading, Array(prefix.utf8)[...]]
        parts.reserveCapacity(records.count + 3)
        for (index, record) in records.enumerated() {
            parts.append(index == 0 ? record.encoded : record.commaAndJSON[...])
        }
        parts.append(Array(suffix.utf8)[...])
        return HTTPBody(parts: parts)
    }
}
