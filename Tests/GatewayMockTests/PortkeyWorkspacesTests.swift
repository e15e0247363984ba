import Foundation
import MockHTTP
import TestSupport
import Testing

/// `GET /v1/admin/workspaces` in the handler tier: auth, pagination in both spellings, filters, exact bodies.
@Suite struct PortkeyWorkspacesTests {
    static let workspaceKeys: Set<String> = [
        "id", "slug", "name", "description", "created_at", "last_updated_at", "defaults", "usage_limits", "rate_limits",
        "object", "status",
    ]

    /// Names of the seed's Portkey workspaces passing `filter`, in seed order.
    static func seedNames(where filter: ([String: Any]) -> Bool = { _ in true }) throws -> [String] {
        try SeedFiles.portkey.filter(filter).compactMap { $0["name"] as? String }
    }

    static func list(_ response: HTTPResponse) throws -> (total: Int, names: [String]) {
        #expect(response.code == 200)
        let body = try #require(try response.json() as? [String: Any])
        #expect(body["object"] as? String == "list")
        let data = try #require(body["data"] as? [[String: Any]])
        return (try #require(body["total"] as? Int), data.compactMap { $0["name"] as? String })
    }

    @Test func defaultPageIsFirstFiftyWithTotalAndListEnvelope() throws {
        let response = try TestRouter().portkey()
        #expect(response.code == 200)
        #expect(response.headerLines == ["Content-Type: application/json"])
        #expect(response.disposition == .send)
        #expect(response.delay == nil)
        #expect(response.text.hasPrefix(#"{"total":60,"object":"list","data":[{"id":"ws-production-ab8e18","#))
        #expect(response.text.hasSuffix("}]}"))
        let body = try #require(try response.json() as? [String: Any])
        let data = try #require(body["data"] as? [[String: Any]])
        #expect(data.count == 50)
        for record in data {
            #expect(Set(record.keys) == Self.workspaceKeys)
            #expect(record["object"] as? String == "workspace")
        }
        #expect(data.compactMap { $0["name"] as? String } == Array(try Self.seedNames().prefix(50)))
    }

    @Test(arguments: [
        "?page_size=7&current_page=2", "?pageSize=7&currentPage=2", "?page_size=7&currentPage=2&pageSize=7",
    ])
    func pageSizeAndCurrentPageInBothSpellings(query: String) throws {
        let (total, names) = try Self.list(try TestRouter().portkey(query))
        #expect(total == 60)
        #expect(names == Array(try Self.seedNames()[14..<21]))
    }

    @Test(arguments: ["?currentPage=None", "?pageSize=None&currentPage=0", "?page_size=&current_page=null", "?"])
    func emptyNoneAndNullMeanAbsent(query: String) throws {
        let (total, names) = try Self.list(try TestRouter().portkey(query))
        #expect(total == 60)
        #expect(names.count == 50)
    }

    /// The SDK `urlencode`s a Python `None` as the text `None`. Only the paging parameters read it as
    /// absent; a filter takes it as it is: a name containing "None" (none does), or a role or status that
    /// does not exist.
    @Test func noneIsAbsentOnlyForPaging() throws {
        let router = try TestRouter()
        #expect(router.portkey("?name=None&currentPage=None").text == #"{"total":0,"object":"list","data":[]}"#)
        #expect(
            router.portkey("?status=None").text
                == #"{"success":false,"data":{"message":"Invalid value for status: must be active, archived or both, comma separated (got \"None\")","errorCode":"AB01"}}"#
        )
        #expect(
            router.portkey("GET", "/admin/users?role=None").text
                == #"{"success":false,"data":{"message":"Invalid value for role: must be owner, admin or member (got \"None\")","errorCode":"AB01"}}"#
        )
    }

    @Test func walkingPagesUntilTotalYieldsEveryWorkspaceInOrder() throws {
        let router = try TestRouter()
        var names: [String] = []
        var page = 0
        var total = Int.max
        while names.count < total {
            let list = try Self.list(router.portkey("?pageSize=8&currentPage=\(page)"))
            total = list.total
            names += list.names
            page += 1
        }
        #expect(page == 8)
        #expect(names == (try Self.seedNames()))
        let pastTheEnd = router.portkey("?pageSize=8&currentPage=8")
        #expect(pastTheEnd.text == #"{"total":60,"object":"list","data":[]}"#)
    }

    @Test func nameFilterIsACaseSensitiveSubstringMatch() throws {
        let router = try TestRouter()
        let upper = try Self.list(router.portkey("?name=Sandbox"))
        #expect(upper.names == (try Self.seedNames { ($0["name"] as! String).contains("Sandbox") }))
        #expect(upper.total == upper.names.count && upper.total > 0)
        let lower = try Self.list(router.portkey("?name=sandbox"))
        #expect(lower.names == (try Self.seedNames { ($0["name"] as! String).contains("sandbox") }))
        #expect(Set(lower.names).isDisjoint(with: upper.names))
    }

    @Test func plusAndPercentEncodedSpacesInNamesAreSpaces() throws {
        let router = try TestRouter()
        #expect(try Self.list(router.portkey("?name=Partner+sandbox")).names == ["Partner sandbox"])
        #expect(try Self.list(router.portkey("?exact_name=Partner%20sandbox")).names == ["Partner sandbox"])
    }

    @Test func exactNameMatchesTheWholeNameOnly() throws {
        let router = try TestRouter()
        #expect(try Self.list(router.portkey("?exact_name=Production")).names == ["Production"])
        #expect(router.portkey("?exact_name=Productio").text == #"{"total":0,"object":"list","data":[]}"#)
    }

    @Test func statusFilterTakesACommaSeparatedSubset() throws {
        let router = try TestRouter()
        let archived = try Self.list(router.portkey("?status=archived&page_size=100"))
        #expect(archived.names == (try Self.seedNames { $0["status"] as? String == "archived" }))
        #expect(archived.total == 15)
        #expect(try Self.list(router.portkey("?status=active")).total == 45)
        #expect(try Self.list(router.portkey("?status=active,archived")).total == 60)
        #expect(try Self.list(router.portkey("?status=active%2Carchived")).total == 60)
    }

    @Test func filtersCombineAndTotalCountsTheFilteredSet() throws {
        let expected = try Self.seedNames {
            ($0["name"] as! String).contains("Sandbox") && $0["status"] as? String == "active"
        }
        let list = try Self.list(try TestRouter().portkey("?name=Sandbox&status=active&page_size=1"))
        #expect(list.total == expected.count)
        #expect(list.names == Array(expected.prefix(1)))
    }

    @Test(arguments: [
        (
            "?status=deleted",
            #"Invalid value for status: must be active, archived or both, comma separated (got \"deleted\")"#
        ),
        ("?page_size=0", #"Invalid value for page_size: must be a positive integer (got \"0\")"#),
        ("?pageSize=abc", #"Invalid value for pageSize: must be a positive integer (got \"abc\")"#),
        (
            "?pageSize=None&currentPage=x",
            #"Invalid value for currentPage: must be an integer of 0 or more (got \"x\")"#
        ),
        ("?current_page=-1", #"Invalid value for current_page: must be an integer of 0 or more (got \"-1\")"#),
    ])
    func invalidParametersGet400WithAB01(query: String, message: String) throws {
        let response = try TestRouter().portkey(query)
        #expect(response.code == 400)
        #expect(response.headerLines == ["Content-Type: application/json"])
        #expect(response.text == #"{"success":false,"data":{"message":"\#(message)","errorCode":"AB01"}}"#)
    }

    @Test(arguments: [nil, "", "pk-unknown"])
    func missingEmptyOrUnknownKeyGets401(key: String?) throws {
        let response = try TestRouter().portkey("?page_size=0", key: key)
        #expect(response.code == 401)
        #expect(
            response.headerLines == [
                "Content-Type: application/json", #"WWW-Authenticate: x-portkey-api-key realm="Portkey""#,
            ])
        #expect(response.text == #"{"success":false,"data":{"message":"Unauthorised Request","errorCode":"AB05"}}"#)
    }

    @Test func workspaceKeyGets403() throws {
        let response = try TestRouter().portkey(key: DefaultKeys.portkeyWorkspace)
        #expect(response.code == 403)
        #expect(
            response.text
                == #"{"success":false,"data":{"message":"You do not have enough permissions to execute this request","errorCode":"AB03"}}"#
        )
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
    func preferCodeForcesPortkeyErrorBodies(prefer: String, status: Int, body: String) throws {
        let response = try TestRouter().portkey(headers: [("Prefer", prefer)])
        #expect(response.code == status)
        let challenge = status == 401 ? [#"WWW-Authenticate: x-portkey-api-key realm="Portkey""#] : []
        #expect(response.headerLines == ["Content-Type: application/json"] + challenge)
        #expect(response.text == body)
    }

    @Test func unknownHeadersLikeTheSDKsAreIgnored() throws {
        let headers = [
            ("x-portkey-package-version", "portkey-2.3.4"), ("x-portkey-runtime", "CPython"),
            ("x-portkey-strict-open-ai-compliance", "false"), ("User-Agent", "python-httpx/0.28.1"),
        ]
        let router = try TestRouter()
        let plain = router.portkey("?currentPage=0")
        let withSDKHeaders = router.portkey("?currentPage=0", headers: headers)
        #expect(withSDKHeaders.code == 200)
        #expect(withSDKHeaders.bytes == plain.bytes)
    }
}
