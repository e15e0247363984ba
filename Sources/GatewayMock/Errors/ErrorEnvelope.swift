import MockHTTP

/// The error bodies on the wire, each shape written in one place.
enum ErrorEnvelope {
    /// `{"error":{"code":N,"message":"…"}}`, with `"metadata":{…}` after the message when given:
    /// OpenRouter's envelope (its OpenAPI `ErrorResponse`), which the control plane and the server's own
    /// protocol errors share so that one client-side parser reads them all.
    static func codeAndMessage(_ status: HTTPStatus, _ message: String, metadata: JSONValue? = nil) -> HTTPResponse {
        var error: [(key: String, value: JSONValue)] = [("code", .integer(status.code)), ("message", .string(message))]
        if let metadata { error.append(("metadata", metadata)) }
        return .json(status, ["error": .object(error)])
    }

    /// `{"success":false,"data":{"message":"…","errorCode":"ABnn"}}`: Portkey's admin-API envelope.
    static func portkey(_ status: HTTPStatus, _ message: String, errorCode: String) -> HTTPResponse {
        .json(status, ["success": false, "data": ["message": .string(message), "errorCode": .string(errorCode)]])
    }
}
