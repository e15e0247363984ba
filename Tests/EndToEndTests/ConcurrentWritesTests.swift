import Foundation
import GatewayMock
import TestSupport
import Testing

/// Writes from many connections at once, on several event loops: none is lost, no two workspaces get
/// one slug, and every answered write is seen by the next request on any connection.
@Suite(.onOwnThread) struct ConcurrentWritesTests {
    static let key = "Authorization: Bearer \(DefaultKeys.openRouterManagement)\r\n"

    static func create(slug: String) -> String {
        let body = #"{"name":"\#(slug)","slug":"\#(slug)"}"#
        return "POST /api/v1/workspaces HTTP/1.1\r\nHost: x\r\n\(key)Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
    }

    /// Runs `body(thread)` on `count` threads at once and waits for all of them.
    static func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) throws -> Void) throws {
        let failures = NSLock()
        nonisolated(unsafe) var errors: [any Error] = []
        let group = DispatchGroup()
        for thread in 0..<count {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                do { try body(thread) } catch {
                    failures.lock()
                    errors.append(error)
                    failures.unlock()
                }
            }
        }
        group.wait()
        if let first = errors.first { throw first }
    }

    @Test func threadsTimesCreatesAreAllKeptWithDistinctIDs() async throws {
        try await withTestServer(threads: 2) { mock throws in
            let threads = 8
            let creates = 25
            let statuses = NSLock()
            nonisolated(unsafe) var created: [String] = []
            try Self.onThreads(threads) { thread in
                let client = try RawHTTPClient(port: mock.port)
                for index in 0..<creates {
                    try client.send(Self.create(slug: "t\(thread)-n\(index)"))
                    let response = try client.readResponse()
                    guard response.status == 201,
                        let id = ((try response.json() as? [String: Any])?["data"] as? [String: Any])?["id"] as? String
                    else {
                        throw RawHTTPClient.Failure(description: "create answered \(response.status): \(response.text)")
                    }
                    // Visible on another connection as soon as it is answered.
                    guard
                        try mock.request(
                            "/api/v1/workspaces/\(id)",
                            headers: ["Authorization": "Bearer \(DefaultKeys.openRouterManagement)"]
                        ).status == 200
                    else { throw RawHTTPClient.Failure(description: "\(id) not visible after its 201") }
                    statuses.lock()
                    created.append(id)
                    statuses.unlock()
                }
            }
            #expect(created.count == threads * creates)
            #expect(Set(created).count == threads * creates)
            let list = try #require(try mock.openRouter("?offset=0&limit=1").json() as? [String: Any])
            #expect(list["total_count"] as? Int == 120 + threads * creates)
        }
    }

    @Test func oneSlugRacedFromManyConnectionsIsCreatedOnce() async throws {
        try await withTestServer(threads: 2) { mock throws in
            let lock = NSLock()
            nonisolated(unsafe) var statuses: [Int] = []
            try Self.onThreads(8) { _ in
                let client = try RawHTTPClient(port: mock.port)
                try client.send(Self.create(slug: "contested"))
                let status = try client.readResponse().status
                lock.lock()
                statuses.append(status)
                lock.unlock()
            }
            #expect(statuses.sorted() == [201] + Array(repeating: 400, count: 7))
            let list = try #require(try mock.openRouter("?offset=120").json() as? [String: Any])
            #expect((list["data"] as? [[String: Any]])?.map { $0["slug"] as? String } == ["contested"])
        }
    }
}
