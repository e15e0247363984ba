import Foundation
import MockHTTP
import TestSupport
import Testing

@testable import GatewayMock

/// Fault rules' `method` and `path` matchers: a rule fails only the requests it matches, and a request it
/// does not match leaves its count alone. Write routes come from `WorkspaceWritesVendor`.
@Suite struct FaultMatcherTests {
    static let authorization = [("Authorization", "Bearer \(DefaultKeys.openRouterManagement)")]

    static func send(_ router: TestRouter, _ method: String, _ target: String) -> HTTPResponse {
        router.request(target, method: method, headers: authorization)
    }

    @Test func aDeleteOnlyPathMatchedRuleFailsTwoDeletesOfWorkspacesThenGoesAway() throws {
        let router = try TestRouter(vendors: [WorkspaceWritesVendor()])
        let created = router.admin(
            "POST", "/__admin/faults",
            body: #"{"vendor":"openrouter","method":"DELETE","path":"/api/v1/workspaces/*","status":500,"times":2}"#)
        #expect(created.code == 201)
        let rule =
            #"{"id":1,"vendor":"openrouter","method":"DELETE","path":"/api/v1/workspaces/*","status":500,"times":2,"delay_ms":null,"fault":null}"#
        #expect(created.text == rule)

        // Neither the listing, nor a GET of the same path, nor a DELETE of a longer path is matched.
        #expect(Self.send(router, "GET", "/api/v1/workspaces?limit=1").code == 200)
        #expect(
            Self.send(router, "GET", "/api/v1/workspaces/abc").text
                == #"{"route":"GET /api/v1/workspaces/{id}","id":"abc"}"#)
        #expect(Self.send(router, "GET", "/api/v1/workspaces/abc/members").code == 200)
        let budget = Self.send(router, "DELETE", "/api/v1/workspaces/abc/budgets/monthly")
        #expect(budget.text == #"{"route":"DELETE /api/v1/workspaces/{id}/budgets/{interval}","id":"abc"}"#)
        #expect(router.admin("GET", "/__admin/faults").text == #"{"faults":[\#(rule)]}"#, "nothing used it up")

        for id in ["abc", "def"] {
            let failed = Self.send(router, "DELETE", "/api/v1/workspaces/\(id)")
            #expect(failed.code == 500)
            #expect(failed.text == #"{"error":{"code":500,"message":"Internal Server Error"}}"#)
        }
        #expect(router.admin("GET", "/__admin/faults").text == #"{"faults":[]}"#)
        let deleted = Self.send(router, "DELETE", "/api/v1/workspaces/ghi")
        #expect(deleted.code == 200)
        #expect(deleted.text == #"{"route":"DELETE /api/v1/workspaces/{id}","id":"ghi"}"#)
    }

    /// The same on the real OpenRouter API: the workspace survives both failed deletes, a budget's DELETE
    /// (a longer path) and reads are not touched, and the third delete goes through.
    @Test func aDeleteOnlyRuleFailsTwoRealWorkspaceDeletesAndLeavesEverythingElse() throws {
        let router = try TestRouter()
        let rule = #"{"vendor":"openrouter","method":"DELETE","path":"/api/v1/workspaces/*","status":500,"times":2}"#
        #expect(router.admin("POST", "/__admin/faults", body: rule).code == 201)
        #expect(router.openRouter("DELETE", "/workspaces/support-internal/budgets/daily").text == #"{"deleted":true}"#)
        for _ in 1...2 {
            let failed = router.openRouter("DELETE", "/workspaces/growth-canary")
            #expect(failed.code == 500)
            #expect(failed.text == #"{"error":{"code":500,"message":"Internal Server Error"}}"#)
            #expect(router.openRouter("GET", "/workspaces/growth-canary").code == 200, "not deleted")
        }
        #expect(router.openRouter("?limit=1").code == 200)
        #expect(router.admin("GET", "/__admin/faults").text == #"{"faults":[]}"#)
        #expect(router.openRouter("DELETE", "/workspaces/growth-canary").text == #"{"deleted":true}"#)
        #expect(router.openRouter("GET", "/workspaces/growth-canary").code == 404)
    }

    /// On the real listing: a rule for another method or another path is left alone; one that matches
    /// (query not looked at, `**` for any rest) is used.
    @Test func rulesForTheListingMatchOnlyItsMethodAndPath() throws {
        let router = try TestRouter()
        for body in [
            #"{"method":"POST","path":"/api/v1/workspaces","status":429,"times":1}"#,
            #"{"method":"GET","path":"/api/v1/workspaces/*","status":403,"times":1}"#,
            #"{"method":"GET","path":"/v1/admin/**","status":500,"times":1}"#,
        ] {
            #expect(router.admin("POST", "/__admin/faults", body: body).code == 201)
        }
        #expect(router.openRouter("?limit=1").code == 200)
        #expect(router.openRouter("?limit=1").code == 200)
        let ids = { () -> [Int] in
            let listed = try? router.admin("GET", "/__admin/faults").json() as? [String: [[String: Any]]]
            return (listed?["faults"] ?? []).compactMap { $0["id"] as? Int }
        }
        #expect(ids() == [1, 2, 3], "no rule matched the listing, none was used up")
        let portkey = router.portkey("?page_size=1")
        #expect(portkey.code == 500)
        #expect(portkey.text == #"{"success":false,"data":{"message":"Internal Server Error","errorCode":"AB04"}}"#)
        #expect(ids() == [1, 2])

        _ = router.admin("POST", "/__admin/faults", body: #"{"method":"get","path":"/api/v1/workspaces","status":403}"#)
        let forbidden = router.openRouter("?offset=3&limit=2")
        #expect(forbidden.code == 403)
        #expect(
            forbidden.text == #"{"error":{"code":403,"message":"Only management keys can perform this operation"}}"#)
    }

    @Test func aMethodIsStoredUppercasedAndComparedWithTheMethodAsSentSoGetDoesNotMatchHead() throws {
        let router = try TestRouter()
        let created = router.admin("POST", "/__admin/faults", body: #"{"method":"get","status":500,"times":1}"#)
        #expect(
            created.text
                == #"{"id":1,"vendor":"any","method":"GET","path":null,"status":500,"times":1,"delay_ms":null,"fault":null}"#
        )
        #expect(router.openRouter(method: "HEAD").code == 200, "HEAD is served by GET's handler but is not GET")
        #expect(router.openRouter().code == 500)
        #expect(router.openRouter().code == 200)
    }

    @Test func aRuleWithMatchersReadBackFromTheListCanBePostedAgain() throws {
        let router = try TestRouter()
        let body =
            #"{"vendor":"portkey","method":"DELETE","path":"/v1/admin/workspaces/{id}/**","fault":"empty_response"}"#
        _ = router.admin("POST", "/__admin/faults", body: body)
        let listed = router.admin("GET", "/__admin/faults").text
        let rule = String(listed.dropFirst(#"{"faults":["#.count).dropLast(2))
        #expect(
            rule
                == #"{"id":1,"vendor":"portkey","method":"DELETE","path":"/v1/admin/workspaces/{id}/**","status":null,"times":null,"delay_ms":null,"fault":"empty_response"}"#
        )
        let posted = router.admin("POST", "/__admin/faults", body: rule)
        #expect(posted.code == 201)
        #expect(posted.text == rule.replacingOccurrences(of: #""id":1"#, with: #""id":2"#))
    }

    @Test(arguments: [
        (#"{"status":500,"path":"api/v1/workspaces"}"#, #"path must start with / (got \"api/v1/workspaces\")"#),
        (#"{"status":500,"path":""}"#, #"path must start with / (got \"\")"#),
        (#"{"status":500,"path":"/api/**/members"}"#, "path may have ** only as its last segment"),
        (#"{"status":500,"path":"/api/v1/workspaces?limit=1"}"#, "path must not contain ?: the query is not matched"),
        (
            #"{"status":500,"path":"/api/v1/work*"}"#,
            #"path segment \"work*\" mixes * or braces with text: * and ** stand for whole segments (write %2A for a literal *)"#
        ),
        (#"{"status":500,"path":5}"#, "path must be a string"),
        (#"{"status":500,"method":"DEL ETE"}"#, #"method must be an HTTP method such as \"DELETE\" (got \"DEL ETE\")"#),
        (#"{"status":500,"method":""}"#, #"method must be an HTTP method such as \"DELETE\" (got \"\")"#),
        (#"{"status":500,"method":["GET"]}"#, "method must be a string"),
    ])
    func invalidMatchersAreRefusedWith400(body: String, message: String) throws {
        let router = try TestRouter()
        let response = router.admin("POST", "/__admin/faults", body: body)
        #expect(response.code == 400)
        #expect(response.headerLines == ["Content-Type: application/json"])
        #expect(response.text == #"{"error":{"code":400,"message":"\#(message)"}}"#)
        #expect(router.admin("GET", "/__admin/faults").text == #"{"faults":[]}"#)
    }

    /// `*` is one non-empty segment, `{name}` the same, a trailing `**` any rest; literals are decoded like
    /// the request's segments.
    @Test(arguments: [
        ("/api/v1/workspaces/*", "/api/v1/workspaces/abc", true),
        ("/api/v1/workspaces/*", "/api/v1/workspaces/abc/members", false),
        ("/api/v1/workspaces/*", "/api/v1/workspaces", false),
        ("/api/v1/workspaces/*", "/api/v1/workspaces/", false),
        ("/api/v1/workspaces/{id}", "/api/v1/workspaces/abc", true),
        ("/api/v1/workspaces/*/members", "/api/v1/workspaces/abc/members", true),
        ("/api/v1/workspaces/**", "/api/v1/workspaces", true),
        ("/api/v1/workspaces/**", "/api/v1/workspaces/abc/budgets/daily", true),
        ("/api/v1/workspaces/**", "/api/v1/workspacesX", false),
        ("/**", "/", true),
        ("/", "/", true),
        ("/", "/api", false),
        ("/api/v1/%77orkspaces", "/api/v1/workspaces", true),
        ("/api/v1/workspaces", "/api/v1/%77orkspaces", true),
        ("/a/b%2Fc", "/a/b%2Fc", true),
        ("/a/b%2Fc", "/a/b/c", false),
        ("/a/%2A", "/a/*", true),
        ("/a/%2A", "/a/b", false),
    ])
    func pathPatternsMatchDecodedSegments(pattern: String, path: String, matches: Bool) throws {
        #expect(try PathGlob(pattern).matches(RequestPath(Substring(path))) == matches)
    }
}
