import CLinuxShims
import Dispatch
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// An epoll instance and everything registered with it, run by one long-lived work item on its own
/// serial Dispatch queue: it blocks in `epoll_wait`, serves every ready connection inline, runs its
/// timers, and checks its connections' deadlines.
///
/// Work from other threads (starting a connection handed over by another loop, server shutdown) is
/// posted with `execute(_:)`, which wakes the loop through an eventfd. Nothing else crosses threads: a
/// request is read, parsed, answered and written on the thread that was woken for it, with no hand-off.
/// (The first design had Dispatch watch the epoll descriptor and wake the queue; that hand-off from
/// Dispatch's event thread on every wake-up cost about a fifth of the CPU per request.)
///
/// `@unchecked Sendable`: everything but `posted` and `connectionCount` is touched only on `queue`.
final class EventLoop: @unchecked Sendable {
    private let epoll: Int32
    /// Readable when work has been posted; its counter is reset when the work is taken.
    private let wakeup: Int32
    private let posted = Locked(PostedWork())
    private struct PostedWork {
        var tasks: [@Sendable () -> Void] = []
        var stopping = false
    }
    /// Connections by descriptor number (descriptors are small and dense).
    private var connections: [HTTPConnection?] = []
    /// Connections given to this loop and not yet closed (the server counts them in when it assigns them),
    /// read by every loop to balance new connections.
    let connectionCount = Atomic<Int>(0)
    private var timers = TimerQueue()
    private var dateCache = HTTPDate.Cache()
    private var nextSweep = DispatchTime.distantFuture
    /// The listening socket, when this loop accepts, and what it calls when connections are waiting.
    private var listener: (descriptor: Int32, accept: () -> Void)?
    private let events: UnsafeMutablePointer<epoll_event>
    private static let batch: Int32 = 256
    /// The queue the loop runs on (blocked in `epoll_wait` while idle): a dedicated serial queue, so that
    /// Dispatch gives it a thread of its own.
    private let queue: DispatchQueue
    private let finished = DispatchSemaphore(value: 0)

    init(label: String) throws(SocketError) {
        epoll = try systemCall("epoll_create1") { epoll_create1(Int32(EPOLL_CLOEXEC)) }
        do {
            wakeup = try systemCall("eventfd") { eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC)) }
        } catch {
            _ = closeDescriptor(epoll)
            throw error
        }
        events = .allocate(capacity: Int(Self.batch))
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.fd = wakeup
        _ = epoll_ctl(epoll, EPOLL_CTL_ADD, wakeup, &event)
        queue = DispatchQueue(label: label)
        queue.async { [self] in run() }
    }

    deinit {
        events.deallocate()
    }

    // MARK: - Work from other threads

    /// Runs `task` on the loop's queue, soon. Callable from any thread; tasks run in the order posted.
    /// After `close()` the task is dropped.
    func execute(_ task: @escaping @Sendable () -> Void) {
        let wake = posted.withLock { posted in
            guard !posted.stopping else { return false }
            posted.tasks.append(task)
            return posted.tasks.count == 1
        }
        if wake {
            var one: UInt64 = 1
            _ = write(wakeup, &one, 8)
        }
    }

    /// Runs `task` on the loop's queue and waits for it. Never call it from the loop itself.
    func executeAndWait(_ task: @escaping @Sendable () -> Void) {
        dispatchPrecondition(condition: .notOnQueue(queue))  // it would wait forever
        let done = DispatchSemaphore(value: 0)
        execute {
            task()
            done.signal()
        }
        _ = done.wait(timeout: .now() + .seconds(5))
    }

    /// Ends the loop once the work already posted has run, closes the epoll instance, and waits for it.
    func close() {
        dispatchPrecondition(condition: .notOnQueue(queue))
        let first = posted.withLock { posted in
            defer { posted.stopping = true }
            return !posted.stopping
        }
        guard first else { return }
        var one: UInt64 = 1
        _ = write(wakeup, &one, 8)
        finished.wait()
    }

    // MARK: - On the loop's queue

    /// The `Date` header value for a response written now.
    func date() -> String {
        dateCache.now()
    }

    /// Runs `work` on this loop after `delay`.
    func schedule(after delay: Duration, _ work: @escaping () -> Void) {
        dispatchPrecondition(condition: .onQueue(queue))
        timers.schedule(at: .now() + delay.dispatchInterval, work)
    }

    /// Starts delivering `descriptor`'s readiness to `connection`.
    func register(_ connection: HTTPConnection, descriptor: Int32) {
        dispatchPrecondition(condition: .onQueue(queue))
        let index = Int(descriptor)
        if index >= connections.count {
            connections += Array(repeating: nil, count: max(index + 1 - connections.count, connections.count))
        }
        connections[index] = connection
        if nextSweep == .distantFuture { nextSweep = .now() + Self.sweepInterval }
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
        if Int(descriptor) < connections.count { connections[Int(descriptor)] = nil }
        connectionCount.subtract(1, ordering: .relaxed)
    }

    /// Calls `accept` whenever `descriptor` (a listening socket shared by every loop) has connections
    /// waiting. `EPOLLEXCLUSIVE` wakes one waiting loop per new connection, not all of them.
    func watchListener(_ descriptor: Int32, accept: @escaping () -> Void) {
        dispatchPrecondition(condition: .onQueue(queue))
        guard listener == nil else { return }
        listener = (descriptor, accept)
        var event = epoll_event()
        event.events = EPOLLIN.rawValue | EPOLLEXCLUSIVE.rawValue
        event.data.fd = descriptor
        _ = epoll_ctl(epoll, EPOLL_CTL_ADD, descriptor, &event)
    }

    func unwatchListener() {
        dispatchPrecondition(condition: .onQueue(queue))
        guard let listener else { return }
        self.listener = nil
        _ = epoll_ctl(epoll, EPOLL_CTL_DEL, listener.descriptor, nil)
    }

    private func control(_ operation: Int32, _ descriptor: Int32, writable: Bool) {
        var event = epoll_event()
        event.events = EPOLLIN.rawValue | EPOLLRDHUP.rawValue | (writable ? EPOLLOUT.rawValue : 0)
        event.data.fd = descriptor
        _ = epoll_ctl(epoll, operation, descriptor, &event)
    }

    /// How often the loop checks its connections' deadlines while it has any: one check per loop instead
    /// of a timer per connection, so accepting and closing a connection costs no timer; timeouts fire up
    /// to this late.
    static let sweepInterval = DispatchTimeInterval.milliseconds(100)

    private func run() {
        while true {
            let count = epoll_wait(epoll, events, Self.batch, waitTimeout())
            if count < 0, errno != EINTR { fatalError("epoll_wait failed: errno \(errno)") }
            for index in 0..<Int(max(0, count)) {
                let event = events[index]
                let descriptor = event.data.fd
                if descriptor == wakeup {
                    if !runPostedWork() { return shutDown() }
                } else if descriptor == listener?.descriptor {
                    listener?.accept()
                } else if Int(descriptor) < connections.count, let connection = connections[Int(descriptor)] {
                    let flags = event.events
                    connection.handleEvents(
                        readable: flags
                            & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0,
                        writable: flags & EPOLLOUT.rawValue != 0)
                }
            }
            runDueWork()
        }
    }

    /// Milliseconds until the next timer or deadline check, -1 (forever) when there is neither.
    private func waitTimeout() -> Int32 {
        let next = min(timers.nextDeadline ?? .distantFuture, nextSweep)
        if next == .distantFuture { return -1 }
        let now = DispatchTime.now()
        guard next > now else { return 0 }
        return Int32(clamping: (next.uptimeNanoseconds - now.uptimeNanoseconds + 999_999) / 1_000_000)
    }

    /// Runs the timers that are due and, every `sweepInterval`, the connections' deadline checks.
    private func runDueWork() {
        var now = DispatchTime.now()
        while let work = timers.popDue(now: now) {
            work()
            now = DispatchTime.now()
        }
        guard now >= nextSweep else { return }
        // Closing sets entries to nil but never resizes the table, so indices stay valid.
        for index in connections.indices {
            connections[index]?.checkDeadline(now: now)
        }
        nextSweep = connectionCount.load(ordering: .relaxed) > 0 ? now + Self.sweepInterval : .distantFuture
    }

    /// Takes and runs the posted tasks; false once `close()` asked the loop to end.
    private func runPostedWork() -> Bool {
        var counter: UInt64 = 0
        _ = read(wakeup, &counter, 8)
        let (tasks, stopping) = posted.withLock { posted in
            defer { posted.tasks = [] }
            return (posted.tasks, posted.stopping)
        }
        for task in tasks { task() }
        return !stopping
    }

    private func shutDown() {
        _ = closeDescriptor(epoll)
        _ = closeDescriptor(wakeup)
        finished.signal()
    }
}

/// The number of processors online, for the default number of event loops.
public func onlineProcessorCount() -> Int {
    max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
}
