import Glibc

/// A value behind a pthread mutex: `withLock` gives one thread at a time access to it.
///
/// Why not the standard library's `Mutex`: on Linux its contended path runs inside the Synchronization
/// runtime library, which is not instrumented, so ThreadSanitizer sees no ordering between two threads
/// that took the lock in turn and reports every contended lock as a data race. The sanitizers intercept
/// pthread mutexes, which keeps `swift test --sanitize=thread` meaningful; both wait on the same futex.
public final class Locked<Value: Sendable>: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    /// The value, behind a pointer rather than in a stored `var`: the mutex already gives one thread at a
    /// time access, and a class's `var` would add the runtime's exclusivity check to every `withLock`.
    private let value: UnsafeMutablePointer<Value>

    public init(_ value: Value) {
        self.value = .allocate(capacity: 1)
        self.value.initialize(to: value)
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        value.deinitialize(count: 1)
        value.deallocate()
    }

    public func withLock<Result, Failure: Error>(_ body: (inout Value) throws(Failure) -> Result) throws(Failure)
        -> Result
    {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value.pointee)
    }
}
