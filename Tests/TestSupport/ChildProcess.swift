import CLinuxShims
import Foundation
import Glibc
import MockHTTP

/// A child process for the tests, started with `posix_spawn`, with the part of Foundation's `Process`
/// interface the tests use, under the same names.
///
/// Why not `Process`: in Swift 6.3.1 its `run()` now and then crashes the test process (it lists
/// `/proc/self/fd` copying each `dirent`'s whole 256-byte name, reading past the end of glibc's buffer:
/// swift-corelibs-foundation PR #5472, merged after 6.3.1); CI saw it in `CommandLineTests`. Like
/// `Process`, the child inherits the environment, gets the given pipes or files as its standard streams
/// and no other descriptor of the test's (no socket of an in-process server stays open in it).
public final class ChildProcess: @unchecked Sendable {
    public enum TerminationReason: Sendable { case exit, uncaughtSignal }

    public var executableURL: URL?
    public var arguments: [String] = []
    /// Each a `Pipe` (the child gets the matching end) or a `FileHandle`; nil: the test process's own.
    public var standardInput: Any?
    public var standardOutput: Any?
    public var standardError: Any?
    public private(set) var processIdentifier: pid_t = 0

    /// The wait status once the child is reaped.
    private let waitStatus = Locked<Int32?>(nil)

    public init() {}

    public func run() throws {
        guard let path = executableURL?.path else { throw POSIXError(.ENOENT) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // The child's ends of pipes, closed here once the child has them (so that the test sees end of file
        // when the child exits).
        var childEnds: [FileHandle] = []
        for (stream, descriptor, isInput) in [
            (standardInput, STDIN_FILENO, true), (standardOutput, STDOUT_FILENO, false),
            (standardError, STDERR_FILENO, false),
        ] {
            let handle: FileHandle
            switch stream {
            case let pipe as Pipe:
                handle = isInput ? pipe.fileHandleForReading : pipe.fileHandleForWriting
                childEnds.append(handle)  // (twice when stdout and stderr share a pipe: a second close does nothing)
            case let file as FileHandle:
                handle = file
            default:
                continue
            }
            posix_spawn_file_actions_adddup2(&actions, handle.fileDescriptor, descriptor)
        }
        clinux_spawn_close_from(&actions, 3)
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, path, &actions, nil, argv, environ)
        guard result == 0 else { throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EINVAL) }
        processIdentifier = pid
        for handle in childEnds { try? handle.close() }
    }

    /// Sends SIGTERM (as `Process.terminate()` does).
    public func terminate() {
        if processIdentifier > 0, waitStatus.withLock({ $0 }) == nil { kill(processIdentifier, SIGTERM) }
    }

    public var isRunning: Bool { reap(blocking: false) == nil }

    public func waitUntilExit() {
        _ = reap(blocking: true)
    }

    /// The exit status, or the number of the signal that ended the child. Call after it exited.
    public var terminationStatus: Int32 {
        let status = reap(blocking: false) ?? 0
        return status & 0x7F == 0 ? (status >> 8) & 0xFF : status & 0x7F
    }

    public var terminationReason: TerminationReason {
        (reap(blocking: false) ?? 0) & 0x7F == 0 ? .exit : .uncaughtSignal
    }

    /// The wait status, reaping the child when it has exited; nil while it runs.
    private func reap(blocking: Bool) -> Int32? {
        if let status = waitStatus.withLock({ $0 }) { return status }
        var status: Int32 = 0
        while true {
            let reaped = waitpid(processIdentifier, &status, blocking ? 0 : WNOHANG)
            if reaped == processIdentifier {
                waitStatus.withLock { $0 = status }
                return status
            }
            if reaped == -1, errno == EINTR { continue }
            // Running (0), or reaped by another caller meanwhile (ECHILD).
            return waitStatus.withLock { $0 }
        }
    }
}
