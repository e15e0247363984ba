import MockHTTP

/// A control-plane request that cannot be done: the status and one sentence saying why and, where it
/// helps, what to do instead. Rendered as `{"error":{"code":N,"message":"…"}}` (`ErrorEnvelope`).
struct ControlPlaneError: Error, Sendable, Equatable {
    var status: HTTPStatus
    var message: String
    /// `Allow` for a 405.
    var allowed: [String] = []

    init(_ status: HTTPStatus, _ message: String) {
        self.status = status
        self.message = message
    }

    static func methodNotAllowed(_ allowed: [String]) -> ControlPlaneError {
        var error = ControlPlaneError(.methodNotAllowed, "use \(allowed.joined(separator: " or ")) here")
        error.allowed = allowed
        return error
    }

    var response: HTTPResponse {
        var response = ErrorEnvelope.codeAndMessage(status, message)
        if !allowed.isEmpty { response.setAllow(allowed) }
        return response
    }
}
