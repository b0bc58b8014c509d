import DrillRegistry
@testable import DrillServer
import Foundation
import Testing

/// The event-loop answer to cached anonymous packument GETs (CachedPackumentHandler) is the ordinary answer, never a
/// stale one, and never out of order with the answers Hummingbird gives on the same connection.
@Suite struct CachedPackumentTests {
    /// How long to wait for an answer: a guard against a hang, generous because the suite runs beside others on a
    /// busy machine (the server under test shares this process's threads with every other test).
    static let patience = 30.0

    func get(_ path: String, token: String? = nil, close: Bool = false) -> [UInt8] {
        var head = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n"
        if let token { head += "Authorization: Bearer \(token)\r\n" }
        if close { head += "Connection: close\r\n" }
        return Array((head + "\r\n").utf8)
    }

    func withServer(_ world: TestWorld, _ body: (Int) async throws -> Void) async throws {
        let running = try await world.server().start()
        do { try await body(running.port) } catch { await running.stop(); throw error }
        await running.stop()
    }

    func versions(_ answer: RawAnswer) -> [String] {
        JSONValue.parse(answer.body)?["versions"]?.objectValue.map { Array($0.keys).sorted() } ?? []
    }

    @Test func theCachedAnswerIsTheOrdinaryOneAndFollowsEveryWrite() async throws {
        let world = try TestWorld()
        try world.account("alice")
        let token = try world.token("alice")
        try world.registry.seedPackage(name: "left-pad", maintainers: ["alice"], versions: ["1.0.0"])
        try await withServer(world) { port in
            // The first anonymous GET renders (through Hummingbird), the second is answered from the cache.
            let rendered = try await RawHTTPClient.exchange(get("/left-pad", close: true), port: port, timeout: Self.patience)
            let cached = try await RawHTTPClient.exchange(get("/left-pad"), port: port, timeout: Self.patience)
            let judged = try await RawHTTPClient.exchange(get("/left-pad", token: token), port: port, timeout: Self.patience)
            for answer in [rendered, cached, judged] {
                #expect(answer.status == 200)
                #expect(answer.body == rendered.body)
                #expect(answer.header("content-type") == "application/json")
                #expect(answer.header("cache-control") == "no-store")
                #expect(answer.header("content-length") == String(rendered.body.count))
                #expect(answer.header("server") == "regdrill")
                #expect(answer.header("date")?.hasSuffix(" GMT") == true)
            }
            // A write makes the very next anonymous GET render afresh.
            _ = try world.registry.publish(RequestContext(credential: .bearer(token)),
                                           PublishRequest(package: "left-pad", version: "1.0.1", tarball: Array("1.0.1".utf8)))
            let after = try await RawHTTPClient.exchange(get("/left-pad"), port: port, timeout: Self.patience)
            #expect(versions(after) == ["1.0.0", "1.0.1"])
        }
    }

    @Test func pipelinedAnswersLeaveInTheOrderAsked() async throws {
        let world = try TestWorld()
        try world.account("alice")
        let token = try world.token("alice")
        try world.registry.seedPackage(name: "first", maintainers: ["alice"], versions: ["1.0.0"])
        try world.registry.seedPackage(name: "second", maintainers: ["alice"], versions: ["2.0.0"])
        try await withServer(world) { port in
            // Fill the cache for both.
            for name in ["first", "second"] {
                _ = try await RawHTTPClient.exchange(get("/\(name)", close: true), port: port, timeout: Self.patience)
            }
            // A judged GET (an async task) then cached anonymous ones, in one write: the answers keep that order.
            let order = ["first", "second", "first", "second", "second"]
            let requests = order.enumerated().map { i, name in
                get("/\(name)", token: i == 0 ? token : nil, close: i == order.count - 1)
            }
            let answers = try await RawHTTPClient.pipelined(requests, port: port, timeout: Self.patience)
            #expect(answers.count == order.count)
            #expect(answers.map { JSONValue.parse($0.body)?["name"]?.stringValue ?? "?" } == order)
        }
    }

    @Test("The direct reading of a packument path agrees with the router", arguments: [
        "/left-pad", "/-", "/-foo", "/a", "/@scope/name", "/@scope%2fname", "/Left-Pad", "/.hidden", "/fs", "/%2e%2e",
        "/left-pad/", "/left-pad/-/left-pad-1.0.0.tgz", "/a%20b", "/-/whoami", "/", "/x?write=true", "/_private",
    ])
    func directRoute(_ path: String) {
        #expect(CachedPackumentHandler.packumentRoute(path) == (try? Route.parse(rawPath: path)))
    }

    @Test("The Date header", arguments: [
        (0 as Int64, "Thu, 01 Jan 1970 00:00:00 GMT"), (784_111_777, "Sun, 06 Nov 1994 08:49:37 GMT"),
        (1_796_000_000, "Mon, 30 Nov 2026 00:53:20 GMT"), (951_782_400, "Tue, 29 Feb 2000 00:00:00 GMT"),
    ])
    func httpDate(_ seconds: Int64, _ text: String) {
        #expect(Timestamp.http(seconds) == text)
    }
}
