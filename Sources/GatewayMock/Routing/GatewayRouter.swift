import Logging
import MockHTTP

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The mock's `HTTPResponder`. For a vendor endpoint it runs the checks in the documented order —
/// route and method, then the key (a request without a valid key always gets 401/403), then a forced
/// outcome (`Prefer`, else the caller's fault rules), then the parameters — records the request in the
/// caller's journal, and writes one access-log line per request.
public final class GatewayRouter: HTTPResponder {
    private let state: MockState
    private let admin: AdminAPI?
    private let logger: Logger
    private let accessLog: Bool
    private let openRouter = OpenRouterEmulation()
    private let portkey = PortkeyEmulation()

    /// The methods every vendor endpoint answers (`HEAD` as `GET` without the body).
    static let allowedMethods = ["GET", "HEAD", "OPTIONS"]

    /// - Parameters:
    ///   - adminEnabled: serve the control plane under `/__admin/` and the index at `/` (404 otherwise).
    ///   - accessLog: one `info` line per request.
    public init(state: MockState, adminEnabled: Bool = true, accessLog: Bool = true, logger: Logger) {
        self.state = state
        self.admin = adminEnabled ? AdminAPI(state: state) : nil
        self.accessLog = accessLog
        self.logger = logger
    }

    /// What happened to one request, for the access log.
    private struct Outcome {
        var response: HTTPResponse
        var namespace = MockState.defaultNamespaceName
        var fault: SimulatedFault?
        var problem: String?
    }

    public func respond(to request: HTTPRequest) -> HTTPResponse {
        let started = ContinuousClock.now
        let outcome = route(request)
        if accessLog {
            let status = outcome.response.disposition == .send ? "\(outcome.response.status.code)" : "-"
            var metadata: Logger.Metadata = [:]
            if let problem = outcome.problem { metadata["error"] = "\(problem)" }
            let fault = outcome.fault.map { " fault=\($0.rawValue)" } ?? ""
            let elapsed = Int((ContinuousClock.now - started) / .microseconds(1))
            logger.info(
                "\(outcome.namespace) \(request.method) \(request.target) \(status) \(elapsed)µs\(fault)",
                metadata: metadata)
        }
        return outcome.response
    }

    /// Errors the server answers itself (bad request bytes, too many connections, plain HTTP on the TLS
    /// port), as JSON: `{"error":{"code":N,"message":"…"}}`.
    public func respond(to error: HTTPServerError) -> HTTPResponse {
        .json(
            error.status,
            Array(#"{"error":{"code":\#(error.status.code),"message":\#(JSONString.quoted(error.message))}}"#.utf8))
    }

    private func route(_ request: HTTPRequest) -> Outcome {
        switch request.path {
        case "/api/v1/workspaces":
            return serve(request, vendor: openRouter, id: .openrouter, endpoint: openRouter.listWorkspaces)
        case "/v1/admin/workspaces":
            return serve(request, vendor: portkey, id: .portkey, endpoint: portkey.listWorkspaces)
        case "/" where admin != nil && (request.method == "GET" || request.method == "HEAD"):
            let namespace = try? state.namespace(request.headers["X-Mock-Namespace"])
            return Outcome(
                response: IndexPage.response(for: request, keys: (namespace ?? state.defaultNamespace).store.keys))
        case _ where request.path == "/__admin" || request.path.hasPrefix("/__admin/"):
            if let admin {
                let (response, namespace) = admin.respond(to: request)
                return Outcome(response: response, namespace: namespace)
            }
        default:
            break
        }
        if let owner = vendor(owningPath: request.path) {
            return Outcome(response: owner.response(for: .notFound), problem: "no such endpoint")
        }
        return Outcome(
            response: .json(.notFound, Array(#"{"error":{"code":404,"message":"Not Found"}}"#.utf8)),
            problem: "no such endpoint")
    }

    private func serve(
        _ request: HTTPRequest, vendor: any VendorEmulation, id: Vendor,
        endpoint: (HTTPRequest, SeedStore) throws(VendorError) -> HTTPResponse
    ) -> Outcome {
        switch request.method {
        case "GET", "HEAD":
            break
        case "OPTIONS":
            var headers = HTTPHeaders()
            headers.add(name: "Allow", value: Self.allowedMethods.joined(separator: ", "))
            return Outcome(response: HTTPResponse(status: .noContent, headers: headers))
        default:
            return Outcome(
                response: vendor.methodNotAllowedResponse(allowed: Self.allowedMethods), problem: "method not allowed")
        }
        let namespace: Namespace
        do {
            namespace = try state.namespace(request.headers["X-Mock-Namespace"])
        } catch {
            let vendorError: VendorError =
                switch error {
                case .invalidName(let name):
                    .badRequest(
                        ParameterProblem(
                            parameter: "X-Mock-Namespace", value: name,
                            reason: "must be 1 to 64 letters, digits, '.', '_' or '-'"))
                case .limitReached: .rateLimited
                }
            return Outcome(
                response: vendor.response(for: vendorError), namespace: request.headers["X-Mock-Namespace"] ?? "",
                problem: error.description)
        }

        var outcome = Outcome(response: HTTPResponse(status: .ok), namespace: namespace.name)
        var forced = false
        let store = namespace.store
        var plan: Preferences?
        do throws(VendorError) {
            try vendor.authenticate(request, keys: store.keys)
            plan = try Preferences(headers: request.headers)
            if plan?.isEmpty ?? true, let rule = namespace.takeFault(for: id) { plan = Preferences(rule: rule) }
            forced = !(plan?.isEmpty ?? true)
            outcome.response = try Self.response(to: request, store: store, plan: plan, endpoint: endpoint)
            outcome.fault = plan?.fault
        } catch {
            outcome.response = vendor.response(for: error)
            outcome.problem = error.description
        }
        if let delay = plan?.delayMilliseconds, delay > 0 { outcome.response.delay = .milliseconds(delay) }

        namespace.record(
            JournalEntry(
                request: request, namespace: namespace.name, vendor: id,
                status: outcome.response.disposition == .send ? outcome.response.status.code : nil,
                fault: outcome.fault, forced: forced))
        return outcome
    }

    /// The endpoint's answer, or the forced error or simulated fault that `plan` asks for instead.
    private static func response(
        to request: HTTPRequest, store: SeedStore, plan: Preferences?,
        endpoint: (HTTPRequest, SeedStore) throws(VendorError) -> HTTPResponse
    ) throws(VendorError) -> HTTPResponse {
        if let status = plan?.status, let error = Preferences.error(forStatus: status) { throw error }
        switch plan?.fault {
        case nil:
            return try endpoint(request, store)
        case .connectionReset?:
            var response = HTTPResponse(status: .ok)
            response.disposition = .resetConnection
            return response
        case .emptyResponse?:
            var response = HTTPResponse(status: .ok)
            response.disposition = .closeWithoutResponse
            return response
        case .malformedJSON?:
            var response = try endpoint(request, store)
            response.body = response.body.prefix(response.body.count / 2)
            return response
        }
    }

    /// The vendor whose prefix a path has: `/api/…` is OpenRouter's, `/v1/…` Portkey's.
    private func vendor(owningPath path: Substring) -> (any VendorEmulation)? {
        if path == "/api" || path.hasPrefix("/api/") { return openRouter }
        if path == "/v1" || path.hasPrefix("/v1/") { return portkey }
        return nil
    }
}

/// Wall-clock time now, as seconds and nanoseconds since 1970.
func wallClockNow() -> (seconds: Int, nanoseconds: Int) {
    var spec = timespec()
    clock_gettime(CLOCK_REALTIME, &spec)
    return (Int(spec.tv_sec), Int(spec.tv_nsec))
}

/// Wall-clock time as ISO 8601 UTC with milliseconds (`2026-11-25T14:07:41.123Z`), without Foundation.
enum ISO8601Time {
    static func format(seconds: Int, nanoseconds: Int) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        func padded(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(padded(parts.tm_year + 1900, 4))-\(padded(parts.tm_mon + 1, 2))-\(padded(parts.tm_mday, 2))T"
            + "\(padded(parts.tm_hour, 2)):\(padded(parts.tm_min, 2)):\(padded(parts.tm_sec, 2))."
            + "\(padded(Int32(nanoseconds / 1_000_000), 3))Z"
    }
}
