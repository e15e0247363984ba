import Glibc
import MockHTTP

/// A computation run on a POSIX thread of its own, whose result is taken once with `value()`: how the two
/// vendors' seed collections load side by side at start-up (on two cores, the start takes the longer of
/// the two loads rather than their sum).
///
/// When no thread can be made, `value()` runs the computation on the caller's thread instead.
final class ThreadedComputation<Success, Failure: Error>: @unchecked Sendable {
    private let body: () throws(Failure) -> Success
    private var result: Result<Success, Failure>?
    /// Nil when no thread could be made.
    private var thread: pthread_t?

    init(_ body: @escaping () throws(Failure) -> Success) {
        self.body = body
        thread = try? PosixThread.start { [self] in result = Result(catching: body) }
    }

    /// Waits for the thread to finish (`pthread_join`, which also makes its result visible here) and
    /// returns or throws what the computation did. Call it once.
    func value() throws(Failure) -> Success {
        if let thread {
            pthread_join(thread, nil)
        } else {
            result = Result(catching: body)
        }
        return try result!.get()
    }
}
