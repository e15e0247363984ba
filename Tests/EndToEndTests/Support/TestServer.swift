import Foundation
import GatewayMock
import Logging
import TestSupport
import Testing

/// A logger that drops everything, so test output stays readable.
let quietLogger = Logger(label: "gateway-mock-tests") { _ in SwiftLogNoOpLogHandler() }

/// Starts a mock on a free port, runs `body` on a thread of its own (see `withOwnThread`), and always stops
/// the mock. It serves with `threads` event loops whatever `configuration.threads` says: one, unless the
/// test is about threads and asks for more.
func withTestServer<T>(
    _ configuration: GatewayMock.Configuration = .init(), threads: Int = 1,
    _ body: (GatewayMock) async throws -> T
) async throws -> T {
    var configuration = configuration
    configuration.threads = threads
    let mock = try GatewayMock.start(configuration, logger: quietLogger)
    defer { mock.stop() }
    return try await withOwnThread { try await body(mock) }
}

/// Runs `body` on threads of its own rather than on Swift concurrency's cooperative pool, which has one
/// thread per core (two on a small CI machine). These tests block: on sockets, in `usleep`, waiting for
/// a child process. On the pool, a blocked test holds one of its few threads, every other test waits for
/// it, and the whole run takes about as long as the sum of its sleeps divided by the number of cores
/// (a finished test even waits for a free thread to report that it passed, so Swift Testing's time for
/// it includes everyone else's). The body stays in its task, so `#expect` still knows its test.
func withOwnThread<T>(_ body: () async throws -> T) async throws -> T {
    try await withTaskExecutorPreference(ThreadPerJobExecutor.shared) { try await body() }
}

/// `@Suite(.onOwnThread)`: every test of the suite runs as if wrapped in `withOwnThread`.
struct OnOwnThreadTrait: SuiteTrait, TestTrait, TestScoping {
    var isRecursive: Bool { true }

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        guard testCase != nil else { return try await function() }  // the suite itself: nothing to move
        try await withOwnThread(function)
    }
}

extension Trait where Self == OnOwnThreadTrait {
    static var onOwnThread: Self { Self() }
}

/// A task executor that runs each job (a task's code up to its next suspension) on a new thread. Test
/// bodies rarely suspend, so this is about one thread per test; blocking it disturbs no one.
final class ThreadPerJobExecutor: TaskExecutor {
    static let shared = ThreadPerJobExecutor()

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        Thread { job.runSynchronously(on: executor) }.start()
    }
}

extension GatewayMock {
    /// Sends one GET (or another method) on a fresh connection and reads the response.
    func request(
        _ target: String, method: String = "GET", headers: [String: String] = [:], body: String? = nil
    ) throws -> RawResponse {
        let client = try RawHTTPClient(port: port)
        var request = "\(method) \(target) HTTP/1.1\r\nHost: localhost\r\n"
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { request += "\(name): \(value)\r\n" }
        if let body { request += "Content-Length: \(body.utf8.count)\r\n" }
        request += "\r\n" + (body ?? "")
        try client.send(request)
        return try client.readResponse(bodyless: method == "HEAD")
    }

    /// A control-plane call, optionally in a namespace.
    func admin(_ method: String, _ path: String, body: String? = nil, namespace: String? = nil) throws -> RawResponse {
        try request(path, method: method, headers: namespace.map { ["X-Mock-Namespace": $0] } ?? [:], body: body)
    }

    func openRouter(
        _ query: String = "", key: String? = DefaultKeys.openRouterManagement, headers: [String: String] = [:]
    )
        throws -> RawResponse
    {
        var headers = headers
        if let key { headers["Authorization"] = "Bearer \(key)" }
        return try request("/api/v1/workspaces" + query, headers: headers)
    }

    func portkey(_ query: String = "", key: String? = DefaultKeys.portkeyAdmin, headers: [String: String] = [:])
        throws -> RawResponse
    {
        var headers = headers
        if let key { headers["x-portkey-api-key"] = key }
        return try request("/v1/admin/workspaces" + query, headers: headers)
    }
}
