import MockHTTP

/// One vendor request as the journal keeps it. Recording is cheap (the request's headers, query and body
/// are kept as received, the time as a clock reading, with the keys the request was checked against);
/// masking (`CredentialMask`) and formatting happen when it is read. An object, immutable: an entry is
/// handed on to the journal and the live feed, and a reference is cheaper to pass on than its fields.
public final class JournalEntry: Sendable, Equatable {
    /// When it arrived.
    let arrival: WallClockTime
    public let namespace: String
    public let vendor: Vendor
    public let method: String
    /// The route that answered, as its method and pattern (`PATCH /api/v1/workspaces/{id}`, `GET …` for a
    /// `HEAD`), whatever its handler answered; nil when no route has the path and method (a 404 for an
    /// unknown path, a 405, an `OPTIONS`).
    public let route: String?
    /// The path as requested (not percent-decoded).
    public var path: String { String(rawPath) }
    let rawPath: Substring
    let rawQuery: Substring
    let rawHeaders: HTTPHeaders
    /// The keys in force when the request was checked, which `headers` names known keys by (a copy shares
    /// the namespace's arrays: nothing is copied; a list replaced later stays alive while an entry holds
    /// it, outside the byte budget, as the user's own configuration).
    let keys: APIKeys
    /// The request body, at most `maxBodyBytes` of it; nil when the request had none (neither
    /// `Content-Length` nor `Transfer-Encoding`), empty for an empty one.
    public let body: [UInt8]?
    /// Whether `body` is only the start of the body sent: cut at `maxBodyBytes`, or to fit the journals'
    /// byte budget.
    public let bodyTruncated: Bool
    /// The status answered; nil when a fault sent no response.
    public let status: Int?
    /// The simulated fault applied, if any.
    public let fault: SimulatedFault?
    /// Whether a fault rule or `Prefer` decided the answer.
    public let forced: Bool
    /// What the entry counts against the journals' byte budget (`cost(…)`).
    let cost: Int

    /// The most of a request body an entry keeps: 64 KiB.
    public static let maxBodyBytes = 64 * 1024

    /// - Parameter keys: the keys the request was checked against.
    init(
        request: borrowing HTTPRequest, keys: APIKeys, namespace: String, vendor: Vendor, route: String?, status: Int?,
        fault: SimulatedFault?, forced: Bool
    ) {
        self.arrival = WallClockTime.now()
        self.namespace = namespace
        self.vendor = vendor
        self.method = request.method
        self.route = route
        self.rawPath = request.path
        self.rawQuery = request.rawQuery
        self.rawHeaders = request.headers
        self.keys = keys
        if request.headers.contains("Content-Length") || request.headers.contains("Transfer-Encoding") {
            self.body = Self.prefix(of: request.body, upTo: Self.maxBodyBytes)
            self.bodyTruncated = request.body.count > Self.maxBodyBytes
        } else {
            self.body = nil
            self.bodyTruncated = false
        }
        self.status = status
        self.fault = fault
        self.forced = forced
        self.cost = Self.cost(path: rawPath, query: rawQuery, headers: rawHeaders, body: body)
    }

    /// `entry` with only the start of its body (`fitted(within:)`).
    private init(_ entry: JournalEntry, keepingBody body: [UInt8], cost: Int) {
        (arrival, namespace, vendor, method, route) =
            (entry.arrival, entry.namespace, entry.vendor, entry.method, entry.route)
        (rawPath, rawQuery, rawHeaders, keys) = (entry.rawPath, entry.rawQuery, entry.rawHeaders, entry.keys)
        (status, fault, forced) = (entry.status, entry.fault, entry.forced)
        self.body = body
        self.bodyTruncated = true
        self.cost = cost
    }

    // MARK: - Cost

    /// What an entry costs besides what it holds: its own fields (224 bytes) in an allocation of their
    /// own, its slot in its namespace's queue and its place in the store's order of all entries (24 and 16
    /// bytes, up to four times that with the arrays' spare and dropped slots), rounded up.
    static let fixedCost = 512

    /// An upper estimate of the memory an entry holds, in bytes, as the byte budget counts it: the bytes
    /// of its request target (path and query), of its header fields (`HTTPHeaders` keeps a parsed head's
    /// header section as one array) and of its kept body, each with its allocation's overhead (`textCost`,
    /// `bodyCost`), plus `fixedCost`, and where each field is (`spansCost`).
    static func cost(path: Substring, query: Substring, headers: HTTPHeaders, body: [UInt8]?) -> Int {
        let target = path.utf8.count + (query.isEmpty ? 0 : 1 + query.utf8.count)
        return fixedCost + textCost(target) + bodyCost(body?.count ?? 0) + bodyCost(headers.storedByteCount)
            + spansCost(headers.count)
    }

    /// What the places of `count` header fields cost: 16 bytes each, in an array that the parser makes
    /// with room for 16 and that doubles as it grows.
    static func spansCost(_ count: Int) -> Int {
        bodyCost(16 * (16 + 2 * count))
    }

    /// What a text of `count` UTF-8 bytes costs: a `String` of up to 15 bytes is stored inline (in the slot
    /// counted elsewhere); a longer one takes an allocation of a 32-byte header, the bytes, a terminating
    /// zero and malloc's rounding: at most 56 bytes besides the text.
    static func textCost(_ count: Int) -> Int {
        count > 15 ? count + 56 : count
    }

    /// What a body of `count` bytes costs: none when empty, else an array's allocation, as for a text.
    static func bodyCost(_ count: Int) -> Int {
        count == 0 ? 0 : count + 56
    }

    /// The entry, or a copy with its body cut so that it costs at most `budget`, marked truncated; nil
    /// when even without a body it costs more (then the entry cannot be kept at all).
    func fitted(within budget: Int) -> JournalEntry? {
        guard cost > budget else { return self }
        guard let body, !body.isEmpty else { return nil }
        let rest = cost - Self.bodyCost(body.count)
        guard rest <= budget else { return nil }
        let kept = Self.prefix(of: body, upTo: budget - rest - Self.bodyCost(1) + 1)
        return JournalEntry(self, keepingBody: kept, cost: rest + Self.bodyCost(kept.count))
    }

    /// The first `limit` bytes of `bytes` (all of them when shorter), in an array of their own, so that
    /// the entry holds no spare capacity. When the cut would split a UTF-8 sequence, it moves back to the
    /// sequence's first byte, so that a cut text body stays text.
    static func prefix(of bytes: [UInt8], upTo limit: Int) -> [UInt8] {
        var end = min(bytes.count, max(0, limit))
        if end < bytes.count {
            var steps = 0
            while end > 0, steps < 3, bytes[end] & 0xC0 == 0x80 {
                end -= 1
                steps += 1
            }
            if bytes[end] & 0xC0 == 0x80 { end = min(bytes.count, max(0, limit)) }  // not UTF-8: cut at the limit
        }
        return [UInt8](unsafeUninitializedCapacity: end) { buffer, count in
            _ = buffer.initialize(from: bytes[..<end])
            count = end
        }
    }

    /// ISO 8601 UTC with milliseconds, e.g. `2026-11-25T14:07:41.123Z`.
    public var time: String { arrival.iso8601 }

    /// Decoded query parameters, in order, repeats kept.
    public var query: [QueryParameters.Parameter] { Array(QueryParameters(parsing: rawQuery)) }

    /// Header fields in order, credentials masked (`CredentialMask`: `Bearer [openrouter management key 1]`,
    /// `sk-or-v1-********`).
    public var headers: [HTTPHeaders.Field] { CredentialMask(keys: keys, vendor: vendor).apply(to: rawHeaders) }

    public static func == (lhs: JournalEntry, rhs: JournalEntry) -> Bool {
        lhs.jsonValue == rhs.jsonValue
    }

    /// The entry as the control plane shows it, every key always present, in this order: `time`,
    /// `namespace`, `vendor`, `method`, `path`, `route`, `query` (each name to its values in order),
    /// `headers`, `body` (the body when it is UTF-8 text, else null), `body_base64` (the body when it is
    /// not, else null; both null without a body), `body_truncated`, `status`, `fault`, `forced`.
    var jsonValue: JSONValue {
        var query: [(key: String, value: [JSONValue])] = []
        for (name, value) in self.query {
            if let index = query.firstIndex(where: { $0.key == name }) {
                query[index].value.append(.string(value))
            } else {
                query.append((name, [.string(value)]))
            }
        }
        let text = body.flatMap { String(validating: $0, as: UTF8.self) }
        return [
            "time": .string(time), "namespace": .string(namespace), "vendor": .string(vendor.rawValue),
            "method": .string(method), "path": .string(path), "route": .optional(route.map(JSONValue.string)),
            "query": .object(query.map { ($0.key, .array($0.value)) }),
            "headers": .array(headers.map { ["name": .string($0.name), "value": .string($0.value)] }),
            "body": .optional(text.map(JSONValue.string)),
            "body_base64": .optional(text == nil ? body.map { .string(Base64.encode($0)) } : nil),
            "body_truncated": .bool(bodyTruncated),
            "status": .optional(status.map(JSONValue.integer)), "fault": .optional(fault.map { .string($0.rawValue) }),
            "forced": .bool(forced),
        ]
    }
}
