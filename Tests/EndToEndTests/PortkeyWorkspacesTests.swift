import Foundation
import GatewayMock
import Testing

/// `GET /v1/admin/workspaces` over a real socket: auth, pagination in both spellings, filters, exact bodies.
@Suite struct PortkeyWorkspacesTests {
    static let workspaceKeys: Set<String> = [
        "id", "slug", "name", "description", "created_at", "last_updated_at", "defaults", "usage_limits", "rate_limits",
        "object", "status",
    ]

    /// Names of the seed's Portkey workspaces passing `filter`, in seed order.
    static func seedNames(where filter: ([String: Any]) -> Bool = { _ in true }) throws -> [String] {
        try SeedFiles.portkey.filter(filter).compactMap { $0["name"] as? String }
    }

    static func list(_ response: RawResponse) throws -> (total: Int, names: [String]) {
        let body = try #require(try response.json() as? [String: Any])
        #expect(body["object"] as? String == "list")
        let data = try #require(body["data"] as? [[String: Any]])
        return (try #require(body["total"] as? Int), data.compactMap { $0["name"] as? String })
    }

    @Test func defaultPageIsFirstFiftyWithTotalAndListEnvelope() async throws {
        try await withTestServer { mock throws in
            let response = try mock.portkey()
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "application/json")
            #expect(response.text.hasPrefix(#"{"total":60,"object":"list","data":[{"id":"ws-production-ab8e18","#))
            let body = try #require(try response.json() as? [String: Any])
            let data = try #require(body["data"] as? [[String: Any]])
            #expect(data.count == 50)
            for record in data {
                #expect(Set(record.keys) == Self.workspaceKeys)
                #expect(record["object"] as? String == "workspace")
            }
            #expect(data.compactMap { $0["name"] as? String } == Array(try Self.seedNames().prefix(50)))
        }
    }

    @Test(arguments: [
        "?page_size=7&current_page=2", "?pageSize=7&currentPage=2", "?page_size=7&currentPage=2&pageSize=7",
    ])
    func pageSizeAndCurrentPageInBothSpellings(query: String) async throws {
        try await withTestServer { mock throws in
            let (total, names) = try Self.list(try mock.portkey(query))
            #expect(total == 60)
            #expect(names == Array(try Self.seedNames()[14..<21]))
        }
    }

    @Test(arguments: ["?currentPage=None", "?pageSize=None&currentPage=0", "?page_size=&current_page=null", "?"])
    func emptyNoneAndNullMeanAbsent(query: String) async throws {
        try await withTestServer { mock throws in
            let (total, names) = try Self.list(try mock.portkey(query))
            #expect(total == 60)
            #expect(names.count == 50)
        }
    }

    @Test func walkingPagesUntilTotalYieldsEveryWorkspaceInOrder() async throws {
        try await withTestServer { mock throws in
            var names: [String] = []
            var page = 0
            var total = Int.max
            while names.count < total {
                let list = try Self.list(try mock.portkey("?pageSize=8&currentPage=\(page)"))
                total = list.total
                names += list.names
                page += 1
            }
            #expect(page == 8)
            #expect(names == (try Self.seedNames()))
            #expect(try Self.list(try mock.portkey("?pageSize=8&currentPage=8")).names.isEmpty)
        }
    }

    @Test func nameFilterIsACaseSensitiveSubstringMatch() async throws {
        try await withTestServer { mock throws in
            let upper = try Self.list(try mock.portkey("?name=Sandbox"))
            #expect(upper.names == (try Self.seedNames { ($0["name"] as! String).contains("Sandbox") }))
            #expect(upper.total == upper.names.count && upper.total > 0)
            let lower = try Self.list(try mock.portkey("?name=sandbox"))
            #expect(lower.names == (try Self.seedNames { ($0["name"] as! String).contains("sandbox") }))
            #expect(Set(lower.names).isDisjoint(with: upper.names))
        }
    }

    @Test func plusAndPercentEncodedSpacesInNamesAreSpaces() async throws {
        try await withTestServer { mock throws in
            #expect(try Self.list(try mock.portkey("?name=Partner+sandbox")).names == ["Partner sandbox"])
            #expect(try Self.list(try mock.portkey("?exact_name=Partner%20sandbox")).names == ["Partner sandbox"])
        }
    }

    @Test func exactNameMatchesTheWholeNameOnly() async throws {
        try await withTestServer { mock throws in
            #expect(try Self.list(try mock.portkey("?exact_name=Production")).names == ["Production"])
            #expect(try Self.list(try mock.portkey("?exact_name=Productio")).total == 0)
        }
    }

    @Test func statusFilterTakesACommaSeparatedSubset() async throws {
        try await withTestServer { mock throws in
            let archived = try Self.list(try mock.portkey("?status=archived&page_size=100"))
            #expect(archived.names == (try Self.seedNames { $0["status"] as? String == "archived" }))
            #expect(archived.total == 15)
            #expect(try Self.list(try mock.portkey("?status=active")).total == 45)
            #expect(try Self.list(try mock.portkey("?status=active,archived")).total == 60)
            #expect(try Self.list(try mock.portkey("?status=active%2Carchived")).total == 60)
        }
    }

    @Test func filtersCombineAndTotalCountsTheFilteredSet() async throws {
        try await withTestServer { mock throws in
            let expected = try Self.seedNames {
                ($0["name"] as! String).contains("Sandbox") && $0["status"] as? String == "active"
            }
            let list = try Self.list(try mock.portkey("?name=Sandbox&status=active&page_size=1"))
            #expect(list.total == expected.count)
            #expect(list.names == Array(expected.prefix(1)))
        }
    }

    @Test(arguments: [
        (
            "?status=deleted",
            #"Invalid value for status: must be active, archived or both, comma separated (got \"deleted\")"#
        ),
        ("?page_size=0", #"Invalid value for page_size: must be a positive integer (got \"0\")"#),
        ("?pageSize=abc", #"Invalid value for page_size: must be a positive integer (got \"abc\")"#),
        ("?current_page=-1", #"Invalid value for current_page: must be an integer of 0 or more (got \"-1\")"#),
        (
            "?current_page=1&currentPage=2",
            #"Invalid value for current_page: is given more than once with different values (\"1\" and \"2\") (got \"2\")"#
        ),
    ])
    func invalidParametersGet400WithAB01(query: String, message: String) async throws {
        try await withTestServer { mock throws in
            let response = try mock.portkey(query)
            #expect(response.status == 400)
            #expect(response.text == #"{"success":false,"data":{"message":"\#(message)","errorCode":"AB01"}}"#)
        }
    }

    @Test(arguments: [nil, "", "pk-unknown"])
    func missingEmptyOrUnknownKeyGets401(key: String?) async throws {
        try await withTestServer { mock throws in
            let response = try mock.portkey("?page_size=0", key: key)
            #expect(response.status == 401)
            #expect(response.text == #"{"success":false,"data":{"message":"Unauthorised Request","errorCode":"AB05"}}"#)
        }
    }

    @Test func workspaceKeyGets403() async throws {
        try await withTestServer { mock throws in
            let response = try mock.portkey(key: DefaultKeys.portkeyWorkspace)
            #expect(response.status == 403)
            #expect(
                response.text
                    == #"{"success":false,"data":{"message":"You do not have enough permissions to execute this request","errorCode":"AB03"}}"#
            )
        }
    }

    @Test(arguments: [
        ("code=500", 500, #"{"success":false,"data":{"message":"Internal Server Error","errorCode":"AB04"}}"#),
        (
            "code=429", 429,
            #"{"success":false,"data":{"message":"Too many requests, please try again later","errorCode":"AB06"}}"#
        ),
        ("code=401", 401, #"{"success":false,"data":{"message":"Unauthorised Request","errorCode":"AB05"}}"#),
        (
            "code=403", 403,
            #"{"success":false,"data":{"message":"You do not have enough permissions to execute this request","errorCode":"AB03"}}"#
        ),
        ("code=400", 400, #"{"success":false,"data":{"message":"Invalid request","errorCode":"AB01"}}"#),
        (
            "code=503", 400,
            #"{"success":false,"data":{"message":"Invalid value for Prefer: code must be one of 400, 401, 403, 429, 500 (got \"code=503\")","errorCode":"AB01"}}"#
        ),
    ])
    func preferCodeForcesPortkeyErrorBodies(prefer: String, status: Int, body: String) async throws {
        try await withTestServer { mock throws in
            let response = try mock.portkey(headers: ["Prefer": prefer])
            #expect(response.status == status)
            #expect(response.text == body)
        }
    }

    @Test func unknownHeadersLikeTheSDKsAreIgnored() async throws {
        try await withTestServer { mock throws in
            let headers = [
                "x-portkey-package-version": "portkey-2.3.4", "x-portkey-runtime": "CPython",
                "x-portkey-strict-open-ai-compliance": "false", "User-Agent": "python-httpx/0.28.1",
            ]
            #expect(try mock.portkey("?currentPage=0", headers: headers).status == 200)
        }
    }
}
