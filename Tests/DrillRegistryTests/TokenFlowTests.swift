import DrillCrypto
@testable import DrillRegistry
import Foundation
import Testing

/// Tokens through `Registry`: create, list, revoke, read-only, CIDR, expiry, the end of classic tokens.
@Suite struct TokenFlowTests {
    /// 2018, an account without 2FA and its login token.
    static func world(_ date: String = "2018-07-12") throws -> (World, String) {
        let w = try World(date)
        try w.registry.seedAccount(name: "alice", email: "alice@example.com", password: "hunter2")
        try w.registry.seedPackage(name: "left-pad", maintainers: ["alice"], versions: ["1.0.0"])
        return (w, try w.registry.seedToken(owner: "alice", request: .classicPublish))
    }

    @Test("Create, list and revoke: the secret is shown once, listed by its sha512 key, revoked by key prefix or token")
    func createListRevoke() throws {
        let (w, login) = try Self.world()
        let ro = try w.registry.createToken(w.bearer(login), request: .classicReadOnly, password: "hunter2")
        w.clock.advance(by: 1)
        let publish = try w.registry.createToken(w.bearer(login), request: .classicPublish, password: "hunter2")
        for issued in [ro, publish] {
            #expect(issued.token.hasPrefix("npm_") && issued.token.count == 40)
            #expect(issued.summary.key == Digest.sha512Hex(issued.token))
            #expect(issued.summary.key.count == 128 && issued.summary.key.allSatisfy { $0.isHexDigit && !$0.isUppercase })
            #expect(issued.summary.prefix == String(issued.token.prefix(6)))
            #expect(issued.summary.owner == "alice")
        }
        #expect(ro.summary.readOnly && ro.summary.kind == .readOnly)
        #expect(publish.summary.kind == .publish && publish.summary.expires == nil)

        let listed = try w.registry.listTokens(w.bearer(login))
        #expect(Set(listed.map(\.key)) == Set([ro.summary.key, publish.summary.key, Digest.sha512Hex(login)]))
        let json = String(decoding: try JSONEncoder().encode(listed), as: UTF8.self)
        for secret in [login, ro.token, publish.token] {
            #expect(!json.contains(secret))
            #expect(!json.contains(String(secret.dropFirst(4).prefix(12))))
        }
        // The database holds digests only.
        let stored = try w.registry.snapshot().values.joined().joined(separator: "\n")
        #expect(!stored.contains(ro.token) && !stored.contains(publish.token) && !stored.contains(login))

        try w.registry.revokeToken(w.bearer(login), keyOrToken: String(ro.summary.key.prefix(10)))
        try w.registry.revokeToken(w.bearer(login), keyOrToken: publish.token)
        #expect(try w.registry.listTokens(w.bearer(login)).map(\.key) == [Digest.sha512Hex(login)])
        #expect(try w.registry.tokens(of: "alice").filter { $0.revoked != nil }.count == 2)
        // Revoking again, or someone else's / unknown ids, is refused as unknown.
        #expect(refusal { try w.registry.revokeToken(w.bearer(login), keyOrToken: publish.token) }?.rule == "input.unknown-token")
        #expect(refusal { try w.registry.revokeToken(w.bearer(login), keyOrToken: "ffffffffffff") }?.rule == "input.unknown-token")
        // Revoking by the full 128-character key works too.
        let third = try w.registry.createToken(w.bearer(login), request: .classicReadOnly, password: "hunter2")
        try w.registry.revokeToken(w.bearer(login), keyOrToken: third.summary.key.uppercased())
        #expect(try w.registry.tokens(of: "alice").first { $0.key == third.summary.key }?.revoked == w.clock.now())
    }

    @Test("An empty or ambiguous id revokes nothing")
    func revokeNeedsAnId() throws {
        let (w, login) = try Self.world()
        let before = try w.registry.tokens(of: "alice")
        #expect(before.count == 1)
        // With a single token, an empty prefix would match it: it must not.
        #expect(refusal { try w.registry.revokeToken(w.bearer(login), keyOrToken: "") }?.rule == "input.unknown-token")
        #expect(try w.registry.tokens(of: "alice") == before)
        // 17 keys share at least one first hex digit: that one-character id is ambiguous and revokes nothing.
        for _ in 0..<16 { _ = try w.registry.createToken(w.bearer(login), request: .classicReadOnly, password: "hunter2") }
        let keys = try w.registry.tokens(of: "alice").map(\.key)
        let shared = try #require(Dictionary(grouping: keys, by: { $0.prefix(1) }).first { $0.value.count > 1 })
        #expect(refusal { try w.registry.revokeToken(w.bearer(login), keyOrToken: String(shared.key)) }?.rule == "input.invalid")
        #expect(try w.registry.tokens(of: "alice").allSatisfy { $0.revoked == nil })
    }

    @Test("A key prefix is text, not a pattern: % and _ match nothing", arguments: [
        String(repeating: "_", count: 128), String(repeating: "%", count: 128), "%" + String(repeating: "a", count: 127),
        String(repeating: "_", count: 127) + "%",
    ])
    func revokeIdsAreNotPatterns(_ id: String) throws {
        let (w, login) = try Self.world()
        let before = try w.registry.tokens(of: "alice")
        // With LIKE, a 128-character id of wildcards matched the only token there is and revoked it.
        #expect(refusal { try w.registry.revokeToken(w.bearer(login), keyOrToken: id) }?.rule == "input.unknown-token")
        #expect(try w.registry.tokens(of: "alice") == before)
    }

    @Test func aMailboxDomainIsTextNotAPattern() throws {
        let w = try World("2022-09-01")
        try w.registry.createAccount(name: "alice", email: "alice@Example.com", password: "hunter2")
        _ = refusal { try w.registry.login(w.password("alice")) }
        #expect(try w.registry.mailbox(domain: "example.com").count == 1)    // ASCII case does not matter, as before
        #expect(try w.registry.mailbox(domain: "%").isEmpty)
        #expect(try w.registry.mailbox(domain: "_xample.com").isEmpty)
        #expect(try w.registry.mailbox(domain: "ample.com").isEmpty)
    }

    @Test("Token creation asks for the account password")
    func creationNeedsPassword() throws {
        let (w, login) = try Self.world()
        #expect(refusal { try w.registry.createToken(w.bearer(login), request: .classicPublish) }?.rule == "input.invalid")
        #expect(refusal { try w.registry.createToken(w.bearer(login), request: .classicPublish, password: "nope") }?.rule == "auth.password-invalid")
        #expect(try w.registry.tokens(of: "alice").count == 1)
    }

    @Test("Before 2018 a revoked token keeps working from cache for an hour, and says so; from 2018 it stops at once")
    func revokedGrace() throws {
        let (w, login) = try Self.world("2017-12-20")
        let other = try w.registry.createToken(w.bearer(login), request: .classicPublish, password: "hunter2")
        try w.registry.revokeToken(w.bearer(login), keyOrToken: other.token)
        let notices = RequestNotices()
        #expect(try w.registry.profile(RequestContext(credential: .bearer(other.token), notices: notices)).name == "alice")
        #expect(notices.all.count == 1 && notices.all[0].contains("honours it until"), "\(notices.all)")
        #expect(try w.registry.auditLog().last?.message == notices.all.first)
        w.clock.advance(by: 3_599)
        #expect(try w.registry.profile(w.bearer(other.token)).name == "alice")
        w.clock.advance(by: 1)
        let denial = refusal { try w.registry.profile(w.bearer(other.token)) }
        #expect(denial?.rule == "token.revoked")
        #expect(denial?.response == .badToken)

        let (later, laterLogin) = try Self.world("2018-07-12")
        let revoked = try later.registry.createToken(later.bearer(laterLogin), request: .classicPublish, password: "hunter2")
        try later.registry.revokeToken(later.bearer(laterLogin), keyOrToken: revoked.token)
        #expect(refusal { try later.registry.profile(later.bearer(revoked.token)) }?.rule == "token.revoked")
    }

    @Test("A read-only token downloads but cannot publish, tag or create tokens")
    func readOnly() throws {
        let (w, login) = try Self.world()
        let ro = try w.registry.createToken(w.bearer(login), request: .classicReadOnly, password: "hunter2").token
        #expect(try w.registry.download(w.bearer(ro), package: "left-pad", version: "1.0.0").isEmpty == false)
        for denial in [
            refusal { try w.registry.publish(w.bearer(ro), release("left-pad", "1.0.1")) },
            refusal { try w.registry.setDistTag(w.bearer(ro), package: "left-pad", tag: "next", version: "1.0.0") },
            refusal { try w.registry.createToken(w.bearer(ro), request: .classicPublish, password: "hunter2") },
            refusal { try w.registry.changeEmail(w.bearer(ro), to: "x@evil.com") },
        ] {
            #expect(denial?.rule == "token.read-only")
            #expect(denial?.defense == .readOnlyTokens)
        }
        #expect(try w.registry.package("left-pad")?.versions.map(\.version) == ["1.0.0"])
    }

    @Test("CIDR allowlist: inside passes; outside, or an IPv6 source against an IPv4 block, is refused", arguments: [
        ("10.1.2.3", nil as String?), ("10.255.255.255", nil), ("::ffff:10.1.2.3", nil),
        ("11.0.0.1", "token.cidr-mismatch"), ("192.168.1.1", "token.cidr-mismatch"),
        ("2001:db8::1", "token.cidr-mismatch"), ("::1", "token.cidr-mismatch"),
    ])
    func cidr(_ source: String, _ rule: String?) throws {
        let (w, login) = try Self.world()
        let request = TokenRequest(kind: .publish, cidrAllowlist: [try CIDRBlock("10.0.0.0/8")])
        let limited = try w.registry.createToken(w.bearer(login), request: request, password: "hunter2")
        #expect(limited.summary.cidrAllowlist == ["10.0.0.0/8"])
        let denial = refusal { try w.registry.publish(w.bearer(limited.token, from: source), release("left-pad", "1.0.1")) }
        #expect(denial?.rule == rule)
        if rule != nil {
            #expect(denial?.response == .ipAddress)
            #expect(try w.registry.package("left-pad")?.versions.count == 1)
            #expect(try w.registry.auditLog().last?.source == IPAddress(source)!.description)
        }
    }

    @Test("From 5 Nov 2025: no classic tokens; granular write tokens default to 7 days and then expire")
    func granularDefaults() throws {
        let (w, login) = try Self.world("2025-11-20")
        #expect(refusal { try w.registry.createToken(w.bearer(login), request: .classicPublish, password: "hunter2") }?.rule
            == "token.classic-creation-disabled")
        let granular = try w.registry.createToken(w.bearer(login), request: TokenRequest(kind: .granular, packages: ["left-pad"]), password: "hunter2")
        #expect(granular.summary.expires == w.clock.now() + 7 * 86_400)
        #expect(refusal { try w.registry.createToken(w.bearer(login), request: TokenRequest(kind: .granular, lifetime: 91 * 86_400), password: "hunter2") }?.rule
            == "token.lifetime-too-long")
        try w.registry.publish(w.bearer(granular.token), release("left-pad", "1.0.1"))
        #expect(refusal { try w.registry.publish(w.bearer(granular.token), release("right-pad", "1.0.0")) }?.rule == "token.package-scope")
        w.clock.advance(by: 7 * 86_400)
        #expect(refusal { try w.registry.publish(w.bearer(granular.token), release("left-pad", "1.0.2")) }?.rule == "token.expired")
    }

    @Test("Classic tokens seeded before 9 Dec 2025 are refused in a 2025-12-10 registry")
    func classicRetired() throws {
        let (w, login) = try Self.world("2025-12-10")
        let denial = refusal { try w.registry.download(w.bearer(login), package: "left-pad", version: "1.0.0") }
        #expect(denial?.rule == "token.classic-retired")
        // Anonymous downloads still work.
        #expect(try w.registry.download(.anonymous(), package: "left-pad", version: "1.0.0").isEmpty == false)
    }

    @Test("Logout ends a session at once: no cache grace from 2018")
    func logout() throws {
        let w = try World("2025-12-10")
        try w.registry.seedAccount(name: "alice", email: "alice@example.com", password: "hunter2", twoFactor: .authOnly, totpSecret: seededSecret)
        let session = try w.registry.login(w.password("alice", "hunter2", .totp(w.code(seededSecret))))
        #expect(session.kind == .session)
        try w.registry.logout(w.bearer(session.token))
        #expect(refusal { try w.registry.profile(w.bearer(session.token)) }?.rule == "token.revoked")
    }
}
