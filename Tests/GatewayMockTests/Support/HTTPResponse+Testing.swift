import Foundation
import MockHTTP

/// What handler tests read from a response: only what a client can see on the wire (status, header
/// values, body bytes) and how the connection is told to deliver it (disposition, delay).
extension HTTPResponse {
    /// The status code, e.g. 200.
    var code: Int { status.code }

    /// The body's bytes.
    var bytes: [UInt8] { body.bytes }

    /// The body as UTF-8 text.
    var text: String { String(decoding: body.bytes, as: UTF8.self) }

    /// The first value of the header field `name` (case-insensitive), nil when absent.
    func header(_ name: String) -> String? { headers[name] }

    /// Every header field the responder set, in order, as `Name: value` lines. The connection adds `Date`,
    /// `Content-Length` and `Connection` when it writes the response; they are not here.
    var headerLines: [String] { headers.map { "\($0.name): \($0.value)" } }

    /// The body decoded as JSON (Foundation's parser: independent of the server's own JSON code).
    func json() throws -> Any {
        try JSONSerialization.jsonObject(with: Data(body.bytes), options: [.fragmentsAllowed])
    }
}
