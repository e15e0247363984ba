import MockHTTP
import TestSupport
import Testing

@testable import GatewayMock

/// A single-valued query parameter given more than once with different values, in one spelling or two:
/// a 400 in the API's envelope that names every occurrence as sent, in request order, and says how to
/// fix the request. One case per kind of parameter, on every endpoint that reads the query.
@Suite struct RepeatedParameterTests {
    /// OpenRouter's envelope for a repeated parameter: the refused value is the first that differs.
    static func openRouterBody(_ parameter: String, _ value: String, _ reason: String) -> String {
        #"{"error":{"code":400,"message":"Invalid request parameters","metadata":{"parameter":"\#(parameter)","value":"\#(value)","reason":"\#(reason)"}}}"#
    }

    static func portkeyBody(_ message: String) -> String {
        #"{"success":false,"data":{"message":"\#(message)","errorCode":"AB01"}}"#
    }

    // MARK: - OpenRouter

    @Test(arguments: [
        (
            "/workspaces?offset=1&offset=2", "offset", "2",
            #"offset is repeated with different values (offset=\"1\", then offset=\"2\"): send it once"#
        ),
        (
            "/workspaces?limit=5&limit=6", "limit", "6",
            #"limit is repeated with different values (limit=\"5\", then limit=\"6\"): send it once"#
        ),
        (
            "/workspaces?limit=1&limit=1&limit=2&limit=1", "limit", "2",
            #"limit is repeated with different values (limit=\"1\", then limit=\"1\", then limit=\"2\", then limit=\"1\"): send it once"#
        ),
        (
            "/workspaces/production/members?limit=1&offset=0&limit=2", "limit", "2",
            #"limit is repeated with different values (limit=\"1\", then limit=\"2\"): send it once"#
        ),
        (
            "/organization/members?offset=3&offset=0", "offset", "0",
            #"offset is repeated with different values (offset=\"3\", then offset=\"0\"): send it once"#
        ),
    ])
    func openRouterListParameterGivenTwiceIsRefused(path: String, parameter: String, value: String, reason: String)
        throws
    {
        let response = try TestRouter().openRouter("GET", path)
        #expect(response.code == 400)
        #expect(response.headerLines == ["Content-Type: application/json"])
        #expect(response.text == Self.openRouterBody(parameter, value, reason))
    }

    @Test func openRouterDeleteConfirmationGivenTwiceIsRefusedBeforeTheWorkspaceIsTouched() throws {
        let router = try TestRouter()
        let response = router.openRouter(
            "DELETE",
            "/workspaces/production?confirm_default_workspace_deletion=true&confirm_default_workspace_deletion=false")
        #expect(response.code == 400)
        #expect(
            response.text
                == Self.openRouterBody(
                    "confirm_default_workspace_deletion", "false",
                    #"confirm_default_workspace_deletion is repeated with different values (confirm_default_workspace_deletion=\"true\", then confirm_default_workspace_deletion=\"false\"): send it once"#
                ))
        #expect(router.openRouter("GET", "/workspaces/production").code == 200)
    }

    @Test(arguments: ["?limit=5&limit=5", "?limit=&limit=5", "?offset=null&offset=0&limit=5"])
    func openRouterRepeatsOfOneValueAndAbsentValuesAreAccepted(query: String) throws {
        let response = try TestRouter().openRouter(query)
        #expect(response.code == 200)
        #expect((try response.json() as? [String: Any])?["data"].map { ($0 as? [Any])?.count } == 5)
    }

    // MARK: - Portkey

    @Test(arguments: [
        // The issue's example: both spellings, named as sent, in request order.
        (
            "/admin/workspaces?pageSize=10&page_size=20",
            #"pageSize and page_size are one parameter, given different values (pageSize=\"10\", then page_size=\"20\"): send one of them, once"#
        ),
        (
            "/admin/workspaces?page_size=20&pageSize=10",
            #"page_size and pageSize are one parameter, given different values (page_size=\"20\", then pageSize=\"10\"): send one of them, once"#
        ),
        (
            "/admin/workspaces?current_page=1&currentPage=2",
            #"current_page and currentPage are one parameter, given different values (current_page=\"1\", then currentPage=\"2\"): send one of them, once"#
        ),
        (
            "/admin/workspaces?currentPage=1&currentPage=None&currentPage=2",
            #"currentPage is repeated with different values (currentPage=\"1\", then currentPage=\"2\"): send it once"#
        ),
        // A parameter that takes a list: the fix is one comma-separated list, each status once.
        (
            "/admin/workspaces?status=active&status=archived",
            #"status is repeated with different values (status=\"active\", then status=\"archived\"): send one comma-separated list: status=active,archived"#
        ),
        (
            "/admin/workspaces?status=archived&status=active,archived",
            #"status is repeated with different values (status=\"archived\", then status=\"active,archived\"): send one comma-separated list: status=archived,active"#
        ),
        (
            "/admin/workspaces?name=Sandbox&name=sandbox",
            #"name is repeated with different values (name=\"Sandbox\", then name=\"sandbox\"): send it once"#
        ),
        (
            "/admin/workspaces?exact_name=Production&exact_name=Staging%20EU",
            #"exact_name is repeated with different values (exact_name=\"Production\", then exact_name=\"Staging EU\"): send it once"#
        ),
        (
            "/admin/workspaces/ws-production-ab8e18/users?role=admin&role=member",
            #"role is repeated with different values (role=\"admin\", then role=\"member\"): send it once"#
        ),
        (
            "/admin/workspaces/ws-production-ab8e18/users?email=a@example.com&email=b@example.com",
            #"email is repeated with different values (email=\"a@example.com\", then email=\"b@example.com\"): send it once"#
        ),
        (
            "/admin/workspaces/ws-production-ab8e18/users?page_size=5&pageSize=6",
            #"page_size and pageSize are one parameter, given different values (page_size=\"5\", then pageSize=\"6\"): send one of them, once"#
        ),
        (
            "/admin/users?pageSize=5&page_size=6",
            #"pageSize and page_size are one parameter, given different values (pageSize=\"5\", then page_size=\"6\"): send one of them, once"#
        ),
        (
            "/admin/users?role=owner&role=admin",
            #"role is repeated with different values (role=\"owner\", then role=\"admin\"): send it once"#
        ),
    ])
    func portkeyParameterGivenTwiceIsRefused(path: String, message: String) throws {
        let response = try TestRouter().portkey("GET", path)
        #expect(response.code == 400)
        #expect(response.headerLines == ["Content-Type: application/json"])
        #expect(response.text == Self.portkeyBody(message))
    }

    @Test(arguments: [
        "?pageSize=3&page_size=3", "?status=active&status=active&page_size=3", "?page_size=None&pageSize=3",
        "?currentPage=None&current_page=0&page_size=3",
    ])
    func portkeyRepeatsOfOneValueAndAbsentValuesAreAccepted(query: String) throws {
        let response = try TestRouter().portkey(query)
        #expect(response.code == 200)
        #expect((try response.json() as? [String: Any])?["data"].map { ($0 as? [Any])?.count } == 3)
    }

    // MARK: - Control plane

    @Test(arguments: [
        (
            "/__admin/requests?vendor=openrouter&vendor=portkey",
            #"vendor is repeated with different values (vendor=\"openrouter\", then vendor=\"portkey\"): send it once"#
        ),
        (
            "/__admin/requests?limit=1&limit=2",
            #"limit is repeated with different values (limit=\"1\", then limit=\"2\"): send it once"#
        ),
        (
            "/__admin/health?namespace=a&namespace=b",
            #"namespace is repeated with different values (namespace=\"a\", then namespace=\"b\"): send it once"#
        ),
    ])
    func controlPlaneParameterGivenTwiceIsRefused(path: String, message: String) throws {
        let router = try TestRouter()
        let response = router.request(path)
        #expect(response.code == 400)
        #expect(response.text == #"{"error":{"code":400,"message":"\#(message)"}}"#)
        #expect(router.state.namespaceCount == 0, "no namespace was made")
    }

    @Test func controlPlaneNamespaceHeaderWinsOverTheQuery() throws {
        let router = try TestRouter()
        let response = router.request("/__admin/health?namespace=a&namespace=b", headers: [("X-Mock-Namespace", "c")])
        #expect(response.code == 200)
        #expect((try response.json() as? [String: Any])?["namespace"] as? String == "c")
    }
}
