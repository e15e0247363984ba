import Foundation
import MockHTTP
import TestSupport
import Testing

@testable import GatewayMock

/// The one byte budget of all journals (`--journal-bytes`): past it the oldest entries go, whichever
/// namespace they are in, and clearing or resetting a namespace gives its bytes back.
@Suite struct JournalBudgetTests {
    /// `GET /api/v1/workspaces?limit=<digit>` in `namespace`: every such request costs the same.
    static func list(_ router: TestRouter, _ namespace: String, _ digit: Int) {
        #expect(router.openRouter("?limit=\(digit)", headers: [("X-Mock-Namespace", namespace)]).code == 200)
    }

    /// The `limit` of each request in `namespace`'s journal, oldest first.
    static func limits(_ router: TestRouter, _ namespace: String) throws -> [String] {
        try JournalTests.entries(router.admin("GET", "/__admin/requests", namespace: namespace)).map {
            ($0["query"] as? [String: [String]])?["limit"]?.first ?? "?"
        }
    }

    /// What one `list` request costs, measured on a router of its own.
    static func costOfOneListRequest() throws -> Int {
        let probe = try TestRouter()
        list(probe, "ns-a", 9)
        return probe.state.journals.usedBytes
    }

    @Test func theBudgetDropsTheOldestEntriesAcrossNamespacesFirst() throws {
        let cost = try Self.costOfOneListRequest()
        let router = try TestRouter(journalBytes: 3 * cost + cost / 2)
        Self.list(router, "ns-a", 1)
        Self.list(router, "ns-b", 2)
        Self.list(router, "ns-a", 3)
        #expect(router.state.journals.usedBytes == 3 * cost)
        Self.list(router, "ns-b", 4)
        #expect(try Self.limits(router, "ns-a") == ["3"], "ns-a's 1 was the oldest of all")
        #expect(try Self.limits(router, "ns-b") == ["2", "4"])
        Self.list(router, "ns-b", 5)
        #expect(try Self.limits(router, "ns-a") == ["3"])
        #expect(try Self.limits(router, "ns-b") == ["4", "5"], "then ns-b's 2")
        Self.list(router, "ns-b", 6)
        #expect(try Self.limits(router, "ns-a") == [], "then ns-a's 3, though ns-b is the one recording")
        #expect(try Self.limits(router, "ns-b") == ["4", "5", "6"])
        #expect(router.state.journals.usedBytes == 3 * cost)
    }

    @Test func clearingAndResettingNamespacesReleaseTheirBytes() throws {
        let cost = try Self.costOfOneListRequest()
        let router = try TestRouter(journalBytes: 3 * cost)
        for digit in 1...2 { Self.list(router, "ns-a", digit) }
        Self.list(router, "ns-b", 3)
        #expect(router.admin("DELETE", "/__admin/requests", namespace: "ns-a").code == 200)
        #expect(router.state.journals.usedBytes == cost)
        for digit in 4...5 { Self.list(router, "ns-a", digit) }
        #expect(try Self.limits(router, "ns-b") == ["3"], "the cleared entries made room: nothing else went")

        #expect(router.admin("POST", "/__admin/reset", namespace: "ns-b").code == 200)
        #expect(router.state.journals.usedBytes == 2 * cost)
        #expect(router.admin("POST", "/__admin/reset?namespace=*").code == 200)
        #expect(router.state.journals.usedBytes == 0)
        #expect(try Self.limits(router, "ns-a") == [])
    }

    /// The per-namespace entry cap (`--journal-size`) still applies within the budget, and its evictions
    /// give their bytes back.
    @Test func thePerNamespaceCapStillAppliesAndReleasesBytes() throws {
        let cost = try Self.costOfOneListRequest()
        let router = try TestRouter(journalSize: 2, journalBytes: 100 * cost)
        for digit in 1...5 { Self.list(router, "ns-a", digit) }
        Self.list(router, "ns-b", 6)
        #expect(try Self.limits(router, "ns-a") == ["4", "5"])
        #expect(router.state.journals.usedBytes == 3 * cost)
    }

    /// An entry that alone costs more than the budget keeps only the part of its body that fits, marked
    /// truncated (everything older goes); one whose head alone does not fit is not kept, and evicts nothing.
    @Test func anEntryLargerThanTheBudgetKeepsWhatFitsOfItsBodyOrNothing() throws {
        let post = HTTPRequest.make(
            method: "POST", target: "/api/v1/workspaces",
            headers: [("Authorization", "Bearer \(DefaultKeys.openRouterManagement)")],
            body: String(repeating: "z", count: 1000))
        let head =
            JournalEntry(
                request: post, keys: APIKeys(), namespace: "default", vendor: .openrouter, route: nil, status: 200,
                fault: nil, forced: false
            ).cost - JournalEntry.bodyCost(1000)
        let router = try TestRouter(journalBytes: head + JournalEntry.bodyCost(100), vendors: [WorkspaceWritesVendor()])
        _ = router.respond(.make(target: "/api/v1/workspaces", headers: [("Authorization", "Bearer x")]))
        #expect(router.respond(post).code == 200)
        let entries = try JournalTests.entries(router.admin("GET", "/__admin/requests"))
        #expect(entries.count == 1)
        #expect(entries.first?["body"] as? String == String(repeating: "z", count: 100))
        #expect(entries.first?["body_truncated"] as? Bool == true)
        #expect(router.state.journals.usedBytes == head + JournalEntry.bodyCost(100))

        let huge = HTTPRequest.make(
            target: "/api/v1/workspaces", headers: [("X-Padding", String(repeating: "p", count: 2 * head))])
        #expect(router.respond(huge).code == 401)
        #expect(try JournalTests.entries(router.admin("GET", "/__admin/requests")).count == 1)
    }

    @Test func aBudgetOfZeroKeepsNoJournal() throws {
        let router = try TestRouter(journalBytes: 0)
        Self.list(router, "ns-a", 1)
        #expect(try Self.limits(router, "ns-a") == [])
        #expect(router.state.journals.usedBytes == 0)
    }

    /// A namespace dropped by `reset?namespace=*` while one of its requests is still running: what that
    /// request records is released when the last reference to the namespace goes, and never shows up in
    /// a new namespace of the same name.
    @Test func aDroppedNamespaceReleasesItsJournalWhenItGoes() throws {
        let state = MockState(store: try SeedStore.load(from: .embedded))
        var running: Namespace? = try state.namespace("gone")
        state.resetAll()
        running?.record(
            JournalEntry(
                request: .make(target: "/api/v1/workspaces"), keys: APIKeys(), namespace: "gone", vendor: .openrouter,
                route: "GET /api/v1/workspaces", status: 200, fault: nil,
                forced: false))
        #expect(state.journals.usedBytes > 0)
        #expect(try state.namespace("gone").journal().isEmpty)
        running = nil
        #expect(state.journals.usedBytes == 0)
    }
}
