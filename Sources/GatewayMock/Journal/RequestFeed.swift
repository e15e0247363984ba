import Dispatch
import MockHTTP
import Synchronization

/// The live request feed behind `GET /__admin/requests/stream`: each request a namespace's journal
/// records, handed at once to the streams subscribed to that namespace or to every namespace, as one
/// Server-Sent Event (WHATWG HTML §9.2, "Server-sent events"):
///
/// ```
/// id: 42
/// data: {"time":"2026-11-30T10:15:02.113Z","namespace":"default","vendor":"openrouter",…}
///
/// ```
/// `id` numbers the requests recorded in any namespace since the server started (1 first), so one
/// subscriber sees increasing ids with gaps; `data` is the entry's journal JSON (`JournalEntry.jsonValue`:
/// credentials masked as in `GET /__admin/requests`), on one line (JSON text escapes line breaks). The
/// event has no `event:` field: there is one kind, and a browser's `EventSource` hands it to `onmessage`.
///
/// - Subscriptions are by namespace name, so subscribing never creates a namespace, a namespace made
///   later is followed from its first request, and `POST /__admin/reset?namespace=*` (which drops the
///   namespaces and makes them again on their next use) does not end or disturb a stream.
/// - An event is encoded once, whatever the number of subscribers (they share one byte array), and only
///   when some subscriber wants it. Events are handed out under one lock, so every subscriber gets them in
///   `id` order; a stream's `send` never blocks (it queues for the connection's loop, bounded at 64 KiB),
///   so a slow or stalled subscriber delays no one: it is closed when it falls that far behind.
/// - A comment line, `: heartbeat`, goes to every subscriber every 15 s (so that clients and proxies that
///   time out silent connections keep the stream): one timer for all subscribers, running only while
///   there are some.
/// - At most `maxSubscribers` at once. A subscriber is removed when its stream ends, however it ends
///   (the client left, fell behind, the server stopped).
final class RequestFeed: Sendable {
    /// The subscription name that follows every namespace (`?namespace=*`).
    static let everyNamespace = "*"
    /// Subscribers at once, all namespaces together: 1024. Each costs a connection (and its descriptor)
    /// and a share of every event's fan-out; past it a subscription gets 503.
    static let maxSubscribers = 1024
    static let heartbeatInterval = Duration.seconds(15)
    /// The bytes of a heartbeat: an SSE comment line and the blank line that ends it.
    static let heartbeat: [UInt8] = Array(": heartbeat\n\n".utf8)

    /// Runs work once after a delay, on some thread: the heartbeat's timer.
    typealias Scheduler = @Sendable (Duration, @escaping @Sendable () -> Void) -> Void

    private let schedule: Scheduler
    private let registry = Locked(Registry())
    /// The last `id` given. Held while an event or a heartbeat is handed to the streams, so that they are
    /// handed out one at a time, in order. Taken before `registry`, never the other way round: a stream
    /// that ends while it is handed something (its loop stopped) leaves through `registry` alone.
    private let delivery = Locked<UInt64>(0)

    private struct Subscriber: Sendable {
        let filter: JournalFilter
        let stream: HTTPResponseStream
    }

    /// How many streams are subscribed: changed under `registry`'s lock, read without it too, so that
    /// publishing with no subscriber (every request, most of the time) takes no second lock.
    private let count = Atomic<Int>(0)

    private struct Registry {
        /// By the namespace name followed (`everyNamespace` for all), then by subscription id; a name
        /// with no subscriber left is removed.
        var subscribers: [String: [Int: Subscriber]] = [:]
        var nextID = 0
        /// The heartbeat timer is set (it is while there are subscribers).
        var heartbeatScheduled = false
    }

    /// - Parameter schedule: runs the heartbeat timer (Dispatch's global queue); tests give their own.
    init(schedule: @escaping Scheduler = RequestFeed.dispatchAfter) {
        self.schedule = schedule
    }

    /// `work` after `delay`, on Dispatch's global queue.
    static let dispatchAfter: Scheduler = { delay, work in
        DispatchQueue.global().asyncAfter(
            deadline: .now() + .milliseconds(Int(delay / .milliseconds(1))), execute: work)
    }

    // MARK: - Subscribers

    /// How many streams are subscribed now.
    var subscriberCount: Int { count.load(ordering: .acquiring) }

    /// No subscriber, and nothing kept for one.
    var isEmpty: Bool { registry.withLock { $0.subscribers.isEmpty && count.load(ordering: .acquiring) == 0 } }

    /// Whether `maxSubscribers` streams are subscribed.
    var isFull: Bool { subscriberCount >= Self.maxSubscribers }

    /// Subscribes `stream` to the requests recorded in the namespace named `namespace` (`everyNamespace`:
    /// in all of them) that `filter` matches, until the stream ends (it takes the stream's
    /// `onTermination`). False, leaving the stream alone, when `maxSubscribers` are subscribed already.
    func subscribe(_ stream: HTTPResponseStream, namespace: String, filter: JournalFilter) -> Bool {
        let added = registry.withLock { registry -> (id: Int, startsTimer: Bool)? in
            guard count.load(ordering: .acquiring) < Self.maxSubscribers else { return nil }
            let id = registry.nextID
            registry.nextID += 1
            registry.subscribers[namespace, default: [:]][id] = Subscriber(filter: filter, stream: stream)
            count.add(1, ordering: .releasing)
            defer { registry.heartbeatScheduled = true }
            return (id, !registry.heartbeatScheduled)
        }
        guard let added else { return false }
        // Set after joining: a stream that has ended already calls this at once, and leaves.
        stream.onTermination = { [weak self] _ in self?.unsubscribe(added.id, from: namespace) }
        if added.startsTimer { scheduleHeartbeat() }
        return true
    }

    private func unsubscribe(_ id: Int, from namespace: String) {
        registry.withLock { registry in
            guard registry.subscribers[namespace]?.removeValue(forKey: id) != nil else { return }
            count.subtract(1, ordering: .releasing)
            if registry.subscribers[namespace]?.isEmpty == true { registry.subscribers[namespace] = nil }
        }
    }

    // MARK: - Events

    /// Hands `entry`, just recorded in the journal of the namespace named `namespace`, to the subscribers
    /// of that namespace and of every namespace (`*`) whose filter matches it. Called for every journaled
    /// request: with no subscriber it only numbers it.
    func publish(_ entry: JournalEntry, in namespace: String) {
        delivery.withLock { lastID in
            lastID += 1
            guard count.load(ordering: .acquiring) > 0 else { return }
            let streams = registry.withLock { registry -> [HTTPResponseStream] in
                var streams: [HTTPResponseStream] = []
                for name in [namespace, Self.everyNamespace] {
                    guard let followers = registry.subscribers[name] else { continue }
                    for subscriber in followers.values where subscriber.filter.matches(entry) {
                        streams.append(subscriber.stream)
                    }
                }
                return streams
            }
            guard !streams.isEmpty else { return }
            let event = Self.event(id: lastID, data: entry.jsonValue.encoded)
            for stream in streams { stream.send(event) }
        }
    }

    /// One event's bytes: `id: <id>`, `data: <data>`, a blank line.
    static func event(id: UInt64, data: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(data.utf8.count + 32)
        bytes.append(contentsOf: "id: ".utf8)
        bytes.append(contentsOf: String(id).utf8)
        bytes.append(contentsOf: "\ndata: ".utf8)
        bytes.append(contentsOf: data.utf8)
        bytes.append(contentsOf: "\n\n".utf8)
        return bytes
    }

    // MARK: - Heartbeat

    /// Sends `heartbeat` to every subscriber now: what the timer does every `heartbeatInterval`.
    func sendHeartbeat() {
        delivery.withLock { _ in
            let streams = registry.withLock { registry in
                registry.subscribers.values.flatMap { $0.values.map(\.stream) }
            }
            for stream in streams { stream.send(Self.heartbeat) }
        }
    }

    private func scheduleHeartbeat() {
        schedule(Self.heartbeatInterval) { [weak self] in self?.heartbeatTimerFired() }
    }

    /// The timer: a heartbeat and the next timer while there are subscribers; else the timer stops (the
    /// next subscriber sets it again).
    private func heartbeatTimerFired() {
        let subscribed = registry.withLock { registry in
            let subscribed = count.load(ordering: .acquiring) > 0
            if !subscribed { registry.heartbeatScheduled = false }
            return subscribed
        }
        guard subscribed else { return }
        sendHeartbeat()
        scheduleHeartbeat()
    }
}
