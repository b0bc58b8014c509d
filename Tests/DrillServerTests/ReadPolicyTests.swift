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

    /// Before 2018 (registry docs of 2017) a deleted token "will remain valid for one hour"; from 2018 none.
    @Test(arguments: [("2017-12-20", true), ("2024-06-01", false)])
    func aRevokedTokenCannotReadOnceTheCacheGraceHasPassed(_ day: String, _ graceHonoured: Bool) async throws {
        let world = try TestWorld(era: day, now: noonOf(day))
        try world.account("alice")
        let token = try world.token("alice")
        try await withRouter(world) { client async throws in
            _ = try await client.publish("wshop-read", "1.0.0", token: token)
            let before = try await client.get("/wshop-read", token: token)
            #expect(before.status == .ok)
            #expect(before.headers[.npmNotice] == nil)
            let key = try #require(try world.registry.tokens(of: "alice").first?.key)
            try world.registry.revokeToken(RequestContext(credential: .bearer(token)), keyOrToken: key)
            // Within the era's cache grace the token still works and the answer says why (npm prints it as
            // `npm notice ...`); after it, reads are refused.
            let inGrace = try await client.get("/wshop-read", token: token)
            #expect(inGrace.status == (graceHonoured ? .ok : .unauthorized))
            if graceHonoured {
                let notice = try #require(inGrace.headers[.npmNotice])
                #expect(notice.contains("revocation grace, rule token.revoked"), "\(notice)")
            }
            world.clock.advance(by: 3_601)
            let refused = try await client.get("/wshop-read", token: token)
            #expect(refused.status == .unauthorized)
            #expect(refused.json?["rule"]?.stringValue == "token.revoked")
            #expect(try await client.get("/wshop-read").status == .ok, "anonymous reads of a public package need no credential")
        }
    }
}

/// Noon UTC of `day` (yyyy-MM-dd), in seconds.
private func noonOf(_ day: String) -> Int64 { (try! RegistryEra(day)).startOfDay + 12 * 3_600 }
