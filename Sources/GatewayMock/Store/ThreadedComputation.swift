import Glibc

/// A computation run on a POSIX thread of its own, whose result is taken once with `value()`: how the two
/// vendors' seed collections load side by side at start-up (on two cores, the start takes the longer of
/// the two loads rather than their sum).
///
/// When no thread can be made, `value()` runs the computation on the caller's thread instead.
final class ThreadedComputation<Success, Failure: Error>: @unchecked Sendable {
    private let body: () throws(Failure) -> Success
    private var result: Result<Success, Failure>?
    private var thread = pthread_t()
    private var started = false

    init(_ body: @escaping () throws(Failure) -> Success) {
        self.body = body
        let job = ThreadJob { [self] in result = Result(catching: body) }
        let context = Unmanaged.passRetained(job).toOpaque()
        let created = pthread_create(
            &thread, nil,
            { context in
                Unmanaged<ThreadJob>.fromOpaque(context!).takeRetainedValue().run()
                return nil
            }, context)
        if created == 0 {
            started = true
        } else {
            Unmanaged<ThreadJob>.fromOpaque(context).release()
        }
    }

    /// Waits for the thread to finish (`pthread_join`, which also makes its result visible here) and
    /// returns or throws what the computation did. Call it once.
    func value() throws(Failure) -> Success {
        if started {
            pthread_join(thread, nil)
        } else {
            result = Result(catching: body)
        }
        return try result!.get()
    }
}

/// What a thread runs: not generic, because a C function pointer cannot capture generic parameters.
private final class ThreadJob {
    let run: () -> Void

    init(_ run: @escaping () -> Void) {
        self.run = run
    }
}
