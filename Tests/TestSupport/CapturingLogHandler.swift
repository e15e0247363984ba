import Logging
import MockHTTP

/// A log handler that keeps every line it is given, so tests can assert on what the server logs.
public struct CapturingLogHandler: LogHandler {
    public final class Lines: Sendable {
        public init() {}
        private let storage = Locked<[String]>([])
        public func append(_ line: String) { storage.withLock { $0.append(line) } }
        public var all: [String] { storage.withLock { $0 } }
    }

    public let lines: Lines
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .trace

    public init(lines: Lines) {
        self.lines = lines
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let fields = (event.metadata ?? [:]).merging(metadata) { first, _ in first }
            .map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " ")
        lines.append("\(event.level) \(event.message) \(fields)")
    }
}
