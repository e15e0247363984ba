import CLinuxShims
import Dispatch

#if canImport(Glibc)
    import Glibc
#endif

/// An epoll instance whose readiness events are served on one serial Dispatch queue: Dispatch watches the
/// epoll descriptor and wakes the queue, which then handles every ready connection inline, draining
/// epoll until it is empty.
///
/// With one Dispatch source per connection, every readiness event costs a hand-off from Dispatch's
/// event thread to a worker thread; here one wake-up serves a whole batch. On the 2-core benchmark machine
/// that cut the server's CPU per keep-alive request by about a third (context switches were 30% of samples).
///
/// `@unchecked Sendable`: `connections` and `events` are touched only on `queue`.
final class EventLoop: @unchecked Sendable {
    let queue: DispatchQueue
    private let epoll: Int32
    private var source: (any DispatchSourceRead)?
    /// Connections by descriptor number (descriptors are small and dense).
    private var connections: [HTTPConnection?] = []
    private let events: UnsafeMutablePointer<epoll_event>
    private static let batch: Int32 = 256

    init(label: String) throws(SocketError) {
        epoll = try systemCall("epoll_create1") { epoll_create1(Int32(EPOLL_CLOEXEC)) }
        queue = DispatchQueue(label: label)
        events = .allocate(capacity: Int(Self.batch))
        let source = DispatchSource.makeReadSource(fileDescriptor: epoll, queue: queue)
        source.setEventHandler { [unowned self] in drain() }
        self.source = source
        source.resume()
        let sweep = DispatchSource.makeTimerSource(queue: queue)
        sweep.schedule(deadline: .now() + Self.sweepInterval, repeating: Self.sweepInterval, leeway: .milliseconds(10))
        sweep.setEventHandler { [unowned self] in sweepDeadlines() }
        self.sweep = sweep
        sweep.resume()
    }

    /// How often the loop checks its connections' deadlines: one timer per loop instead of one per
    /// connection, so accepting and closing a connection costs no timer; timeouts fire up to this late.
    static let sweepInterval = DispatchTimeInterval.milliseconds(100)
    private var sweep: (any DispatchSourceTimer)?

    private func sweepDeadlines() {
        let now = DispatchTime.now()
        // Closing sets entries to nil but never resizes the table, so indices stay valid.
        for index in connections.indices {
            connections[index]?.checkDeadline(now: now)
        }
    }

    deinit {
        events.deallocate()
    }

    /// Starts delivering `descriptor`'s readiness to `connection` (on `queue`).
    func register(_ connection: HTTPConnection, descriptor: Int32) {
        dispatchPrecondition(condition: .onQueue(queue))
        let index = Int(descriptor)
        if index >= connections.count {
            connections += Array(repeating: nil, count: max(index + 1 - connections.count, connections.count))
        }
        connections[index] = connection
        control(EPOLL_CTL_ADD, descriptor, writable: false)
    }

    /// Asks for (or stops asking for) write readiness, while the connection has output the socket refused.
    func watchWritable(_ descriptor: Int32, _ writable: Bool) {
        control(EPOLL_CTL_MOD, descriptor, writable: writable)
    }

    /// Stops delivering events for `descriptor`; call before closing it.
    func deregister(_ descriptor: Int32) {
        dispatchPrecondition(condition: .onQueue(queue))
        _ = epoll_ctl(epoll, EPOLL_CTL_DEL, descriptor, nil)
        connections[Int(descriptor)] = nil
    }

    private func control(_ operation: Int32, _ descriptor: Int32, writable: Bool) {
        var event = epoll_event()
        event.events = EPOLLIN.rawValue | EPOLLRDHUP.rawValue | (writable ? EPOLLOUT.rawValue : 0)
        event.data.fd = descriptor
        _ = epoll_ctl(epoll, operation, descriptor, &event)
    }

    private func drain() {
        while true {
            let count = epoll_wait(epoll, events, Self.batch, 0)
            guard count > 0 else { return }
            for index in 0..<Int(count) {
                let event = events[index]
                let descriptor = Int(event.data.fd)
                guard descriptor < connections.count, let connection = connections[descriptor] else { continue }
                let flags = event.events
                connection.handleEvents(
                    readable: flags & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue)
                        != 0,
                    writable: flags & EPOLLOUT.rawValue != 0)
            }
            if count < Self.batch { return }
        }
    }

    /// Stops watching and closes the epoll descriptor once Dispatch no longer uses it.
    func close() {
        queue.async { [self] in
            guard let source else { return }
            self.source = nil
            sweep?.cancel()
            sweep = nil
            let epoll = self.epoll
            source.setCancelHandler { _ = closeDescriptor(epoll) }
            source.cancel()
        }
    }
}

/// The number of processors online, for the default number of event loops.
public func onlineProcessorCount() -> Int {
    max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
}
