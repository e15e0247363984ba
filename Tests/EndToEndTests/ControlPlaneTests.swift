import Foundation
import GatewayMock
import Testing

/// `/__admin/`: health, reset, seed replacement, the index page, and `--no-admin`.
@Suite struct ControlPlaneTests {
    @Test func healthReportsCountsOfTheCallersNamespace() async throws {
        try await withTestServer { mock throws in
            let response = try mock.admin("GET", "/__admin/health")
            #expect(response.status == 200)
            let body = try #require(try response.json() as? [String: Any])
            #expect(body["status"] as? String == "ok")
            #expect(body["version"] as? String == GatewayMockVersion.current)
            #expect(body["namespace"] as? String == "default")
            #expect(body["namespaces"] as? Int == 1)
            #expect((body["uptime_seconds"] as? Double ?? -1) >= 0)
            #expect(body["workspaces"] as? [String: Int] == ["openrouter": 120, "portkey": 60])
        }
    }

    @Test func seedGetReturnsWhatPutAcceptsAndPutReplacesServedRecords() async throws {
        try await withTestServer { mock throws in
            let all = try mock.admin("GET", "/__admin/seed/openrouter/workspaces")
            #expect(all.status == 200)
            let records = try #require(try all.json() as? [[String: Any]])
            #expect(records.count == 120)
            let three = String(
                decoding: try JSONSerialization.data(withJSONObject: Array(records[5..<8])), as: UTF8.self)
            let put = try mock.admin("PUT", "/__admin/seed/openrouter/workspaces", body: three)
            #expect(put.status == 200)
            #expect(put.text == #"{"vendor":"openrouter","workspaces":3}"#)

            let served = try #require(try mock.openRouter().json() as? [String: Any])
            #expect(served["total_count"] as? Int == 3)
            #expect(
                (served["data"] as? [[String: Any]])?.map { $0["id"] as? String }
                    == records[5..<8].map { $0["id"] as? String })
            // What GET returns can be PUT back unchanged.
            let again = try mock.admin("GET", "/__admin/seed/openrouter/workspaces")
            #expect(try mock.admin("PUT", "/__admin/seed/openrouter/workspaces", body: again.text).status == 200)
            #expect(try mock.admin("GET", "/__admin/seed/openrouter/workspaces").text == again.text)
        }
    }

    @Test func invalidSeedIsRejectedAtomicallyNamingIndexAndField() async throws {
        try await withTestServer { mock throws in
            let before = try mock.portkey("?page_size=100").text
            var records = try SeedFiles.portkey
            records[3]["status"] = "deleted"
            let body = String(decoding: try JSONSerialization.data(withJSONObject: records), as: UTF8.self)
            let response = try mock.admin("PUT", "/__admin/seed/portkey/workspaces", body: body)
            #expect(response.status == 400)
            #expect(
                response.text
                    == #"{"error":{"code":400,"message":"request body: [3].status: must be one of active, archived, got \"deleted\""}}"#
            )
            #expect(try mock.portkey("?page_size=100").text == before)

            let broken = try mock.admin("PUT", "/__admin/seed/portkey/workspaces", body: "[{")
            #expect(broken.status == 400)
            #expect(
                broken.text
                    == #"{"error":{"code":400,"message":"request body: invalid JSON at line 1, column 3: expected a string key"}}"#
            )
        }
    }

    @Test func keysCanBeReadAndReplaced() async throws {
        try await withTestServer { mock throws in
            let keys = try mock.admin("GET", "/__admin/seed/keys")
            #expect(
                keys.text
                    == #"{"openrouter":{"management":["sk-or-v1-mock-management"],"inference":["sk-or-v1-mock-inference"]},"portkey":{"admin":["pk-mock-admin"],"workspace":["pk-mock-workspace"]}}"#
            )
            let put = try mock.admin("PUT", "/__admin/seed/keys", body: #"{"openrouter":{"management":["sk-new"]}}"#)
            #expect(put.status == 200)
            #expect(try mock.openRouter(key: "sk-new").status == 200)
            #expect(try mock.openRouter().status == 401)
            #expect(try mock.portkey().status == 401)
        }
    }

    @Test func resetRestoresTheLoadedStoreAndClearsFaultsAndJournal() async throws {
        try await withTestServer { mock throws in
            _ = try mock.admin("PUT", "/__admin/seed/openrouter/workspaces", body: "[]")
            _ = try mock.admin("POST", "/__admin/faults", body: #"{"vendor":"portkey","status":500}"#)
            #expect(try mock.portkey().status == 500)
            let reset = try mock.admin("POST", "/__admin/reset")
            #expect(reset.status == 200)
            #expect(reset.text == #"{"status":"reset","namespace":"default"}"#)
            #expect(try mock.admin("GET", "/__admin/faults").text == #"{"faults":[]}"#)
            #expect(try mock.admin("GET", "/__admin/requests").text == #"{"requests":[]}"#)
            let body = try #require(try mock.openRouter().json() as? [String: Any])
            #expect(body["total_count"] as? Int == 120)
            #expect(try mock.portkey().status == 200)
        }
    }

    @Test func unknownAdminPathsAndMethodsAreRefusedClearly() async throws {
        try await withTestServer { mock throws in
            let missing = try mock.admin("GET", "/__admin/nothing")
            #expect(missing.status == 404)
            #expect(missing.text == #"{"error":{"code":404,"message":"no control-plane endpoint /__admin/nothing"}}"#)
            let wrong = try mock.admin("GET", "/__admin/reset")
            #expect(wrong.status == 405)
            #expect(wrong.header("Allow") == "POST")
        }
    }

    @Test func indexListsEndpointsWithReadyCurlCommands() async throws {
        try await withTestServer { mock throws in
            let body = try #require(try mock.request("/").json() as? [String: Any])
            #expect(body["name"] as? String == "GatewayMock")
            let endpoints = try #require(body["endpoints"] as? [[String: String]])
            #expect(endpoints.map { $0["path"] } == ["/api/v1/workspaces", "/v1/admin/workspaces"])
            #expect(
                endpoints[0]["curl"]
                    == "curl -H 'Authorization: Bearer sk-or-v1-mock-management' 'http://localhost/api/v1/workspaces?offset=0&limit=5'"
            )
            #expect((body["admin"] as? [String])?.contains("POST /__admin/reset") == true)
        }
    }

    @Test func noAdminTurnsTheControlPlaneAndIndexOff() async throws {
        try await withTestServer(.init(adminEnabled: false)) { mock throws in
            for path in ["/", "/__admin/health", "/__admin/reset"] {
                let response = try mock.request(path)
                #expect(response.status == 404)
                #expect(response.text == #"{"error":{"code":404,"message":"Not Found"}}"#)
            }
            #expect(try mock.openRouter().status == 200)
        }
    }
}
