import Glibc
import Logging
import MockHTTP
import Testing

/// The access log through the server's own handler (`BatchedLogHandler`), which the router hands the
/// message as bytes: the lines a reader of standard error sees, in swift-log's `StreamLogHandler` format.
@Suite struct AccessLogLineTests {
    @Test func theServersHandlerWritesOneLinePerRequestWithTheErrorAsMetadata() throws {
        // A file already unlinked, read back from its start once the writer has flushed.
        var template = Array("/tmp/gm-access-log-XXXXXX".utf8CString)
        let descriptor = mkstemp(&template)
        try #require(descriptor >= 0)
        unlink(template)
        defer { close(descriptor) }
        let writer = LogLineWriter(descriptor: descriptor)
        let router = try TestRouter(
            accessLogger: Logger(label: "gateway-mock") { BatchedLogHandler(label: $0, writer: writer) })
        _ = router.openRouter()
        _ = router.openRouter(key: "sk-or-v1-0123456789abcdef")
        _ = router.portkey(key: nil)
        #expect(writer.flush())
        var bytes = [UInt8](repeating: 0, count: 4096)
        let count = pread(descriptor, &bytes, bytes.count, 0)
        let lines = String(decoding: bytes[..<max(0, count)], as: UTF8.self).split(separator: "\n").map {
            $0.replacing(#/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} /#, with: "T ")
                .replacing(#/ \d+µs/#, with: " Nµs")
        }
        #expect(
            lines == [
                "T info gateway-mock: [GatewayMock] default GET /api/v1/workspaces 200 Nµs key=[openrouter management key 1]",
                "T info gateway-mock: error=unknown key [GatewayMock] default GET /api/v1/workspaces 401 Nµs key=sk-or-v1-********",
                "T info gateway-mock: error=missing key [GatewayMock] default GET /v1/admin/workspaces 401 Nµs",
            ])
    }
}
