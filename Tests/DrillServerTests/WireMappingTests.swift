import DrillRegistry
@testable import DrillServer
import HTTPTypes
import Hummingbird
import Testing

/// Every way the registry refuses maps to exactly what npm 10 understands (npm-protocol.md §3.1, §10),
/// and never to a 5xx or 429, which npm would retry with a long backoff.
@Suite struct WireMappingTests {
    static let cases: [(WireResponse, Int, String?)] = [
        (.otpChallenge, 401, "OTP"),
        (.ipAddress, 401, "ipaddress"),
        (.badPassword, 401, "Basic"),
        (.badToken, 401, "Bearer"),
        (.forbidden, 403, nil),
        (.notFound, 404, nil),
        (.badRequest, 400, nil),
    ]

    /// Every refusal's response is in the table above; the one that is not a refusal (the registry's storage failing)
    /// is a 500 with the SQLite result code and nothing more.
    @Test func aStorageFailureIsAServerFault() async throws {
        #expect(Set(Self.cases.map(\.0)).union([.serverFault]).count == 8)
        let r = WireMapping.response(for: .invalid(.storageFailed("The registry's storage failed (SQLite result code 10).")))
        #expect(r.status.code == 500)
        #expect(r.headers[HTTPField.Name("npm-notice")!] == nil)
        let collected = Collected()
        try await r.body.write(BufferWriter(box: collected))
        let json = try #require(JSONValue.parse(Array(collected.buffer.readableBytesView)))
        #expect(json["error"] == "The registry's storage failed (SQLite result code 10).")
        #expect(json["rule"] == "storage.failed")
    }

    @Test(arguments: cases)
    func mapsEachWireResponse(response: WireResponse, status: Int, challenge: String?) async throws {
        let denial = Denial(rule: .cidrMismatch, defense: .cidrTokens, message: "Refused for the test.", source: "test", response: response)
        let r = WireMapping.response(for: .denied(denial))
        #expect(r.status.code == status)
        #expect(r.status.code < 500 && r.status.code != 429)
        #expect(r.headers[.wwwAuthenticate] == challenge)
        #expect(r.headers[.contentType] == "application/json")
        #expect(r.headers[HTTPField.Name("npm-notice")!] == "Refused for the test. [rule token.cidr-mismatch, defense cidr-tokens]")
        let collected = Collected()
        try await r.body.write(BufferWriter(box: collected))
        let json = try #require(JSONValue.parse(Array(collected.buffer.readableBytesView)))
        #expect(json["rule"] == "token.cidr-mismatch")
        #expect(json["defense"] == "cidr-tokens")
        if response == .otpChallenge {
            #expect(json["error"] == "Refused for the test.")
        } else {
            #expect(json["error"] == "Refused for the test. [rule token.cidr-mismatch, defense cidr-tokens]")
        }
    }

    @Test func invalidInputRefusalsNameTheInputValidationRule() async throws {
        let r = WireMapping.response(for: .invalid(.versionExists(package: "p", version: "1.0.0")))
        #expect(r.status == .forbidden)   // npmjs answers a republish with 403
        #expect(r.headers[HTTPField.Name("npm-notice")!]?.contains("[rule input.version-exists, defense input-validation]") == true)
        #expect(WireMapping.response(for: .invalid(.unknownPackage("p"))).status == .notFound)
        #expect(WireMapping.response(for: .invalid(.invalidVersion("x"))).status == .badRequest)
    }

    @Test func noticesAreHeaderSafe() {
        #expect(Text.headerSafe("caf\u{e9} \u{1b}[31m\nline") == "caf? ?[31m?line")
        #expect(Text.headerSafe(String(repeating: "a", count: 600)).count == 512)
    }
}

/// Collects a response body in tests (one task writes it, then the test reads it).
final class Collected: @unchecked Sendable { var buffer = ByteBuffer() }

struct BufferWriter: ResponseBodyWriter {
    let box: Collected
    mutating func write(_ buffer: ByteBuffer) async throws { box.buffer.writeImmutableBuffer(buffer) }
    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
