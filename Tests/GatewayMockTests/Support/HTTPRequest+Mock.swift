import MockHTTP

extension HTTPRequest {
    /// A request as the parser would hand it to the responder, for handler tests without a socket:
    /// `Host: localhost` first unless `headers` names a Host, then `headers` in order, and with a `body`
    /// its `Content-Length` (unless given), as a client would have sent it.
    static func make(
        method: String = "GET", target: String = "/", headers: [(String, String)] = [], body: String? = nil
    ) -> HTTPRequest {
        var fields = HTTPHeaders()
        if !headers.contains(where: { $0.0.equalsIgnoringASCIICase("Host") }) {
            fields.add(name: "Host", value: "localhost")
        }
        for (name, value) in headers { fields.add(name: name, value: value) }
        if let body, !fields.contains("Content-Length"), !fields.contains("Transfer-Encoding") {
            fields.add(name: "Content-Length", value: "\(body.utf8.count)")
        }
        return HTTPRequest(method: method, target: target, headers: fields, body: Array((body ?? "").utf8))
    }
}
