import Logging
import MockHTTP

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The mock's `HTTPResponder`: finds the vendor endpoint for a request and runs the checks in the
/// documented order — route and method, then the key (a request without a valid key always gets
/// 401/403), then a forced error from `Prefer`, then the parameters — and logs one line per request.
public final class GatewayRouter: HTTPResponder {
    private let store: SeedStore
    private let logger: Logger
    private let openRouter = OpenRouterEmulation()
    private let portkey = PortkeyEmulation()

    /// The methods every vendor endpoint answers (`HEAD` as `GET` without the body).
    static let allowedMethods = ["GET", "HEAD", "OPTIONS"]

    public init(store: SeedStore, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    public func respond(to request: HTTPRequest) -> HTTPResponse {
        let started = monotonicMicroseconds()
        let (response, vendor, problem) = route(request)
        var metadata: Logger.Metadata = [:]
        if let vendor { metadata["vendor"] = "\(vendor)" }
        if let problem { metadata["error"] = "\(problem)" }
        logger.info(
            "\(request.method) \(request.target) \(response.status.code) \(monotonicMicroseconds() - started)µs",
            metadata: metadata)
        return response
    }

    /// The response, the vendor that answered (nil outside both vendors' paths) and, for an error, what it was.
    private func route(_ request: HTTPRequest) -> (HTTPResponse, String?, VendorError?) {
        let vendor: any VendorEmulation
        let endpoint: (HTTPRequest, SeedStore) throws(VendorError) -> HTTPResponse
        switch request.path {
        case "/api/v1/workspaces":
            vendor = openRouter
            endpoint = openRouter.listWorkspaces
        case "/v1/admin/workspaces":
            vendor = portkey
            endpoint = portkey.listWorkspaces
        default:
            guard let owner = self.vendor(owningPath: request.path) else {
                return (.json(.notFound, Array(#"{"error":{"code":404,"message":"Not Found"}}"#.utf8)), nil, .notFound)
            }
            return (owner.response(for: .notFound), owner.name, .notFound)
        }
        switch request.method {
        case "GET", "HEAD":
            break
        case "OPTIONS":
            var headers = HTTPHeaders()
            headers.add(name: "Allow", value: Self.allowedMethods.joined(separator: ", "))
            return (HTTPResponse(status: .noContent, headers: headers), vendor.name, nil)
        default:
            let error = VendorError.methodNotAllowed(allowed: Self.allowedMethods)
            return (vendor.methodNotAllowedResponse(allowed: Self.allowedMethods), vendor.name, error)
        }
        do throws(VendorError) {
            try vendor.authenticate(request, keys: store.keys)
            if let forced = try Preferences(headers: request.headers).forcedError { throw forced }
            return (try endpoint(request, store), vendor.name, nil)
        } catch {
            return (vendor.response(for: error), vendor.name, error)
        }
    }

    /// The vendor whose prefix a path has: `/api/…` is OpenRouter's, `/v1/…` Portkey's.
    private func vendor(owningPath path: Substring) -> (any VendorEmulation)? {
        if path == "/api" || path.hasPrefix("/api/") { return openRouter }
        if path == "/v1" || path.hasPrefix("/v1/") { return portkey }
        return nil
    }
}

/// A monotonic clock reading in microseconds, for request timings.
func monotonicMicroseconds() -> Int {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Int(spec.tv_sec) * 1_000_000 + Int(spec.tv_nsec) / 1000
}
