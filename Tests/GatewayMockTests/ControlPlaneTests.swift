import Foundation
import GatewayMock
import Logging
import TestSupport
import Testing

/// `/__admin/`: health, reset, seed replacement, the index page, and `--no-admin`.
@Suite struct ControlPlaneTests {
    @Test func healthReportsCountsOfTheCallersNamespace() throws {
        let response = try TestRouter().admin("GET", "/__admin/health")
        #expect(response.code == 200)
        #expect(response.headerLines == ["Content-Type: application/json"])
        let body = try #require(try response.json() as? [String: Any])
        #expect(body["status"] as? String == "ok")
        #expect(body["version"] as? String == GatewayMockVersion.current)
        #expect(body["namespace"] as? String == "default")
        #expect(body["namespaces"] as? Int == 1)
        #expect((body["uptime_seconds"] as? Double ?? -1) >= 0)
        #expect(body["workspaces"] as? [String: Int] == ["openrouter": 120, "portkey": 60])
    }

    @Test func seedGetReturnsWhatPutAcceptsAndPutReplacesServedRecords() throws {
        let router = try TestRouter()
        let all = router.admin("GET", "/__admin/seed/openrouter/workspaces")
        #expect(all.code == 200)
        #expect(all.headerLines == ["Content-Type: application/json"])
        let records = try #require(try all.json() as? [[String: Any]])
        #expect(records.count == 120)
        let three = try SeedFiles.jsonArray(Array(records[5..<8]))
        let put = router.admin("PUT", "/__admin/seed/openrouter/workspaces", body: three)
        #expect(put.code == 200)
        #expect(
            put.text
                == #"{"vendor":"openrouter","collection":"workspaces","count":3,"dropped":{"members":254,"budgets":53}}"#
        )

        let served = try #require(try router.openRouter().json() as? [String: Any])
        #expect(served["total_count"] as? Int == 3)
        #expect(
            (served["data"] as? [[String: Any]])?.map { $0["id"] as? String }
                == records[5..<8].map { $0["id"] as? String })
        // What GET returns can be PUT back unchanged.
        let again = router.admin("GET", "/__admin/seed/openrouter/workspaces")
        #expect(router.admin("PUT", "/__admin/seed/openrouter/workspaces", body: again.text).code == 200)
        #expect(router.admin("GET", "/__admin/seed/openrouter/workspaces").bytes == again.bytes)
    }

    @Test func invalidSeedIsRejectedAtomicallyNamingIndexAndField() throws {
        let router = try TestRouter()
        let before = router.portkey("?page_size=100").bytes
        var records = try SeedFiles.portkey
        records[3]["status"] = "deleted"
        let response = router.admin("PUT", "/__admin/seed/portkey/workspaces", body: try SeedFiles.jsonArray(records))
        #expect(response.code == 400)
        #expect(
            response.text
                == #"{"error":{"code":400,"message":"request body (portkey/workspaces.json): [3].status: must be one of active, archived, got \"deleted\""}}"#
        )
        #expect(router.portkey("?page_size=100").bytes == before)

        let broken = router.admin("PUT", "/__admin/seed/portkey/workspaces", body: "[{")
        #expect(broken.code == 400)
        #expect(
            broken.text
                == #"{"error":{"code":400,"message":"request body (portkey/workspaces.json): invalid JSON at line 1, column 3: expected a string key"}}"#
        )
    }

    @Test func keysCanBeReadAndReplaced() throws {
        let router = try TestRouter()
        let keys = router.admin("GET", "/__admin/seed/keys")
        #expect(
            keys.text
                == #"{"openrouter":{"management":["sk-or-v1-mock-management"],"inference":["sk-or-v1-mock-inference"]},"portkey":{"admin":["pk-mock-admin"],"workspace":["pk-mock-workspace"]}}"#
        )
        let put = router.admin("PUT", "/__admin/seed/keys", body: #"{"openrouter":{"management":["sk-new"]}}"#)
        #expect(put.code == 200)
        #expect(
            put.text
                == #"{"openrouter":{"management":["sk-new"],"inference":[]},"portkey":{"admin":[],"workspace":[]}}"#)
        #expect(router.openRouter(key: "sk-new").code == 200)
        #expect(router.openRouter().code == 401)
        #expect(router.portkey().code == 401)
    }

    @Test func resetRestoresTheLoadedStoreAndClearsFaultsAndJournal() throws {
        let router = try TestRouter()
        _ = router.admin("PUT", "/__admin/seed/openrouter/workspaces", body: "[]")
        _ = router.admin("POST", "/__admin/faults", body: #"{"vendor":"portkey","status":500}"#)
        #expect(router.portkey().code == 500)
        let reset = router.admin("POST", "/__admin/reset")
        #expect(reset.code == 200)
        #expect(reset.text == #"{"status":"reset","namespace":"default"}"#)
        #expect(router.admin("GET", "/__admin/faults").text == #"{"faults":[]}"#)
        #expect(router.admin("GET", "/__admin/requests").text == #"{"requests":[]}"#)
        let body = try #require(try router.openRouter().json() as? [String: Any])
        #expect(body["total_count"] as? Int == 120)
        #expect(router.portkey().code == 200)
    }

    @Test func unknownAdminPathsAndMethodsAreRefusedClearly() throws {
        let router = try TestRouter()
        let missing = router.admin("GET", "/__admin/nothing")
        #expect(missing.code == 404)
        #expect(missing.text == #"{"error":{"code":404,"message":"no control-plane endpoint /__admin/nothing"}}"#)
        let wrong = router.admin("GET", "/__admin/reset")
        #expect(wrong.code == 405)
        #expect(wrong.headerLines == ["Content-Type: application/json", "Allow: POST"])
        #expect(wrong.text == #"{"error":{"code":405,"message":"use POST here"}}"#)
    }

    @Test func indexListsEndpointsWithReadyCurlCommands() throws {
        let response = try TestRouter().request("/")
        #expect(response.code == 200)
        #expect(response.headerLines == ["Content-Type: application/json", "Vary: Accept"])
        let body = try #require(try response.json() as? [String: Any])
        #expect(body["name"] as? String == "GatewayMock")
        let endpoints = try #require(body["endpoints"] as? [[String: String]])
        #expect(endpoints.count == 24)
        #expect(
            endpoints[0]["curl"]
                == "curl -H 'Authorization: Bearer sk-or-v1-mock-management' 'http://localhost/api/v1/workspaces?offset=0&limit=5'"
        )
        #expect(
            endpoints[1]["curl"]
                == #"curl -X POST -H 'Authorization: Bearer sk-or-v1-mock-management' -H 'Content-Type: application/json' -d '{"name":"Launch Prep","slug":"launch-prep"}' 'http://localhost/api/v1/workspaces'"#
        )
        #expect((body["admin"] as? [String])?.contains("POST /__admin/reset") == true)
    }

    /// The whole index, byte for byte: every vendor route and every control-plane route, read from the tables.
    @Test func indexIsDerivedFromTheRouteTables() throws {
        let response = try TestRouter().request("/", headers: [("Host", "127.0.0.1:8080")])
        #expect(
            response.text
                == #"{"name":"GatewayMock","version":"\#(GatewayMockVersion.current)","endpoints":[{"vendor":"openrouter","method":"GET","path":"/api/v1/workspaces","curl":"curl -H 'Authorization: Bearer sk-or-v1-mock-management' 'http://127.0.0.1:8080/api/v1/workspaces?offset=0&limit=5'"},{"vendor":"openrouter","method":"POST","path":"/api/v1/workspaces","curl":"curl -X POST -H 'Authorization: Bearer sk-or-v1-mock-management' -H 'Content-Type: application/json' -d '{\"name\":\"Launch Prep\",\"slug\":\"launch-prep\"}' 'http://127.0.0.1:8080/api/v1/workspaces'"},{"vendor":"openrouter","method":"GET","path":"/api/v1/workspaces/{id}","curl":"curl -H 'Authorization: Bearer sk-or-v1-mock-management' 'http://127.0.0.1:8080/api/v1/workspaces/production'"},{"vendor":"openrouter","method":"PATCH","path":"/api/v1/workspaces/{id}","curl":"curl -X PATCH -H 'Authorization: Bearer sk-or-v1-mock-management' -H 'Content-Type: application/json' -d '{\"description\":\"Pre-release checks\"}' 'http://127.0.0.1:8080/api/v1/workspaces/launch-prep'"},{"vendor":"openrouter","method":"DELETE","path":"/api/v1/workspaces/{id}","curl":"curl -X DELETE -H 'Authorization: Bearer sk-or-v1-mock-management' 'http://127.0.0.1:8080/api/v1/workspaces/launch-prep'"},{"vendor":"openrouter","method":"GET","path":"/api/v1/workspaces/{id}/members","curl":"curl -H 'Authorization: Bearer sk-or-v1-mock-management' 'http://127.0.0.1:8080/api/v1/workspaces/production/members?offset=0&limit=5'"},{"vendor":"openrouter","method":"POST","path":"/api/v1/workspaces/{id}/members/add","curl":"curl -X POST -H 'Authorization: Bearer sk-or-v1-mock-management' -H 'Content-Type: application/json' -d '{\"user_ids\":[\"user_abc123\"]}' 'http://127.0.0.1:8080/api/v1/workspaces/staging/members/add'"},{"vendor":"openrouter","method":"POST","path":"/api/v1/workspaces/{id}/members/remove","curl":"curl -X POST -H 'Authorization: Bearer sk-or-v1-mock-management' -H 'Content-Type: application/json' -d '{\"user_ids\":[\"user_abc123\"]}' 'http://127.0.0.1:8080/api/v1/workspaces/staging/members/remove'"},{"vendor":"openrouter","method":"GET","path":"/api/v1/workspaces/{id}/budgets","curl":"curl -H 'Authorization: Bearer sk-or-v1-mock-management' 'http://127.0.0.1:8080/api/v1/workspaces/production/budgets'"},{"vendor":"openrouter","method":"GET","path":"/api/v1/workspaces/{id}/budgets/{interval}","curl":"curl -H 'Authorization: Bearer sk-or-v1-mock-management' 'http://127.0.0.1:8080/api/v1/workspaces/support-internal/budgets/monthly'"},{"vendor":"openrouter","method":"PUT","path":"/api/v1/workspaces/{id}/budgets/{interval}","curl":"curl -X PUT -H 'Authorization: Bearer sk-or-v1-mock-management' -H 'Content-Type: application/json' -d '{\"limit_usd\":100}' 'http://127.0.0.1:8080/api/v1/workspaces/staging/budgets/monthly'"},{"vendor":"openrouter","method":"DELETE","path":"/api/v1/workspaces/{id}/budgets/{interval}","curl":"curl -X DELETE -H 'Authorization: Bearer sk-or-v1-mock-management' 'http://127.0.0.1:8080/api/v1/workspaces/staging/budgets/monthly'"},{"vendor":"openrouter","method":"GET","path":"/api/v1/organization/members","curl":"curl -H 'Authorization: Bearer sk-or-v1-mock-management' 'http://127.0.0.1:8080/api/v1/organization/members?offset=0&limit=5'"},{"vendor":"portkey","method":"GET","path":"/v1/admin/workspaces","curl":"curl -H 'x-portkey-api-key: pk-mock-admin' 'http://127.0.0.1:8080/v1/admin/workspaces?page_size=5&current_page=0'"},{"vendor":"portkey","method":"POST","path":"/v1/admin/workspaces","curl":"curl -X POST -H 'x-portkey-api-key: pk-mock-admin' -H 'Content-Type: application/json' -d '{\"name\":\"Launch Prep\"}' 'http://127.0.0.1:8080/v1/admin/workspaces'"},{"vendor":"portkey","method":"GET","path":"/v1/admin/workspaces/{workspaceId}","curl":"curl -H 'x-portkey-api-key: pk-mock-admin' 'http://127.0.0.1:8080/v1/admin/workspaces/ws-production-ab8e18'"},{"vendor":"portkey","method":"PUT","path":"/v1/admin/workspaces/{workspaceId}","curl":"curl -X PUT -H 'x-portkey-api-key: pk-mock-admin' -H 'Content-Type: application/json' -d '{\"description\":\"New hires\"}' 'http://127.0.0.1:8080/v1/admin/workspaces/ws-onboarding-a4963c'"},{"vendor":"portkey","method":"DELETE","path":"/v1/admin/workspaces/{workspaceId}","curl":"curl -X DELETE -H 'x-portkey-api-key: pk-mock-admin' -H 'Content-Type: application/json' -d '{\"force_delete\":true}' 'http://127.0.0.1:8080/v1/admin/workspaces/ws-onboarding-a4963c'"},{"vendor":"portkey","method":"POST","path":"/v1/admin/workspaces/{workspaceId}/users","curl":"curl -X POST -H 'x-portkey-api-key: pk-mock-admin' -H 'Content-Type: application/json' -d '{\"users\":[{\"id\":\"9f625fc3-fe7c-5ca7-992b-db5c98ebdbb7\",\"role\":\"admin\"}]}' 'http://127.0.0.1:8080/v1/admin/workspaces/ws-production-ab8e18/users'"},{"vendor":"portkey","method":"GET","path":"/v1/admin/workspaces/{workspaceId}/users","curl":"curl -H 'x-portkey-api-key: pk-mock-admin' 'http://127.0.0.1:8080/v1/admin/workspaces/ws-production-ab8e18/users?page_size=5&current_page=0'"},{"vendor":"portkey","method":"GET","path":"/v1/admin/workspaces/{workspaceId}/users/{userId}","curl":"curl -H 'x-portkey-api-key: pk-mock-admin' 'http://127.0.0.1:8080/v1/admin/workspaces/ws-production-ab8e18/users/9f625fc3-fe7c-5ca7-992b-db5c98ebdbb7'"},{"vendor":"portkey","method":"PUT","path":"/v1/admin/workspaces/{workspaceId}/users/{userId}","curl":"curl -X PUT -H 'x-portkey-api-key: pk-mock-admin' -H 'Content-Type: application/json' -d '{\"role\":\"admin\"}' 'http://127.0.0.1:8080/v1/admin/workspaces/ws-production-ab8e18/users/9f625fc3-fe7c-5ca7-992b-db5c98ebdbb7'"},{"vendor":"portkey","method":"DELETE","path":"/v1/admin/workspaces/{workspaceId}/users/{userId}","curl":"curl -X DELETE -H 'x-portkey-api-key: pk-mock-admin' 'http://127.0.0.1:8080/v1/admin/workspaces/ws-production-ab8e18/users/9f625fc3-fe7c-5ca7-992b-db5c98ebdbb7'"},{"vendor":"portkey","method":"GET","path":"/v1/admin/users","curl":"curl -H 'x-portkey-api-key: pk-mock-admin' 'http://127.0.0.1:8080/v1/admin/users?pageSize=5&currentPage=0'"}],"admin":["GET /__admin/health","GET /__admin/ui","GET /__admin/ui/{file}","POST /__admin/reset","GET|PUT /__admin/seed/openrouter/{collection}","GET|PUT /__admin/seed/portkey/{collection}","GET|PUT /__admin/seed/keys","GET|POST|DELETE /__admin/faults","DELETE /__admin/faults/{id}","GET|DELETE /__admin/requests","GET /__admin/requests/stream","GET /__admin/namespaces"]}"#
        )
    }

    @Test func noAdminTurnsTheControlPlaneAndIndexOff() throws {
        let router = try TestRouter(adminEnabled: false)
        for path in ["/", "/__admin/health", "/__admin/reset", "/__admin/ui", "/__admin/ui/app.js"] {
            let response = router.request(path)
            #expect(response.code == 404)
            #expect(response.headerLines == ["Content-Type: application/json"])
            #expect(response.text == #"{"error":{"code":404,"message":"Not Found"}}"#)
        }
        #expect(router.openRouter().code == 200)
    }

    /// A namespace taken from a query cannot break the access log's one line per request.
    @Test func aNamespaceWithControlCharactersIsQuotedInTheAccessLog() throws {
        let lines = CapturingLogHandler.Lines()
        let router = try TestRouter(accessLogger: Logger(label: "capture") { _ in CapturingLogHandler(lines: lines) })
        _ = router.request("/__admin/health?namespace=x%0Aforged%20line")
        #expect(lines.all.count == 1)
        #expect(
            lines.all.first?.hasPrefix(#"info "x\nforged line" GET /__admin/health?namespace=x%0Aforged%20line 400 "#)
                == true)
    }

    /// HEAD is served wherever GET is, on the control plane too (RFC 9110 §9.1).
    @Test(arguments: [
        "/", "/__admin/health", "/__admin/seed/keys", "/__admin/faults", "/__admin/requests",
        "/__admin/requests/stream", "/__admin/namespaces",
    ])
    func headIsServedWhereverGetIs(path: String) throws {
        let router = try TestRouter()
        let head = router.request(path, method: "HEAD")
        #expect(head.code == 200)
        #expect(head.headerLines == router.request(path).headerLines)
        let allow = router.request(path, method: "PATCH").header("Allow")
        #expect(allow?.hasPrefix("GET, HEAD") == true)
    }
}

/// The index's curl commands work when pasted in order: each example request is answered with a 2xx.
@Suite struct IndexExampleTests {
    @Test func everyVendorExampleAnswers2xxInTableOrder() throws {
        let router = try TestRouter()
        let index = try #require(try router.request("/").json() as? [String: Any])
        let endpoints = try #require(index["endpoints"] as? [[String: String]])
        for endpoint in endpoints {
            let curl = try #require(endpoint["curl"])
            // curl [-X M] -H 'Name: value' [-H 'Content-Type: …' -d 'BODY'] 'http://host/path?query'
            let quoted = curl.split(separator: "'", omittingEmptySubsequences: false).enumerated()
                .filter { $0.offset % 2 == 1 }.map { String($0.element) }
            let url = try #require(quoted.last)
            let target = String(url.drop { $0 != "/" }.dropFirst(2).drop { $0 != "/" })
            let headers = quoted.dropLast().filter { $0.contains(": ") && !$0.hasPrefix("{") }.map { header in
                let parts = header.split(separator: ":", maxSplits: 1)
                return (String(parts[0]), String(parts[1].dropFirst()))
            }
            let body = curl.contains(" -d ") ? quoted.first { $0.hasPrefix("{") } : nil
            let response = router.request(target, method: endpoint["method"] ?? "GET", headers: headers, body: body)
            #expect((200..<300).contains(response.code), "\(curl) → \(response.code) \(response.text)")
        }
    }
}
