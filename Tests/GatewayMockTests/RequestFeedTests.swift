import Foundation
import MockHTTP
import TestSupport
import Testing

@testable import GatewayMock

/// The 400 body for a bad `?status=` value.
private func badStatus(_ value: String) -> String {
    #"{"error":{"code":400,"message":"status must be a comma-separated list of status codes (404) and classes (4xx), e.g. 4xx,500; got \"\#(value)\""}}"#
}

/// `GET /__admin/requests/stream`, the live request feed, in the handler tier: the answer's head, and what
/// its stream is sent (read through `HTTPResponseStream(sink:)`), without a socket.
@Suite struct RequestFeedTests {
    @Test func eachJournaledRequestIsOneEventWithTheJournalEntrysJSON() throws {
        let router = try TestRouter()
        let (response, reader) = router.subscribe()
        #expect(response.code == 200)
        #expect(response.headerLines == ["Content-Type: text/event-stream", "Cache-Control: no-store"])
        #expect(response.bytes.isEmpty)
        #expect(reader.text.isEmpty, "nothing is sent before the first request")

        _ = router.openRouter("?limit=2")
        let first = router.lastJournaled()
        _ = router.portkey(key: "pk-wrong")
        let second = router.lastJournaled()
        #expect(reader.text == "id: 1\ndata: \(first)\n\nid: 2\ndata: \(second)\n\n")
        #expect(reader.chunks.count == 2, "one send per event")
        #expect(
            reader.text.hasPrefix("id: 1\ndata: {\"time\":\"")
                && first.contains(
                    #""namespace":"default","vendor":"openrouter","method":"GET","path":"/api/v1/workspaces","route":"GET /api/v1/workspaces","query":{"limit":["2"]},"headers":[{"name":"Host","value":"localhost"},{"name":"Authorization","value":"#
                ))
        #expect(!reader.text.contains(DefaultKeys.openRouterManagement), "credentials are masked as in the journal")
        #expect(!reader.text.contains("pk-wrong"))
        #expect(reader.ended == nil)
    }

    @Test func vendorAndStatusFilterLikeTheJournals() throws {
        let router = try TestRouter()
        let portkey = router.subscribe("?vendor=portkey").reader
        let clientErrors = router.subscribe("?status=4xx").reader
        let okOrMissing = router.subscribe("?vendor=openrouter&status=200,404").reader
        let any = router.subscribe("?vendor=any").reader
        _ = router.openRouter()  // 1: OpenRouter 200
        _ = router.openRouter(key: nil)  // 2: OpenRouter 401
        _ = router.portkey()  // 3: Portkey 200
        _ = router.openRouter("GET", "/workspaces/nope")  // 4: OpenRouter 404
        _ = router.portkey(key: "pk-wrong")  // 5: Portkey 401
        #expect(portkey.ids == [3, 5])
        #expect(clientErrors.ids == [2, 4, 5])
        #expect(okOrMissing.ids == [1, 4])
        #expect(any.ids == [1, 2, 3, 4, 5])
    }

    /// A bad filter value is the control plane's 400, on the feed as on the journal, before any stream.
    @Test(arguments: [
        ("?status=abc", badStatus("abc")), ("?status=600", badStatus("600")), ("?status=099", badStatus("099")),
        ("?status=", badStatus("")), ("?status=4xx,", badStatus("4xx,")), ("?status=40", badStatus("40")),
        ("?status=4x0", badStatus("4x0")), ("?status=%20404", badStatus(" 404")),
        ("?vendor=azure", #"{"error":{"code":400,"message":"vendor must be openrouter, portkey or any"}}"#),
    ])
    func aBadFilterIsA400BeforeTheStreamStarts(query: String, body: String) throws {
        let router = try TestRouter()
        let refused = router.request("/__admin/requests/stream" + query)
        #expect(refused.code == 400)
        #expect(refused.stream == nil)
        #expect(refused.headerLines == ["Content-Type: application/json"])
        #expect(refused.text == body)
        #expect(router.request("/__admin/requests" + query).text == body)
        #expect(router.state.requestFeed.isEmpty)
    }

    @Test func aBadNamespaceNameIsA400() throws {
        let router = try TestRouter()
        let refused = router.request("/__admin/requests/stream?namespace=a%20b")
        #expect(refused.code == 400)
        #expect(refused.stream == nil)
        #expect(
            refused.text
                == #"{"error":{"code":400,"message":"namespace \"a b\" is not 1 to 64 letters, digits, '.', '_' or '-'"}}"#
        )
    }

    @Test func theCallersNamespaceOrEveryNamespaceWithAStar() throws {
        let router = try TestRouter()
        let defaults = router.subscribe().reader
        let teamA = router.subscribe(headers: [("X-Mock-Namespace", "team-a")]).reader
        let teamAByQuery = router.subscribe("?namespace=team-a").reader
        let all = router.subscribe("?namespace=*").reader
        let allByHeader = router.subscribe(headers: [("X-Mock-Namespace", "*")]).reader
        _ = router.openRouter("GET", "/workspaces", namespace: "team-a")
        _ = router.openRouter()
        _ = router.portkey("GET", "/admin/workspaces", namespace: "team-b")
        #expect(defaults.ids == [2])
        #expect(teamA.ids == [1])
        #expect(teamAByQuery.ids == [1])
        #expect(all.ids == [1, 2, 3])
        #expect(allByHeader.text == all.text)
        #expect(
            all.text.components(separatedBy: #""namespace":""#).dropFirst().map { $0.prefix(6) } == [
                "team-a", "defaul", "team-b",
            ])
    }

    @Test func subscribingNeverCreatesTheNamespaceAndEventsArriveOnceItIsUsed() throws {
        let router = try TestRouter(maxNamespaces: 1)
        let later = router.subscribe("?namespace=later").reader
        let other = router.subscribe("?namespace=other").reader
        #expect(router.state.namespaceCount == 0)
        #expect(
            router.admin("GET", "/__admin/namespaces").text
                == #"{"namespaces":[{"name":"default","requests":0,"journal":0}]}"#)
        _ = router.openRouter("GET", "/workspaces?limit=1", namespace: "later")
        #expect(later.ids == [1])
        #expect(other.ids.isEmpty)
        #expect(router.state.namespaceCount == 1)
    }

    /// A miss never creates a namespace: it is journaled, and so fed, in the default namespace.
    @Test func aMissNamingANamespaceThatDoesNotExistIsInTheDefaultNamespacesFeed() throws {
        let router = try TestRouter()
        let defaults = router.subscribe().reader
        let ghost = router.subscribe("?namespace=ghost").reader
        _ = router.openRouter("GET", "/nothing", namespace: "ghost")
        #expect(defaults.ids == [1])
        #expect(
            defaults.text.contains(
                #""namespace":"ghost","vendor":"openrouter","method":"GET","path":"/api/v1/nothing","route":null"#))
        #expect(ghost.ids.isEmpty)
    }

    @Test func aStreamOpenDuringAResetOfEveryNamespaceKeepsWorking() throws {
        let router = try TestRouter()
        let teamA = router.subscribe("?namespace=team-a").reader
        let all = router.subscribe("?namespace=*").reader
        _ = router.openRouter("GET", "/workspaces", namespace: "team-a")
        let reset = router.admin("POST", "/__admin/reset?namespace=*")
        #expect(reset.code == 200)
        #expect(router.state.namespaceCount == 0)
        _ = router.openRouter("GET", "/workspaces", namespace: "team-a")
        _ = router.openRouter()
        #expect(teamA.ids == [1, 2])
        #expect(all.ids == [1, 2, 3])
        #expect(teamA.ended == nil && all.ended == nil)
        #expect(router.state.requestFeed.subscriberCount == 2)
    }

    @Test(arguments: [
        HTTPResponseStream.Termination.clientGone, .overflow, .serverStopping, .finished,
    ])
    func aSubscriberLeavesWhenItsStreamEnds(reason: HTTPResponseStream.Termination) throws {
        let router = try TestRouter()
        let reader = router.subscribe("?namespace=*&vendor=openrouter").reader
        #expect(router.state.requestFeed.subscriberCount == 1)
        reader.stream.terminate(reason)
        #expect(router.state.requestFeed.isEmpty)
        _ = router.openRouter()
        router.state.requestFeed.sendHeartbeat()
        #expect(reader.text.isEmpty)
    }

    /// A client gone before its stream started (the connection hands over an ended stream) is not kept.
    @Test func aStreamThatEndedBeforeItStartedIsNotKept() throws {
        let router = try TestRouter()
        let response = router.request("/__admin/requests/stream")
        let reader = FeedReader()
        reader.stream.terminate(.clientGone)
        response.stream?(reader.stream)
        #expect(router.state.requestFeed.isEmpty)
    }

    @Test func tenThousandSubscriptionsThatEndLeaveTheRegistryEmpty() throws {
        let router = try TestRouter()
        for round in 0..<10 {
            let readers = (0..<1000).map { index in
                router.subscribe(index % 3 == 0 ? "?namespace=*" : "?namespace=ns-\(index % 97)&status=2xx").reader
            }
            #expect(router.state.requestFeed.subscriberCount == 1000)
            _ = router.openRouter("GET", "/workspaces", namespace: "ns-\(round)")
            for reader in readers { reader.stream.terminate(.clientGone) }
        }
        #expect(router.state.requestFeed.isEmpty)
    }

    @Test func anEventIsEncodedOnceWhateverTheNumberOfSubscribers() throws {
        let router = try TestRouter()
        let readers = [
            router.subscribe().reader, router.subscribe("?namespace=*").reader,
            router.subscribe("?vendor=openrouter&status=2xx").reader,
        ]
        _ = router.openRouter()
        let buffers = readers.map { reader in
            reader.chunks.first?.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
        }
        #expect(buffers[0] != nil)
        #expect(Set(buffers).count == 1, "the three streams were sent one and the same array")
    }

    /// The heartbeat's tick, forced: a comment to every subscriber, whatever it follows.
    @Test func aHeartbeatIsACommentToEverySubscriber() throws {
        let router = try TestRouter()
        let readers = [
            router.subscribe().reader, router.subscribe("?namespace=*").reader,
            router.subscribe("?namespace=quiet&status=5xx").reader,
        ]
        router.state.requestFeed.sendHeartbeat()
        #expect(readers.map(\.text) == Array(repeating: ": heartbeat\n\n", count: 3))
    }

    /// One timer for every subscriber, every 15 s, only while there are subscribers (the timer injected).
    @Test func oneHeartbeatTimerServesEverySubscriberWhileThereAreAny() throws {
        let timers = Locked<[(delay: Duration, work: @Sendable () -> Void)]>([])
        let feed = RequestFeed(schedule: { delay, work in timers.withLock { $0.append((delay, work)) } })
        let fire = { (index: Int) in timers.withLock { $0[index].work }() }
        let readers = (0..<3).map { _ in FeedReader() }
        for (index, reader) in readers.enumerated() {
            #expect(feed.subscribe(reader.stream, namespace: index == 0 ? "*" : "ns-\(index)", filter: .all))
        }
        #expect(timers.withLock { $0.map(\.delay) } == [.seconds(15)])

        fire(0)
        #expect(readers.map(\.text) == Array(repeating: ": heartbeat\n\n", count: 3))
        #expect(timers.withLock { $0.count } == 2, "the next tick")

        for reader in readers { reader.stream.terminate(.clientGone) }
        fire(1)
        #expect(timers.withLock { $0.count } == 2, "no subscriber: the timer stops")

        let late = FeedReader()
        #expect(feed.subscribe(late.stream, namespace: "default", filter: .all))
        #expect(timers.withLock { $0.count } == 3, "a new subscriber sets it again")
        fire(2)
        #expect(late.text == ": heartbeat\n\n")
    }

    @Test func pastTheSubscriberLimitA503() throws {
        let router = try TestRouter()
        let limit = RequestFeed.maxSubscribers
        let readers = (0..<limit).map { _ in router.subscribe("?namespace=*").reader }
        #expect(router.state.requestFeed.subscriberCount == limit)
        let refused = router.request("/__admin/requests/stream")
        #expect(refused.code == 503)
        #expect(refused.stream == nil)
        #expect(
            refused.text
                == #"{"error":{"code":503,"message":"the request feed has 1024 subscribers, its limit: close one to subscribe"}}"#
        )

        readers[0].stream.terminate(.clientGone)
        let admitted = router.request("/__admin/requests/stream")
        #expect(admitted.code == 200)
        // Taken meanwhile: the stream it answered with ends at once, empty.
        #expect(router.state.requestFeed.subscribe(FeedReader().stream, namespace: "x", filter: .all))
        let late = FeedReader()
        admitted.stream?(late.stream)
        #expect(late.ended == .finished)
        #expect(late.text.isEmpty)
        #expect(router.state.requestFeed.subscriberCount == limit)
    }
}

/// `GET /__admin/namespaces`.
@Suite struct NamespaceListTests {
    @Test func everyNamespaceDefaultFirstThenByNameWithItsCounts() throws {
        let router = try TestRouter(journalSize: 2)
        for _ in 0..<3 { _ = router.openRouter("GET", "/workspaces", namespace: "zeta") }
        _ = router.portkey("GET", "/admin/workspaces", namespace: "beta")
        _ = router.openRouter("GET", "/workspaces", key: "sk-or-v1-wrong", namespace: "Alpha")
        _ = router.admin("GET", "/__admin/health", namespace: "empty")
        _ = router.openRouter()
        let list = router.admin("GET", "/__admin/namespaces")
        #expect(list.code == 200)
        #expect(list.headerLines == ["Content-Type: application/json"])
        #expect(
            list.text
                == #"{"namespaces":[{"name":"default","requests":1,"journal":1},{"name":"Alpha","requests":1,"journal":1},{"name":"beta","requests":1,"journal":1},{"name":"empty","requests":0,"journal":0},{"name":"zeta","requests":3,"journal":2}]}"#
        )

        _ = router.admin("DELETE", "/__admin/requests", namespace: "zeta")
        #expect(router.admin("GET", "/__admin/namespaces").text.contains(#"{"name":"zeta","requests":3,"journal":0}"#))
        _ = router.admin("POST", "/__admin/reset", namespace: "zeta")
        #expect(router.admin("GET", "/__admin/namespaces").text.contains(#"{"name":"zeta","requests":0,"journal":0}"#))
        _ = router.admin("POST", "/__admin/reset?namespace=*")
        #expect(
            router.admin("GET", "/__admin/namespaces").text
                == #"{"namespaces":[{"name":"default","requests":0,"journal":0}]}"#)
    }

    /// `requests` counts what the journals' byte budget dropped, and what a journal of size 0 never kept.
    @Test(arguments: [(1000, 0), (0, 1 << 20)])
    func requestsCountWhatTheJournalDoesNotKeep(journalSize: Int, journalBytes: Int) throws {
        let router = try TestRouter(journalSize: journalSize, journalBytes: journalBytes)
        for _ in 0..<4 { _ = router.openRouter() }
        #expect(
            router.admin("GET", "/__admin/namespaces").text
                == #"{"namespaces":[{"name":"default","requests":4,"journal":0}]}"#)
    }

    @Test func listingNeverCreatesANamespace() throws {
        let router = try TestRouter()
        _ = router.admin("GET", "/__admin/namespaces", namespace: "new")
        _ = router.request("/__admin/namespaces?namespace=other")
        #expect(router.state.namespaceCount == 0)
    }
}
