import CLinuxShims
import Dispatch
import Glibc
import Synchronization

/// A thread of its own that owns an epoll instance and everything registered with it: it blocks in
/// `epoll_wait`, serves every ready connection inline, runs its timers, and checks its connections'
/// deadlines.
///
/// Work from other threads (starting a connection handed over by another loop, server shutdown) is
/// posted with `execute(_:)`, which wakes the loop through an eventfd. Nothing else crosses threads: a
/// request is read, parsed, answered (the responder is called right here, on this thread) and written on
/// the thread that was woken for it, with no hand-off. (A loop owns a thread rather than borrowing one
/// from Dispatch: a Dispatch source waking a queue on every readiness cost about a fifth of the CPU per
/// request, and blocking in `epoll_wait` inside a work item would hold a pool thread for good.)
///
/// `@unchecked Sendable`: everything but `posted`, `connectionCount` and `loopThread` is touched only on
/// the loop's thread.
final class EventLoop: ConnectionLoop, @unchecked Sendable {
    private let epoll: Int32
    /// Readable when work has been posted; its counter is reset when the work is taken.
    private let wakeup: Int32
    private let posted = Locked(PostedWork())
    private struct PostedWork {
        var tasks: [@Sendable () -> Void] = []
        var stopping = false
    }
    /// Connections by descriptor number (descriptors are small and dense).
    private var connections: [ServedConnection?] = []
    /// Connections given to this loop and not yet closed (the server counts them in when it assigns them),
    /// read by every loop to balance new connections.
    let connectionCount = Atomic<Int>(0)
    // Not checked for exclusive access at run time (checks that cost about 60 instructions each, several per
    // turn of the loop): only the loop's thread touches these, and the timers' work runs after `popDue`
    // has returned, so no two accesses overlap.
    @exclusivity(unchecked) private var timers = TimerQueue()
    @exclusivity(unchecked) private var dateCache = HTTPDate.Cache()
    @exclusivity(unchecked) private var nextSweep = DispatchTime.distantFuture
    /// The listening socket, when this loop accepts, and what it calls when connections are waiting.
    private var listener: (descriptor: Int32, accept: () -> Void)?
    private let events: UnsafeMutablePointer<epoll_event>
    let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: readBufferSize, alignment: 16)
    let headCache = ResponseHeadCache()
    private static let batch: Int32 = 256
    private var thread = pthread_t()
    /// The loop's thread, once it runs (0 before), for `inLoop`.
    private let loopThread = Atomic<UInt>(0)

    init() throws(SocketError) {
        epoll = try systemCall("epoll_create1") { epoll_create1(Int32(EPOLL_CLOEXEC)) }
        do {
            wakeup = try systemCall("eventfd") { eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC)) }
        } catch {
            _ = closeDescriptor(epoll)
            throw error
        }
        do {
            try Self.control(epoll, EPOLL_CTL_ADD, wakeup, events: EPOLLIN.rawValue)
        } catch {
            _ = closeDescriptor(wakeup)
            _ = closeDescriptor(epoll)
            throw error
        }
        events = .allocate(capacity: Int(Self.batch))
        do {
            thread = try PosixThread.start { [self] in run() }
        } catch {
            _ = closeDescriptor(wakeup)
            _ = closeDescriptor(epoll)
            throw SocketError(call: "pthread_create", code: error.code)
        }
    }

    /// True on the loop's own thread.
    var inLoop: Bool { loopThread.load(ordering: .acquiring) == UInt(pthread_self()) }

    deinit {
        events.deallocate()
        readBuffer.deallocate()
    }

    // MARK: - Work from other threads

    /// Runs `task` on the loop's thread, soon. Callable from any thread; tasks run in the order posted.
    /// Returns false, dropping the task, once `close()` was called.
    @discardableResult
    func execute(_ task: @escaping @Sendable () -> Void) -> Bool {
        let (accepted, wake) = posted.withLock { posted in
            guard !posted.stopping else { return (false, false) }
            posted.tasks.append(task)
            return (true, posted.tasks.count == 1)
        }
        if wake {
            var one: UInt64 = 1
            _ = write(wakeup, &one, 8)
        }
        return accepted
    }

    /// Runs `task` on the loop's thread and waits, without a time limit, until it has run: for as long as
    /// the loop is busy with what it is doing (a responder that blocks blocks this too). Returns at once
    /// without running it once `close()` was called. Never call it from the loop itself.
    func executeAndWait(_ task: @escaping @Sendable () -> Void) {
        precondition(!inLoop, "executeAndWait on the loop's own thread would wait forever")
        let done = DispatchSemaphore(value: 0)
        let posted = execute {
            task()
            done.signal()
        }
        if posted { done.wait() }
    }

    /// Ends the loop once the work already posted has run, closes the epoll instance, and waits for it.
    func close() {
        precondition(!inLoop, "EventLoop.close() on its own thread would wait forever")
        let first = posted.withLock { posted in
            defer { posted.stopping = true }
            return !posted.stopping
        }
        guard first else { return }
        var one: UInt64 = 1
        _ = write(wakeup, &one, 8)
        pthread_join(thread, nil)
    }

    // MARK: - On the loop's thread

    /// The loop's clock: the monotonic one, as a deadline is kept on.
    var now: DispatchTime { .now() }

    /// The `Date` header value for a response written now.
    func date() -> String {
        dateCache.now()
    }

    /// Runs `work` on this loop after `delay`.
    func schedule(after delay: Duration, _ work: @escaping () -> Void) {
        assert(inLoop)
        timers.schedule(at: .now() + delay.dispatchInterval, work)
    }

    /// Starts delivering the readiness of `connection`'s descriptor to it. On failure nothing is
    /// registered; the connection still counts until `deregister(_:)`.
    func register(_ connection: ServedConnection) throws(SocketError) {
        assert(inLoop)
        let descriptor = connection.descriptor
        try Self.control(epoll, EPOLL_CTL_ADD, descriptor, events: Self.interest(readable: true, writable: false))
        let index = Int(descriptor)
        if index >= connections.count {
            connections += Array(repeating: nil, count: max(index + 1 - connections.count, connections.count))
        }
        connections[index] = connection
        if nextSweep == .distantFuture { nextSweep = .now() + Self.sweepInterval }
    }

    /// Sets what `descriptor`'s connection waits for: input (and the peer closing its side), room to write.
    func watch(_ descriptor: Int32, readable: Bool, writable: Bool) throws(SocketError) {
        assert(inLoop)
        try Self.control(
            epoll, EPOLL_CTL_MOD, descriptor, events: Self.interest(readable: readable, writable: writable))
    }

    /// Forgets `descriptor`'s connection; call just before closing it. (Closing the descriptor is what
    /// removes it from epoll, so no `EPOLL_CTL_DEL` is needed: one system call less per connection. An
    /// event for it already returned in the current batch finds no connection, or a new connection that
    /// got the same number, which then reads nothing.)
    func deregister(_ descriptor: Int32) {
        assert(inLoop)
        if Int(descriptor) < connections.count { connections[Int(descriptor)] = nil }
        connectionCount.subtract(1, ordering: .relaxed)
    }

    /// Calls `accept` whenever `descriptor` (a listening socket shared by every loop) has connections
    /// waiting. `EPOLLEXCLUSIVE` wakes one waiting loop per new connection, not all of them. On failure the
    /// loop does not watch it.
    func watchListener(_ descriptor: Int32, accept: @escaping () -> Void) throws(SocketError) {
        assert(inLoop)
        guard listener == nil else { return }
        try Self.control(epoll, EPOLL_CTL_ADD, descriptor, events: EPOLLIN.rawValue | EPOLLEXCLUSIVE.rawValue)
        listener = (descriptor, accept)
    }

    /// Stops watching the listening socket; `accept` is not called again. `EPOLL_CTL_DEL` fails only when
    /// the socket is not registered or already closed, so nothing is watched either way; the error is for
    /// the log.
    func unwatchListener() throws(SocketError) {
        assert(inLoop)
        guard let listener else { return }
        self.listener = nil
        try Self.control(epoll, EPOLL_CTL_DEL, listener.descriptor, events: 0)
    }

    /// The epoll events a connection waits for.
    private static func interest(readable: Bool, writable: Bool) -> UInt32 {
        (readable ? EPOLLIN.rawValue | EPOLLRDHUP.rawValue : 0) | (writable ? EPOLLOUT.rawValue : 0)
    }

    /// `epoll_ctl`, its failure thrown with the errno it left.
    private static func control(_ epoll: Int32, _ operation: Int32, _ descriptor: Int32, events: UInt32)
        throws(SocketError)
    {
        var event = epoll_event()
        event.events = events
        event.data.fd = descriptor
        let name =
            switch operation {
            case EPOLL_CTL_ADD: "epoll_ctl(ADD)"
            case EPOLL_CTL_MOD: "epoll_ctl(MOD)"
            default: "epoll_ctl(DEL)"
            }
        try systemCall(name) { epoll_ctl(epoll, operation, descriptor, &event) }
    }

    /// How often the loop checks its connections' deadlines while it has any: one check per loop instead
    /// of a timer per connection, so accepting and closing a connection costs no timer; timeouts fire up
    /// to this late.
    static let sweepInterval = DispatchTimeInterval.milliseconds(100)

    private func run() {
        loopThread.store(UInt(pthread_self()), ordering: .releasing)
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
                    let hangup = flags & (EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0
                    connection.handleEvents(
                        readable: hangup || flags & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue) != 0,
                        writable: flags & EPOLLOUT.rawValue != 0, hangup: hangup)
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
    }
}

/// The number of processors online, for the default number of event loops.
public func onlineProcessorCount() -> Int {
    max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
}
