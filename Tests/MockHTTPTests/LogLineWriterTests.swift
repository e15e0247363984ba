import Dispatch
import Glibc
import Logging
import Testing

@testable import MockHTTP

/// `LogLineWriter` and `BatchedLogHandler` over a pipe, read as a process reading our standard error
/// would: the exact bytes, the order, what a reader that stops reading costs, and the line format.
@Suite struct LogLineWriterTests {
    /// A pipe whose read end the test drains; the write end is the writer's descriptor.
    final class Pipe: @unchecked Sendable {
        let readEnd: Int32
        let writeEnd: Int32

        init() {
            var ends: [Int32] = [0, 0]
            precondition(pipe(&ends) == 0)
            (readEnd, writeEnd) = (ends[0], ends[1])
        }

        deinit {
            close(readEnd)
            close(writeEnd)
        }

        /// Everything that can be read without waiting.
        func readAvailable() -> String {
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 65536)
            var ready = pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)
            while poll(&ready, 1, 0) == 1 {
                let count = read(readEnd, &chunk, chunk.count)
                guard count > 0 else { break }
                bytes += chunk[..<count]
            }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    @Test func linesArriveExactlyAndInOrderAfterAFlush() {
        let pipe = Pipe()
        let writer = LogLineWriter(descriptor: pipe.writeEnd)
        writer.appendLine("first")
        writer.appendLine {
            $0.append("second: "); $0.append("ünïcode")
        }
        writer.appendLine("")
        #expect(writer.flush())
        #expect(pipe.readAvailable() == "first\nsecond: ünïcode\n\n")
        #expect(writer.flush())
        #expect(pipe.readAvailable() == "")
    }

    @Test func aFlushWithNothingLoggedReturnsAtOnce() {
        let pipe = Pipe()
        #expect(LogLineWriter(descriptor: pipe.writeEnd).flush(timeout: .zero))
    }

    /// The reader stops reading: the pipe (64 KiB) and the writer's buffer (1 KiB) fill, appending goes on
    /// without blocking and drops lines; once the reader reads again, the output is every line up to the
    /// first lost one, then one notice per run of lost lines saying how many, then the lines after them.
    @Test func aReaderThatStopsReadingCostsDroppedLinesThatAreCountedWhereTheyWereLost() async {
        let pipe = Pipe()
        let writer = LogLineWriter(descriptor: pipe.writeEnd, capacity: 1024, batchDelay: .milliseconds(1))
        let total = 20000
        // ~230 KB, never blocks: more than the pipe and the writer's two buffers hold, so lines are dropped
        // (how many, and in how many runs, depends on how fast the writer takes batches meanwhile).
        for index in 0..<total { writer.appendLine("line \(index)") }

        var output = ""
        while !writer.flush(timeout: .milliseconds(50)) { output += pipe.readAvailable() }
        output += pipe.readAvailable()

        var expected = 0
        var notices = 0
        for line in output.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            if let match = line.wholeMatch(
                of: #/gateway-mock: (\d+) log lines dropped: standard error was not being read/#)
            {
                expected += Int(match.1)!
                notices += 1
            } else {
                #expect(line == "line \(expected)")
                expected += 1
            }
        }
        #expect(expected == total)
        #expect(notices >= 1)
        #expect(output.hasSuffix("\n"))
        #expect(writer.droppedLines == 0)
    }

    @Test func aLineLongerThanTheBufferIsDroppedAndCounted() {
        let pipe = Pipe()
        let writer = LogLineWriter(descriptor: pipe.writeEnd, capacity: 16)
        writer.appendLine(String(repeating: "x", count: 16))  // 17 bytes with the newline
        writer.appendLine("short")
        #expect(writer.flush())
        #expect(pipe.readAvailable() == "gateway-mock: 1 log lines dropped: standard error was not being read\nshort\n")
    }

    /// The handler writes exactly what swift-log's `StreamLogHandler` writes for the same event (the
    /// access log's content is unchanged by batching), timestamps aside.
    @Test(
        arguments: [
            (Logger.Metadata(), Logger.Metadata?.none),
            (["handler": "h"], ["error": "unknown key", "b": "2"]),
            ([:], ["a": ["x", "y"], "d": ["k": "v"]]),
        ] as [(Logger.Metadata, Logger.Metadata?)])
    func linesMatchStreamLogHandlerByteForByte(handlerMetadata: Logger.Metadata, metadata: Logger.Metadata?) {
        let pipe = Pipe()
        var batched = BatchedLogHandler(label: "gateway-mock", writer: LogLineWriter(descriptor: pipe.writeEnd))
        let stream = CollectedStream()
        var reference = StreamLogHandler(label: "gateway-mock", stream: stream, metadataProvider: nil)
        batched.metadata = handlerMetadata
        reference.metadata = handlerMetadata
        let event = LogEvent(
            level: .info, message: "ci GET /api/v1/workspaces?limit=2 200 110µs", metadata: metadata,
            source: "GatewayMock", file: #file, function: #function, line: #line)
        batched.log(event: event)
        reference.log(event: event)
        #expect(batched.flush())
        let timestamp = #/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} /#
        let written = pipe.readAvailable()
        #expect(written.firstMatch(of: timestamp) != nil)
        #expect(written.replacing(timestamp, with: "T ") == stream.text.replacing(timestamp, with: "T "))
    }

    @Test func theHandlerLeavesOutLinesBelowItsLevel() {
        let pipe = Pipe()
        var handler = BatchedLogHandler(label: "x", writer: LogLineWriter(descriptor: pipe.writeEnd))
        handler.logLevel = .notice
        let logger = Logger(label: "x", factory: { _ in handler })
        logger.info("not shown")
        logger.notice("shown")
        #expect(handler.flush())
        #expect(
            pipe.readAvailable().wholeMatch(
                of: #/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} notice x: \[MockHTTPTests\] shown\n/#)
                != nil)
    }
}

extension BatchedLogHandler {
    fileprivate func flush() -> Bool { writer.flush() }
}

/// A `TextOutputStream` keeping what `StreamLogHandler` writes.
private final class CollectedStream: TextOutputStream, @unchecked Sendable {
    var text = ""
    func write(_ string: String) { text += string }
}
