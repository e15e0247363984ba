import Glibc

/// Log lines for a file descriptor (standard error), written by a thread of its own in batches, so that a
/// thread that logs (an event loop answering requests) makes no system call for it and never waits on
/// whoever reads the descriptor.
///
/// A line is appended to a buffer of at most `capacity` bytes; the writer thread wakes when the buffer
/// stops being empty, lets lines gather for `batchDelay`, then writes all of them with as few `write(2)`
/// calls as the descriptor takes. A reader that stops reading (a full pipe) blocks only the writer thread:
/// once the buffer is full, further lines are dropped and counted, and when output flows again the writer
/// says so in one line, `gateway-mock: N log lines dropped: standard error was not being read`, at the
/// place where the first of them was lost (a line longer than the whole buffer is dropped the same way). Lines keep the order in which they were appended (so the lines of one
/// connection, which one event loop serves, stay in order).
///
/// Memory: at most `capacity` bytes waiting plus the batch being written (another `capacity` at most).
public final class LogLineWriter: @unchecked Sendable {
    /// 1 MiB: about 7 000 access-log lines, a few tenths of a second at the server's keep-alive rate.
    public static let defaultCapacity = 1 << 20

    /// Standard error, with the default capacity; its thread starts with the first line.
    public static let standardError = LogLineWriter(descriptor: STDERR_FILENO)

    /// The most bytes that wait to be written; a line that does not fit is dropped (and counted).
    public let capacity: Int
    /// How long the writer lets lines gather after the first one arrives: at most this late, at most one
    /// batch (one wake-up, usually one `write(2)`) per this interval whatever the request rate.
    public let batchDelay: Duration

    private let descriptor: Int32
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    /// Signalled when the first line arrives in an empty buffer while the writer waits, and when a flush
    /// is asked for.
    private let linesArrived: UnsafeMutablePointer<pthread_cond_t>
    /// Signalled by the writer after each batch, for `flush`.
    private let batchWritten: UnsafeMutablePointer<pthread_cond_t>
    // Guarded by `mutex`.
    private var pending: [UInt8] = []
    private var localTime = LocalTimeText()
    private var dropped = 0
    /// Where in `pending` the first of the `dropped` lines would have been.
    private var droppedAt = 0
    private var writerStarted = false
    private var writerWaiting = false
    private var flushRequested = false
    /// Batches begun (taken from `pending`) and finished (written, or given up on with the descriptor).
    private var batchesTaken = 0
    private var batchesWritten = 0

    /// - Parameters:
    ///   - descriptor: where the lines go; the writer never closes it.
    ///   - capacity: bytes that may wait to be written (at least one line's worth is sensible).
    ///   - batchDelay: how long lines gather before a batch is written.
    public init(
        descriptor: Int32, capacity: Int = LogLineWriter.defaultCapacity, batchDelay: Duration = .milliseconds(2)
    ) {
        self.descriptor = descriptor
        self.capacity = capacity
        self.batchDelay = batchDelay
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        linesArrived = .allocate(capacity: 1)
        linesArrived.initialize(to: pthread_cond_t())
        pthread_cond_init(linesArrived, nil)
        batchWritten = .allocate(capacity: 1)
        batchWritten.initialize(to: pthread_cond_t())
        pthread_cond_init(batchWritten, nil)
    }

    deinit {
        // Only a writer whose thread never started ends: the thread keeps its writer.
        pthread_cond_destroy(batchWritten)
        batchWritten.deallocate()
        pthread_cond_destroy(linesArrived)
        linesArrived.deallocate()
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Appends one line (`body` writes its bytes, without the final newline, which is added) unless the
    /// buffer is full, in which case the line is dropped and counted. `body` runs under the writer's lock,
    /// so lines appended by one thread keep their order; it must not log.
    public func appendLine(_ body: (inout LineBuffer) -> Void) {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        if !writerStarted {
            writerStarted = true
            startWriter()
        }
        let start = pending.count
        if start < capacity {
            var line = LineBuffer()
            swap(&line.bytes, &pending)
            swap(&line.localTime, &localTime)
            body(&line)
            line.bytes.append(UInt8(ascii: "\n"))
            swap(&line.bytes, &pending)
            swap(&line.localTime, &localTime)
            if pending.count <= capacity {
                if writerWaiting { pthread_cond_signal(linesArrived) }
                return
            }
            pending.removeSubrange(start...)
        }
        if dropped == 0 { droppedAt = start }
        dropped += 1
        if writerWaiting { pthread_cond_signal(linesArrived) }
    }

    /// Appends one line of text (a newline is added).
    public func appendLine(_ text: String) {
        appendLine { $0.append(text) }
    }

    /// Waits until every line appended before the call has been written, or `timeout` has passed (a
    /// reader that stopped reading). At exit: lines still waiting after the timeout are lost. Returns
    /// whether everything was written.
    @discardableResult
    public func flush(timeout: Duration = .seconds(2)) -> Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        guard writerStarted else { return true }
        // Everything appended so far is either in a batch already taken, or waiting: one more batch.
        let target = pending.isEmpty && dropped == 0 ? batchesTaken : batchesTaken + 1
        flushRequested = true
        pthread_cond_signal(linesArrived)
        var deadline = timespec()
        clock_gettime(CLOCK_REALTIME, &deadline)
        let (seconds, attoseconds) = timeout.components
        let nanoseconds = Int(deadline.tv_nsec) + Int(attoseconds / 1_000_000_000)
        deadline.tv_sec += Int(seconds) + nanoseconds / 1_000_000_000
        deadline.tv_nsec = nanoseconds % 1_000_000_000
        while batchesWritten < target {
            if pthread_cond_timedwait(batchWritten, mutex, &deadline) == ETIMEDOUT { break }
        }
        flushRequested = false
        return batchesWritten >= target
    }

    /// Lines dropped since the last notice was written (for tests).
    var droppedLines: Int {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return dropped
    }

    private func startWriter() {
        do {
            pthread_detach(try PosixThread.start { [self] in run() })
        } catch {
            // No thread (never expected): the next line tries again; meanwhile lines wait, then drop.
            writerStarted = false
        }
    }

    /// The writer thread: forever, wait for lines, let more gather, take them all and write them.
    private func run() {
        var batch: [UInt8] = []
        pthread_mutex_lock(mutex)
        while true {
            while pending.isEmpty && dropped == 0 {
                writerWaiting = true
                pthread_cond_wait(linesArrived, mutex)
                writerWaiting = false
            }
            if !flushRequested {
                pthread_mutex_unlock(mutex)
                sleep(for: batchDelay)
                pthread_mutex_lock(mutex)
            }
            swap(&batch, &pending)
            let (lost, lostAt) = (dropped, droppedAt)
            dropped = 0
            batchesTaken += 1
            pthread_mutex_unlock(mutex)

            if lost > 0 {
                write(batch[..<lostAt])
                write(Array("gateway-mock: \(lost) log lines dropped: standard error was not being read\n".utf8)[...])
                write(batch[lostAt...])
            } else {
                write(batch[...])
            }
            batch.removeAll(keepingCapacity: batch.capacity <= capacity)

            pthread_mutex_lock(mutex)
            batchesWritten += 1
            pthread_cond_broadcast(batchWritten)
        }
    }

    /// Writes all of `bytes`, waiting for the descriptor as long as it takes; gives up on an error other
    /// than an interruption or a full non-blocking descriptor (the lines are then lost, as for a closed
    /// standard error).
    private func write(_ bytes: ArraySlice<UInt8>) {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0 && errno == EINTR {
                    continue
                } else if written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                    var ready = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
                    _ = poll(&ready, 1, -1)
                } else {
                    return
                }
            }
        }
    }

    private func sleep(for duration: Duration) {
        let (seconds, attoseconds) = duration.components
        var remaining = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        var request = remaining
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }
}

extension LogLineWriter {
    /// The bytes of the line being appended: `append` text to it.
    public struct LineBuffer {
        var bytes: [UInt8] = []
        /// The writer's, lent for the line (guarded by the writer's lock like the bytes).
        fileprivate var localTime = LocalTimeText()

        /// Appends `2026-11-30T14:24:22+0000` (`strftime`'s `%Y-%m-%dT%H:%M:%S%z`, local time, as swift-log's
        /// `StreamLogHandler` writes it) for `second` (seconds since the epoch), formatted once per second.
        public mutating func appendLocalTime(_ second: time_t) {
            bytes.append(contentsOf: localTime.text(for: second))
        }

        public mutating func append(_ text: String) {
            bytes.appendUTF8(text)
        }

        public mutating func append(byte: UInt8) {
            bytes.append(byte)
        }
    }
}

/// The local time of one second as text, kept until another second is asked for.
private struct LocalTimeText {
    private var second: time_t = -1
    private var text: [UInt8] = []

    mutating func text(for second: time_t) -> [UInt8] {
        if second != self.second {
            var seconds = second
            var local = tm()
            localtime_r(&seconds, &local)
            var buffer = [CChar](repeating: 0, count: 32)
            let count = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &local)
            (self.second, text) = (second, buffer[..<count].map { UInt8(bitPattern: $0) })
        }
        return text
    }
}
