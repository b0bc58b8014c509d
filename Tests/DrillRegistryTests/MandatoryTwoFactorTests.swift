@testable import DrillRegistry
import Testing

/// Issue 20, point 5: npm's mandatory 2FA for maintainers of high-impact packages (the top 100 from 1 Feb 2022, every
/// high-impact package from 1 Nov 2022) and organisations' 2FA enforcement (from 1 Feb 2022; the owner needs 2FA to
/// turn it on; members without 2FA are removed).
@Suite struct MandatoryTwoFactorTests {
    /// `operation` by an account whose most downloaded package has `weekly` downloads, with a token, on `day`.
    static func facts(_ operation: OperationKind, day: String, weekly: Int, mode: TwoFactorMode = .disabled) -> RequestFacts {
        let e = era(day)
        var account = accountFact(mode)
        account.isPublisher = true
        account.largestWeeklyDownloads = weekly
        let token = Self.loginToken(e)
        return RequestFacts(operation: operation, era: e, now: noon(e), authentication: .token(token), account: account,
                            secondFactor: mode == .disabled ? .none : .verified(.totp),
                            package: operation.isPackageWrite ? PackageFact(name: "chalk") : nil)
    }

    /// What `npm login` gave a minute ago: a classic publish token, or from 9 Dec 2025 a session.
    static func loginToken(_ e: RegistryEra) -> TokenFact {
        TokenFact(kind: e.has(.classicTokensRevoked) ? .session : .publish, permission: .readWrite, created: noon(e) - 60)
    }

    // 25M a week stands in for the top 100 (topHundredWeeklyDownloads, 20M); 2M is high-impact; 1M is not (npm: "more
    // than 1 million").
    @Test("Who must set up 2FA first, on both sides of each date", arguments: [
        ("2022-01-31", 25_000_000, nil as String?), ("2022-02-01", 25_000_000, "2fa.high-impact-maintainer"),
        ("2022-02-01", 2_000_000, nil), ("2022-10-31", 2_000_000, nil),
        ("2022-11-01", 2_000_000, "2fa.high-impact-maintainer"), ("2022-11-01", 1_000_000, nil),
        ("2026-11-29", 2_000_000, "2fa.high-impact-maintainer"),
    ])
    func cohorts(_ day: String, _ weekly: Int, _ rule: String?) {
        for operation in [OperationKind.changeEmail, .addOwner, .createToken] {
            let facts = Self.facts(operation, day: day, weekly: weekly)
            #expect(ruleID(facts) == rule, "\(operation)")
            if rule != nil { #expect(Policy.decide(facts).denial?.defense == .highImpactTwoFactor) }
            // With 2FA (and its code) the same request passes.
            #expect(ruleID(Self.facts(operation, day: day, weekly: weekly, mode: .authOnly)) == nil, "\(operation) with 2FA")
        }
    }

    @Test("Publishing goes on: npm held back account and maintainer actions, not releases")
    func publishingGoesOn() {
        #expect(ruleID(Self.facts(.publish, day: "2022-11-01", weekly: 2_000_000)) == nil)
        #expect(ruleID(Self.facts(.deprecate, day: "2022-11-01", weekly: 2_000_000)) == nil)
    }

    @Test("Through the registry: a high-impact maintainer without 2FA sets it up, then changes the email")
    func throughTheRegistry() throws {
        let w = try World("2022-11-01")
        try w.registry.seedAccount(name: "qix", email: "qix@example.com", password: "hunter2")
        try w.registry.seedAccount(name: "friend", email: "friend@example.com", password: "hunter2")
        try w.registry.seedPackage(name: "chalk", maintainers: ["qix"], weeklyDownloads: 300_000_000)
        let token = try w.registry.seedToken(owner: "qix", request: .classicPublish)
        let before = try w.registry.snapshot()
        #expect(refusal { try w.registry.changeEmail(w.bearer(token), to: "attacker@evil.example") }?.rule == "2fa.high-impact-maintainer")
        #expect(refusal { try w.registry.addOwner(w.bearer(token), package: "chalk", user: "friend") }?.rule == "2fa.high-impact-maintainer")
        #expect(try w.registry.snapshot() == before)
        // Publishing with the token goes on.
        #expect(try w.registry.publish(w.bearer(token), release("chalk", "5.0.1")).version == "5.0.1")
        // Once the account has 2FA, the same change asks for (and takes) its code.
        try w.registry.seedAccount(name: "sindre", email: "sindre@example.com", password: "hunter2", twoFactor: .authOnly, totpSecret: seededSecret)
        try w.registry.seedPackage(name: "ora", maintainers: ["sindre"], weeklyDownloads: 30_000_000)
        let sindre = try w.registry.seedToken(owner: "sindre", request: .classicPublish)
        #expect(refusal { try w.registry.addOwner(w.bearer(sindre, .totp(w.code(seededSecret))), package: "ora", user: "friend") } == nil)
    }

    // MARK: Organisations

    static func orgFacts(day: String, owner mode: TwoFactorMode, turnsOn: Bool) -> RequestFacts {
        let e = era(day)
        let token = Self.loginToken(e)
        return RequestFacts(operation: .changeOrgPolicy, era: e, now: noon(e), authentication: .token(token), account: accountFact(mode),
                            secondFactor: mode == .disabled ? .none : .verified(.totp), turnsOnOrgTwoFactor: turnsOn)
    }

    @Test("Requiring 2FA of an organisation: from 1 Feb 2022, by an owner with 2FA", arguments: [
        ("2022-01-31", TwoFactorMode.authOnly, true, "org.enforcement-unavailable" as String?),
        ("2022-01-31", .authOnly, false, nil),
        ("2022-02-01", .authOnly, true, nil),
        ("2022-02-01", .disabled, true, "org.owner-needs-two-factor"),
        ("2022-02-01", .disabled, false, nil),
        ("2026-11-29", .disabled, true, "org.owner-needs-two-factor"),
    ])
    func orgEnforcement(_ day: String, _ owner: TwoFactorMode, _ turnsOn: Bool, _ rule: String?) {
        #expect(ruleID(Self.orgFacts(day: day, owner: owner, turnsOn: turnsOn)) == rule)
    }

    @Test("Turning enforcement on removes the members without 2FA, who then write nothing to its packages")
    func membersWithout2FAAreRemoved() throws {
        let w = try World("2022-06-01")
        try w.registry.seedAccount(name: "owner", email: "owner@example.com", password: "hunter2", twoFactor: .authOnly, totpSecret: seededSecret)
        try w.registry.seedAccount(name: "careful", email: "careful@example.com", password: "hunter2", twoFactor: .authAndWrites)
        for name in ["lax", "lazy"] { try w.registry.seedAccount(name: name, email: "\(name)@example.com", password: "hunter2") }
        try w.registry.seedOrg(name: "acme", members: ["owner", "careful", "lax", "lazy"])
        let ownerToken = try w.registry.seedToken(owner: "owner", request: .classicPublish)
        let lax = try w.registry.seedToken(owner: "lax", request: .classicPublish)
        #expect(try w.registry.publish(w.bearer(lax), release("@acme/tool", "1.0.0")).version == "1.0.0")
        let removed = try w.registry.setOrgRequiresTwoFactor(w.bearer(ownerToken, .totp(w.code(seededSecret))), org: "acme", required: true)
        #expect(removed == ["lax", "lazy"])
        // lax is no longer a member: a new package in @acme is another's scope, and the package lax maintains refuses
        // his writes (org.two-factor-required).
        #expect(refusal { try w.registry.publish(w.bearer(lax), release("@acme/other", "1.0.0")) }?.rule == "scope.not-owner")
        #expect(refusal { try w.registry.publish(w.bearer(lax), release("@acme/tool", "1.0.1")) }?.rule == "org.two-factor-required")
        // Turning it off removes nobody.
        w.clock.advance(by: 30)
        #expect(try w.registry.setOrgRequiresTwoFactor(w.bearer(ownerToken, .totp(w.code(seededSecret))), org: "acme", required: false) == [])
    }
}
