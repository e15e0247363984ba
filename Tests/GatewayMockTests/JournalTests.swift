import Foundation
import Logging
import MockHTTP
import TestSupport
import Testing

/// The request journal (`/__admin/requests`) and key redaction in the journal and the access log.
@Suite struct JournalTests {
    static func entries(_ response: HTTPResponse) throws -> [[String: Any]] {
        #expect(response.code == 200)
        let body = try #require(try response.json() as? [String: Any])
        return try #require(body["requests"] as? [[String: Any]])
    }

    @Test func journalRecordsVendorRequestsNewestLastWithParsedQueryAndStatus() throws {
        let router = try TestRouter()
        _ = router.openRouter("?offset=2&limit=3&limit=3")
        _ = router.portkey("?name=Partner+sandbox", key: "pk-wrong")
        _ = router.admin("GET", "/__admin/health")
        let entries = try Self.entries(router.admin("GET", "/__admin/requests"))
        #expect(entries.count == 2, "control-plane calls are not journaled")
        #expect(entries[0]["vendor"] as? String == "openrouter")
        #expect(entries[0]["method"] as? String == "GET")
        #expect(entries[0]["path"] as? String == "/api/v1/workspaces")
        #expect(entries[0]["query"] as? [String: [String]] == ["offset": ["2"], "limit": ["3", "3"]])
        #expect(entries[0]["status"] as? Int == 200)
        #expect(entries[0]["namespace"] as? String == "default")
        #expect(entries[0]["fault"] is NSNull)
        #expect(entries[0]["forced"] as? Bool == false)
        let time = try #require(entries[0]["time"] as? String)
        #expect(time.range(of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$"#, options: .regularExpression) != nil)
        #expect(entries[1]["vendor"] as? String == "portkey")
        #expect(entries[1]["query"] as? [String: [String]] == ["name": ["Partner sandbox"]])
        #expect(entries[1]["status"] as? Int == 401)
    }

    @Test func journalFiltersByVendorAndLimitAndClears() throws {
        let router = try TestRouter()
        for limit in 1...3 { _ = router.openRouter("?limit=\(limit)") }
        _ = router.portkey()
        let portkey = try Self.entries(router.admin("GET", "/__admin/requests?vendor=portkey"))
        #expect(portkey.map { $0["vendor"] as? String } == ["portkey"])
        let newest = try Self.entries(router.admin("GET", "/__admin/requests?vendor=openrouter&limit=2"))
        #expect(newest.map { ($0["query"] as? [String: [String]])?["limit"] } == [["2"], ["3"]])
        let azure = router.admin("GET", "/__admin/requests?vendor=azure")
        #expect(azure.code == 400)
        #expect(azure.text == #"{"error":{"code":400,"message":"vendor must be openrouter, portkey or any"}}"#)
        let cleared = router.admin("DELETE", "/__admin/requests")
        #expect(cleared.code == 200)
        #expect(cleared.text == #"{"requests":[]}"#)
        #expect(try Self.entries(router.admin("GET", "/__admin/requests")).isEmpty)
    }

    @Test func journalFiltersByStatusCodesAndClassesThenLimits() throws {
        let router = try TestRouter()
        _ = router.openRouter()
        _ = router.openRouter(key: nil)
        _ = router.portkey(key: "pk-wrong")
        _ = router.openRouter("GET", "/workspaces/nope")
        _ = router.portkey()
        let statuses = { (query: String) throws in
            try Self.entries(router.admin("GET", "/__admin/requests" + query)).map { $0["status"] as? Int }
        }
        #expect(try statuses("?status=4xx") == [401, 401, 404])
        #expect(try statuses("?status=4XX&vendor=openrouter") == [401, 404])
        #expect(try statuses("?status=200,404") == [200, 404, 200])
        #expect(try statuses("?status=4xx&limit=1") == [404])
        #expect(try statuses("?status=5xx").isEmpty)
    }

    @Test func journalKeepsOnlyTheConfiguredNumberOfRequests() throws {
        let router = try TestRouter(journalSize: 3)
        for limit in 1...5 { _ = router.openRouter("?limit=\(limit)") }
        let entries = try Self.entries(router.admin("GET", "/__admin/requests"))
        #expect(entries.map { ($0["query"] as? [String: [String]])?["limit"] } == [["3"], ["4"], ["5"]])
    }

    @Test func faultsAndForcedStatusesAreJournaled() throws {
        let router = try TestRouter()
        _ = router.admin("POST", "/__admin/faults", body: #"{"fault":"empty_response","times":1}"#)
        #expect(router.openRouter().disposition == .closeWithoutResponse)
        #expect(router.openRouter(headers: [("Prefer", "code=429")]).code == 429)
        let entries = try Self.entries(router.admin("GET", "/__admin/requests"))
        #expect(entries.count == 2)
        #expect(entries[0]["fault"] as? String == "empty_response")
        #expect(entries[0]["status"] is NSNull)
        #expect(entries[0]["forced"] as? Bool == true)
        #expect(entries[1]["status"] as? Int == 429)
        #expect(entries[1]["fault"] is NSNull)
        #expect(entries[1]["forced"] as? Bool == true)
    }

    @Test func keysAreRedactedToFirstAndLastFourInJournalAndNeverLogged() throws {
        let lines = CapturingLogHandler.Lines()
        let router = try TestRouter(accessLogger: Logger(label: "capture") { _ in CapturingLogHandler(lines: lines) })
        let secrets = [DefaultKeys.openRouterManagement, DefaultKeys.portkeyAdmin, "sk-or-v1-unknown-secret-key"]
        _ = router.openRouter()
        _ = router.openRouter(key: secrets[2])
        _ = router.portkey()
        _ = router.portkey(
            key: nil, headers: [("x-portkey-api-key", DefaultKeys.portkeyAdmin), ("Prefer", "code=418")])
        let journal = router.admin("GET", "/__admin/requests")
        let headers = try Self.entries(journal).map { $0["headers"] as? [[String: String]] ?? [] }
        #expect(headers[0].first { $0["name"] == "Authorization" }?["value"] == "Bearer sk-o…ment")
        #expect(headers[1].first { $0["name"] == "Authorization" }?["value"] == "Bearer sk-o…-key")
        #expect(headers[2].first { $0["name"] == "x-portkey-api-key" }?["value"] == "pk-m…dmin")
        #expect(headers[3].first { $0["name"] == "x-portkey-api-key" }?["value"] == "pk-m…dmin")
        #expect(lines.all.count >= 5, "one access-log line per request")
        for secret in secrets {
            #expect(!journal.text.contains(secret))
            #expect(!lines.all.contains { $0.contains(secret) }, "a log line shows \(secret)")
        }
    }
}
