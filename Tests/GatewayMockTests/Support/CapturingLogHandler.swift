import Logging
import MockHTTP

/// A log handler that keeps every line it is given, so tests can assert on what the server logs.
struct CapturingLogHandler: LogHandler {
    final class Lines: Sendable {
        private let storage = Locked<[String]>([])
        func append(_ line: String) { storage.withLock { $0.append(line) } }
        var all: [String] { storage.withLock { $0 } }
    }

    let lines: Lines
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let fields = (event.metadata ?? [:]).merging(metadata) { first, _ in first }
            .map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " ")
        lines.append("\(event.level) \(event.message) \(fields)")
    }
}
