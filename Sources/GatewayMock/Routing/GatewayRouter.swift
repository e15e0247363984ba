import Logging
import MockHTTP

/// The mock's `HTTPResponder`: hands each request to the API that owns its path — the control plane
/// (`/` and `/__admin/…`), OpenRouter (`/api/…`) or Portkey (`/v1/…`) — and writes one access-log line
/// per request. Called concurrently from every event-loop thread; all state is behind `MockState`'s locks.
///
/// For a vendor endpoint the checks run in the documented order: route and method (404/405, `OPTIONS`),
/// then the namespace, the key (a request without a valid key always gets 401/403), then a forced outcome
/// (`Prefer`, else the caller's fault rules, which match by vendor, method and path), then the handler.
/// Every request to a vendor path is recorded in the caller's journal, with the route that answered it.
///
/// Before routing, the `CORSPolicy` decides what a request with `Origin` may see (`CORSAccess`): an
/// allowed origin's preflight is answered here, without a key, and every other answer to an allowed
/// origin gets `Access-Control-Allow-Origin`, whatever it is.
public final class GatewayRouter: HTTPResponder {
    private let state: MockState
    private let controlPlane: ControlPlane?
    private let vendors: [any VendorEmulation]
    private let cors: CORSPolicy
    private let logger: Logger
    /// The logger's handler when it is the server's own, which takes the access log's message as bytes.
    private let lineHandler: BatchedLogHandler?
    private let accessLog: Bool

    /// - Parameters:
    ///   - adminEnabled: serve the control plane under `/__admin/` and the index at `/` (404 otherwise).
    ///   - cors: which other origins' pages may call the vendor endpoints and use the control plane.
    ///   - accessLog: one `info` line per request.
    public convenience init(
        state: MockState, adminEnabled: Bool = true, cors: CORSPolicy = .allOrigins, accessLog: Bool = true,
        logger: Logger
    ) {
        self.init(
            state: state, vendors: [OpenRouterEmulation(), PortkeyEmulation()], adminEnabled: adminEnabled,
            cors: cors, accessLog: accessLog, logger: logger)
    }

    /// A router for other vendor emulations (tests use one with a table of their own).
    init(
        state: MockState, vendors: [any VendorEmulation], adminEnabled: Bool, cors: CORSPolicy = .allOrigins,
        accessLog: Bool, logger: Logger
    ) {
        self.state = state
        self.vendors = vendors
        self.cors = cors
        self.controlPlane = adminEnabled ? ControlPlane(state: state, vendors: vendors, cors: cors) : nil
        self.accessLog = accessLog
        self.logger = logger
        self.lineHandler = logger.handler as? BatchedLogHandler
    }

    /// What happened to one request, for the access log. An object, filled in as the request goes: a
    /// struct of these fields was copied field by field on its way out of each step (~1 500 instructions
    /// per request, callgrind), a reference is retained once. Its fields are not checked for exclusive
    /// access at run time: one request on one thread makes and fills it, one field at a time.
    final class Outcome {
        @exclusivity(unchecked) var response: HTTPResponse
        @exclusivity(unchecked) var namespace: String
        @exclusivity(unchecked) var fault: SimulatedFault?
        @exclusivity(unchecked) var problem: String?
        /// The vendor key the request carried, as `CredentialMask` shows it; nil when it carried none or
        /// is not a vendor request.
        @exclusivity(unchecked) var key: String?

        init(
            response: HTTPResponse, namespace: String = MockState.defaultNamespaceName, problem: String? = nil,
            key: String? = nil
        ) {
            (self.response, self.namespace, self.problem, self.key) = (response, namespace, problem, key)
        }
    }

    public func respond(to request: HTTPRequest) -> HTTPResponse {
        guard accessLog else { return route(request).response }  // (no clock readings for a line not written)
        let started = ContinuousClock.now
        let outcome = route(request)
        let (seconds, attoseconds) = (ContinuousClock.now - started).components
        let elapsed = Int(seconds) * 1_000_000 + Int(attoseconds / 1_000_000_000_000)
        let metadata: Logger.Metadata? = outcome.problem.map { ["error": "\($0)"] }
        // The source given, not derived from the file name for every line (swift-log's default).
        if let lineHandler {
            lineHandler.log(level: .info, metadata: metadata, source: "GatewayMock") {
                Self.appendAccessLogMessage(request, outcome, elapsed: elapsed, to: &$0)
            }
        } else {
            var message: [UInt8] = []
            Self.appendAccessLogMessage(request, outcome, elapsed: elapsed, to: &message)
            logger.info(
                Logger.Message(stringLiteral: String(decoding: message, as: UTF8.self)), metadata: metadata,
                source: "GatewayMock")
        }
        return outcome.response
    }

    /// Appends `<namespace> <method> <target> <status or -> <elapsed>µs[ fault=<fault>][ key=<key>]` as
    /// UTF-8 bytes, written into the log line itself rather than interpolated (which grows a `String` piece
    /// by piece: 5 400 instructions a line, against a quiet request's 34 000 when that was measured).
    static func appendAccessLogMessage(
        _ request: HTTPRequest, _ outcome: Outcome, elapsed: Int, to line: inout [UInt8]
    ) {
        line.appendUTF8(logged(outcome.namespace))
        line.append(UInt8(ascii: " "))
        line.appendUTF8(request.method)
        line.append(UInt8(ascii: " "))
        line.appendUTF8(request.target)
        line.append(UInt8(ascii: " "))
        if outcome.response.disposition == .send {
            line.appendDecimal(outcome.response.status.code)
        } else {
            line.append(UInt8(ascii: "-"))
        }
        line.append(UInt8(ascii: " "))
        line.appendDecimal(elapsed)
        line.append("µs")
        if let fault = outcome.fault {
            line.append(" fault=")
            line.appendUTF8(fault.rawValue)
        }
        if let key = outcome.key {
            line.append(" key=")
            line.appendUTF8(key)
        }
    }

    /// A namespace as the access log shows it: as it is when it is a valid name (or `*`), JSON-quoted
    /// otherwise, so that a name taken from a query (`?namespace=a%0Ab`) cannot break or forge a line.
    private static func logged(_ namespace: String) -> String {
        namespace == "*" || MockState.isValidName(namespace) ? namespace : JSONString.quoted(namespace)
    }

    /// Errors the server answers itself (bad request bytes, the 408, too many connections, plain HTTP on
    /// the TLS port), in the `{"error":{"code":N,"message":"…"}}` envelope.
    public func respond(to error: HTTPServerError) -> HTTPResponse {
        ErrorEnvelope.codeAndMessage(error.status, error.message)
    }

    private func route(_ request: HTTPRequest) -> Outcome {
        let path = RequestPath(request.path)
        let controlPlane = controlPlane.flatMap { $0.owns(path) ? $0 : nil }
        let vendor = controlPlane == nil ? vendors.first(where: { $0.pathPrefix == path.first }) : nil
        let access = CORSAccess(request, policy: cors, controlPlane: controlPlane != nil)
        var outcome: Outcome
        if case .preflight(let preflight) = access {
            let methods =
                controlPlane != nil
                ? ControlPlane.routes.allowedMethods(path) : vendor?.routes.allowedMethods(path) ?? []
            outcome = Outcome(response: preflight.response(allowedMethods: methods))
            if let vendor { outcome = journaledMiss(outcome, request, vendor: vendor) }
        } else if let controlPlane {
            outcome = controlPlane.respond(to: request, path: path)
        } else if let vendor {
            outcome = serve(request, path: path, vendor: vendor)
        } else {
            outcome = Outcome(
                response: ErrorEnvelope.codeAndMessage(.notFound, "Not Found"), problem: "no such endpoint")
        }
        access.apply(to: outcome)
        return outcome
    }

    private func serve(_ request: HTTPRequest, path: RequestPath, vendor: any VendorEmulation) -> Outcome {
        let route: Route<VendorContext, VendorError>
        let parameters: RouteParameters
        switch vendor.routes.resolve(method: request.method, path: path) {
        case .handler(let matched, let matchedParameters):
            (route, parameters) = (matched, matchedParameters)
        case .options(let allowed):
            return journaledMiss(Outcome(response: .options(allowed: allowed)), request, vendor: vendor)
        case .methodNotAllowed(let allowed):
            var response = vendor.response(for: .methodNotAllowed(allowed: allowed))
            response.setAllow(allowed)
            return journaledMiss(Outcome(response: response, problem: "method not allowed"), request, vendor: vendor)
        case .notFound:
            let outcome = Outcome(response: vendor.response(for: .notFound), problem: "no such endpoint")
            return journaledMiss(outcome, request, vendor: vendor)
        }

        // The key first (a request without a valid key always gets 401/403, whatever namespace it names),
        // checked against the keys of the namespace it names or, when that does not exist yet, the keys it
        // would start with.
        let requested = request.headers["X-Mock-Namespace"]
        var namespace = state.existingNamespace(requested)
        let keys = namespace?.keys ?? state.loadedStore.keys
        let outcome = Outcome(
            response: HTTPResponse(status: .ok),
            namespace: namespace?.name ?? requested ?? MockState.defaultNamespaceName,
            key: accessLog ? CredentialMask(keys: keys, vendor: vendor.vendor).shownKey(in: request.headers) : nil)
        var forced = ForcedOutcome()
        do throws(VendorError) {
            try vendor.authenticate(request, keys: keys)
            if let requested, let conflicting = request.headers.conflictingValue(for: "X-Mock-Namespace") {
                throw .badRequest(Self.repeatedNamespace(requested, conflicting))
            }
            let resolved = try Self.namespace(requested, in: state)
            namespace = resolved
            outcome.namespace = resolved.name
            forced = try ForcedOutcome(prefer: request.headers)
            if forced.isEmpty, let rule = resolved.takeFault(for: vendor.vendor, method: request.method, path: path) {
                forced = rule.outcome
            }
            let context = VendorContext(namespace: resolved, parameters: parameters)
            outcome.response = try Self.response(to: request, context: context, forced: forced, handler: route.handler)
            outcome.fault = forced.fault
        } catch {
            outcome.response = vendor.response(for: error)
            outcome.problem = error.description
        }
        if let delay = forced.delayMilliseconds, delay > 0 { outcome.response.delay = .milliseconds(delay) }

        // A request refused for its key is journaled in the namespace it names, as a test of "no key gets
        // 401" run in its own namespace expects, when that name can be a namespace.
        if namespace == nil { namespace = try? state.namespace(requested) }
        namespace?.record(
            JournalEntry(
                request: request, keys: keys, namespace: outcome.namespace, vendor: vendor.vendor, route: route.name,
                status: outcome.response.disposition == .send ? outcome.response.status.code : nil,
                fault: outcome.fault, forced: !forced.isEmpty))
        return outcome
    }

    /// A vendor request that no route answered (a 404, a 405, an `OPTIONS`), journaled with no route, so
    /// that a test sees the calls its client got wrong. A miss never creates a namespace: it goes to the
    /// namespace it names when that exists, else to the default one, with the name it gave. Its
    /// credentials are masked with the keys a hit would have been checked against.
    private func journaledMiss(_ outcome: Outcome, _ request: HTTPRequest, vendor: any VendorEmulation) -> Outcome {
        let requested = request.headers["X-Mock-Namespace"].flatMap { $0.isEmpty ? nil : $0 }
        let existing = state.existingNamespace(requested)
        let keys = existing?.keys ?? state.loadedStore.keys
        let namespace = existing ?? state.defaultNamespace
        outcome.namespace = requested ?? namespace.name
        if accessLog { outcome.key = CredentialMask(keys: keys, vendor: vendor.vendor).shownKey(in: request.headers) }
        namespace.record(
            JournalEntry(
                request: request, keys: keys, namespace: outcome.namespace, vendor: vendor.vendor, route: nil,
                status: outcome.response.status.code, fault: nil, forced: false))
        return outcome
    }

    /// Two `X-Mock-Namespace` fields that name different namespaces: a 400 rather than a guess (the request
    /// is journaled in the first one's).
    static func repeatedNamespace(_ first: String, _ conflicting: String) -> ParameterProblem {
        ParameterProblem(
            parameter: "X-Mock-Namespace", value: conflicting,
            reason: "is sent twice with different values (the first is \(JSONString.quoted(first))): send one")
    }

    /// The caller's namespace, created on first use; a bad name is a 400 naming the header, the namespace
    /// limit the vendor's 429.
    private static func namespace(_ name: String?, in state: MockState) throws(VendorError) -> Namespace {
        do {
            return try state.namespace(name)
        } catch {
            switch error {
            case .invalidName(let name):
                throw .badRequest(
                    ParameterProblem(
                        parameter: "X-Mock-Namespace", value: name,
                        reason: "must be 1 to 64 letters, digits, '.', '_' or '-'"))
            case .limitReached: throw .rateLimited
            }
        }
    }

    /// The handler's answer, or the forced error or simulated fault that `forced` asks for instead.
    private static func response(
        to request: HTTPRequest, context: VendorContext, forced: ForcedOutcome,
        handler: Route<VendorContext, VendorError>.Handler
    ) throws(VendorError) -> HTTPResponse {
        if let error = forced.error { throw error }
        switch forced.fault {
        case nil:
            return try handler(request, context)
        case .connectionReset?:
            var response = HTTPResponse(status: .ok)
            response.disposition = .resetConnection
            return response
        case .emptyResponse?:
            var response = HTTPResponse(status: .ok)
            response.disposition = .closeWithoutResponse
            return response
        case .malformedJSON?:
            var response = try handler(request, context)
            response.body = response.body.prefix(response.body.count / 2)
            return response
        }
    }
}
