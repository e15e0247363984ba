import MockHTTP

/// What a client asked for in its `Prefer` request header (RFC 7240), the way the Prism mock server
/// reads it: `Prefer: code=500` answers that request with the vendor's error for that status,
/// `delay=250` answers 250 ms late, `fault=connection_reset` simulates a network failure.
/// Unknown preferences are ignored, as RFC 7240 asks.
struct Preferences: Sendable, Equatable {
    /// The statuses a client may force, each answered with the vendor's own body for it.
    static let forcibleStatuses = [400, 401, 403, 429, 500]
    static let forcibleStatusList = forcibleStatuses.map(String.init).joined(separator: ", ")

    var status: Int?
    var delayMilliseconds: Int?
    var fault: SimulatedFault?

    /// True when the header asked for nothing this mock acts on.
    var isEmpty: Bool { status == nil && delayMilliseconds == nil && fault == nil }

    init(headers: HTTPHeaders) throws(VendorError) {
        for preference in headers.values(for: "Prefer").flatMap({ $0.split(separator: ",") }) {
            let item = (preference.split(separator: ";", maxSplits: 1).first ?? "").trimmingASCIIWhitespace()
            let parts = item.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let name = parts[0].trimmingASCIIWhitespace().lowercased()
            var value = parts[1].trimmingASCIIWhitespace()
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = value.dropFirst().dropLast() }
            func refuse(_ reason: String) -> VendorError {
                .badRequest(ParameterProblem(parameter: "Prefer", value: String(item), reason: reason))
            }
            switch name {
            case "code":
                guard let code = Int(value), Self.forcibleStatuses.contains(code) else {
                    throw refuse("code must be one of \(Self.forcibleStatusList)")
                }
                status = code
            case "delay":
                guard let delay = Int(value), (0...FaultRule.maxDelayMilliseconds).contains(delay) else {
                    throw refuse("delay must be a number of milliseconds from 0 to \(FaultRule.maxDelayMilliseconds)")
                }
                delayMilliseconds = delay
            case "fault":
                guard let fault = SimulatedFault(rawValue: String(value)) else {
                    throw refuse(
                        "fault must be one of \(SimulatedFault.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                self.fault = fault
            default:
                continue
            }
        }
        if status != nil, fault != nil {
            throw .badRequest(
                ParameterProblem(parameter: "Prefer", value: "code, fault", reason: "code and fault cannot be combined")
            )
        }
    }

    init(rule: FaultRule) {
        status = rule.status
        delayMilliseconds = rule.delayMilliseconds
        fault = rule.fault
    }

    /// The vendor error for a forcible status.
    static func error(forStatus code: Int) -> VendorError? {
        switch code {
        case 400: .badRequest(nil)
        case 401: .missingKey
        case 403: .forbidden
        case 429: .rateLimited
        case 500: .internalError
        default: nil
        }
    }
}
