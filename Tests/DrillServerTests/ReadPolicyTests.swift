import DrillRegistry
@testable import DrillServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Reads go through the policy too when a credential comes with them: npm sends the npmrc's token on every GET.
@Suite struct ReadPolicyTests {
    @Test func aCIDRLimitedTokenCannotReadFromOutsideItsRange() async throws {
        let world = try TestWorld()
        try world.account("alice")
        let publisher = try world.token("alice")
        let limited = try world.token("alice", TokenRequest(kind: .readOnly, cidrAllowlist: [try CIDRBlock("10.0.0.0/8")]))
        try await withRouter(world) { client async throws in
            _ = try await client.publish("wshop-read", "1.0.0", token: publisher)
            let anonymous = try await client.get("/wshop-read")
            #expect(anonymous.status == .ok)
            let refused = try await client.get("/wshop-read", token: limited)
            #expect(refused.status == .unauthorized)
            #expect(refused.headers[.wwwAuthenticate] == "ipaddress")
            #expect(refused.json?["rule"]?.stringValue == "token.cidr-mismatch")
        }
    }

    @Test func aRevokedTokenCannotReadOnceTheCacheGraceHasPassed() async throws {
        let world = try TestWorld()
        try world.account("alice")
        let token = try world.token("alice")
        try await withRouter(world) { client async throws in
            _ = try await client.publish("wshop-read", "1.0.0", token: token)
            #expect(try await client.get("/wshop-read", token: token).status == .ok)
            let key = try #require(try world.registry.tokens(of: "alice").first?.key)
            try world.registry.revokeToken(RequestContext(credential: .bearer(token)), keyOrToken: key)
            // Within npm's cache grace (up to an hour) the token still works; after it, reads are refused.
            #expect(try await client.get("/wshop-read", token: token).status == .ok)
            world.clock.advance(by: 3_601)
            let refused = try await client.get("/wshop-read", token: token)
            #expect(refused.status == .unauthorized)
            #expect(refused.json?["rule"]?.stringValue == "token.revoked")
            #expect(try await client.get("/wshop-read").status == .ok, "anonymous reads of a public package need no credential")
        }
    }
}
