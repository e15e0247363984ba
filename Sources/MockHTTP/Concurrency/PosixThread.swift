import Glibc

/// Starting a POSIX thread that runs a Swift closure: the event loops, the access-log writer and the seed
/// load each run on a thread of their own (not a Dispatch queue: what they run blocks, or must start at
/// once and be joined).
public enum PosixThread {
    /// `pthread_create` failed with `code` (an `errno` value); the body was not run.
    public struct StartError: Error {
        public let code: Int32
    }

    /// Starts `body` on a new thread and returns it (to join or detach).
    public static func start(_ body: @escaping () -> Void) throws(StartError) -> pthread_t {
        var thread = pthread_t()
        let context = Unmanaged.passRetained(Job(body)).toOpaque()
        let created = pthread_create(
            &thread, nil,
            { context in
                Unmanaged<Job>.fromOpaque(context!).takeRetainedValue().body()
                return nil
            }, context)
        guard created == 0 else {
            Unmanaged<Job>.fromOpaque(context).release()
            throw StartError(code: created)
        }
        return thread
    }

    /// What the thread runs, boxed for its C entry point (which cannot capture context of its own).
    private final class Job {
        let body: () -> Void

        init(_ body: @escaping () -> Void) {
            self.body = body
        }
    }
}
