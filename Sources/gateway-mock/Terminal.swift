import Glibc

/// The signals that stop the server.
private let terminationSignals = [SIGINT, SIGTERM]

/// Blocks SIGINT and SIGTERM in the calling thread and in every thread started from it afterwards, so
/// that they stay pending until `waitForTerminationSignal()` takes them. Call it first thing on the main
/// thread. (A handler or Dispatch signal source set up later leaves a window, however short, in which a
/// signal sent right after the "listening" line is read would be lost; a Dispatch source is even armed
/// asynchronously, after `resume()` has returned.)
func blockTerminationSignals() {
    var signals = terminationSignalSet()
    pthread_sigmask(SIG_BLOCK, &signals, nil)
}

/// Waits until SIGINT or SIGTERM arrives (or is already pending) and returns it.
func waitForTerminationSignal() -> Int32 {
    var signals = terminationSignalSet()
    var received: Int32 = 0
    while sigwait(&signals, &received) != 0 {}
    return received
}

private func terminationSignalSet() -> sigset_t {
    var signals = sigset_t()
    sigemptyset(&signals)
    for signalNumber in terminationSignals { sigaddset(&signals, signalNumber) }
    return signals
}

/// Writes a line straight to a descriptor (no stdio buffering).
func writeLine(_ text: String, to descriptor: Int32) {
    let bytes = Array((text + "\n").utf8)
    var offset = 0
    while offset < bytes.count {
        let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        if written < 0 && errno == EINTR { continue }
        guard written > 0 else { return }
        offset += written
    }
}

/// An error writing a file the command line was asked for (`--port-file`, `--tls-ca-out`).
struct OutputFileError: Error, CustomStringConvertible {
    var description: String
}

/// Writes `text` to a temporary file beside `path`, then renames it over `path`, so a reader never sees
/// a half-written file.
func writeAtomically(_ text: String, to path: String) throws {
    let temporary = "\(path).\(getpid()).tmp"
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else {
        throw OutputFileError(description: "cannot write \(path): \(String(cString: strerror(errno)))")
    }
    let bytes = Array(text.utf8)
    let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    close(descriptor)
    guard written == bytes.count, rename(temporary, path) == 0 else {
        unlink(temporary)
        throw OutputFileError(description: "cannot write \(path): \(String(cString: strerror(errno)))")
    }
}
