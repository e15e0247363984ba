import Foundation
import GatewayMock
import Testing

/// `X-Mock-Namespace`: each caller's own store, fault rules and journal.
@Suite struct NamespaceTests {
    @Test func namespacesDoNotSeeEachOthersFaultsOrDataUnderConcurrentRequests() async throws {
        try await withTestServer { mock throws in
            #expect(
                try mock.admin("POST", "/__admin/faults", body: #"{"status":500}"#, namespace: "suite-a").status == 201)
            let one = String(
                decoding: try JSONSerialization.data(withJSONObject: [try SeedFiles.openRouter[7]]), as: UTF8.self)
            #expect(
                try mock.admin("PUT", "/__admin/seed/openrouter/workspaces", body: one, namespace: "suite-b").status
                    == 200)

            let results = try await withThrowingTaskGroup(of: (String, Int, Int?).self) { group in
                for index in 0..<60 {
                    let namespace = ["suite-a", "suite-b", "default"][index % 3]
                    group.addTask {
                        let response = try mock.openRouter(headers: ["X-Mock-Namespace": namespace])
                        let total = (try? response.json() as? [String: Any])?["total_count"] as? Int
                        return (namespace, response.status, total)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.count == 60)
            for (namespace, status, total) in results {
                switch namespace {
                case "suite-a": #expect(status == 500)
                case "suite-b": #expect(status == 200 && total == 1)
                default: #expect(status == 200 && total == 120)
                }
            }
            let journalA = try #require(
                try mock.admin("GET", "/__admin/requests", namespace: "suite-a").json() as? [String: [Any]])
            #expect(journalA["requests"]?.count == 20)
            #expect(try mock.admin("GET", "/__admin/faults").text == #"{"faults":[]}"#)
        }
    }

    @Test func adminCallsTakeTheNamespaceFromTheQueryToo() async throws {
        try await withTestServer { mock throws in
            _ = try mock.admin("POST", "/__admin/faults?namespace=q", body: #"{"status":403}"#)
            #expect(try mock.openRouter(headers: ["X-Mock-Namespace": "q"]).status == 403)
            #expect(try mock.openRouter().status == 200)
        }
    }

    @Test func resetOfOneNamespaceLeavesOthersAndStarResetsAll() async throws {
        try await withTestServer { mock throws in
            for namespace in ["a", "b"] {
                _ = try mock.admin("POST", "/__admin/faults", body: #"{"status":500}"#, namespace: namespace)
            }
            #expect(
                try mock.admin("POST", "/__admin/reset", namespace: "a").text == #"{"status":"reset","namespace":"a"}"#)
            #expect(try mock.openRouter(headers: ["X-Mock-Namespace": "a"]).status == 200)
            #expect(try mock.openRouter(headers: ["X-Mock-Namespace": "b"]).status == 500)
            let health = try #require(try mock.admin("GET", "/__admin/health").json() as? [String: Any])
            #expect(health["namespaces"] as? Int == 3)

            #expect(try mock.admin("POST", "/__admin/reset?namespace=*").text == #"{"status":"reset","namespace":"*"}"#)
            #expect(try mock.openRouter(headers: ["X-Mock-Namespace": "b"]).status == 200)
            let after = try #require(try mock.admin("GET", "/__admin/health").json() as? [String: Any])
            #expect(after["namespaces"] as? Int == 2, "b was dropped and made anew by the request above")
        }
    }

    @Test func namespacesAreBoundedWith429OnTheAdminSide() async throws {
        try await withTestServer(.init(maxNamespaces: 2)) { mock throws in
            #expect(try mock.admin("GET", "/__admin/health", namespace: "one").status == 200)
            #expect(try mock.admin("GET", "/__admin/health", namespace: "two").status == 200)
            let refused = try mock.admin("GET", "/__admin/health", namespace: "three")
            #expect(refused.status == 429)
            #expect(
                refused.text
                    == #"{"error":{"code":429,"message":"too many namespaces: the limit of 2 is reached (raise --max-namespaces, or POST /__admin/reset?namespace=* to drop them)"}}"#
            )
            #expect(try mock.openRouter(headers: ["X-Mock-Namespace": "three"]).status == 429)
            #expect(try mock.openRouter(headers: ["X-Mock-Namespace": "one"]).status == 200)
        }
    }

    @Test func invalidNamespaceNamesAreRefused() async throws {
        try await withTestServer { mock throws in
            let admin = try mock.admin("GET", "/__admin/health", namespace: "a b")
            #expect(admin.status == 400)
            let vendor = try mock.portkey(headers: ["X-Mock-Namespace": "a/b"])
            #expect(vendor.status == 400)
            #expect(
                vendor.text
                    == #"{"success":false,"data":{"message":"Invalid value for X-Mock-Namespace: must be 1 to 64 letters, digits, '.', '_' or '-' (got \"a/b\")","errorCode":"AB01"}}"#
            )
        }
    }
}
