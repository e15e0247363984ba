import MockHTTP

/// One emulated vendor: how it checks a caller's key and how its errors look on the wire.
/// The router runs the common order of checks (route, method, key, forced error, parameters) and asks
/// the vendor for each step's vendor-specific part.
protocol VendorEmulation: Sendable {
    /// The vendor's name in logs: `openrouter`, `portkey`.
    var name: String { get }
    /// Throws `.missingKey`, `.invalidKey` or `.forbidden` unless the request carries an admin key.
    func authenticate(_ request: HTTPRequest, keys: APIKeys) throws(VendorError)
    /// The vendor's answer for `error`, in its own envelope.
    func response(for error: VendorError) -> HTTPResponse
}

extension VendorEmulation {
    /// `Allow` for 405 answers, beside the vendor's error body.
    func methodNotAllowedResponse(allowed: [String]) -> HTTPResponse {
        var response = response(for: .methodNotAllowed(allowed: allowed))
        response.headers.replaceOrAdd(name: "Allow", value: allowed.joined(separator: ", "))
        return response
    }
}
