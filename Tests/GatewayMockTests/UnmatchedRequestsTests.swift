import Logging
import TestSupport
import Testing

@testable import GatewayMock

/// Requests under a vendor prefix that no route answers (WireMock's "unmatched requests"): the calls of a
/// client with a wrong base URL or method. Each is journaled with the path as received, its status and the
/// namespace the client named, and the access log names that namespace too, without creating it.
@Suite struct UnmatchedRequestsTests {
    @Test func aWrongPathAndAWrongMethodAreJournaledAndLoggedUnderTheNamespaceTheClientNamed() throws {
        let lines = CapturingLogHandler.Lines()
        let router = try TestRouter(accessLogger: Logger(label: "capture") { _ in CapturingLogHandler(lines: lines) })
        let named = [("X-Mock-Namespace", "ci-job-7")]

        let slash = router.request("/v1/admin/workspaces/", headers: named)
        #expect(slash.code == 404)
        #expect(slash.text == #"{"success":false,"data":{"message":"Not Found","errorCode":"AB08"}}"#)
        let put = router.request("/api/v1/workspaces", method: "PUT", headers: named)
        #expect(put.code == 405)
        #expect(put.headers["Allow"] == "GET, HEAD, POST, OPTIONS")

        #expect(
            Array(lines.all.prefix(2).map { $0.split(separator: " ").prefix(5).joined(separator: " ") }) == [
                "info ci-job-7 GET /v1/admin/workspaces/ 404",
                "info ci-job-7 PUT /api/v1/workspaces 405",
            ])
        // Not created: the default journal holds both, each with the name the client gave.
        #expect(router.state.namespaceCount == 0)
        #expect(
            JournalBodyTests.journalText(router)
                == #"{"requests":[{"time":"T","namespace":"ci-job-7","vendor":"portkey","method":"GET","#
                + #""path":"/v1/admin/workspaces/","route":null,"query":{},"headers":[{"name":"Host","value":"localhost"},"#
                + #"{"name":"X-Mock-Namespace","value":"ci-job-7"}],"body":null,"body_base64":null,"#
                + #""body_truncated":false,"status":404,"fault":null,"forced":false},"#
                + #"{"time":"T","namespace":"ci-job-7","vendor":"openrouter","method":"PUT","#
                + #""path":"/api/v1/workspaces","route":null,"query":{},"headers":[{"name":"Host","value":"localhost"},"#
                + #"{"name":"X-Mock-Namespace","value":"ci-job-7"}],"body":null,"body_base64":null,"#
                + #""body_truncated":false,"status":405,"fault":null,"forced":false}]}"#)
    }
}
