import MockHTTP

/// One vendor request as the journal keeps it. Recording is cheap (the request's headers and query are
/// kept as received, the time as a clock reading); redaction and formatting happen when it is read, so
/// API keys are shown only as their first and last four characters.
public struct JournalEntry: Sendable, Equatable {
    /// When it arrived.
    let arrival: WallClockTime
    public var namespace: String
    public var vendor: Vendor
    public var method: String
    /// The path as requested (not percent-decoded).
    public var path: String { String(rawPath) }
    let rawPath: Substring
    let rawQuery: Substring
    let rawHeaders: HTTPHeaders
    /// The status answered; nil when a fault sent no response.
    public var status: Int?
    /// The simulated fault applied, if any.
    public var fault: SimulatedFault?
    /// Whether a fault rule or `Prefer` decided the answer.
    public var forced: Bool

    init(
        request: HTTPRequest, namespace: String, vendor: Vendor, status: Int?, fault: SimulatedFault?, forced: Bool
    ) {
        self.arrival = WallClockTime.now()
        self.namespace = namespace
        self.vendor = vendor
        self.method = request.method
        self.rawPath = request.path
        self.rawQuery = request.rawQuery
        self.rawHeaders = request.headers
        self.status = status
        self.fault = fault
        self.forced = forced
    }

    /// ISO 8601 UTC with milliseconds, e.g. `2026-11-25T14:07:41.123Z`.
    public var time: String { arrival.iso8601 }

    /// Decoded query parameters, in order, repeats kept.
    public var query: [QueryParameters.Parameter] { Array(QueryParameters(parsing: rawQuery)) }

    /// Header fields in order, credentials redacted.
    public var headers: [HTTPHeaders.Field] { Self.redacted(rawHeaders) }

    public static func == (lhs: JournalEntry, rhs: JournalEntry) -> Bool {
        lhs.jsonValue == rhs.jsonValue
    }

    /// The entry as the control plane shows it; `query` maps each name to its values in order.
    var jsonValue: JSONValue {
        var query: [(key: String, value: [JSONValue])] = []
        for (name, value) in self.query {
            if let index = query.firstIndex(where: { $0.key == name }) {
                query[index].value.append(.string(value))
            } else {
                query.append((name, [.string(value)]))
            }
        }
        return [
            "time": .string(time), "namespace": .string(namespace), "vendor": .string(vendor.rawValue),
            "method": .string(method), "path": .string(path),
            "query": .object(query.map { ($0.key, .array($0.value)) }),
            "headers": .array(headers.map { ["name": .string($0.name), "value": .string($0.value)] }),
            "status": .optional(status.map(JSONValue.integer)), "fault": .optional(fault.map { .string($0.rawValue) }),
            "forced": .bool(forced),
        ]
    }

    /// Header names whose values are credentials: shown as their first and last four characters only.
    static func redacted(_ headers: HTTPHeaders) -> [HTTPHeaders.Field] {
        headers.map { field in
            let name = field.name.lowercased()
            guard
                name == "authorization" || name == "proxy-authorization" || name == "cookie"
                    || name.contains("api-key") || name.contains("token") || name.contains("secret")
            else { return field }
            let parts = field.value.split(separator: " ", maxSplits: 1)
            if name.hasSuffix("authorization"), parts.count == 2 {
                return (field.name, "\(parts[0]) \(redactedKey(String(parts[1])))")
            }
            return (field.name, redactedKey(field.value))
        }
    }
}
