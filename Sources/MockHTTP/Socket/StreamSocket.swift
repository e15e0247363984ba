import Glibc

/// One accepted, non-blocking TCP connection. It owns its descriptor and closes it exactly once;
/// it is not thread-safe and is used only on the thread of its connection's event loop.
final class StreamSocket {
    let descriptor: Int32
    private(set) var isClosed = false
    /// `resetOnClose()` was called: the close sends a TCP reset.
    private(set) var resetsOnClose = false

    /// What a non-blocking read or write achieved.
    enum Progress: Equatable {
        /// This many bytes moved.
        case bytes(Int)
        /// Nothing can move now; wait for readiness.
        case wouldBlock
        /// The peer closed its side (read) or the connection is gone (write).
        case closed
    }

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    private var sendsImmediately = false
    /// Something was written already: later writes turn Nagle's algorithm off first (`prepareToWrite()`).
    private var hasWritten = false

    /// Turns Nagle's algorithm off (`TCP_NODELAY`): a small write goes out at once instead of waiting for
    /// the peer to acknowledge earlier data. A connection's first write has nothing unacknowledged ahead
    /// of it, so this is needed only before later ones; a connection used once (as nginx does it) saves
    /// the system call.
    func sendImmediately() {
        guard !sendsImmediately else { return }
        sendsImmediately = true
        var one: Int32 = 1
        _ = setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    /// Before a flush with bytes to write: `sendImmediately()` unless this is the connection's first.
    func prepareToWrite() {
        if hasWritten { sendImmediately() }
        hasWritten = true
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) -> Progress {
        while true {
            let count = recv(descriptor, buffer.baseAddress, buffer.count, 0)
            if count > 0 { return .bytes(count) }
            if count == 0 { return .closed }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            default: return .closed
            }
        }
    }

    func write(_ bytes: UnsafeRawBufferPointer) -> Progress {
        var vector = iovec(iov_base: UnsafeMutableRawPointer(mutating: bytes.baseAddress), iov_len: bytes.count)
        return withUnsafePointer(to: &vector) { write(vectors: UnsafeBufferPointer(start: $0, count: 1)) }
    }

    /// Writes the gathered buffers in one `sendmsg` (no SIGPIPE).
    func write(vectors: UnsafeBufferPointer<iovec>) -> Progress {
        var message = msghdr()
        message.msg_iov = UnsafeMutablePointer(mutating: vectors.baseAddress)
        message.msg_iovlen = vectors.count
        while true {
            let count = sendmsg(descriptor, &message, Int32(MSG_NOSIGNAL))
            if count >= 0 { return .bytes(count) }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            default: return .closed
            }
        }
    }

    /// Makes the coming `close()` send a TCP reset instead of an orderly FIN (`SO_LINGER` with a zero timeout).
    func resetOnClose() {
        resetsOnClose = true
        var option = linger(l_onoff: 1, l_linger: 0)
        _ = setsockopt(descriptor, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
    }

    /// Stops sending (FIN) while still reading, so a peer reading to end-of-stream sees the whole response.
    func shutdownWrite() {
        _ = shutdown(descriptor, Int32(SHUT_WR))
    }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        _ = closeDescriptor(descriptor)
    }

    deinit { close() }
}
