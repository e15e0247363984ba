import MockHTTP

/// A rule that makes matching vendor requests (those that passed authentication) fail on purpose:
/// with a vendor error status, late, or with a simulated network fault. Rules apply first-added first;
/// `times` counts down and the rule goes away at zero. A rule matches by vendor, request method and path,
/// each left out to match any; a request it does not match leaves its count alone.
public struct FaultRule: Sendable, Equatable {
    /// Assigned when the rule is added (0 before).
    public internal(set) var id: Int
    /// The vendor whose requests it matches; nil matches both.
    public var vendor: Vendor?
    /// The request method it matches (`DELETE`), compared with the method as sent; nil matches any.
    /// `validated()` uppercases it: RFC 9110 methods are case-sensitive and every vendor route's is
    /// uppercase, so `"delete"` can only mean `DELETE`.
    public var method: String?
    /// The request paths it matches; nil matches any.
    public var path: PathGlob?
    /// Answer with the vendor's error body for this status (one of `ForcedOutcome.forcibleStatuses`).
    public var status: Int?
    /// How many more requests it applies to; nil until removed.
    public var times: Int?
    /// Answer this many milliseconds late.
    public var delayMilliseconds: Int?
    public var fault: SimulatedFault?

    public init(
        vendor: Vendor? = nil, method: String? = nil, path: PathGlob? = nil, status: Int? = nil, times: Int? = nil,
        delayMilliseconds: Int? = nil, fault: SimulatedFault? = nil
    ) {
        self.id = 0
        self.vendor = vendor
        self.method = method
        self.path = path
        self.status = status
        self.times = times
        self.delayMilliseconds = delayMilliseconds
        self.fault = fault
    }

    /// Whether the rule applies to a request of `vendor` with this method and path (the query is not looked at).
    func matches(vendor: Vendor, method: String, path: RequestPath) -> Bool {
        (self.vendor == nil || self.vendor == vendor) && (self.method == nil || self.method == method)
            && (self.path?.matches(path) ?? true)
    }

    /// What the rule does to a request it matches.
    var outcome: ForcedOutcome { ForcedOutcome(status: status, delayMilliseconds: delayMilliseconds, fault: fault) }

    /// Why a rule cannot be used, as one sentence.
    public struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// Checks the rule: a method that is an RFC 9110 token (returned uppercased), something to do, a
    /// positive count, and the outcome's rules (`ForcedOutcome.validate`).
    public func validated() throws(Invalid) -> FaultRule {
        var rule = self
        if let method {
            guard !method.isEmpty, method.utf8.allSatisfy(\.isTokenCharacter) else {
                throw Invalid(
                    description: "method must be an HTTP method such as \"DELETE\" (got \(JSONString.quoted(method)))")
            }
            rule.method = String(decoding: method.utf8.map { $0 >= 0x61 && $0 <= 0x7A ? $0 - 0x20 : $0 }, as: UTF8.self)
        }
        if outcome.isEmpty {
            throw Invalid(description: "a fault rule needs at least one of status, fault or delay_ms")
        }
        if let times, times < 1 { throw Invalid(description: "times must be 1 or more (leave it out for no limit)") }
        do {
            try outcome.validate(.faultRule)
        } catch {
            throw Invalid(description: error.message)
        }
        return rule
    }

    /// `{"id":1,"vendor":"openrouter","method":"DELETE","path":"/api/v1/workspaces/*","status":500,"times":2,
    /// "delay_ms":null,"fault":null}`: what it matches, then what it does; every key always present.
    var jsonValue: JSONValue {
        [
            "id": .integer(id), "vendor": .string(vendor?.rawValue ?? "any"),
            "method": .optional(method.map(JSONValue.string)),
            "path": .optional(path.map { .string($0.description) }),
            "status": .optional(status.map(JSONValue.integer)),
            "times": .optional(times.map(JSONValue.integer)),
            "delay_ms": .optional(delayMilliseconds.map(JSONValue.integer)),
            "fault": .optional(fault.map { .string($0.rawValue) }),
        ]
    }

    /// Reads a rule from the control plane's JSON: `vendor`, `method`, `path`, `status`, `times`, `delay_ms`,
    /// `fault`, each null or left out for none; any other key is refused, to catch typos.
    public init(json value: JSONValue) throws(Invalid) {
        guard case .object(let members) = value else {
            throw Invalid(description: "a fault rule must be a JSON object, got \(value.typeDescription)")
        }
        self.init()
        for (key, member) in members {
            switch key {
            case "vendor":
                guard let name = member.stringValue, name == "any" || Vendor(rawValue: name) != nil else {
                    throw Invalid(description: "vendor must be \"openrouter\", \"portkey\" or \"any\"")
                }
                vendor = Vendor(rawValue: name)
            case "method": method = try Self.string(member, key)
            case "path":
                guard let pattern = try Self.string(member, key) else { continue }
                do {
                    path = try PathGlob(pattern)
                } catch {
                    throw Invalid(description: error.description)
                }
            case "status": status = try Self.integer(member, key)
            case "times": times = try Self.integer(member, key)
            case "delay_ms": delayMilliseconds = try Self.integer(member, key)
            case "fault":
                if case .null = member { continue }  // as `GET /__admin/faults` shows a rule without one
                do {
                    fault = try ForcedOutcome.fault(named: member.stringValue ?? "")
                } catch {
                    throw Invalid(description: error.message)
                }
            case "id": continue  // a rule read back from GET /__admin/faults may be posted again
            default:
                throw Invalid(
                    description:
                        "unknown field \(JSONString.quoted(key)) (expected vendor, method, path, status, times, delay_ms, fault)"
                )
            }
        }
        self = try validated()
    }

    private static func string(_ value: JSONValue, _ key: String) throws(Invalid) -> String? {
        if case .null = value { return nil }
        guard let text = value.stringValue else { throw Invalid(description: "\(key) must be a string") }
        return text
    }

    private static func integer(_ value: JSONValue, _ key: String) throws(Invalid) -> Int? {
        if case .null = value { return nil }
        guard case .number(let literal) = value, let number = Int(literal) else {
            throw Invalid(description: "\(key) must be an integer")
        }
        return number
    }
}
