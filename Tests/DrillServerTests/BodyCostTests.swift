import DrillRegistry
@testable import DrillServer
import Foundation
import Testing

/// The work a request can cause before its credential is looked at is bounded, and large bodies are parsed where
/// they do not hold up other clients (docs/hardening.md, "Bodies before credentials").
@Suite struct BodyCostTests {
    static let patience = 60.0

    /// A JSON body of `megabytes` MB of numbers: the costliest JSON to parse per byte.
    static func numbers(megabytes: Int) -> [UInt8] {
        var body = Array("{\"name\":\"left-pad\",\"versions\":{},\"n\":[".utf8)
        body.reserveCapacity(megabytes << 20 + 64)
        let item = Array("1234567.5e-3,".utf8)
        while body.count < megabytes << 20 { body += item }
        body += Array("0]}".utf8)
        return body
    }

    static func put(_ path: String, body: [UInt8], authorization: String? = nil) -> [UInt8] {
        var head = "PUT \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n"
        if let authorization { head += "Authorization: \(authorization)\r\n" }
        return Array((head + "\r\n").utf8) + body
    }

    func withServer(_ world: TestWorld, _ body: (Int) async throws -> Void) async throws {
        let running = try await world.server(maximumDocumentBytes: 20 << 20).start()
        do { try await body(running.port) } catch { await running.stop(); throw error }
        await running.stop()
    }

    @Test("A large body without a valid credential is refused before it is read, by the registry's rule", arguments: [
        (nil as String?, RuleID.credentialRequired), ("Bearer npm_forgedforgedforgedforgedforgedforged00", .tokenUnknown),
        ("Basic " + Data("alice:wrong-password".utf8).base64EncodedString(), .passwordInvalid),
    ])
    func refusedUnread(_ authorization: String?, _ rule: RuleID) async throws {
        let world = try TestWorld()
        try world.account("alice")
        let body = Self.numbers(megabytes: 15)
        try await withServer(world) { port in
            let answer = try await RawHTTPClient.exchange(Self.put("/left-pad", body: body, authorization: authorization), port: port,
                                                          timeout: Self.patience)
            #expect(answer.status == 401)
            #expect(answer.ruleText == rule.rawValue)
            // The server answered and closed while the client was still writing: most of the body was never read.
            #expect(answer.bytesWritten < body.count / 2, "\(answer.bytesWritten) of \(body.count) bytes written")
        }
        // Judged and audited as the publish it would have been.
        let entry = try #require(try world.registry.auditLog().last)
        #expect(entry.operation == OperationKind.publish.rawValue)
        #expect(entry.target == "left-pad")
        #expect(entry.outcome == "denied")
        #expect(entry.rule == rule.rawValue)
    }

    @Test func aSmallAnonymousBodyIsRefusedAsBefore() async throws {
        let world = try TestWorld()
        try await withServer(world) { port in
            // Small bodies are cheap to parse: they get the answer they always got (malformed JSON is a 400).
            let malformed = try await RawHTTPClient.exchange(Self.put("/left-pad", body: Array("{\"name\":".utf8)), port: port,
                                                             timeout: Self.patience)
            #expect(malformed.status == 400)
            let anonymous = try await RawHTTPClient.exchange(Self.put("/left-pad", body: Array("{\"name\":\"left-pad\"}".utf8)), port: port,
                                                             timeout: Self.patience)
            #expect(anonymous.status == 400 || anonymous.status == 401)
        }
    }

    @Test func loginBodiesAreSmall() async throws {
        let world = try TestWorld()
        try world.account("alice")
        try await withServer(world) { port in
            let padding = String(repeating: "x", count: 20 * 1024)
            let body = Array("{\"name\":\"alice\",\"password\":\"\(padding)\"}".utf8)
            let answer = try await RawHTTPClient.exchange(Self.put("/-/user/org.couchdb.user:alice", body: body), port: port, timeout: Self.patience)
            #expect(answer.status == 413)
            #expect(answer.errorText?.contains("16384") == true)
        }
    }

    @Test func largeBodiesWithAValidCredentialAreReadAndParsed() async throws {
        let world = try TestWorld()
        try world.account("alice")
        let token = try world.token("alice")
        // Over the size parsed inline: parsed on the body-parsing thread, then judged as a publish like any other.
        let body = Self.numbers(megabytes: 3)
        try await withServer(world) { port in
            let request = Self.put("/left-pad", body: body, authorization: "Bearer \(token)")
            let answer = try await RawHTTPClient.exchange(request, port: port, timeout: Self.patience)
            // Read whole and parsed: a publish without a version is bad input, not a credential problem.
            #expect(answer.bytesWritten == request.count)
            #expect(answer.status == 400)
            #expect(answer.errorText?.contains("_attachments") == true || answer.errorText?.contains("versions") == true, "\(answer.text)")
        }
    }
}
