import MockHTTP

/// One emulated vendor: the paths it owns, its route table, how it checks a caller's key and how its
/// errors look on the wire. `GatewayRouter` runs the order of checks common to both vendors (route and
/// method, key, forced outcome, then the handler) and asks the vendor for each step's own part.
protocol VendorEmulation: Sendable {
    var vendor: Vendor { get }
    /// The first path segment of every path the vendor owns (`api` for `/api/…`); a miss under it is
    /// answered in the vendor's envelope.
    var pathPrefix: String { get }
    var routes: RouteTable<VendorContext, VendorError> { get }
    /// Throws `.missingKey`, `.invalidKey` or `.forbidden` unless the request carries an admin key.
    func authenticate(_ request: HTTPRequest, keys: APIKeys) throws(VendorError)
    /// The vendor's answer for `error`, in its own envelope.
    func response(for error: VendorError) -> HTTPResponse
    /// The header field, as `name: value`, that sends the first admin key of `keys` the vendor's way (a
    /// placeholder when there is none), for the index page's examples.
    func exampleKeyHeader(keys: APIKeys) -> String
}

/// What a vendor handler gets besides the request: the caller's namespace (whose store it reads and
/// writes under the namespace's lock, `Namespace.read` and `write`) and the path's parameters.
struct VendorContext: Sendable {
    let namespace: Namespace
    let parameters: RouteParameters
}
