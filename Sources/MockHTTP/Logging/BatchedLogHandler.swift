import Glibc
import Logging

/// A swift-log `LogHandler` that writes swift-log's `StreamLogHandler` line format, through a
/// `LogLineWriter` (standard error by default), so that logging a line costs its formatting and a lock,
/// not a system call:
///
///     2026-11-30T14:24:22+0000 info gateway-mock: error=unknown key [GatewayMock] ci GET /api/v1/workspaces 401 85µs
///
/// that is, local time to the second, level, label, the metadata as sorted `key=value` pairs, the source
/// module in brackets, the message. The time is formatted once per second, not once per line
/// (`LogLineWriter.LineBuffer.appendLocalTime(_:)`).
public struct BatchedLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]

    private let label: String
    let writer: LogLineWriter

    public init(label: String, writer: LogLineWriter = .standardError) {
        self.label = label
        self.writer = writer
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        appendLine(level: event.level, metadata: event.metadata, source: event.source) {
            $0.append(event.message.description)
        }
    }

    /// Logs a line as `log(event:)` does, whose message `writeMessage` appends as UTF-8 bytes: no `String`
    /// made of it and no `LogEvent` (for the lines written for every request, the access log: about 3 000
    /// instructions less per line, callgrind). Nothing is written below `logLevel`.
    public func log(
        level: Logger.Level, metadata explicit: Logger.Metadata?, source: String,
        message writeMessage: (inout [UInt8]) -> Void
    ) {
        guard level >= logLevel else { return }
        appendLine(level: level, metadata: explicit, source: source) { writeMessage(&$0.bytes) }
    }

    private func appendLine(
        level: Logger.Level, metadata explicit: Logger.Metadata?, source: String,
        message writeMessage: (inout LogLineWriter.LineBuffer) -> Void
    ) {
        var merged = metadata
        if let explicit, !explicit.isEmpty {
            merged.merge(explicit) { _, explicit in explicit }
        }
        let fields = merged.isEmpty ? nil : merged.sorted { $0.key < $1.key }
        let second = time(nil)
        writer.appendLine { line in
            line.appendLocalTime(second)
            line.append(byte: UInt8(ascii: " "))
            line.append(level.rawValue)
            if !label.isEmpty {
                line.append(byte: UInt8(ascii: " "))
                line.append(label)
            }
            line.append(byte: UInt8(ascii: ":"))
            for (key, value) in fields ?? [] {
                line.append(byte: UInt8(ascii: " "))
                line.append(key)
                line.append(byte: UInt8(ascii: "="))
                line.append(value.description)
            }
            line.append(" [")
            line.append(source)
            line.append("] ")
            writeMessage(&line)
        }
    }
}
