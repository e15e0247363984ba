#if TLS
    import COpenSSL
    import Testing

    @testable import MockHTTP

    #if canImport(Glibc)
        import Glibc
    #elseif canImport(Darwin)
        import Darwin
    #endif

    /// `TLSStream` against OpenSSL's client API over a socket pair, both ends driven from one thread with
    /// non-blocking I/O: handshakes, ALPN, exact transfers through partial writes, and every way a client can
    /// fail or stall the handshake.
    @Suite struct TLSStreamTests {
        init() {
            ignoreSIGPIPE()
        }

        // MARK: - Handshake

        @Test func handshakeCompletesWithTLS13AndVerifiesForLocalhost() throws {
            let context = try TLSTest.context()
            let connection = try TLSTest.connect(
                context: context, client: .init(trustedPEM: context.certificatePEM, expectedHost: "localhost"))
            #expect(connection.server.isHandshakeComplete)
            #expect(connection.server.protocolVersion == "TLSv1.3")
            #expect(connection.client.protocolVersion == "TLSv1.3")
        }

        @Test(arguments: ["127.0.0.1", "::1"])
        func selfSignedCertificateVerifiesForTheLoopbackAddresses(ip: String) throws {
            let context = try TLSTest.context()
            _ = try TLSTest.connect(
                context: context, client: .init(trustedPEM: context.certificatePEM, expectedIP: ip))
        }

        @Test func handshakeCompletesWithTLS12WhenTheClientGoesNoHigher() throws {
            let context = try TLSTest.context()
            let connection = try TLSTest.connect(
                context: context, client: .init(trustedPEM: context.certificatePEM, maximumVersion: TLS1_2_VERSION))
            #expect(connection.server.protocolVersion == "TLSv1.2")
            #expect(connection.client.protocolVersion == "TLSv1.2")
            #expect(connection.server.negotiatedALPN == "http/1.1")
        }

        @Test func clientOfferingOnlyTLS11IsRefused() throws {
            let pair = try SocketPair()
            let server = try TLSStream(context: TLSTest.context(), descriptor: pair.server)
            let client = try TLSTestClient(
                descriptor: pair.client,
                options: .init(maximumVersion: TLS1_1_VERSION, cipherList: "DEFAULT:@SECLEVEL=0"))
            let (serverProgress, clientProgress) = TLSTest.handshake(server: server, client: client)
            let reason = try #require(serverProgress.failureReason)
            #expect(reason.contains("unsupported protocol"), "\(reason)")
            #expect(clientProgress.failureReason != nil)
            #expect(!server.receivedPlainHTTP)
        }

        @Test(arguments: [
            (["http/1.1"], "http/1.1"),
            (["h2", "http/1.1"], "http/1.1"),
            (["http/1.0", "h2", "http/1.1", "spdy/3"], "http/1.1"),
        ])
        func alpnChoosesHTTP11WheneverOffered(offered: [String], chosen: String) throws {
            let connection = try TLSTest.connect(client: .init(alpn: offered))
            #expect(connection.server.negotiatedALPN == chosen)
            #expect(connection.client.negotiatedALPN == chosen)
        }

        @Test(arguments: [[String](), ["h2"], ["h2", "http/1.0"]])
        func clientNotOfferingHTTP11ContinuesWithoutALPN(offered: [String]) throws {
            let connection = try TLSTest.connect(client: .init(alpn: offered))
            #expect(connection.server.negotiatedALPN == nil)
            #expect(connection.client.negotiatedALPN == nil)
        }

        @Test func clientThatDistrustsTheCertificateFailsTheServersHandshake() throws {
            let pair = try SocketPair()
            let server = try TLSStream(context: TLSTest.context(), descriptor: pair.server)
            let stranger = try TLSContext(configuration: .selfSigned())
            let client = try TLSTestClient(descriptor: pair.client, options: .init(trustedPEM: stranger.certificatePEM))
            let (serverProgress, clientProgress) = TLSTest.handshake(server: server, client: client)
            #expect(clientProgress.failureReason?.contains("verify") == true, "\(clientProgress)")
            let reason = try #require(serverProgress.failureReason)
            #expect(reason.hasPrefix("TLS handshake failed: "), "\(reason)")
            #expect(reason.contains("alert"), "\(reason)")
        }

        @Test func clientThatChecksAnotherHostNameFailsVerification() throws {
            let context = try TLSTest.context()
            let pair = try SocketPair()
            let server = try TLSStream(context: context, descriptor: pair.server)
            let client = try TLSTestClient(
                descriptor: pair.client, options: .init(trustedPEM: context.certificatePEM, expectedHost: "example.com")
            )
            let (serverProgress, clientProgress) = TLSTest.handshake(server: server, client: client)
            #expect(clientProgress.failureReason?.contains("hostname mismatch") == true, "\(clientProgress)")
            #expect(serverProgress.failureReason != nil)
        }

        // MARK: - Clients that are not TLS clients

        @Test func plainHTTPRequestFailsTheHandshakeWithTheDistinctReasonAndStaysUnread() throws {
            let pair = try SocketPair()
            let server = try TLSStream(context: TLSTest.context(), descriptor: pair.server)
            let request = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"
            pair.sendFromClient(request)
            let reason = try #require(server.handshake().failureReason)
            #expect(reason == "plain HTTP sent to the TLS port (\"GET / HTTP/1.1\")")
            #expect(reason.hasPrefix(TLSStream.plainHTTPReasonPrefix))
            #expect(server.receivedPlainHTTP)
            // Only peeked at: the request is still there for a plain-text 400.
            var buffer = [UInt8](repeating: 0, count: 256)
            let count = recv(pair.server, &buffer, buffer.count, 0)
            #expect(count == request.utf8.count)
            // Failed for good: asking again gives the same answer and touches nothing.
            #expect(server.handshake() == .failed(reason))
        }

        @Test(arguments: ["POST /v1/admin/workspaces HTTP/1.1\r\n", "PRI * HTTP/2.0\r\n", "G"])
        func anyRequestLineCountsAsPlainHTTP(firstBytes: String) throws {
            let pair = try SocketPair()
            let server = try TLSStream(context: TLSTest.context(), descriptor: pair.server)
            pair.sendFromClient(firstBytes)
            #expect(server.handshake().failureReason?.hasPrefix(TLSStream.plainHTTPReasonPrefix) == true)
            #expect(server.receivedPlainHTTP)
        }

        @Test func bytesThatAreNeitherTLSNorHTTPFailWithOpenSSLsReason() throws {
            let pair = try SocketPair()
            let server = try TLSStream(context: TLSTest.context(), descriptor: pair.server)
            pair.sendFromClient([0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A])
            var progress = server.handshake()
            for _ in 0..<10 where !progress.isFinal { progress = server.handshake() }
            let reason = try #require(progress.failureReason)
            #expect(reason.hasPrefix("TLS handshake failed: "), "\(reason)")
            #expect(!server.receivedPlainHTTP)
        }

        @Test func silentClientLeavesTheHandshakeWantingToRead() throws {
            let pair = try SocketPair()
            let server = try TLSStream(context: TLSTest.context(), descriptor: pair.server)
            for _ in 0..<3 {
                #expect(server.handshake() == .wantsRead)
            }
            #expect(!server.isHandshakeComplete)
        }

        @Test func clientStallingHalfwayThroughItsHelloLeavesTheHandshakeWantingToRead() throws {
            // The first 40 bytes of a real ClientHello, then nothing.
            let capture = try SocketPair()
            let client = try TLSTestClient(descriptor: capture.client)
            #expect(client.handshake() == .wantsRead)
            var hello = [UInt8](repeating: 0, count: 40)
            #expect(recv(capture.server, &hello, hello.count, 0) == 40)

            let pair = try SocketPair()
            let server = try TLSStream(context: TLSTest.context(), descriptor: pair.server)
            pair.sendFromClient(hello)
            for _ in 0..<3 {
                #expect(server.handshake() == .wantsRead)
            }
        }

        @Test func clientClosingBeforeSendingAnythingFailsTheHandshake() throws {
            let pair = try SocketPair()
            let server = try TLSStream(context: TLSTest.context(), descriptor: pair.server)
            #expect(server.handshake() == .wantsRead)
            pair.closeClient()
            #expect(server.handshake() == .failed("TLS handshake failed: the client closed before sending anything"))
        }

        @Test func clientClosingInTheMiddleOfTheHandshakeFailsIt() throws {
            let pair = try SocketPair()
            let server = try TLSStream(context: TLSTest.context(), descriptor: pair.server)
            let client = try TLSTestClient(descriptor: pair.client)
            #expect(client.handshake() == .wantsRead)
            pair.closeClient()
            var progress = server.handshake()
            for _ in 0..<10 where !progress.isFinal { progress = server.handshake() }
            #expect(progress.failureReason?.hasPrefix("TLS handshake failed: ") == true, "\(progress)")
        }

        @Test func aFailingClientDoesNotDisturbAnotherOnTheSameContext() throws {
            let context = try TLSTest.context()
            let good = try SocketPair()
            let goodServer = try TLSStream(context: context, descriptor: good.server)
            let goodClient = try TLSTestClient(
                descriptor: good.client, options: .init(trustedPEM: context.certificatePEM))
            // Half a handshake for the good client...
            #expect(goodClient.handshake() == .wantsRead)
            #expect(goodServer.handshake() == .wantsRead)
            // ...then a bad one fails on the same context and thread...
            let bad = try SocketPair()
            let badServer = try TLSStream(context: context, descriptor: bad.server)
            bad.sendFromClient([0x16, 0x03, 0x01, 0x00, 0x05, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
            #expect(badServer.handshake().failureReason != nil)
            // ...and the good one completes and carries data.
            let (serverProgress, clientProgress) = TLSTest.handshake(server: goodServer, client: goodClient)
            #expect(serverProgress == .done)
            #expect(clientProgress == .done)
            let payload = Array("still fine".utf8)
            _ = payload.withUnsafeBytes { goodClient.write($0) }
            #expect(try TLSTest.readAll(payload.count, from: goodServer) == payload)
        }

        // MARK: - Data

        @Test func bytesRoundTripBothWaysExactly() throws {
            let connection = try TLSTest.connect()
            let request = TLSTest.randomBytes(5000)
            _ = request.withUnsafeBytes { connection.client.write($0) }
            #expect(try TLSTest.readAll(request.count, from: connection.server) == request)

            let response = Array("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".utf8)
            #expect(response.withUnsafeBytes { connection.server.write($0) } == .bytes(response.count))
            var buffer = [UInt8](repeating: 0, count: 1024)
            #expect(buffer.withUnsafeMutableBytes { connection.client.read(into: $0) } == .bytes(response.count))
            #expect(Array(buffer[..<response.count]) == response)
        }

        @Test func oneMebibyteFromTheServerGoesThroughPartialWritesAndWouldBlock() throws {
            let connection = try TLSTest.connect()
            let payload = TLSTest.randomBytes(1 << 20)
            let (received, statistics) = try TLSTest.transfer(
                payload, write: { connection.server.write($0) },
                wouldBlockWantsWrite: { connection.server.lastWouldBlockWantsWrite },
                read: { connection.client.read(into: $0) })
            #expect(received == payload)
            #expect(statistics.writes > 16, "a record or two per write, not the whole payload")
            #expect(statistics.wouldBlocks > 0)
            #expect(statistics.wouldBlocksWantingWrite == statistics.wouldBlocks)
        }

        @Test func oneMebibyteFromTheClientArrivesExactly() throws {
            let connection = try TLSTest.connect()
            let payload = TLSTest.randomBytes(1 << 20)
            let (received, statistics) = try TLSTest.transfer(
                payload, write: { connection.client.write($0) },
                wouldBlockWantsWrite: { connection.client.lastWouldBlockWantsWrite },
                read: { connection.server.read(into: $0) })
            #expect(received == payload)
            #expect(statistics.wouldBlocks > 0)
        }

        @Test func gatheredWritesOfSmallAndLargeBuffersArriveExactlyThroughWouldBlock() throws {
            let connection = try TLSTest.connect()
            // Chunks like a connection's output queue: response heads, small and large bodies, pipelined.
            let sizes = Array(repeating: [180, 2, 40_000, 90, 300, 16_384, 17_000, 1, 5000, 16_383, 70_000], count: 8)
                .flatMap { $0 }
            let all = TLSTest.randomBytes(sizes.reduce(0, +))
            var boundaries: [Range<Int>] = []
            for size in sizes {
                boundaries.append((boundaries.last?.upperBound ?? 0)..<(boundaries.last?.upperBound ?? 0) + size)
            }
            // Half the chunks are queued at first (more than the socket takes); one more joins each time the
            // socket refuses output, as pipelined responses would; the rest once the queue is empty.
            var queued = sizes.count / 2
            var chunk = 0
            var offset = 0
            var received: [UInt8] = []
            var scratch = [UInt8](repeating: 0, count: 64 * 1024)
            var wouldBlocks = 0
            var rounds = 0
            while received.count < all.count && rounds < 10_000 {
                rounds += 1
                if chunk < queued {
                    let progress = all.withUnsafeBytes { base in
                        let vectors = (chunk..<min(queued, chunk + 16)).map { index in
                            let range =
                                index == chunk
                                ? boundaries[index].lowerBound + offset..<boundaries[index].upperBound
                                : boundaries[index]
                            return iovec(
                                iov_base: UnsafeMutableRawPointer(mutating: base.baseAddress! + range.lowerBound),
                                iov_len: range.count)
                        }
                        return vectors.withUnsafeBufferPointer { connection.server.write(vectors: $0) }
                    }
                    switch progress {
                    case .bytes(var written):
                        #expect(written <= 2 * TLSStream.maximumRecordSize)
                        while written > 0 {
                            let left = boundaries[chunk].count - offset
                            if written < left {
                                offset += written
                                written = 0
                            } else {
                                written -= left
                                chunk += 1
                                offset = 0
                            }
                        }
                        continue
                    case .wouldBlock:
                        wouldBlocks += 1
                        queued = min(queued + 1, sizes.count)
                    case .closed:
                        Issue.record("closed: \(connection.server.closeReason ?? "?")")
                        return
                    }
                }
                if chunk == queued { queued = sizes.count }
                reading: while true {
                    switch scratch.withUnsafeMutableBytes({ connection.client.read(into: $0) }) {
                    case .bytes(let count): received += scratch[..<count]
                    case .wouldBlock, .closed: break reading
                    }
                }
            }
            #expect(received == all)
            #expect(wouldBlocks > 0)
        }

        @Test func gatheredSmallBuffersShareOneRecord() throws {
            let connection = try TLSTest.connect()
            let head = Array("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n".utf8)
            let body = Array("hello".utf8)
            let progress = head.withUnsafeBytes { headBytes in
                body.withUnsafeBytes { bodyBytes in
                    let vectors = [
                        iovec(iov_base: UnsafeMutableRawPointer(mutating: headBytes.baseAddress), iov_len: head.count),
                        iovec(iov_base: UnsafeMutableRawPointer(mutating: bodyBytes.baseAddress), iov_len: body.count),
                    ]
                    return vectors.withUnsafeBufferPointer { connection.server.write(vectors: $0) }
                }
            }
            #expect(progress == .bytes(head.count + body.count))
            // One record: a single read returns head and body together.
            var buffer = [UInt8](repeating: 0, count: 1024)
            #expect(
                buffer.withUnsafeMutableBytes { connection.client.read(into: $0) } == .bytes(head.count + body.count))
            #expect(Array(buffer[..<(head.count + body.count)]) == head + body)
        }

        @Test func readsWithASmallBufferLeaveTheRestBufferedInsideOpenSSL() throws {
            let connection = try TLSTest.connect()
            let payload = TLSTest.randomBytes(1000)
            _ = payload.withUnsafeBytes { connection.client.write($0) }
            var first = [UInt8](repeating: 0, count: 10)
            #expect(first.withUnsafeMutableBytes { connection.server.read(into: $0) } == .bytes(10))
            #expect(connection.server.hasBufferedInput)
            let rest = try TLSTest.readAll(990, from: connection.server)
            #expect(first + rest == payload)
            #expect(!connection.server.hasBufferedInput)
        }

        @Test func readWithNothingSentWouldBlockWantingToRead() throws {
            let connection = try TLSTest.connect()
            var buffer = [UInt8](repeating: 0, count: 100)
            #expect(buffer.withUnsafeMutableBytes { connection.server.read(into: $0) } == .wouldBlock)
            #expect(!connection.server.lastWouldBlockWantsWrite)
        }

        @Test func aStaleErrorLeftOnThisThreadsQueueDoesNotBreakTheNextCall() throws {
            let connection = try TLSTest.connect()
            // Leave an error on this thread's OpenSSL queue, as an unrelated failure elsewhere would.
            let bio = BIO_new(BIO_s_mem())
            #expect(PEM_read_bio_X509(bio, nil, nil, nil) == nil)
            BIO_free(bio)
            #expect(ERR_peek_error() != 0)
            var buffer = [UInt8](repeating: 0, count: 100)
            #expect(buffer.withUnsafeMutableBytes { connection.server.read(into: $0) } == .wouldBlock)
        }

        // MARK: - Closing

        @Test func closeNotifyFromTheClientReadsAsClosed() throws {
            let connection = try TLSTest.connect()
            connection.client.shutdown()
            var buffer = [UInt8](repeating: 0, count: 100)
            #expect(buffer.withUnsafeMutableBytes { connection.server.read(into: $0) } == .closed)
            #expect(connection.server.closeReason == "the client sent close_notify")
        }

        @Test func clientVanishingWithoutCloseNotifyReadsAsClosed() throws {
            let connection = try TLSTest.connect()
            // Let the client take the session tickets the server sent, so that closing sends a FIN, not a reset.
            var ignored = [UInt8](repeating: 0, count: 100)
            #expect(ignored.withUnsafeMutableBytes { connection.client.read(into: $0) } == .wouldBlock)
            connection.pair.closeClient()
            var buffer = [UInt8](repeating: 0, count: 100)
            #expect(buffer.withUnsafeMutableBytes { connection.server.read(into: $0) } == .closed)
            #expect(connection.server.closeReason == "the client closed the connection without close_notify")
            // Broken: later calls answer at once, and shutdown sends nothing.
            #expect(buffer.withUnsafeMutableBytes { connection.server.read(into: $0) } == .closed)
            #expect(Array("x".utf8).withUnsafeBytes { connection.server.write($0) } == .closed)
            connection.server.shutdown()
        }

        @Test func clientResettingTheConnectionReadsAsClosed() throws {
            let connection = try TLSTest.connect()
            // Unread bytes (the session tickets) in the client's socket make closing it a reset.
            connection.pair.closeClient()
            var buffer = [UInt8](repeating: 0, count: 100)
            #expect(buffer.withUnsafeMutableBytes { connection.server.read(into: $0) } == .closed)
            #expect(connection.server.closeReason == "Connection reset by peer")
        }

        @Test func writingToAClientThatHasGoneReadsAsClosedWithoutSIGPIPE() throws {
            let connection = try TLSTest.connect()
            connection.pair.closeClient()
            let payload = TLSTest.randomBytes(100_000)
            var progress = StreamSocket.Progress.bytes(0)
            var offset = 0
            // Until the reset arrives (at once on an idle machine; on a busy one the first writes may only
            // fill the socket buffer and then report no progress): at most 2 s, never a busy loop.
            let deadline = ContinuousClock.now + .seconds(2)
            while ContinuousClock.now < deadline {
                progress = payload.withUnsafeBytes {
                    connection.server.write(UnsafeRawBufferPointer(rebasing: $0[(offset % payload.count)...]))
                }
                guard case .bytes(let count) = progress else { break }
                offset += count
                if count == 0 { usleep(1_000) }
            }
            #expect(progress == .closed)
            #expect(connection.server.closeReason?.isEmpty == false)
        }

        @Test func shutdownSendsCloseNotifyThatTheClientSees() throws {
            let connection = try TLSTest.connect()
            connection.server.shutdown()
            connection.server.shutdown()  // idempotent
            var buffer = [UInt8](repeating: 0, count: 100)
            #expect(buffer.withUnsafeMutableBytes { connection.client.read(into: $0) } == .closed)
        }

        @Test func shutdownBeforeTheHandshakeDoesNothing() throws {
            let pair = try SocketPair()
            let server = try TLSStream(context: TLSTest.context(), descriptor: pair.server)
            server.shutdown()
            var buffer = [UInt8](repeating: 0, count: 10)
            #expect(recv(pair.client, &buffer, buffer.count, 0) == -1)  // nothing was sent
        }

        @Test func freeingTheStreamLeavesTheDescriptorOpen() throws {
            let pair = try SocketPair()
            do {
                let server = try TLSStream(context: TLSTest.context(), descriptor: pair.server)
                _ = server.handshake()
            }
            #expect(fcntl(pair.server, F_GETFD) != -1)
        }
    }
#endif
