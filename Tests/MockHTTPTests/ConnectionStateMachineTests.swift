import Dispatch
import Testing

@testable import MockHTTP

/// `ConnectionStateMachine` alone: events in, actions out, no connection at all. The connection's
/// behaviour as a client sees it is tested through `ConnectionHarness`; these pin the transitions of
/// streamed responses and of the write deadline.
@Suite struct ConnectionStateMachineTests {
    static let start = DispatchTime(uptimeNanoseconds: 1_000_000_000)

    static func machine() -> ConnectionStateMachine {
        ConnectionStateMachine(timeouts: .init(), maxBufferedInput: 2 << 20, handshake: false, now: start)
    }

    static func after(_ duration: Duration) -> DispatchTime {
        start + duration.dispatchInterval
    }

    @Test func aStreamHoldsTheConnectionWithoutATimeoutUntilItEnds() {
        var machine = Self.machine()
        machine.requestReceived()
        #expect(machine.responseReady(.stream(keepAlive: true), delay: nil) == .startStream(keepAlive: true))
        #expect(machine.streamStarted() == .none)
        #expect(!machine.mayAnswer)
        #expect(machine.answeringEnded(inputBuffered: 100, outputQueued: 0, now: Self.start) == .none)
        #expect(machine.wait == .nothing)
        #expect(machine.streamFinished() == .endStream(.finished))
        #expect(machine.state == .open(.ready))
    }

    @Test func anHTTP10StreamClosesTheConnectionOnceItsEndIsWritten() {
        var machine = Self.machine()
        _ = machine.responseReady(.stream(keepAlive: false), delay: nil)
        #expect(machine.streamFinished() == .endStream(.finished))
        #expect(machine.state == .closingAfterFlush(.lingerIfInputBuffered))
        let flushed = machine.outputFlushed(
            written: 9, ending: .bytes(9), waitsForInput: false, inputBuffered: 0, now: Self.start)
        #expect(flushed == .close(.finished))
    }

    @Test func shutdownEndsAStreamAtOnce() {
        var machine = Self.machine()
        _ = machine.responseReady(.stream(keepAlive: true), delay: nil)
        #expect(machine.shutdown(outputQueued: true) == .endStream(.serverStopping))
        #expect(machine.state == .closingAfterFlush(.lingerIfInputBuffered))
    }

    @Test func aStreamDueAfterShutdownStartsClosingAndEndsAtOnce() {
        var machine = Self.machine()
        #expect(machine.responseReady(.stream(keepAlive: true), delay: .seconds(1)) == .schedule(delay: .seconds(1)))
        #expect(machine.shutdown(outputQueued: false) == .none)
        #expect(machine.delayedResponseDue() == .startStream(keepAlive: false))
        #expect(machine.streamStarted() == .endStream(.serverStopping))
    }

    @Test func aClientClosingDuringAStreamIsGone() {
        var machine = Self.machine()
        _ = machine.responseReady(.stream(keepAlive: true), delay: nil)
        #expect(machine.inputRead(peerClosed: false) == .none)
        #expect(machine.inputRead(peerClosed: true) == .close(.peerGone))
    }

    @Test func anOverflowClosesOnlyAStreamingConnection() {
        var machine = Self.machine()
        #expect(machine.streamOverflowed() == .none)
        _ = machine.responseReady(.stream(keepAlive: true), delay: nil)
        #expect(machine.streamOverflowed() == .close(.streamOverflow))
    }

    /// Blocked output: the write deadline is set when the output first blocks, moved by a flush that
    /// writes something, and left alone by one that writes nothing.
    @Test func theWriteDeadlineMovesOnlyWithProgress() {
        var machine = Self.machine()
        machine.requestReceived()
        _ = machine.responseReady(.send(keepAlive: true), delay: nil)
        _ = machine.outputFlushed(
            written: 10, ending: .wouldBlock, waitsForInput: false, inputBuffered: 0, now: Self.start)
        #expect(machine.wait == .output)
        #expect(machine.deadline == Self.after(.seconds(30)))
        _ = machine.outputFlushed(
            written: 0, ending: .wouldBlock, waitsForInput: false, inputBuffered: 0, now: Self.after(.seconds(20)))
        #expect(machine.deadline == Self.after(.seconds(30)))
        _ = machine.outputFlushed(
            written: 1, ending: .wouldBlock, waitsForInput: false, inputBuffered: 0, now: Self.after(.seconds(25)))
        #expect(machine.deadline == Self.after(.seconds(55)))
        #expect(machine.deadlineReached(now: Self.after(.seconds(55))) == .close(.writeTimeout))
    }

    /// Output that blocks until the transport reads (TLS) is not waited for with a writable watch.
    @Test func outputWaitingForInputWatchesInputOnly() {
        var machine = Self.machine()
        _ = machine.outputFlushed(
            written: 0, ending: .wouldBlock, waitsForInput: true, inputBuffered: 0, now: Self.start)
        #expect(machine.outputWaitsForInput)
        #expect(machine.interestUpdate(inputBuffered: 0) == .none, "input only, as before")
        _ = machine.outputFlushed(
            written: 0, ending: .wouldBlock, waitsForInput: false, inputBuffered: 0, now: Self.start)
        #expect(machine.interestUpdate(inputBuffered: 0) == .watch(readable: true, writable: true))
    }
}
