import Foundation
import TestSupport
import Testing

/// `X-Mock-Namespace`: each caller's own store, fault rules and journal.
@Suite struct NamespaceTests {
    @Test func namespacesDoNotSeeEachOthersFaultsOrDataUnderConcurrentRequests() async throws {
        let router = try TestRouter()
        #expect(router.admin("POST", "/__admin/faults", body: #"{"status":500}"#, namespace: "suite-a").code == 201)
        let one = try SeedFiles.jsonArray([try SeedFiles.openRouter[7]])
        #expect(router.admin("PUT", "/__admin/seed/openrouter/workspaces", body: one, namespace: "suite-b").code == 200)

        let results = await withTaskGroup(of: (String, Int, Int?).self) { group in
            for index in 0..<60 {
                let namespace = ["suite-a", "suite-b", "default"][index % 3]
                group.addTask {
                    let response = router.openRouter(headers: [("X-Mock-Namespace", namespace)])
                    let total = (try? response.json() as? [String: Any])?["total_count"] as? Int
                    return (namespace, response.code, total)
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
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
            try router.admin("GET", "/__admin/requests", namespace: "suite-a").json() as? [String: [Any]])
        #expect(journalA["requests"]?.count == 20)
        #expect(router.admin("GET", "/__admin/faults").text == #"{"faults":[]}"#)
    }

    @Test func adminCallsTakeTheNamespaceFromTheQueryToo() throws {
        let router = try TestRouter()
        _ = router.admin("POST", "/__admin/faults?namespace=q", body: #"{"status":403}"#)
        #expect(router.openRouter(headers: [("X-Mock-Namespace", "q")]).code == 403)
        #expect(router.openRouter().code == 200)
    }

    @Test func resetOfOneNamespaceLeavesOthersAndStarResetsAll() throws {
        let router = try TestRouter()
        for namespace in ["a", "b"] {
            _ = router.admin("POST", "/__admin/faults", body: #"{"status":500}"#, namespace: namespace)
        }
        #expect(router.admin("POST", "/__admin/reset", namespace: "a").text == #"{"status":"reset","namespace":"a"}"#)
        #expect(router.openRouter(headers: [("X-Mock-Namespace", "a")]).code == 200)
        #expect(router.openRouter(headers: [("X-Mock-Namespace", "b")]).code == 500)
        let health = try #require(try router.admin("GET", "/__admin/health").json() as? [String: Any])
        #expect(health["namespaces"] as? Int == 3)

        #expect(router.admin("POST", "/__admin/reset?namespace=*").text == #"{"status":"reset","namespace":"*"}"#)
        #expect(router.openRouter(headers: [("X-Mock-Namespace", "b")]).code == 200)
        let after = try #require(try router.admin("GET", "/__admin/health").json() as? [String: Any])
        #expect(after["namespaces"] as? Int == 2, "b was dropped and made anew by the request above")
    }

    @Test func namespacesAreBoundedWith429OnTheAdminSide() throws {
        let router = try TestRouter(maxNamespaces: 2)
        #expect(router.admin("GET", "/__admin/health", namespace: "one").code == 200)
        #expect(router.admin("GET", "/__admin/health", namespace: "two").code == 200)
        let refused = router.admin("GET", "/__admin/health", namespace: "three")
        #expect(refused.code == 429)
        #expect(refused.headerLines == ["Content-Type: application/json"])
        #expect(
            refused.text
                == #"{"error":{"code":429,"message":"too many namespaces: the limit of 2 is reached (raise --max-namespaces, or POST /__admin/reset?namespace=* to drop them)"}}"#
        )
        let vendor = router.openRouter(headers: [("X-Mock-Namespace", "three")])
        #expect(vendor.code == 429)
        #expect(vendor.text == #"{"error":{"code":429,"message":"Rate limit exceeded"}}"#)
        #expect(router.openRouter(headers: [("X-Mock-Namespace", "one")]).code == 200)
    }

    @Test func invalidNamespaceNamesAreRefused() throws {
        let router = try TestRouter()
        let admin = router.admin("GET", "/__admin/health", namespace: "a b")
        #expect(admin.code == 400)
        #expect(
            admin.text
                == #"{"error":{"code":400,"message":"namespace \"a b\" is not 1 to 64 letters, digits, '.', '_' or '-'"}}"#
        )
        let vendor = router.portkey(headers: [("X-Mock-Namespace", "a/b")])
        #expect(vendor.code == 400)
        #expect(
            vendor.text
                == #"{"success":false,"data":{"message":"Invalid value for X-Mock-Namespace: must be 1 to 64 letters, digits, '.', '_' or '-' (got \"a/b\")","errorCode":"AB01"}}"#
        )
    }

    /// Two `X-Mock-Namespace` fields naming different namespaces are a 400 in each vendor's shape and
    /// the control plane's, not a silent choice of the first; the same name twice is one namespace.
    @Test func aNamespaceHeaderRepeatedWithAnotherValueIsRefused() throws {
        let router = try TestRouter()
        let twice = [("X-Mock-Namespace", "a"), ("x-mock-namespace", "b")]
        let openRouter = router.openRouter(headers: twice)
        #expect(openRouter.code == 400)
        #expect(
            openRouter.text
                == #"{"error":{"code":400,"message":"Invalid request parameters","metadata":{"parameter":"X-Mock-Namespace","value":"b","reason":"is sent twice with different values (the first is \"a\"): send one"}}}"#
        )
        let portkey = router.portkey(headers: twice)
        #expect(portkey.code == 400)
        #expect(
            portkey.text
                == #"{"success":false,"data":{"message":"Invalid value for X-Mock-Namespace: is sent twice with different values (the first is \"a\"): send one (got \"b\")","errorCode":"AB01"}}"#
        )
        let admin = router.request("/__admin/health", headers: twice)
        #expect(admin.code == 400)
        #expect(
            admin.text
                == #"{"error":{"code":400,"message":"X-Mock-Namespace=\"b\" is sent twice with different values (the first is \"a\"): send one"}}"#
        )
        // No "b": the refusals are journaled in "a" (made for them, as for a refused key) beside the default one.
        let health = try #require(try router.admin("GET", "/__admin/health").json() as? [String: Any])
        #expect(health["namespaces"] as? Int == 2)
        let journal = try #require(
            try router.admin("GET", "/__admin/requests", namespace: "a").json() as? [String: [Any]])
        #expect(journal["requests"]?.count == 2)

        #expect(router.openRouter(headers: [("X-Mock-Namespace", "a"), ("X-Mock-Namespace", "a")]).code == 200)
    }

    /// A request without a valid key gets 401/403 whatever namespace it names; it is journaled in that
    /// namespace when the name can be one.
    @Test(arguments: [("*", false), ("bad name", false), ("new-one", true)])
    func theKeyIsCheckedBeforeTheNamespace(namespace: String, journaled: Bool) throws {
        let router = try TestRouter()
        let openRouter = router.openRouter(key: nil, headers: [("X-Mock-Namespace", namespace)])
        #expect(openRouter.code == 401)
        #expect(openRouter.text == #"{"error":{"code":401,"message":"Missing Authentication header"}}"#)
        let portkey = router.portkey(key: "nope", headers: [("X-Mock-Namespace", namespace)])
        #expect(portkey.text == #"{"success":false,"data":{"message":"Unauthorised Request","errorCode":"AB05"}}"#)
        let journal = router.admin("GET", "/__admin/requests", namespace: namespace)
        if journaled {
            let entries = try #require(try journal.json() as? [String: Any])["requests"] as? [[String: Any]]
            #expect(entries?.map { $0["status"] as? Int } == [401, 401])
        } else {
            #expect(journal.code == 400)
        }
    }

    @Test func pastTheNamespaceLimitACallerWithoutAKeyStillGets401() throws {
        let router = try TestRouter(maxNamespaces: 1)
        #expect(router.portkey(headers: [("X-Mock-Namespace", "first")]).code == 200)
        #expect(router.portkey(headers: [("X-Mock-Namespace", "second")]).code == 429)
        #expect(router.portkey(key: nil, headers: [("X-Mock-Namespace", "second")]).code == 401)
    }
}
