import MockHTTP
import Testing

@testable import GatewayMock

/// The browser dashboard: served at `/__admin/ui` and, to a browser, at `/`, from the files compiled
/// into the binary, with the headers that keep it from running anything but its own script.
@Suite struct DashboardTests {
    static let chromeAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"

    /// The headers every dashboard file has, after its `Content-Type`.
    static let fileHeaders = [
        "Cache-Control: no-cache", "Content-Security-Policy: default-src 'self'", "X-Content-Type-Options: nosniff",
    ]

    @Test func aBrowserOpeningTheBaseURLGetsThePage() throws {
        let response = try TestRouter().request("/", headers: [("Accept", Self.chromeAccept)])
        #expect(response.code == 200)
        #expect(
            response.headerLines == ["Content-Type: text/html; charset=utf-8"] + Self.fileHeaders + ["Vary: Accept"])
        #expect(response.text == EmbeddedDashboard.files["index.html"])
        #expect(response.text.hasPrefix("<!doctype html>"))
    }

    /// curl's `*/*`, a script's `application/json`, no `Accept`, and `text/html;q=0` keep the JSON index.
    @Test(arguments: [nil, "*/*", "application/json", "text/*", "text/html;q=0", "text/html ; Q=0.0"])
    func everyOtherClientKeepsTheJSONIndex(accept: String?) throws {
        let response = try TestRouter().request("/", headers: accept.map { [("Accept", $0)] } ?? [])
        #expect(response.code == 200)
        #expect(response.headerLines == ["Content-Type: application/json", "Vary: Accept"])
        #expect(response.text.hasPrefix(#"{"name":"GatewayMock","#))
    }

    @Test(arguments: ["text/html", "TEXT/HTML;q=0.5", "application/json, text/html"])
    func acceptNamingTextHTMLGetsThePage(accept: String) {
        #expect(Dashboard.isWanted(byAccept: [accept]))
    }

    @Test(arguments: ["/__admin/ui", "/__admin/ui/", "/__admin/ui/index.html"])
    func thePageIsUnderTheControlPlane(path: String) throws {
        let response = try TestRouter().request(path)
        #expect(response.code == 200)
        #expect(response.headerLines == ["Content-Type: text/html; charset=utf-8"] + Self.fileHeaders)
        #expect(response.text == EmbeddedDashboard.files["index.html"])
    }

    @Test(
        arguments: [
            ("app.js", "text/javascript; charset=utf-8"), ("app.css", "text/css; charset=utf-8"),
            ("favicon.svg", "image/svg+xml"),
        ])
    func theScriptStyleAndIconHaveTheirTypes(name: String, type: String) throws {
        let response = try TestRouter().request("/__admin/ui/\(name)")
        #expect(response.code == 200)
        #expect(response.headerLines == ["Content-Type: \(type)"] + Self.fileHeaders)
        #expect(response.text == EmbeddedDashboard.files[name])
        #expect(!response.text.isEmpty)
    }

    /// The page loads only its own files, and has no inline script or style for the policy to refuse.
    @Test func thePageLoadsOnlyItsOwnFilesAndHasNothingInline() throws {
        let page = try #require(EmbeddedDashboard.files["index.html"])
        #expect(page.contains(#"<script src="/__admin/ui/app.js" defer></script>"#))
        #expect(page.contains(#"<link rel="stylesheet" href="/__admin/ui/app.css">"#))
        #expect(page.components(separatedBy: "<script").count == 2)
        #expect(!page.contains("<style") && !page.contains(" style=") && !page.contains(#/\son[a-z]+\s*=/#))
        #expect(!page.contains("http://") && !page.contains("https://"))
        let script = try #require(EmbeddedDashboard.files["app.js"])
        #expect(
            !script.contains("innerHTML") && !script.contains("outerHTML") && !script.contains("insertAdjacentHTML"))
        #expect(!script.contains("eval(") && !script.contains("document.write"))
        #expect(!script.contains("setInterval"))
    }

    @Test func anUnknownFileIsAControlPlane404() throws {
        let response = try TestRouter().request("/__admin/ui/nothing.js")
        #expect(response.code == 404)
        #expect(response.headerLines == ["Content-Type: application/json"])
        #expect(response.text == #"{"error":{"code":404,"message":"no dashboard file nothing.js"}}"#)
    }

    @Test func headHasTheGetHeaders() throws {
        let router = try TestRouter()
        for path in ["/__admin/ui", "/__admin/ui/app.js"] {
            let head = router.request(path, method: "HEAD")
            #expect(head.code == 200)
            #expect(head.headerLines == router.request(path).headerLines)
        }
        let post = router.request("/__admin/ui", method: "POST")
        #expect(post.code == 405)
        #expect(post.header("Allow") == "GET, HEAD")
    }

    @Test func noAdminTurnsTheDashboardOff() throws {
        let router = try TestRouter(adminEnabled: false)
        let response = router.request("/", headers: [("Accept", Self.chromeAccept)])
        #expect(response.code == 404)
        #expect(response.text == #"{"error":{"code":404,"message":"Not Found"}}"#)
    }
}
