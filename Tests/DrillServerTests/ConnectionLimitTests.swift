#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DrillRegistry
@testable import DrillServer
import Foundation
import Logging
import Testing

/// Connections that keep the server waiting are closed, the server holds no more connections than its limit and
/// keeps answering at it, and a client that pipelines requests without reading the answers is not read from.
///
/// The short forms of the connection storm and slowloris of docs/hardening.md ("Connections"), with limits small
/// enough to run in seconds; `scripts/connection-storm.py` is the long form against a `regdrill serve` process.
@Suite struct ConnectionLimitTests {
    static let patience = 30.0

    func withServer(_ world: TestWorld, limits: ConnectionLimits, _ body: (Int) async throws -> Void) async throws {
        let running = try await world.server(connectionLimits: limits).start()
        do { try await body(running.port) } catch { await running.stop(); throw error }
        await running.stop()
    }

    func get(_ path: String, close: Bool = false) -> [UInt8] {
        Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\(close ? "Connection: close\r\n" : "")\r\n".utf8)
    }

    /// Opens a connection and sends `bytes` (then, if `dribble`, one more byte every 200 ms), and reports how long the
    /// server took to close it, or nil if it was still open after `wait` seconds.
    static func secondsUntilClosed(port: Int, sending bytes: [UInt8], dribble: Bool = false, wait: Double) async throws -> Double? {
        try await onThread {
            let fd = try RawHTTPClient.connected(port: port, timeout: 0.2)
            defer { close(fd) }
            let start = ContinuousClock.now
            _ = RawHTTPClient.writeUntilAnswered(fd, bytes)
            var buffer = [UInt8](repeating: 0, count: 4096)
            while (ContinuousClock.now - start) < .seconds(wait) {
                let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
                if n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
                    let elapsed = ContinuousClock.now - start
                    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                }
                if dribble { _ = RawHTTPClient.writeUntilAnswered(fd, Array("X-Slow: 1\r\n".utf8.prefix(1))) }
            }
            return nil
        }
    }

    static func onThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try work() }) }
        }
    }

    @Test func connectionsThatKeepTheServerWaitingAreClosed() async throws {
        let world = try TestWorld()
        try world.registry.seedPackage(name: "left-pad", maintainers: [], versions: ["1.0.0"])
        let limits = ConnectionLimits(maximumConnections: 64, requestHeadTimeout: .seconds(1), requestBodyTimeout: .seconds(2))
        try await withServer(world, limits: limits) { port in
            let partialHead = Array("GET /left-pad HTTP/1.1\r\nHost: 127.0.0.1\r\n".utf8)
            let partialBody = Array("PUT /left-pad HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"name\":".utf8)
            // The silent client, the slowloris (a head never finished, or finished a byte at a time too slowly), and the
            // body that never arrives.
            async let silent = Self.secondsUntilClosed(port: port, sending: [], wait: 10)
            async let slow = Self.secondsUntilClosed(port: port, sending: partialHead, wait: 10)
            async let dribbling = Self.secondsUntilClosed(port: port, sending: partialHead, dribble: true, wait: 10)
            async let stalledBody = Self.secondsUntilClosed(port: port, sending: partialBody, wait: 10)
            let closed = try await [("silent", silent), ("slow head", slow), ("dribbled head", dribbling), ("stalled body", stalledBody)]
            for (kind, seconds) in closed {
                #expect(seconds != nil, "\(kind): still open after 10 s")
                if let seconds {
                    // Not before its deadline: the head gets 1 s, the body 2 s after its head.
                    #expect(seconds >= 0.9, "\(kind): closed after \(seconds) s")
                    #expect(seconds < 8, "\(kind): closed after \(seconds) s")
                }
            }
            // The server answers as before.
            let answer = try await RawHTTPClient.exchange(get("/left-pad", close: true), port: port, timeout: Self.patience)
            #expect(answer.status == 200)
        }
    }

    @Test func aConnectIsRefusedAtOnceAndTheConnectionClosed() async throws {
        let world = try TestWorld()
        try await withServer(world, limits: ConnectionLimits()) { port in
            // Through Hummingbird, a CONNECT got a 400 with neither length nor close: the client waited for its timeout.
            // Then a 405 whose body NIO's encoder dropped (it frames every answer to a CONNECT as bodiless).
            let started = ContinuousClock.now
            let answer = try await RawHTTPClient.exchange(Array("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n".utf8),
                                                          port: port, timeout: 20)
            #expect(answer.status == 405)
            #expect(answer.header("connection") == "close")
            #expect(answer.header("content-length") == String(answer.body.count))
            #expect(answer.errorText?.contains("CONNECT is not supported") == true, "body: \(answer.text)")
            #expect(!answer.timedOut)
            #expect(ContinuousClock.now - started < .seconds(10))
        }
    }

    @Test func aClientAnsweredWithinTheDeadlinesKeepsItsConnection() async throws {
        let world = try TestWorld()
        try world.registry.seedPackage(name: "left-pad", maintainers: [], versions: ["1.0.0"])
        let limits = ConnectionLimits(maximumConnections: 64, requestHeadTimeout: .seconds(2), requestBodyTimeout: .seconds(2))
        try await withServer(world, limits: limits) { port in
            // Three requests 1.2 s apart on one kept-alive connection: each within 2 s of the previous answer, so the
            // connection lives 3.6 s, longer than either deadline.
            let answers = try await Self.onThread { () -> [Int?] in
                let fd = try RawHTTPClient.connected(port: port, timeout: Self.patience)
                defer { close(fd) }
                var statuses: [Int?] = []
                for i in 0..<3 {
                    if i > 0 { Thread.sleep(forTimeInterval: 1.2) }
                    _ = RawHTTPClient.writeUntilAnswered(fd, self.get("/left-pad"))
                    var answer = RawAnswer()
                    RawHTTPClient.readAnswer(fd, into: &answer)
                    statuses.append(answer.status)
                }
                return statuses
            }
            #expect(answers == [200, 200, 200])
        }
    }

    @Test func atTheLimitTheConnectionWaitingLongestMakesRoom() async throws {
        let world = try TestWorld()
        try world.registry.seedPackage(name: "left-pad", maintainers: [], versions: ["1.0.0"])
        // Deadlines far longer than the test: only the limit can close these connections.
        let limits = ConnectionLimits(maximumConnections: 8, requestHeadTimeout: .seconds(300), requestBodyTimeout: .seconds(300))
        try await withServer(world, limits: limits) { port in
            let idle = try (0..<20).map { _ in try RawHTTPClient.connected(port: port, timeout: 0.2) }
            defer { idle.forEach { close($0) } }
            // A client arriving after twenty idle ones is answered at once.
            let start = ContinuousClock.now
            let answer = try await RawHTTPClient.exchange(get("/left-pad", close: true), port: port, timeout: Self.patience)
            #expect(answer.status == 200)
            #expect(ContinuousClock.now - start < .seconds(10))
            // The server holds at most its limit: of the 21 connections, at least 13 were closed to make room, the
            // longest waiting first (the first opened among them).
            var closed: [Int] = []
            for (i, fd) in idle.enumerated() {
                var byte: UInt8 = 0
                let n = recv(fd, &byte, 1, Int32(MSG_DONTWAIT))
                if n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) { closed.append(i) }
            }
            #expect(closed.count >= 12, "closed: \(closed)")
            #expect(closed.contains(0), "closed: \(closed)")
        }
    }

    @Test func aClientThatNeverReadsItsAnswersIsNotReadFrom() async throws {
        let world = try TestWorld()
        try world.registry.seedPackage(name: "left-pad", maintainers: [], versions: (0..<40).map { "1.0.\($0)" })
        // The server logs each answer at debug level: the count of answers is what it read and wrote.
        let log = LogCapture()
        var logger = Logger(label: "regdrill.test") { _ in CapturingLogHandler(capture: log) }
        logger.logLevel = .debug
        let running = try await RegistryServer(registry: world.registry, configuration: .init(host: "127.0.0.1", port: 0), logger: logger).start()
        do { try await pipelineWithoutReading(port: running.port, log: log) } catch { await running.stop(); throw error }
        await running.stop()
    }

    func pipelineWithoutReading(port: Int, log: LogCapture) async throws {
        // Fill the cache, so every request below is answered on the event loop (CachedPackumentHandler).
        let first = try await RawHTTPClient.exchange(get("/left-pad", close: true), port: port, timeout: Self.patience)
        #expect(first.status == 200)
        let request = get("/left-pad")
        // Pipelines requests without reading an answer, until 48 MB were sent or the server read nothing for 2 s.
        let limit = 48 << 20
        let sent = try await Self.onThread { () -> Int in
            let fd = try RawHTTPClient.connected(port: port, timeout: 2)
            defer { close(fd) }
            let batch = Array([[UInt8]](repeating: request, count: 1000).joined())
            var sent = 0
            while sent < limit {
                let n = batch.withUnsafeBytes { raw -> Int in
                    #if canImport(Glibc)
                    return send(fd, raw.baseAddress!, raw.count, Int32(MSG_NOSIGNAL))
                    #else
                    return send(fd, raw.baseAddress!, raw.count, 0)
                    #endif
                }
                if n <= 0 { break }
                sent += n
            }
            return sent
        }
        let answered = log.all.filter { $0.hasPrefix("debug GET /left-pad 200") }.count
        // The answers (15 KB each) fill the socket's buffers and then the channel's outbound buffer to its
        // high-water mark, and the server stops reading: a few thousand answers at most on loopback. Before, it went on
        // reading and queueing answers (tens of thousands in this test, gigabytes in a longer run), slower and slower.
        #expect(sent < limit, "the server read all \(limit >> 20) MB of requests without any of its answers being read")
        #expect(answered < 5_000, "\(answered) answers written for \(sent / request.count) requests, none read")
        let after = try await RawHTTPClient.exchange(get("/left-pad", close: true), port: port, timeout: Self.patience)
        #expect(after.status == 200)
    }
}
