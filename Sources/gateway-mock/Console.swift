import Glibc

/// Lines for whoever reads our standard output and error (a terminal, a script, a CI log), written
/// straight to the descriptor rather than through stdio's buffer: a script reading stdout through a pipe
/// sees the "listening" line at once.
enum Console {
    /// One line on standard output.
    static func out(_ line: String) {
        write(line, to: STDOUT_FILENO)
    }

    /// One line on standard error.
    static func error(_ line: String) {
        write(line, to: STDERR_FILENO)
    }

    private static func write(_ line: String, to descriptor: Int32) {
        let bytes = Array((line + "\n").utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return }
            offset += written
        }
    }
}
