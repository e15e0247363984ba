import MockHTTP

/// The control plane has no key, so any page a user opens could otherwise reset the mock, add faults or
/// replace its data with a cross-site `fetch` or a form (a simple request needs no preflight). A
/// state-changing request (any method but `GET`, `HEAD` and `OPTIONS`) is refused with 403 when the
/// browser says it comes from elsewhere: an `Origin` that is neither the mock's own (`http(s)://` + the
/// request's `Host`) nor one named with `--cors-origin` (`Origin: null`, from a file:// page or a sandboxed
/// frame, included), or `Sec-Fetch-Site: cross-site` or `same-site` without such a named origin.
///
/// Requests with neither header (curl, scripts, SDKs) are not browsers' and are served as before.
enum CrossSiteProtection {
    /// The 403 for `request`, or nil when it may go on.
    static func refusal(of request: HTTPRequest, policy: CORSPolicy) -> ControlPlaneError? {
        guard !["GET", "HEAD", "OPTIONS"].contains(request.method) else { return nil }
        let origin = request.headers["Origin"]
        if let origin, policy.allowsControlPlaneCall(from: origin) { return nil }
        let fetchSite = request.headers["Sec-Fetch-Site"] ?? ""
        let fromAnotherSite =
            fetchSite.equalsIgnoringASCIICase("cross-site") || fetchSite.equalsIgnoringASCIICase("same-site")
        let foreignOrigin = request.comesFromItsOwnOrigin ? nil : origin
        guard fromAnotherSite || foreignOrigin != nil else { return nil }

        let from = foreignOrigin.map { "Origin \($0)" } ?? "Sec-Fetch-Site: \(fetchSite)"
        let remedy =
            switch foreignOrigin {
            case "null"?:
                "a page with Origin null (a file:// page, a sandboxed frame) cannot be allowed: serve it over http(s) and start gateway-mock with --cors-origin <its origin>"
            case let origin?:
                "to allow this origin, start gateway-mock with --cors-origin \(origin)"
            case nil:
                "to allow the page's origin, start gateway-mock with --cors-origin <its origin>"
            }
        return ControlPlaneError(
            .forbidden,
            "cross-site \(request.method) refused (\(from)): the control plane accepts changes only from its own origin and from origins named with --cors-origin; \(remedy)"
        )
    }
}
