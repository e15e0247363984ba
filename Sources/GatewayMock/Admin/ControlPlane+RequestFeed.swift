import MockHTTP

extension ControlPlane {
    /// `GET /__admin/requests/stream`: the live request feed (`RequestFeed`) as Server-Sent Events
    /// (`Content-Type: text/event-stream`, `Cache-Control: no-store`), for the caller's namespace or, with
    /// `*`, every namespace, filtered by `?vendor=` and `?status=` as the journal is. The namespace need not
    /// exist and is not made. Everything is checked before the stream starts: a bad namespace name or
    /// filter is a 400, and past `RequestFeed.maxSubscribers` a 503, in the control plane's error shape.
    @Sendable static func requestStream(_ request: HTTPRequest, _ context: Context) throws(ControlPlaneError)
        -> HTTPResponse
    {
        let namespace = context.requested.flatMap { $0.isEmpty ? nil : $0 } ?? MockState.defaultNamespaceName
        guard namespace == RequestFeed.everyNamespace || MockState.isValidName(namespace) else {
            throw ControlPlaneError(.badRequest, MockState.NamespaceError.invalidName(namespace).description)
        }
        let filter = try context.journalFilter()
        let feed = context.state.requestFeed
        guard !feed.isFull else {
            throw ControlPlaneError(
                .serviceUnavailable,
                "the request feed has \(RequestFeed.maxSubscribers) subscribers, its limit: close one to subscribe")
        }
        var response = HTTPResponse(
            status: .ok, headers: HTTPHeaders([("Content-Type", "text/event-stream"), ("Cache-Control", "no-store")]))
        response.stream = { stream in
            // Full since the check above (others subscribed meanwhile): an empty stream, at once.
            if !feed.subscribe(stream, namespace: namespace, filter: filter) { stream.finish() }
        }
        return response
    }
}
