import Glibc

/// Files the command line is asked to write for scripts (`--port-file`, `--tls-ca-out`), written so that
/// a reader never sees one half-written.
enum AtomicFile {
    /// Why a file could not be written: the path and the system's reason.
    struct WriteError: Error, CustomStringConvertible {
        var description: String
    }

    /// Writes `text` to a temporary file beside `path`, then renames it over `path`.
    static func write(_ text: String, to path: String) throws(WriteError) {
        let temporary = "\(path).\(getpid()).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure(path, errno) }
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written <= 0 {
                let code = written < 0 ? errno : EIO
                if code == EINTR { continue }
                close(descriptor)
                unlink(temporary)
                throw failure(path, code)
            }
            offset += written
        }
        close(descriptor)
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw failure(path, code)
        }
    }

    private static func failure(_ path: String, _ code: Int32) -> WriteError {
        WriteError(description: "cannot write \(path): \(String(cString: strerror(code)))")
    }
}
