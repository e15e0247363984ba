import MockHTTP

/// The control plane under `/__admin/`: readiness, reset, per-namespace seed data, fault rules and the
/// request journal, JSON in and out (WireMock's `/__admin` and moto's reset, without their start-up cost).
/// Errors are `{"error":{"code":N,"message":"…"}}`.
struct AdminAPI: Sendable {
    let state: MockState
    let startedAt = ContinuousClock.now

    /// The answer, and the namespace it acted on (for the access log).
    func respond(to request: HTTPRequest) -> (HTTPResponse, String) {
        let query = request.query
        let requested = request.headers["X-Mock-Namespace"] ?? query.values(for: "namespace").last
        if request.path == "/__admin/reset", requested == "*" {
            guard request.method == "POST" else { return (methodNotAllowed(["POST"]), "*") }
            state.resetAll()
            return (.json(.ok, Array(#"{"status":"reset","namespace":"*"}"#.utf8)), "*")
        }
        let namespace: Namespace
        do {
            namespace = try state.namespace(requested)
        } catch .limitReached(let limit) {
            return (error(.tooManyRequests, MockState.NamespaceError.limitReached(limit).description), requested ?? "")
        } catch {
            return (self.error(.badRequest, error.description), requested ?? "")
        }
        return (route(request, query: query, namespace: namespace), namespace.name)
    }

    private func route(_ request: HTTPRequest, query: QueryParameters, namespace: Namespace) -> HTTPResponse {
        let path = request.path.dropFirst("/__admin".count)
        switch (request.method, path) {
        case ("GET", "/health"), ("HEAD", "/health"):
            let store = namespace.store
            let uptime = (ContinuousClock.now - startedAt) / .seconds(1)
            return json(
                #"{"status":"ok","version":"\#(GatewayMock.version)","uptime_seconds":\#(uptime),"#
                    + #""namespace":\#(JSONString.quoted(namespace.name)),"namespaces":\#(state.namespaceCount + 1),"#
                    + #""workspaces":{"openrouter":\#(store.openRouterWorkspaces.records.count),"#
                    + #""portkey":\#(store.portkeyWorkspaces.records.count)}}"#)
        case ("POST", "/reset"):
            namespace.reset(to: state.loadedStore)
            return json(#"{"status":"reset","namespace":\#(JSONString.quoted(namespace.name))}"#)
        case ("GET", "/seed/openrouter/workspaces"):
            return .json(
                .ok,
                namespace.store.openRouterWorkspaces.page(
                    0..<namespace.store.openRouterWorkspaces.records.count, prefix: "[", suffix: "]"))
        case ("GET", "/seed/portkey/workspaces"):
            return .json(
                .ok,
                namespace.store.portkeyWorkspaces.page(
                    0..<namespace.store.portkeyWorkspaces.records.count, prefix: "[", suffix: "]"))
        case ("PUT", "/seed/openrouter/workspaces"), ("PUT", "/seed/portkey/workspaces"):
            let vendor: Vendor = path.hasPrefix("/seed/openrouter") ? .openrouter : .portkey
            do {
                let catalog = try WorkspaceCatalog(json: request.body, vendor: vendor, file: "request body")
                namespace.replaceStore { $0[vendor] = catalog }
                return json(#"{"vendor":"\#(vendor.rawValue)","workspaces":\#(catalog.records.count)}"#)
            } catch {
                return self.error(.badRequest, error.description)
            }
        case ("GET", "/seed/keys"):
            return json(namespace.store.keys.json)
        case ("PUT", "/seed/keys"):
            do {
                let keys = try APIKeys(json: request.body, file: "request body")
                namespace.replaceStore { $0.keys = keys }
                return json(keys.json)
            } catch {
                return self.error(.badRequest, error.description)
            }
        case ("GET", "/faults"):
            return json(#"{"faults":[\#(namespace.faults.map(\.json).joined(separator: ","))]}"#)
        case ("POST", "/faults"):
            do {
                let rule = try FaultRule(json: JSONParser.parse(request.body))
                return .json(HTTPStatus(201), Array(namespace.addFault(rule).json.utf8))
            } catch let error as JSONParser.Error {
                return self.error(.badRequest, "request body: \(error)")
            } catch {
                return self.error(.badRequest, "\(error)")
            }
        case ("DELETE", "/faults"):
            namespace.removeAllFaults()
            return json(#"{"faults":[]}"#)
        case ("DELETE", _) where path.hasPrefix("/faults/"):
            guard let id = Int(path.dropFirst("/faults/".count)), namespace.removeFault(id: id) else {
                return error(
                    .notFound, "no fault rule \(path.dropFirst("/faults/".count)) in namespace \(namespace.name)")
            }
            return json(#"{"deleted":\#(id)}"#)
        case ("GET", "/requests"):
            let vendorName = query.values(for: "vendor").last
            let vendor = vendorName.flatMap(Vendor.init(rawValue:))
            if let vendorName, vendor == nil, vendorName != "any" {
                return error(.badRequest, "vendor must be openrouter, portkey or any")
            }
            let limitText = query.values(for: "limit").last
            let limit = limitText.flatMap { Int($0) }
            if limitText != nil, (limit ?? -1) < 0 {
                return error(.badRequest, "limit must be an integer of 0 or more")
            }
            let entries = namespace.journal(vendor: vendor, limit: limit)
            return json(#"{"requests":[\#(entries.map(\.json).joined(separator: ","))]}"#)
        case ("DELETE", "/requests"):
            namespace.clearJournal()
            return json(#"{"requests":[]}"#)
        default:
            let allowed = Self.allowedMethods(for: path)
            return allowed.isEmpty
                ? error(.notFound, "no control-plane endpoint \(request.path)") : methodNotAllowed(allowed)
        }
    }

    private static func allowedMethods(for path: Substring) -> [String] {
        switch path {
        case "/health": ["GET", "HEAD"]
        case "/reset": ["POST"]
        case "/seed/openrouter/workspaces", "/seed/portkey/workspaces", "/seed/keys": ["GET", "PUT"]
        case "/faults": ["GET", "POST", "DELETE"]
        case "/requests": ["GET", "DELETE"]
        case _ where path.hasPrefix("/faults/"): ["DELETE"]
        default: []
        }
    }

    private func json(_ text: String) -> HTTPResponse {
        .json(.ok, Array(text.utf8))
    }

    private func error(_ status: HTTPStatus, _ message: String) -> HTTPResponse {
        .json(status, Array(#"{"error":{"code":\#(status.code),"message":\#(JSONString.quoted(message))}}"#.utf8))
    }

    private func methodNotAllowed(_ allowed: [String]) -> HTTPResponse {
        var response = error(.methodNotAllowed, "use \(allowed.joined(separator: " or ")) here")
        response.headers.replaceOrAdd(name: "Allow", value: allowed.joined(separator: ", "))
        return response
    }
}
