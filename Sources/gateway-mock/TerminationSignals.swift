import Glibc

/// SIGINT and SIGTERM, the signals that stop the server, taken synchronously by the main thread.
enum TerminationSignals {
    /// Blocks SIGINT and SIGTERM in the calling thread and in every thread started from it afterwards, so
    /// that they stay pending until `wait()` takes them. Call it first thing on the main thread, before
    /// the server starts its threads. (A handler or Dispatch signal source set up later leaves a window,
    /// however short, in which a signal sent right after the "listening" line is read would be lost; a
    /// Dispatch source is even armed asynchronously, after `resume()` has returned.)
    static func block() {
        var signals = set()
        pthread_sigmask(SIG_BLOCK, &signals, nil)
    }

    /// Waits until SIGINT or SIGTERM arrives (or is already pending) and returns it.
    static func wait() -> Int32 {
        var signals = set()
        var received: Int32 = 0
        while sigwait(&signals, &received) != 0 {}
        return received
    }

    private static func set() -> sigset_t {
        var signals = sigset_t()
        sigemptyset(&signals)
        for signalNumber in [SIGINT, SIGTERM] { sigaddset(&signals, signalNumber) }
        return signals
    }
}
