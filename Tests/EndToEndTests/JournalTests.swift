import Foundation
import GatewayMock
import Logging
import Testing

/// The request journal (`/__admin/requests`) and key redaction everywhere the server writes.
@Suite struct JournalTests {
    static func entries(_ response: RawResponse) throws -> [[String: Any]] {
        let body = try #require(try response.json() as? [String: Any])
        return try #require(body["requests"] as? [[String: Any]])
    }

    @Test func journalRecordsVendorRequestsNewestLastWithParsedQueryAndStatus() async throws {
        try await withTestServer { mock throws in
            _ = try mock.openRouter("?offset=2&limit=3&limit=3")
            _ = try mock.portkey("?name=Partner+sandbox", key: "pk-wrong")
            _ = try mock.admin("GET", "/__admin/health")
            let entries = try Self.entries(try mock.admin("GET", "/__admin/requests"))
            #expect(entries.count == 2, "control-plane calls are not journaled")
            #expect(entries[0]["vendor"] as? String == "openrouter")
            #expect(entries[0]["method"] as? String == "GET")
            #expect(entries[0]["path"] as? String == "/api/v1/workspaces")
            #expect(entries[0]["query"] as? [String: [String]] == ["offset": ["2"], "limit": ["3", "3"]])
            #expect(entries[0]["status"] as? Int == 200)
            #expect(entries[0]["namespace"] as? String == "default")
            #expect(entries[0]["fault"] is NSNull)
            let time = try #require(entries[0]["time"] as? String)
            #expect(
                time.range(of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$"#, options: .regularExpression) != nil)
            #expect(entries[1]["vendor"] as? String == "portkey")
            #expect(entries[1]["query"] as? [String: [String]] == ["name": ["Partner sandbox"]])
            #expect(entries[1]["status"] as? Int == 401)
        }
    }

    @Test func journalFiltersByVendorAndLimitAndClears() async throws {
        try await withTestServer { mock throws in
            for limit in 1...3 { _ = try mock.openRouter("?limit=\(limit)") }
            _ = try mock.portkey()
            let portkey = try Self.entries(try mock.admin("GET", "/__admin/requests?vendor=portkey"))
            #expect(portkey.map { $0["vendor"] as? String } == ["portkey"])
            let newest = try Self.entries(try mock.admin("GET", "/__admin/requests?vendor=openrouter&limit=2"))
            #expect(newest.map { ($0["query"] as? [String: [String]])?["limit"] } == [["2"], ["3"]])
            #expect(try mock.admin("GET", "/__admin/requests?vendor=azure").status == 400)
            #expect(try mock.admin("DELETE", "/__admin/requests").status == 200)
            #expect(try Self.entries(try mock.admin("GET", "/__admin/requests")).isEmpty)
        }
    }

    @Test func journalKeepsOnlyTheConfiguredNumberOfRequests() async throws {
        try await withTestServer(.init(journalSize: 3)) { mock throws in
            for limit in 1...5 { _ = try mock.openRouter("?limit=\(limit)") }
            let entries = try Self.entries(try mock.admin("GET", "/__admin/requests"))
            #expect(entries.map { ($0["query"] as? [String: [String]])?["limit"] } == [["3"], ["4"], ["5"]])
        }
    }

    @Test func faultsAndForcedStatusesAreJournaled() async throws {
        try await withTestServer { mock throws in
            _ = try mock.admin("POST", "/__admin/faults", body: #"{"fault":"empty_response","times":1}"#)
            let client = try RawHTTPClient(port: mock.port)
            try client.send(
                "GET /api/v1/workspaces HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(DefaultKeys.openRouterManagement)\r\n\r\n"
            )
            _ = client.readUntilConnectionEnds()
            _ = try mock.openRouter(headers: ["Prefer": "code=429"])
            let entries = try Self.entries(try mock.admin("GET", "/__admin/requests"))
            #expect(entries[0]["fault"] as? String == "empty_response")
            #expect(entries[0]["status"] is NSNull)
            #expect(entries[0]["forced"] as? Bool == true)
            #expect(entries[1]["status"] as? Int == 429)
            #expect(entries[1]["forced"] as? Bool == true)
        }
    }

    @Test func keysAreRedactedToFirstAndLastFourInJournalAndNeverLogged() async throws {
        let lines = CapturingLogHandler.Lines()
        let logger = Logger(label: "capture") { _ in CapturingLogHandler(lines: lines) }
        let mock = try GatewayMock.start(.init(), logger: logger)
        defer { mock.stop() }
        let secrets = [DefaultKeys.openRouterManagement, DefaultKeys.portkeyAdmin, "sk-or-v1-unknown-secret-key"]
        _ = try mock.openRouter()
        _ = try mock.openRouter(key: secrets[2])
        _ = try mock.portkey()
        _ = try mock.portkey(key: nil, headers: ["x-portkey-api-key": DefaultKeys.portkeyAdmin, "Prefer": "code=418"])
        let journal = try mock.admin("GET", "/__admin/requests")
        let headers = try Self.entries(journal).map { $0["headers"] as? [[String: String]] ?? [] }
        #expect(headers[0].first { $0["name"] == "Authorization" }?["value"] == "Bearer sk-o…ment")
        #expect(headers[1].first { $0["name"] == "Authorization" }?["value"] == "Bearer sk-o…-key")
        #expect(headers[2].first { $0["name"] == "x-portkey-api-key" }?["value"] == "pk-m…dmin")
        #expect(lines.all.count >= 5)
        for secret in secrets {
            #expect(!journal.text.contains(secret))
            #expect(!lines.all.contains { $0.contains(secret) }, "a log line shows \(secret)")
        }
    }
}
