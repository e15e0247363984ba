import MockHTTP
import Testing

@testable import GatewayMock

/// `Prefer` and fault rules are checked by one validation; each message names the field as the client
/// spelled it (`code`/`delay` in `Prefer`, `status`/`delay_ms` in a rule).
@Suite struct ForcedOutcomeTests {
    static func prefer(_ values: String...) throws(VendorError) -> ForcedOutcome {
        try ForcedOutcome(prefer: HTTPHeaders(values.map { ("Prefer", $0) }))
    }

    static func preferProblem(_ values: String...) -> ParameterProblem? {
        do {
            _ = try ForcedOutcome(prefer: HTTPHeaders(values.map { ("Prefer", $0) }))
            return nil
        } catch {
            guard case .badRequest(let problem) = error else { return nil }
            return problem
        }
    }

    @Test func preferReadsCodeDelayAndFaultAndIgnoresOtherPreferences() throws {
        #expect(try Self.prefer("code=429, delay=\"250\"") == ForcedOutcome(status: 429, delayMilliseconds: 250))
        #expect(try Self.prefer("respond-async", "fault=empty_response; x=y") == ForcedOutcome(fault: .emptyResponse))
        #expect(try Self.prefer("return=minimal").isEmpty)
    }

    @Test(arguments: [
        ("code=418", "code=418", "code must be one of 400, 401, 403, 429, 500"),
        ("code=abc", "code=abc", "code must be one of 400, 401, 403, 429, 500"),
        ("delay=600001", "delay=600001", "delay must be a number of milliseconds from 0 to 600000"),
        ("delay=-1", "delay=-1", "delay must be a number of milliseconds from 0 to 600000"),
        ("fault=timeout", "fault=timeout", "fault must be one of connection_reset, empty_response, malformed_json"),
        (
            "code=500, delay=5, fault=empty_response", "code=500, delay=5, fault=empty_response",
            "code and fault cannot be combined: a fault replaces the response"
        ),
    ])
    func preferMessagesNameThePreferSpelling(header: String, value: String, reason: String) {
        #expect(Self.preferProblem(header) == ParameterProblem(parameter: "Prefer", value: value, reason: reason))
    }

    @Test(arguments: [
        (FaultRule(status: 418), "status must be one of 400, 401, 403, 429, 500"),
        (FaultRule(delayMilliseconds: 600_001), "delay_ms must be a number of milliseconds from 0 to 600000"),
        (
            FaultRule(status: 500, fault: .emptyResponse),
            "status and fault cannot be combined: a fault replaces the response"
        ),
        (FaultRule(), "a fault rule needs at least one of status, fault or delay_ms"),
        (FaultRule(status: 500, times: 0), "times must be 1 or more (leave it out for no limit)"),
    ])
    func ruleMessagesNameTheRuleSpelling(rule: FaultRule, message: String) {
        #expect(throws: FaultRule.Invalid(description: message)) { try rule.validated() }
    }

    @Test func aRuleForcesWhatItSays() throws {
        let rule = try FaultRule(vendor: .portkey, status: 429, times: 2, delayMilliseconds: 10).validated()
        #expect(rule.outcome == ForcedOutcome(status: 429, delayMilliseconds: 10))
        #expect(rule.outcome.error == .rateLimited)
    }
}
