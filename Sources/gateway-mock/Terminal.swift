import Dispatch

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Installs SIGINT/SIGTERM handlers that run `shutdown` on the main queue. Call it on the main queue;
/// the sources live as long as the process.
func onTerminationSignal(then shutdown: @escaping @Sendable () -> Void) {
    dispatchPrecondition(condition: .onQueue(.main))
    for signalNumber in [SIGINT, SIGTERM] {
        signal(signalNumber, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .main)
        source.setEventHandler(handler: shutdown)
        source.resume()
        signalSources.append(source)
    }
}

/// Keeps the signal sources alive. `nonisolated(unsafe)`: only `onTerminationSignal` touches it, on the main queue.
nonisolated(unsafe) private var signalSources: [any DispatchSourceSignal] = []

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
