import Foundation
import MockHTTP
import TestSupport
import Testing

/// Fault rules (`/__admin/faults`) and per-request `Prefer: delay=`/`fault=`, in the handler tier: what the
/// responder answers and how it asks the connection to deliver it (`delay`, `disposition`). What those do
/// on the wire is tested end-to-end (`FaultsOnTheWireTests`).
@Suite struct FaultRuleTests {
    @Test func timesTwoRuleFailsExactlyTwoRequestsThenNormalAnswersResume() throws {
        let router = try TestRouter()
        let created = router.admin("POST", "/__admin/faults", body: #"{"vendor":"openrouter","status":500,"times":2}"#)
        #expect(created.code == 201)
        #expect(created.headerLines == ["Content-Type: application/json"])
        #expect(
            created.text
                == #"{"id":1,"vendor":"openrouter","method":null,"path":null,"status":500,"times":2,"delay_ms":null,"fault":null}"#
        )
        #expect(router.portkey().code == 200, "another vendor's requests are not matched")
        let first = router.openRouter()
        #expect(first.code == 500)
        #expect(first.text == #"{"error":{"code":500,"message":"Internal Server Error"}}"#)
        #expect(
            router.admin("GET", "/__admin/faults").text
                == #"{"faults":[{"id":1,"vendor":"openrouter","method":null,"path":null,"status":500,"times":1,"delay_ms":null,"fault":null}]}"#
        )
        #expect(router.openRouter().code == 500)
        #expect(router.openRouter().code == 200)
        #expect(router.admin("GET", "/__admin/faults").text == #"{"faults":[]}"#)
    }

    @Test func rulesApplyOnlyAfterAuthenticationAndFirstAddedFirst() throws {
        let router = try TestRouter()
        _ = router.admin("POST", "/__admin/faults", body: #"{"vendor":"any","status":429,"times":1}"#)
        _ = router.admin("POST", "/__admin/faults", body: #"{"status":500,"times":1}"#)
        #expect(router.portkey(key: nil).code == 401, "an unauthenticated request does not use a rule")
        let limited = router.portkey()
        #expect(limited.code == 429)
        #expect(
            limited.text
                == #"{"success":false,"data":{"message":"Too many requests, please try again later","errorCode":"AB06"}}"#
        )
        #expect(router.openRouter().code == 500)
        #expect(router.openRouter().code == 200)
    }

    @Test func rulesCanBeListedAndDeletedByIDOrAll() throws {
        let router = try TestRouter()
        _ = router.admin("POST", "/__admin/faults", body: #"{"status":500}"#)
        _ = router.admin("POST", "/__admin/faults", body: #"{"fault":"empty_response","vendor":"portkey"}"#)
        #expect(
            router.admin("GET", "/__admin/faults").text
                == #"{"faults":[{"id":1,"vendor":"any","method":null,"path":null,"status":500,"times":null,"delay_ms":null,"fault":null},"#
                + #"{"id":2,"vendor":"portkey","method":null,"path":null,"status":null,"times":null,"delay_ms":null,"fault":"empty_response"}]}"#
        )
        #expect(router.admin("DELETE", "/__admin/faults/1").text == #"{"deleted":1}"#)
        let again = router.admin("DELETE", "/__admin/faults/1")
        #expect(again.code == 404)
        #expect(again.text == #"{"error":{"code":404,"message":"no fault rule 1 in namespace default"}}"#)
        #expect(router.openRouter().code == 200)
        let all = router.admin("DELETE", "/__admin/faults")
        #expect(all.code == 200)
        #expect(all.text == #"{"faults":[]}"#)
        let portkey = router.portkey()
        #expect(portkey.code == 200)
        #expect(portkey.disposition == .send)
    }

    @Test(arguments: [
        (#"{"status":418}"#, "status must be one of 400, 401, 403, 429, 500"),
        (#"{"vendor":"azure","status":500}"#, #"vendor must be \"openrouter\", \"portkey\" or \"any\""#),
        (#"{"times":0,"status":500}"#, "times must be 1 or more (leave it out for no limit)"),
        (#"{"vendor":"any"}"#, "a fault rule needs at least one of status, fault or delay_ms"),
        (#"{"fault":"explode"}"#, "fault must be one of connection_reset, empty_response, malformed_json"),
        (
            #"{"status":500,"fault":"empty_response"}"#,
            "status and fault cannot be combined: a fault replaces the response"
        ),
        (
            #"{"status":500,"time":2}"#,
            #"unknown field \"time\" (expected vendor, method, path, status, times, delay_ms, fault)"#
        ),
        (#"{"delay_ms":-5}"#, "delay_ms must be a number of milliseconds from 0 to 600000"),
        (#"[]"#, "a fault rule must be a JSON object, got an array"),
    ])
    func invalidRulesAreRefusedWith400(body: String, message: String) throws {
        let router = try TestRouter()
        let response = router.admin("POST", "/__admin/faults", body: body)
        #expect(response.code == 400)
        #expect(response.headerLines == ["Content-Type: application/json"])
        #expect(response.text == #"{"error":{"code":400,"message":"\#(message)"}}"#)
        #expect(router.admin("GET", "/__admin/faults").text == #"{"faults":[]}"#)
    }

    @Test func ruleAndPreferDelaysAnswerCorrectlyWithTheDelaySet() throws {
        let router = try TestRouter()
        _ = router.admin("POST", "/__admin/faults", body: #"{"vendor":"portkey","delay_ms":300,"times":1}"#)
        let delayed = router.portkey("?page_size=1")
        #expect(delayed.delay == .milliseconds(300))
        #expect(delayed.code == 200)
        #expect(delayed.disposition == .send)
        #expect(try Self.names(delayed) == ["Production"])
        let next = router.portkey("?page_size=1")
        #expect(next.delay == nil, "the rule was for one request")
        #expect(next.bytes == delayed.bytes)

        let preferred = router.openRouter(headers: [("Prefer", "delay=200")])
        #expect(preferred.code == 200)
        #expect(preferred.delay == .milliseconds(200))
        #expect(preferred.bytes == router.openRouter().bytes)
        #expect(router.openRouter(headers: [("Prefer", "delay=0")]).delay == nil)
    }

    @Test func preferDelayAlsoDelaysAForcedError() throws {
        let response = try TestRouter().portkey(headers: [("Prefer", "code=429, delay=150")])
        #expect(response.code == 429)
        #expect(response.delay == .milliseconds(150))
        #expect(
            response.text
                == #"{"success":false,"data":{"message":"Too many requests, please try again later","errorCode":"AB06"}}"#
        )
    }

    @Test func connectionResetRuleAsksTheConnectionToResetOnce() throws {
        let router = try TestRouter()
        _ = router.admin("POST", "/__admin/faults", body: #"{"fault":"connection_reset","times":1}"#)
        #expect(router.openRouter().disposition == .resetConnection)
        let after = router.openRouter()
        #expect(after.disposition == .send)
        #expect(after.code == 200)
    }

    @Test func emptyResponseAsksTheConnectionToCloseWithoutAnswering() throws {
        let router = try TestRouter()
        #expect(router.portkey(headers: [("Prefer", "fault=empty_response")]).disposition == .closeWithoutResponse)
        #expect(router.portkey().disposition == .send)
    }

    @Test func malformedJSONIsA200WithTruncatedBody() throws {
        let router = try TestRouter()
        let full = router.openRouter("?limit=3")
        let broken = router.openRouter("?limit=3", headers: [("Prefer", "fault=malformed_json")])
        #expect(broken.code == 200)
        #expect(broken.disposition == .send)
        #expect(broken.headerLines == ["Content-Type: application/json"])
        #expect(broken.bytes == Array(full.bytes.prefix(full.bytes.count / 2)))
        #expect(throws: (any Error).self) { try broken.json() }
    }

    @Test(arguments: [
        ("delay=abc", "delay must be a number of milliseconds from 0 to 600000"),
        ("fault=boom", "fault must be one of connection_reset, empty_response, malformed_json"),
    ])
    func invalidPreferValuesGet400(prefer: String, reason: String) throws {
        let response = try TestRouter().openRouter(headers: [("Prefer", prefer)])
        #expect(response.code == 400)
        #expect(response.delay == nil)
        #expect(
            response.text
                == #"{"error":{"code":400,"message":"Invalid request parameters","metadata":{"parameter":"Prefer","value":"\#(prefer)","reason":"\#(reason)"}}}"#
        )
    }

    @Test func preferCodeAndFaultTogetherGet400() throws {
        let response = try TestRouter().openRouter(headers: [("Prefer", "code=500, fault=empty_response")])
        #expect(response.code == 400)
        #expect(response.disposition == .send)
        #expect(
            response.text
                == #"{"error":{"code":400,"message":"Invalid request parameters","metadata":{"parameter":"Prefer","value":"code=500, fault=empty_response","reason":"code and fault cannot be combined: a fault replaces the response"}}}"#
        )
    }

    static func names(_ response: HTTPResponse) throws -> [String] {
        let body = try #require(try response.json() as? [String: Any])
        return (body["data"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
    }

    /// `GET /__admin/faults` shows `"fault":null` for a rule without one; posting the rule back works.
    @Test func aRuleReadBackFromTheListCanBePostedAgain() throws {
        let router = try TestRouter()
        _ = router.admin("POST", "/__admin/faults", body: #"{"vendor":"openrouter","status":500,"times":2}"#)
        let listed = router.admin("GET", "/__admin/faults")
        #expect(
            listed.text
                == #"{"faults":[{"id":1,"vendor":"openrouter","method":null,"path":null,"status":500,"times":2,"delay_ms":null,"fault":null}]}"#
        )
        let rule = String(listed.text.dropFirst(#"{"faults":["#.count).dropLast(2))
        let posted = router.admin("POST", "/__admin/faults", body: rule)
        #expect(posted.code == 201)
        #expect(
            posted.text
                == #"{"id":2,"vendor":"openrouter","method":null,"path":null,"status":500,"times":2,"delay_ms":null,"fault":null}"#
        )
    }

    /// RFC 7240 §2: a preference given more than once counts the first time; an empty value is refused.
    @Test(arguments: [
        ([("Prefer", "code=429, code=500")], 429), ([("Prefer", "code=429"), ("Prefer", "code=500")], 429),
        ([("Prefer", "code=")], 400), ([("Prefer", "fault=")], 400), ([("Prefer", "delay=")], 400),
    ])
    func preferTakesTheFirstOfARepeatedPreferenceAndRefusesEmptyValues(headers: [(String, String)], status: Int)
        throws
    {
        #expect(try TestRouter().openRouter(headers: headers).code == status)
    }
}
