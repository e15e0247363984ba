import MockHTTP

/// What a client asked for in its `Prefer` request header (RFC 7240), the way the Prism mock server
/// reads it: `Prefer: code=500` answers that request with the vendor's error for that status.
/// Unknown preferences are ignored, as RFC 7240 asks.
struct Preferences: Sendable, Equatable {
    /// The statuses a client may force, each answered with the vendor's own body for it.
    static let forcibleStatuses = [400, 401, 403, 429, 500]

    /// The forced error, if any.
    var forcedError: VendorError?

    init(headers: HTTPHeaders) throws(VendorError) {
        for preference in headers.values(for: "Prefer").flatMap({ $0.split(separator: ",") }) {
            let item = preference.split(separator: ";", maxSplits: 1).first ?? ""
            let parts = item.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0].trimmingASCIIWhitespace().equalsIgnoringASCIICase("code") else { continue }
            var value = parts[1].trimmingASCIIWhitespace()
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = value.dropFirst().dropLast() }
            guard let code = Int(value), let error = Self.error(forStatus: code) else {
                throw .badRequest(
                    ParameterProblem(
                        parameter: "Prefer", value: String(item.trimmingASCIIWhitespace()),
                        reason: "code must be one of \(Self.forcibleStatuses.map(String.init).joined(separator: ", "))")
                )
            }
            forcedError = error
        }
    }

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
