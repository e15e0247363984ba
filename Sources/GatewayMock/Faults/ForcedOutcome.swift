import MockHTTP

/// What a vendor request is made to get instead of its normal answer, or on top of it: the vendor's
/// error for a status, a delay, or a simulated network fault. It comes from the request's own `Prefer`
/// header (RFC 7240, read the way the Prism mock server reads it: `Prefer: code=500`, `delay=250`,
/// `fault=connection_reset`) or, when that asks for nothing, from the namespace's first matching fault
/// rule. Both are checked by `validate(_:)`, with messages naming the fields as the client spelled them.
struct ForcedOutcome: Sendable, Equatable {
    /// Answer with the vendor's own error body for this status (one of `forcibleStatuses`).
    var status: Int?
    /// Answer this many milliseconds late (0 to `maxDelayMilliseconds`).
    var delayMilliseconds: Int?
    /// Answer with a network failure instead of a response.
    var fault: SimulatedFault?

    init(status: Int? = nil, delayMilliseconds: Int? = nil, fault: SimulatedFault? = nil) {
        self.status = status
        self.delayMilliseconds = delayMilliseconds
        self.fault = fault
    }

    /// The statuses a client may force, each answered with the vendor's own body for it.
    static let forcibleStatuses = [400, 401, 403, 429, 500]
    /// The longest delay a rule or `Prefer: delay=` may ask for, in milliseconds.
    static let maxDelayMilliseconds = 600_000

    /// True when nothing is forced.
    var isEmpty: Bool { status == nil && delayMilliseconds == nil && fault == nil }

    /// How a client named the fields: `code` and `delay` in `Prefer`, `status` and `delay_ms` in a rule.
    struct Spelling: Sendable {
        var status: String
        var delay: String

        static let prefer = Spelling(status: "code", delay: "delay")
        static let faultRule = Spelling(status: "status", delay: "delay_ms")
    }

    /// One broken rule, as a sentence naming the field the client wrote.
    struct Invalid: Error, Sendable, Equatable {
        var message: String

        static func status(_ spelling: Spelling) -> Invalid {
            Invalid(
                message:
                    "\(spelling.status) must be one of \(forcibleStatuses.map(String.init).joined(separator: ", "))")
        }
        static func delay(_ spelling: Spelling) -> Invalid {
            Invalid(message: "\(spelling.delay) must be a number of milliseconds from 0 to \(maxDelayMilliseconds)")
        }
        static let fault = Invalid(
            message: "fault must be one of \(SimulatedFault.allCases.map(\.rawValue).joined(separator: ", "))")
        static func combined(_ spelling: Spelling) -> Invalid {
            Invalid(message: "\(spelling.status) and fault cannot be combined: a fault replaces the response")
        }
    }

    /// The four rules: a forcible status, a delay in range, a known fault (checked when read, see
    /// `fault(named:)`), and not both a status and a fault.
    func validate(_ spelling: Spelling) throws(Invalid) {
        if let status, !Self.forcibleStatuses.contains(status) { throw .status(spelling) }
        if let delay = delayMilliseconds, !(0...Self.maxDelayMilliseconds).contains(delay) { throw .delay(spelling) }
        if status != nil, fault != nil { throw .combined(spelling) }
    }

    static func fault(named name: String) throws(Invalid) -> SimulatedFault {
        guard let fault = SimulatedFault(rawValue: name) else { throw .fault }
        return fault
    }

    /// The vendor error that a forced status answers with.
    var error: VendorError? {
        switch status {
        case 400: .badRequest(nil)
        case 401: .missingKey
        case 403: .forbidden
        case 429: .rateLimited
        case 500: .internalError
        default: nil
        }
    }
}

// MARK: - Prefer

extension ForcedOutcome {
    /// Reads the `Prefer` header fields: `code`, `delay` and `fault`. As RFC 7240 §2 asks, other
    /// preferences are ignored and a preference given more than once counts only the first time (across
    /// all `Prefer` fields). An empty value (`code=`) is refused like any other unusable one. Throws
    /// `.badRequest` naming `Prefer`, the preference as sent, and the broken rule.
    init(prefer headers: borrowing HTTPHeaders) throws(VendorError) {
        self.init()
        guard headers.contains("Prefer") else { return }  // (most requests: nothing to set up)
        var items: [String] = []
        var seen: Set<String> = []
        for preference in headers.values(for: "Prefer").flatMap({ $0.split(separator: ",") }) {
            let item = (preference.split(separator: ";", maxSplits: 1).first ?? "").trimmingASCIIWhitespace()
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { continue }
            let name = parts[0].trimmingASCIIWhitespace().lowercased()
            guard seen.insert(name).inserted else { continue }
            var value = parts[1].trimmingASCIIWhitespace()
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = value.dropFirst().dropLast() }
            do throws(Invalid) {
                switch name {
                case "code":
                    status = Int(value) ?? -1
                    try ForcedOutcome(status: status).validate(.prefer)
                case "delay":
                    delayMilliseconds = Int(value) ?? -1
                    try ForcedOutcome(delayMilliseconds: delayMilliseconds).validate(.prefer)
                case "fault":
                    fault = try Self.fault(named: String(value))
                default:
                    continue
                }
            } catch {
                throw .badRequest(ParameterProblem(parameter: "Prefer", value: String(item), reason: error.message))
            }
            items.append(String(item))
        }
        do throws(Invalid) {
            try validate(.prefer)
        } catch {
            throw .badRequest(
                ParameterProblem(parameter: "Prefer", value: items.joined(separator: ", "), reason: error.message))
        }
    }
}
