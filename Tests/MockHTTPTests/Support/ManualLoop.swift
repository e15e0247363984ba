import Dispatch

@testable import MockHTTP

/// A loop whose clock moves only when the test says so: `advance(by:)` runs the timers that fall due, in
/// order, then checks the connection's deadline as the real loop's sweep does. Work posted with
/// `execute` waits for `runPosted()` (or the next `advance`), as it waits for the real loop to come round.
/// Everything runs on the test's thread.
///
/// `@unchecked Sendable`: used from the test's thread only (`ConnectionLoop` asks for `Sendable` because
/// the real loop is called from other threads).
final class ManualLoop: ConnectionLoop, @unchecked Sendable {
    static let date = "Sun, 06 Nov 1994 08:49:37 GMT"

    private(set) var now = DispatchTime(uptimeNanoseconds: 1_000_000_000)
    /// What the connection last asked to watch.
    private(set) var watching = (readable: true, writable: false)
    private(set) var deregistered = false
    /// What the sweep checks: the connection's `checkDeadline(now:)`.
    var sweep: (DispatchTime) -> Void = { _ in }
    private var timers: [(deadline: DispatchTime, order: Int, work: () -> Void)] = []
    private var posted: [@Sendable () -> Void] = []
    private var scheduled = 0

    /// The `Date` value the loop hands out; a test moves it to the next second by setting it.
    var currentDate = ManualLoop.date

    func date() -> String { currentDate }

    let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: readBufferSize, alignment: 16)
    let headCache = ResponseHeadCache()

    deinit { readBuffer.deallocate() }

    func schedule(after delay: Duration, _ work: @escaping () -> Void) {
        scheduled += 1
        timers.append((now + delay.dispatchInterval, scheduled, work))
    }

    func watch(_ descriptor: Int32, readable: Bool, writable: Bool) throws(SocketError) {
        watching = (readable, writable)
    }

    func deregister(_ descriptor: Int32) {
        deregistered = true
    }

    func execute(_ task: @escaping @Sendable () -> Void) -> Bool {
        posted.append(task)
        return true
    }

    /// Runs the work posted so far (and what that posts), in order.
    func runPosted() {
        while !posted.isEmpty {
            posted.removeFirst()()
        }
    }

    /// Moves the clock on by `duration`, running each timer at its own time, then sweeps.
    func advance(by duration: Duration) {
        runPosted()
        let target = now + duration.dispatchInterval
        while let next = timers.filter({ $0.deadline <= target }).min(by: {
            ($0.deadline, $0.order) < ($1.deadline, $1.order)
        }) {
            timers.removeAll { $0.order == next.order }
            now = max(now, next.deadline)
            next.work()
        }
        now = target
        runPosted()
        sweep(now)
    }
}
