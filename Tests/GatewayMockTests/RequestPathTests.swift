import MockHTTP
import Testing

@testable import GatewayMock

/// Path matching in one place: split on `/` first, then percent-decode each segment.
@Suite struct RequestPathTests {
    @Test(arguments: [
        ("/api/v1/workspaces", ["api", "v1", "workspaces"]),
        ("/", [""]),
        ("/api/v1/workspaces/", ["api", "v1", "workspaces", ""]),
        ("/api//v1", ["api", "", "v1"]),
        ("/api/v1/%77orkspaces", ["api", "v1", "workspaces"]),
        ("/w/a%2Fb", ["w", "a/b"]),
        ("/w/100%25", ["w", "100%"]),
        ("/w/%G1%4", ["w", "%G1%4"]),
        ("/w/a+b", ["w", "a+b"]),
        ("/w/%C3%A9", ["w", "é"]),
        ("/w/%FF", ["w", "\u{FFFD}"]),
        ("*", []),
        ("", []),
    ])
    func segmentsAreSplitThenDecoded(path: String, segments: [String]) {
        #expect(RequestPath(path[...]).segments == segments)
    }

    @Test(arguments: [
        ("/api/v1/workspaces/abc", ["id": "abc"]),
        ("/api/v1/workspaces/a%2Fb", ["id": "a/b"]),
        ("/api/v1/%77orkspaces/x", ["id": "x"]),
    ])
    func parametersCaptureTheDecodedSegment(path: String, expected: [String: String]) throws {
        let parameters = try #require(PathPattern("/api/v1/workspaces/{id}").match(RequestPath(path[...])))
        #expect(parameters["id"] == expected["id"])
    }

    @Test(arguments: ["/api/v1/workspaces/", "/api/v1/workspaces", "/api/v1/workspaces/a/b", "/api/v2/workspaces/a"])
    func aPatternDoesNotMatchAnEmptyParameterOrOtherSegments(path: String) {
        #expect(PathPattern("/api/v1/workspaces/{id}").match(RequestPath(path[...])) == nil)
    }

    @Test func twoParametersAreCapturedByName() throws {
        let pattern = PathPattern("/v1/admin/workspaces/{workspaceId}/users/{userId}")
        let parameters = try #require(pattern.match(RequestPath("/v1/admin/workspaces/ws-1/users/u%202"[...])))
        #expect(parameters["workspaceId"] == "ws-1")
        #expect(parameters["userId"] == "u 2")
        #expect(parameters["other"] == nil)
    }
}
