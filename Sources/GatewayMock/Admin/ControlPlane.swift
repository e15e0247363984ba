import MockHTTP

/// The control plane: the index at `/` and, under `/__admin/`, readiness, reset, per-namespace seed data,
/// fault rules, the request journal and its live feed, JSON in and out (WireMock's `/__admin` and moto's
/// reset, without their start-up cost). Errors are `ControlPlaneError`s. The namespace is
/// `X-Mock-Namespace`, else the `namespace` query parameter; `*` (reset and the feed only) means every
/// namespace.
final class ControlPlane: Sendable {
    let state: MockState
    let vendors: [any VendorEmulation]
    /// Which other origins may use it (`CrossSiteProtection` refuses changes from all others).
    let cors: CORSPolicy
    let startedAt = ContinuousClock.now

    init(state: MockState, vendors: [any VendorEmulation], cors: CORSPolicy) {
        self.state = state
        self.vendors = vendors
        self.cors = cors
    }

    /// What a control-plane handler gets besides the request.
    struct Context: Sendable {
        let controlPlane: ControlPlane
        /// The namespace the request names (nil: the default one; `*`: every one, for reset).
        let requested: String?
        let query: QueryParameters
        let parameters: RouteParameters

        var state: MockState { controlPlane.state }

        /// The one value of the query parameter `name` (an empty value included), nil when absent; given
        /// more than once with different values, a 400 naming them (and, when it `takesList`, the one list
        /// to send instead).
        func queryValue(_ name: String, takesList: Bool = false) throws(ControlPlaneError) -> String? {
            do {
                return try query.occurrence(of: [name], takesList: takesList)?.value
            } catch {
                throw ControlPlaneError(.badRequest, error.message)
            }
        }

        /// The one namespace the request names, created on first use: 400 for a bad name (`*` included:
        /// only reset accepts it), 429 past the namespace limit.
        func namespace() throws(ControlPlaneError) -> Namespace {
            do {
                return try state.namespace(requested)
            } catch {
                let status: HTTPStatus = if case .limitReached = error { .tooManyRequests } else { .badRequest }
                throw ControlPlaneError(status, error.description)
            }
        }

        /// The journal filter of `?vendor=` and `?status=` (`JournalFilter`); 400 for a bad value.
        func journalFilter() throws(ControlPlaneError) -> JournalFilter {
            let vendor = try queryValue("vendor")
            let status = try queryValue("status", takesList: true)
            do {
                return try JournalFilter(vendor: vendor, status: status)
            } catch {
                throw ControlPlaneError(.badRequest, error.message)
            }
        }
    }

    /// Every control-plane endpoint (`HEAD` is served wherever `GET` is). `OPTIONS` is not answered (405)
    /// but for a preflight from an origin named with `--cors-origin`, which `GatewayRouter` answers.
    static let routes = RouteTable<Context, ControlPlaneError>(
        [
            Route("GET", "/", index),
            Route("GET", "/__admin/health", health),
            Route("GET", "/__admin/ui", dashboard),
            Route("GET", "/__admin/ui/", dashboard),
            Route("GET", "/__admin/ui/{file}", dashboard),
            Route("POST", "/__admin/reset", reset),
            Route("GET", "/__admin/seed/openrouter/{collection}", openRouterCollection),
            Route("PUT", "/__admin/seed/openrouter/{collection}", replaceOpenRouterCollection),
            Route("GET", "/__admin/seed/portkey/{collection}", portkeyCollection),
            Route("PUT", "/__admin/seed/portkey/{collection}", replacePortkeyCollection),
            Route("GET", "/__admin/seed/keys", keys),
            Route("PUT", "/__admin/seed/keys", replaceKeys),
            Route("GET", "/__admin/faults", faults),
            Route("POST", "/__admin/faults", addFault),
            Route("DELETE", "/__admin/faults", removeAllFaults),
            Route("DELETE", "/__admin/faults/{id}", removeFault),
            Route("GET", "/__admin/requests", requests),
            Route("DELETE", "/__admin/requests", clearRequests),
            Route("GET", "/__admin/requests/stream", requestStream),
            Route("GET", "/__admin/namespaces", namespaces),
        ], answersOPTIONS: false)

    /// Whether the path is the control plane's: `/` or anything under `/__admin`.
    func owns(_ path: RequestPath) -> Bool {
        path.first == "__admin" || path.segments == [""]
    }

    func respond(to request: HTTPRequest, path: RequestPath) -> GatewayRouter.Outcome {
        let query = request.query
        // The header wins; `?namespace=` or the header given twice with different values is a 400 (after the
        // cross-site check).
        let header = request.headers["X-Mock-Namespace"]
        let queried = Result { () throws(RepeatedParameter) in try query.occurrence(of: ["namespace"])?.value }
        let requested = header ?? (try? queried.get()) ?? nil
        let name = requested.flatMap { $0.isEmpty ? nil : $0 } ?? MockState.defaultNamespaceName
        do throws(ControlPlaneError) {
            if let refusal = CrossSiteProtection.refusal(of: request, policy: cors) { throw refusal }
            if header == nil, case .failure(let repeated) = queried {
                throw ControlPlaneError(.badRequest, repeated.message)
            }
            if let header, let conflicting = request.headers.conflictingValue(for: "X-Mock-Namespace") {
                throw ControlPlaneError(.badRequest, GatewayRouter.repeatedNamespace(header, conflicting).description)
            }
            switch Self.routes.resolve(method: request.method, path: path) {
            case .handler(let route, let parameters):
                let context = Context(controlPlane: self, requested: requested, query: query, parameters: parameters)
                return GatewayRouter.Outcome(response: try route.handler(request, context), namespace: name)
            case .methodNotAllowed(let allowed), .options(let allowed):
                throw .methodNotAllowed(allowed)
            case .notFound:
                throw ControlPlaneError(.notFound, "no control-plane endpoint \(request.path)")
            }
        } catch {
            return GatewayRouter.Outcome(response: error.response, namespace: name, problem: error.message)
        }
    }

    // MARK: - Handlers

    /// The dashboard for a browser (`Accept` names `text/html`), the JSON index for everyone else; both
    /// say `Vary: Accept`.
    @Sendable static func index(_ request: HTTPRequest, _ context: Context) throws(ControlPlaneError) -> HTTPResponse {
        var response: HTTPResponse
        if Dashboard.isWanted(byAccept: request.headers.values(for: "Accept")),
            let page = Dashboard.response(for: Dashboard.pageName)
        {
            response = page
        } else {
            let keys = ((try? context.namespace()) ?? context.state.defaultNamespace).keys
            response = .json(
                .ok,
                IndexPage.body(
                    authority: request.authority, secure: request.receivedOverTLS, keys: keys,
                    vendors: context.controlPlane.vendors))
        }
        response.headers.add(name: "Vary", value: "Accept")
        return response
    }

    /// `/__admin/ui` (and `/__admin/ui/`): the dashboard's page; `/__admin/ui/NAME`: its file NAME.
    @Sendable static func dashboard(_ request: HTTPRequest, _ context: Context) throws(ControlPlaneError)
        -> HTTPResponse
    {
        let name = context.parameters["file"] ?? Dashboard.pageName
        guard let response = Dashboard.response(for: name) else {
            throw ControlPlaneError(.notFound, "no dashboard file \(name)")
        }
        return response
    }

    @Sendable static func health(_ request: HTTPRequest, _ context: Context) throws(ControlPlaneError) -> HTTPResponse {
        let namespace = try context.namespace()
        let counts = namespace.read { store in (store.openRouter.workspaces.count, store.portkey.workspaces.count) }
        let uptime = (ContinuousClock.now - context.controlPlane.startedAt) / .seconds(1)
        return .json(
            .ok,
            [
                "status": "ok", "version": .string(GatewayMockVersion.current), "uptime_seconds": .integer(Int(uptime)),
                "namespace": .string(namespace.name), "namespaces": .integer(context.state.namespaceCount + 1),
                "workspaces": [
                    "openrouter": .integer(counts.0), "portkey": .integer(counts.1),
                ],
            ])
    }

    @Sendable static func reset(_ request: HTTPRequest, _ context: Context) throws(ControlPlaneError) -> HTTPResponse {
        if context.requested == "*" {
            context.state.resetAll()
            return .json(.ok, ["status": "reset", "namespace": "*"])
        }
        let namespace = try context.namespace()
        namespace.reset(to: context.state.loadedStore)
        return .json(.ok, ["status": "reset", "namespace": .string(namespace.name)])
    }

    @Sendable static func keys(_ request: HTTPRequest, _ context: Context) throws(ControlPlaneError) -> HTTPResponse {
        .json(.ok, try context.namespace().keys.jsonValue)
    }

    @Sendable static func replaceKeys(_ request: HTTPRequest, _ context: Context) throws(ControlPlaneError)
        -> HTTPResponse
    {
        let namespace = try context.namespace()
        do {
            let keys = try APIKeys(json: request.body, file: "request body")
            namespace.write { $0.keys = keys }
            return .json(.ok, keys.jsonValue)
        } catch {
            throw ControlPlaneError(.badRequest, error.description)
        }
    }

    @Sendable static func faults(_ request: HTTPRequest, _ context: Context) throws(ControlPlaneError) -> HTTPResponse {
        .json(.ok, ["faults": .array(try context.namespace().faults.map(\.jsonValue))])
    }

    @Sendable static func addFault(_ request: HTTPRequest, _ context: Context) throws(ControlPlaneError)
        -> HTTPResponse
    {
        let namespace = try context.namespace()
        let rule: FaultRule
        do {
            rule = try FaultRule(json: JSONParser.parse(request.body))
        } catch let error as JSONParser.Error {
            throw ControlPlaneError(.badRequest, "request body: \(error)")
        } catch {
            throw ControlPlaneError(.badRequest, "\(error)")
        }
        return .json(HTTPStatus(201), namespace.addFault(rule).jsonValue)
    }

    @Sendable static func removeAllFaults(_ request: HTTPRequest, _ context: Context) throws(ControlPlaneError)
        -> HTTPResponse
    {
        try context.namespace().removeAllFaults()
        return .json(.ok, ["faults": []])
    }

    @Sendable static func removeFault(_ request: HTTPRequest, _ context: Context) throws(ControlPlaneError)
        -> HTTPResponse
    {
        let namespace = try context.namespace()
        let text = context.parameters["id"] ?? ""
        guard let id = Int(text), namespace.removeFault(id: id) else {
            throw ControlPlaneError(.notFound, "no fault rule \(text) in namespace \(namespace.name)")
        }
        return .json(.ok, ["deleted": .integer(id)])
    }

    @Sendable static func requests(_ request: HTTPRequest, _ context: Context) throws(ControlPlaneError)
        -> HTTPResponse
    {
        let namespace = try context.namespace()
        let filter = try context.journalFilter()
        let limitText = try context.queryValue("limit")
        let limit = limitText.flatMap { Int($0) }
        if limitText != nil, (limit ?? -1) < 0 {
            throw ControlPlaneError(.badRequest, "limit must be an integer of 0 or more")
        }
        return .json(.ok, ["requests": .array(namespace.journal(matching: filter, limit: limit).map(\.jsonValue))])
    }

    @Sendable static func clearRequests(_ request: HTTPRequest, _ context: Context) throws(ControlPlaneError)
        -> HTTPResponse
    {
        try context.namespace().clearJournal()
        return .json(.ok, ["requests": []])
    }

    /// `GET /__admin/namespaces`: every namespace that exists (none is made), the default one first, with
    /// `requests` (recorded since it was made or reset) and `journal` (kept now).
    @Sendable static func namespaces(_ request: HTTPRequest, _ context: Context) throws(ControlPlaneError)
        -> HTTPResponse
    {
        let namespaces = context.state.namespaces.map { namespace -> JSONValue in
            [
                "name": .string(namespace.name), "requests": .integer(namespace.requestCount),
                "journal": .integer(namespace.journalCount),
            ]
        }
        return .json(.ok, ["namespaces": .array(namespaces)])
    }
}
