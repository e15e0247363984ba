import Foundation
import MockHTTP
import TestSupport
import Testing

@testable import GatewayMock

/// What the journal keeps of each request besides its head: the body (text, base64, cut at 64 KiB) and
/// the route that answered it. Write routes come from `WorkspaceWritesVendor`.
@Suite struct JournalBodyTests {
    static let authorization = ("Authorization", "Bearer \(DefaultKeys.openRouterManagement)")

    /// The journal's JSON text with every `"time"` value replaced by `"T"`.
    static func journalText(_ router: TestRouter, namespace: String? = nil) -> String {
        router.admin("GET", "/__admin/requests", namespace: namespace).text.replacing(
            /"time":"[0-9T:.Z-]+"/, with: #""time":"T""#)
    }

    static func entries(_ router: TestRouter) throws -> [[String: Any]] {
        try JournalTests.entries(router.admin("GET", "/__admin/requests"))
    }

    /// A request whose body is `body`, with its `Content-Length`.
    static func request(_ method: String, _ target: String, body: [UInt8]) -> HTTPRequest {
        HTTPRequest(
            method: method, target: target,
            headers: HTTPHeaders([("Host", "localhost"), authorization, ("Content-Length", "\(body.count)")]),
            body: body)
    }

    @Test func aWriteIsJournaledWithItsTextBodyAndRouteExactly() throws {
        let router = try TestRouter(vendors: [WorkspaceWritesVendor()])
        let created = router.request(
            "/api/v1/workspaces?dry=1", method: "POST",
            headers: [Self.authorization, ("Content-Type", "application/json")], body: #"{"name":"Ops","slug":"ops"}"#)
        #expect(created.code == 200)
        #expect(
            Self.journalText(router)
                == #"{"requests":[{"time":"T","namespace":"default","vendor":"openrouter","method":"POST","#
                + #""path":"/api/v1/workspaces","route":"POST /api/v1/workspaces","query":{"dry":["1"]},"#
                + #""headers":[{"name":"Host","value":"localhost"},"#
                + #"{"name":"Authorization","value":"Bearer [openrouter management key 1]"},"#
                + #"{"name":"Content-Type","value":"application/json"},{"name":"Content-Length","value":"27"}],"#
                + #""body":"{\"name\":\"Ops\",\"slug\":\"ops\"}","body_base64":null,"body_truncated":false,"#
                + #""status":200,"fault":null,"forced":false}]}"#)
    }

    /// On the real OpenRouter API: a PATCH keeps its body and names its route; a 404 from a handler (no such
    /// workspace) still names the route that answered it.
    @Test func realWritesAreJournaledWithBodyAndRoute() throws {
        let router = try TestRouter()
        #expect(
            router.openRouter("PATCH", "/workspaces/production", body: #"{"description":"Release checks"}"#).code == 200
        )
        #expect(router.openRouter("GET", "/workspaces/no-such-workspace").code == 404)
        let entries = try Self.entries(router)
        #expect(
            entries.map { $0["route"] as? String } == ["PATCH /api/v1/workspaces/{id}", "GET /api/v1/workspaces/{id}"])
        #expect(entries[0]["body"] as? String == #"{"description":"Release checks"}"#)
        #expect(entries[0]["body_truncated"] as? Bool == false)
        #expect(entries[1]["body"] is NSNull)
        #expect(entries[1]["status"] as? Int == 404)
    }

    /// Every entry has the same keys in the same order; without a body (no `Content-Length` or
    /// `Transfer-Encoding`) both body keys are null, and an empty body is `""`.
    @Test func everyEntryHasTheSameKeysAndARequestWithoutABodyHasNullBodies() throws {
        let router = try TestRouter(vendors: [WorkspaceWritesVendor()])
        _ = router.request("/api/v1/workspaces/abc", headers: [Self.authorization])
        _ = router.respond(Self.request("DELETE", "/api/v1/workspaces/abc", body: []))
        let journal = try JSONParser.parse(router.admin("GET", "/__admin/requests").bytes)
        guard case .array(let entries)? = journal["requests"] else {
            Issue.record("no requests array")
            return
        }
        #expect(entries.count == 2)
        for entry in entries {
            guard case .object(let members) = entry else { continue }
            #expect(
                members.map(\.key) == [
                    "time", "namespace", "vendor", "method", "path", "route", "query", "headers", "body", "body_base64",
                    "body_truncated", "status", "fault", "forced",
                ])
        }
        #expect(entries[0]["route"] == "GET /api/v1/workspaces/{id}")
        #expect(entries[0]["body"] == .null)
        #expect(entries[0]["body_base64"] == .null)
        #expect(entries[0]["body_truncated"] == false)
        #expect(entries[1]["route"] == "DELETE /api/v1/workspaces/{id}")
        #expect(entries[1]["body"] == "")
        #expect(entries[1]["body_base64"] == .null)
    }

    @Test func aBodyThatIsNotUTF8IsKeptAsBase64() throws {
        let router = try TestRouter(vendors: [WorkspaceWritesVendor()])
        _ = router.respond(Self.request("PATCH", "/api/v1/workspaces/abc", body: [0x00, 0xFF, 0xFE, 0x41]))
        let entry = try #require(try Self.entries(router).first)
        #expect(entry["route"] as? String == "PATCH /api/v1/workspaces/{id}")
        #expect(entry["body"] is NSNull)
        #expect(entry["body_base64"] as? String == "AP/+QQ==")
        #expect(entry["body_truncated"] as? Bool == false)
    }

    /// Cut at 64 KiB; a cut that would split a UTF-8 character moves back before it, so text stays text.
    @Test func bodiesAreCutAt64KiBAndMarkedTruncated() throws {
        let router = try TestRouter(vendors: [WorkspaceWritesVendor()])
        let limit = 64 * 1024
        let exact = [UInt8](repeating: UInt8(ascii: "x"), count: limit)
        let straddling = [UInt8](repeating: UInt8(ascii: "a"), count: limit - 1) + Array("éb".utf8)
        let binary = [UInt8](repeating: 0xFF, count: limit + 100)
        for body in [exact, exact + [UInt8(ascii: "y")], straddling, binary] {
            #expect(router.respond(Self.request("POST", "/api/v1/workspaces", body: body)).code == 200)
        }
        let entries = try Self.entries(router)
        #expect((entries[0]["body"] as? String)?.utf8.count == limit)
        #expect(entries[0]["body_truncated"] as? Bool == false)
        #expect(entries[1]["body"] as? String == String(repeating: "x", count: limit))
        #expect(entries[1]["body_truncated"] as? Bool == true)
        #expect(entries[2]["body"] as? String == String(repeating: "a", count: limit - 1))
        #expect(entries[2]["body_truncated"] as? Bool == true)
        #expect(entries[3]["body"] is NSNull)
        let base64 = try #require(entries[3]["body_base64"] as? String)
        #expect(Data(base64Encoded: base64) == Data(repeating: 0xFF, count: limit))
        #expect(entries[3]["body_truncated"] as? Bool == true)
    }

    /// Requests that no route answered are journaled too, with `"route":null`; a `HEAD` names the `GET`
    /// route that served it; a path no vendor owns is not journaled. A miss never creates a namespace: it
    /// goes to the default one, with the name it gave, until that namespace exists.
    @Test func theRouteIsTheMatchedPatternOrNullForAMiss() throws {
        let router = try TestRouter()
        _ = router.openRouter("?limit=1", method: "HEAD")
        #expect(router.openRouter(method: "PUT").code == 405)
        #expect(router.openRouter(method: "OPTIONS").code == 204)
        #expect(router.request("/api/v1/nothing", headers: [("X-Mock-Namespace", "misses")]).code == 404)
        #expect(router.request("/elsewhere").code == 404)
        let entries = try Self.entries(router)
        #expect(entries.map { $0["method"] as? String } == ["HEAD", "PUT", "OPTIONS", "GET"])
        #expect(entries[0]["route"] as? String == "GET /api/v1/workspaces")
        #expect(entries.map { $0["status"] as? Int } == [200, 405, 204, 404])
        #expect(entries[1]["route"] is NSNull)
        #expect(entries[2]["route"] is NSNull)
        #expect(entries[3]["namespace"] as? String == "misses")
        #expect(router.admin("GET", "/__admin/health", namespace: "misses").code == 200)  // now it exists
        #expect(router.request("/api/v1/nothing", headers: [("X-Mock-Namespace", "misses")]).code == 404)
        #expect(
            Self.journalText(router, namespace: "misses")
                == #"{"requests":[{"time":"T","namespace":"misses","vendor":"openrouter","method":"GET","#
                + #""path":"/api/v1/nothing","route":null,"query":{},"headers":[{"name":"Host","value":"localhost"},"#
                + #"{"name":"X-Mock-Namespace","value":"misses"}],"body":null,"body_base64":null,"#
                + #""body_truncated":false,"status":404,"fault":null,"forced":false}]}"#)
    }

    /// RFC 4648 §10's test vectors.
    @Test(arguments: [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ])
    func base64MatchesRFC4648(text: String, encoded: String) {
        #expect(Base64.encode(Array(text.utf8)) == encoded)
    }
}
