import MockHTTP

/// A failure that a vendor reports in its own error envelope. The vendor emulations decide what went
/// wrong; each `VendorEmulation.response(for:)` decides how it looks on the wire (`ErrorEnvelope`).
public enum VendorError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No key, or an empty one.
    case missingKey
    /// A key the mock does not know.
    case invalidKey
    /// A known key whose role may not use this endpoint (OpenRouter inference key, Portkey workspace key).
    case forbidden
    /// A query parameter or header the endpoint cannot accept; nil for a forced 400 that names none.
    case badRequest(ParameterProblem?)
    /// A single-valued query parameter given more than once with different values.
    case repeatedParameter(RepeatedParameter)
    /// A request body (or path parameter) the operation cannot accept: the message names the field.
    case invalidRequest(String)
    /// No such endpoint.
    case notFound
    /// The endpoint exists, the resource it names does not: the message names it.
    case resourceNotFound(String)
    /// The key may use the endpoint, but not for this (deleting the default workspace unconfirmed).
    case refused(String)
    /// The resource is held by others (a Portkey workspace with virtual keys).
    case conflict(String)
    case methodNotAllowed(allowed: [String])
    case rateLimited
    case internalError

    /// A short account for logs, e.g. `bad request: limit="0" must be an integer from 1 to 100`.
    public var description: String {
        switch self {
        case .missingKey: "missing key"
        case .invalidKey: "unknown key"
        case .forbidden: "key not allowed here"
        case .badRequest(let problem?): "bad request: \(problem)"
        case .badRequest(nil): "bad request"
        case .repeatedParameter(let repeated): "bad request: \(repeated.message)"
        case .invalidRequest(let message): "bad request: \(message)"
        case .notFound: "no such endpoint"
        case .resourceNotFound(let message): "not found: \(message)"
        case .refused(let message): "refused: \(message)"
        case .conflict(let message): "conflict: \(message)"
        case .methodNotAllowed: "method not allowed"
        case .rateLimited: "rate limited"
        case .internalError: "internal error"
        }
    }

    public var status: HTTPStatus {
        switch self {
        case .missingKey, .invalidKey: .unauthorized
        case .forbidden, .refused: .forbidden
        case .badRequest, .repeatedParameter, .invalidRequest: .badRequest
        case .notFound, .resourceNotFound: .notFound
        case .conflict: HTTPStatus(409)
        case .methodNotAllowed: .methodNotAllowed
        case .rateLimited: .tooManyRequests
        case .internalError: .internalServerError
        }
    }
}

/// Which input was refused, its value as received, and why.
public struct ParameterProblem: Sendable, Equatable, CustomStringConvertible {
    public var parameter: String
    public var value: String
    public var reason: String

    public init(parameter: String, value: String, reason: String) {
        self.parameter = parameter
        self.value = value
        self.reason = reason
    }

    public var description: String { "\(parameter)=\(JSONString.quoted(value)) \(reason)" }
}
