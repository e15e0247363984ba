import MockHTTP

/// The browser dashboard: `dashboard/index.html`, `app.css`, `app.js` and `favicon.svg`, compiled into
/// the binary (`EmbeddedDashboard`, by the EmbedSeedData plugin) and served at `/__admin/ui`,
/// `/__admin/ui/NAME` and, for a browser, at `/`. Plain HTML, CSS and JavaScript: no build step, nothing
/// fetched from elsewhere.
///
/// Every answer has `Cache-Control: no-cache` (a browser revalidates, so a new binary's page is never
/// mixed with an old script) and `Content-Security-Policy: default-src 'self'`: the page may load only
/// its own files and talk only to its own origin, and no inline script, inline style or `eval` runs,
/// so request contents that reach the page can never run as code.
enum Dashboard {
    /// The page itself.
    static let pageName = "index.html"

    /// The embedded file `name` (e.g. `app.js`) with its `Content-Type`, nil when there is none.
    static func response(for name: String) -> HTTPResponse? {
        guard let text = EmbeddedDashboard.files[name], let type = contentType(of: name) else { return nil }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: type)
        headers.add(name: "Cache-Control", value: "no-cache")
        headers.add(name: "Content-Security-Policy", value: "default-src 'self'")
        headers.add(name: "X-Content-Type-Options", value: "nosniff")
        return HTTPResponse(status: .ok, headers: headers, body: Array(text.utf8))
    }

    private static func contentType(of name: String) -> String? {
        switch name.split(separator: ".").last {
        case "html": "text/html; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "js": "text/javascript; charset=utf-8"
        case "svg": "image/svg+xml"
        default: nil
        }
    }

    /// Whether a request's `Accept` names `text/html` with a non-zero weight (RFC 9110 §12.5.1), as every
    /// browser's navigation does; `*/*` (curl's default), `application/json` or no `Accept` do not.
    static func isWanted(byAccept accept: [String]) -> Bool {
        accept.joined(separator: ",").split(separator: ",").contains { range in
            let parameters = range.split(separator: ";").map { $0.trimmingASCIIWhitespace().lowercased() }
            guard parameters.first == "text/html" else { return false }
            let weight = parameters.dropFirst().first { $0.hasPrefix("q=") }.map { Double($0.dropFirst(2)) ?? 0 }
            return (weight ?? 1) > 0
        }
    }
}
