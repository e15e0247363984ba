import Dispatch

/// What an `HTTPConnection` asks of the event loop that drives it: the clock its deadlines are kept on,
/// timers, the `Date` header, the buffer it reads into and the last head written (both shared by the
/// loop's connections), readiness interest, and work posted from other threads. `EventLoop` is the
/// real one (its clock is `DispatchTime.now()`); tests use a loop whose clock moves only when told to,
/// which also fires its timers and checks the connection's deadline as the real loop's sweep does.
///
/// The connection is generic over it (as over its transport), so none of these is an existential call.
/// Every method but `execute` is called on the loop's own thread.
protocol ConnectionLoop: AnyObject, Sendable {
    /// Now, on the monotonic clock the connection's deadlines are kept on.
    var now: DispatchTime { get }

    /// The `Date` header value for a response written now.
    func date() -> String

    /// Where the loop's connections read into, one at a time on the loop's thread (`readBufferSize`
    /// bytes): allocated once per loop, where a buffer per read cost an allocation and a free of 64 KiB
    /// for every request (about 500 instructions, callgrind).
    var readBuffer: UnsafeMutableRawBufferPointer { get }

    /// The last response head the loop's connections wrote, sent again for the same answer.
    var headCache: ResponseHeadCache { get }

    /// Runs `work` on the loop after `delay`.
    func schedule(after delay: Duration, _ work: @escaping () -> Void)

    /// Sets what `descriptor`'s connection waits for: input (and the peer closing its side), room to write.
    func watch(_ descriptor: Int32, readable: Bool, writable: Bool) throws(SocketError)

    /// Forgets `descriptor`'s connection; called just before its descriptor is closed.
    func deregister(_ descriptor: Int32)

    /// Runs `task` on the loop's thread, soon; callable from any thread. False when the loop has stopped
    /// and the task was dropped.
    @discardableResult
    func execute(_ task: @escaping @Sendable () -> Void) -> Bool
}

extension ConnectionLoop {
    /// The size of `readBuffer`: 64 KiB, the most a connection takes from its socket in one read.
    static var readBufferSize: Int { 64 * 1024 }
}
