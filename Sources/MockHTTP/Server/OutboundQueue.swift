import Glibc

/// Bytes a connection still has to write, as the chunks they were produced in (a response head, the
/// parts of its body, the next pipelined response…), written with one gathering system call instead of
/// being copied into one buffer first.
struct OutboundQueue {
    private var chunks: [ArraySlice<UInt8>] = []
    /// Index of the first chunk not yet written whole: written chunks are dropped in batches, not one
    /// `removeFirst` each (a queue of pipelined list pages holds tens of thousands of chunks).
    private var head = 0
    /// Bytes of `chunks[head]` already written.
    private var offset = 0
    /// At most this many chunks go into one system call: enough for a response head and a list page
    /// gathered from a hundred records (Linux takes up to 1024, `IOV_MAX`).
    private static let maxChunksPerWrite = 128

    var isEmpty: Bool { head == chunks.count }
    /// Bytes queued and not yet written.
    private(set) var count = 0

    mutating func append(_ bytes: [UInt8]) {
        if !bytes.isEmpty { chunks.append(bytes[...]) }
        count += bytes.count
    }

    mutating func append(_ body: HTTPBody) {
        chunks.append(contentsOf: body.parts)
        count += body.count
    }

    mutating func append(_ text: String) {
        append(Array(text.utf8))
    }

    /// Writes as much as `write` accepts, until everything is written (`.bytes` with the total), the
    /// socket refuses more (`.wouldBlock`), or the connection is gone (`.closed`). `written` counts the
    /// bytes this call wrote in every case: a call that ends in `.wouldBlock` may still have written some,
    /// which is what the write timeout runs from.
    mutating func drain(
        using write: (UnsafeBufferPointer<iovec>) -> StreamSocket.Progress
    ) -> (written: Int, ending: StreamSocket.Progress) {
        var total = 0
        while !isEmpty {
            let count = min(chunks.count - head, Self.maxChunksPerWrite)
            let progress = withUnsafeTemporaryAllocation(of: iovec.self, capacity: count) { vectors in
                Self.withVectors(chunks[head..<head + count], firstOffset: offset, into: vectors, at: 0) { vectors in
                    write(UnsafeBufferPointer(vectors))
                }
            }
            guard case .bytes(let written) = progress else { return (total, progress) }
            total += written
            consume(written)
        }
        return (total, .bytes(total))
    }

    private mutating func consume(_ written: Int) {
        count -= written
        var remaining = written
        while remaining > 0, head < chunks.count {
            let left = chunks[head].count - offset
            if remaining < left {
                offset += remaining
                return
            }
            remaining -= left
            head += 1
            offset = 0
        }
        if head == chunks.count {
            chunks.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 1024 {
            chunks.removeFirst(head)
            head = 0
        }
    }

    /// Fills `vectors` with each chunk's bytes while they are pinned, then calls `body`: one nested
    /// `withUnsafeBufferPointer` per chunk keeps every pointer valid for the duration of the write.
    private static func withVectors<R>(
        _ chunks: ArraySlice<ArraySlice<UInt8>>, firstOffset: Int, into vectors: UnsafeMutableBufferPointer<iovec>,
        at index: Int, _ body: (UnsafeMutableBufferPointer<iovec>) -> R
    ) -> R {
        guard let chunk = chunks.first else { return body(vectors) }
        return chunk.withUnsafeBufferPointer { bytes in
            let skip = index == 0 ? firstOffset : 0
            vectors[index] = iovec(
                iov_base: UnsafeMutableRawPointer(mutating: bytes.baseAddress! + skip), iov_len: bytes.count - skip)
            return withVectors(chunks.dropFirst(), firstOffset: firstOffset, into: vectors, at: index + 1, body)
        }
    }
}
