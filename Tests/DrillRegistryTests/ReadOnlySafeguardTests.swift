import DrillCrypto
@testable import DrillRegistry
import Testing

/// Issue 20, point 9: from 25 Jun 2026 a high-impact account is read-only for 72 hours after an email change or a
/// recovery-code use, and the previous address is alerted (GitHub changelog 2026-06-25).
@Suite struct ReadOnlySafeguardTests {
    @Test("What a read-only account may not do, until the period ends", arguments: [
        (OperationKind.publish, true), (.stagePublish, true), (.createToken, true), (.revokeToken, true), (.setAccess, true),
        (.addOrgMember, true), (.changeEmail, true), (.readPackage, false), (.download, false), (.login, false), (.listTokens, false),
    ])
    func paused(_ operation: OperationKind, _ refused: Bool) {
        let e = era("2026-07-01")
        var account = accountFact(.authOnly)
        account.readOnlyUntil = noon(e) + 1
        let token = TokenFact(kind: .granular, permission: .readWrite, bypassTwoFactor: true, created: noon(e) - 60, expires: noon(e) + 86_400)
        var facts = RequestFacts(operation: operation, era: e, now: noon(e), authentication: .token(token), account: account,
                                 secondFactor: .verified(.totp), package: operation.isPackageWrite ? PackageFact(name: "chalk") : nil)
        #expect((ruleID(facts) == "account.read-only") == refused, "\(operation)")
        if refused { #expect(Policy.decide(facts).denial?.defense == .accountChangeSafeguard) }
        facts.now = noon(e) + 1
        #expect(ruleID(facts) != "account.read-only", "\(operation) after the period")
    }

    /// qix maintains chalk (300M weekly downloads); the attacker holds his password and a session.
    static func world(_ day: String, weekly: Int = 300_000_000) throws -> (World, session: String) {
        let w = try World(day)
        try w.registry.seedAccount(name: "qix", email: "qix@example.com", password: "hunter2", twoFactor: .authOnly, totpSecret: seededSecret)
        try w.registry.seedPackage(name: "chalk", maintainers: ["qix"], weeklyDownloads: weekly)
        let session = try w.registry.login(w.password("qix", "hunter2", .totp(w.code(seededSecret)))).token
        return (w, session)
    }

    @Test("An email change: read-only for 72 hours from 25 Jun 2026, the old address alerted", arguments: [("2026-06-24", false), ("2026-06-25", true)])
    func emailChange(_ day: String, _ guarded: Bool) throws {
        let (w, session) = try Self.world(day)
        w.clock.advance(by: 30)
        try w.registry.changeEmail(w.bearer(session, .totp(w.code(seededSecret))), to: "attacker@evil.example", password: "hunter2")
        let alerts = try w.registry.mailbox(domain: "example.com").filter { $0.address == "qix@example.com" && $0.purpose == "notice" }
        #expect(alerts.count == (guarded ? 1 : 0))
        #expect(alerts.first?.subject.contains("attacker@evil.example") ?? true)
        w.clock.advance(by: 30)
        let mint = refusal { try w.registry.createToken(w.bearer(session, .totp(w.code(seededSecret))), request: TokenRequest(kind: .granular, lifetime: 7 * 86_400, bypassTwoFactor: true), password: "hunter2") }
        #expect(mint?.rule == (guarded ? "account.read-only" : nil))
        if guarded {
            #expect(refusal { try w.registry.publish(w.bearer(session, .totp(w.code(seededSecret))), release("chalk", "5.6.1")) }?.rule == "account.read-only")
            // Reads go on; after 72 hours the account is itself again.
            #expect(refusal { try w.registry.authorizeRead(w.bearer(session), package: "chalk") } == nil)
            w.clock.advance(by: 72 * 3_600)
            let again = try w.registry.login(w.password("qix", "hunter2", .totp(w.code(seededSecret)))).token
            w.clock.advance(by: 30)
            #expect(try w.registry.publish(w.bearer(again, .totp(w.code(seededSecret))), release("chalk", "5.6.1")).version == "5.6.1")
        }
    }

    @Test("A recovery code starts it too; an account that is not high-impact is never paused")
    func recoveryCodeAndOrdinaryAccounts() throws {
        for (weekly, guarded) in [(300_000_000, true), (50_000, false)] {
            let (w, _) = try Self.world("2026-07-01", weekly: weekly)
            let key = try SecurityKeyPair.generate()
            w.clock.advance(by: 30)
            // Recovery codes come with a new factor; a security key (TOTP set-ups are closed in 2026).
            let session = try w.registry.login(w.password("qix", "hunter2", .totp(w.code(seededSecret)))).token
            w.clock.advance(by: 30)
            let codes = try w.registry.addSecurityKey(w.bearer(session, .totp(w.code(seededSecret))), publicKeyDER: key.publicKeyDER)
            w.clock.advance(by: 30)
            let recovered = try w.registry.login(w.password("qix", "hunter2", .recoveryCode(codes[0]))).token
            #expect(try w.registry.mailbox(domain: "example.com").contains { $0.purpose == "notice" && $0.subject.contains("recovery code") } == guarded)
            let publish = refusal { try w.registry.publish(w.bearer(recovered, .recoveryCode(codes[1])), release("chalk", "5.6.1")) }
            #expect(publish?.rule == (guarded ? "account.read-only" : nil), "\(weekly)")
        }
    }
}

/// Issue 20, point 13: the web's "skip 2FA for the next 5 minutes" (from 11 Feb 2026), on the session that ticked it.
@Suite struct SecondFactorGraceTests {
    @Test("A session remembers a verified factor for five minutes, only when asked and only from 11 Feb 2026",
          arguments: [("2026-02-10", true, false), ("2026-02-11", true, true), ("2026-02-11", false, false)])
    func grace(_ day: String, _ ticked: Bool, _ remembered: Bool) throws {
        let w = try World(day)
        try w.registry.seedAccount(name: "dora", email: "dora@example.com", password: "hunter2", twoFactor: .authAndWrites, totpSecret: seededSecret)
        try w.registry.seedPackage(name: "dora-kit", maintainers: ["dora"])
        var login = w.password("dora", "hunter2", .totp(w.code(seededSecret)))
        login.skipsSecondFactorBriefly = ticked
        let session = try w.registry.login(login).token
        w.clock.advance(by: 299)
        let within = refusal { try w.registry.publish(w.bearer(session), release("dora-kit", "1.0.1")) }
        #expect(within?.rule == (remembered ? nil : "2fa.writes"))
        w.clock.advance(by: 1)
        #expect(refusal { try w.registry.publish(w.bearer(session), release("dora-kit", "1.0.2")) }?.rule == "2fa.writes")
        // Another session of the same account never shares the grace.
        if remembered {
            let other = try w.registry.login(w.password("dora", "hunter2", .totp(w.code(seededSecret, steps: 1)))).token
            #expect(refusal { try w.registry.publish(w.bearer(other), release("dora-kit", "1.0.3")) }?.rule == "2fa.writes")
        }
    }

    @Test("A recovery code does not start the grace; a stolen session inside it needs no code")
    func recoveryCodesAndTheft() throws {
        let w = try World("2026-03-02")
        try w.registry.seedAccount(name: "dora", email: "dora@example.com", password: "hunter2", twoFactor: .authAndWrites, totpSecret: seededSecret)
        try w.registry.seedPackage(name: "dora-kit", maintainers: ["dora"])
        let session = try w.registry.login(w.password("dora", "hunter2", .totp(w.code(seededSecret)))).token
        w.clock.advance(by: 30)
        // dora approves a publish with her code and ticks the box: from here a thief holding the cookie publishes.
        var approve = w.bearer(session, .totp(w.code(seededSecret)))
        approve.skipsSecondFactorBriefly = true
        _ = try w.registry.publish(approve, release("dora-kit", "1.0.1"))
        let thief = w.bearer(session, from: "203.0.113.66")
        #expect(try w.registry.publish(thief, release("dora-kit", "6.6.6")).version == "6.6.6")
    }
}
