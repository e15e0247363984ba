import MockHTTP

@testable import GatewayMock

/// A subscriber of the live request feed without a connection: a stream made with
/// `HTTPResponseStream(sink:)`, keeping what it is sent, in order.
final class FeedReader: Sendable {
    let stream: HTTPResponseStream
    private let events: Locked<[HTTPResponseStream.Event]>

    init() {
        let events = Locked<[HTTPResponseStream.Event]>([])
        self.events = events
        stream = HTTPResponseStream(sink: { event in events.withLock { $0.append(event) } })
    }

    /// The bytes of each `send`, in order.
    var chunks: [[UInt8]] {
        events.withLock { events in
            events.compactMap { event in
                if case .bytes(let bytes) = event { bytes } else { nil }
            }
        }
    }

    /// Everything sent, as text.
    var text: String { String(decoding: chunks.joined(), as: UTF8.self) }

    /// The `id` of each event received, in order.
    var ids: [Int] {
        text.split(separator: "\n").compactMap { line in line.hasPrefix("id: ") ? Int(line.dropFirst(4)) : nil }
    }

    /// How the stream ended; nil while it is open.
    var ended: HTTPResponseStream.Termination? {
        events.withLock { events in
            events.lazy.compactMap { event in
                if case .end(let reason) = event { reason } else { nil }
            }.first
        }
    }
}

extension TestRouter {
    /// `GET /__admin/requests/stream` + `query` with `headers`; when the answer has a stream, it is started
    /// with a new reader's, as the connection starts it once the head is queued.
    func subscribe(_ query: String = "", headers: [(String, String)] = []) -> (
        response: HTTPResponse, reader: FeedReader
    ) {
        let response = request("/__admin/requests/stream" + query, headers: headers)
        let reader = FeedReader()
        response.stream?(reader.stream)
        return (response, reader)
    }

    /// The newest entry of a namespace's journal, as `GET /__admin/requests` shows it.
    func lastJournaled(namespace: String? = nil) -> String {
        let text = admin("GET", "/__admin/requests?limit=1", namespace: namespace).text
        return String(text.dropFirst(#"{"requests":["#.count).dropLast("]}".count))
    }
}
