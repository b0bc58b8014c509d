@testable import DrillRegistry
import DrillCrypto
import Testing

/// Issue 19, points 1-3: what the password alone can do (auth-only and enhanced login verification), when the emailed
/// code reached whom, and the end of new TOTP set-ups. Each rule as a table on both sides of its dates, then the same
/// decisions through the registry's own operations.
@Suite struct PasswordRequestRulesTests {
    struct Verification: Sendable, CustomTestStringConvertible {
        let day: String
        let publisher: Bool
        let staged: Bool
        let rule: String?
        init(_ day: String, publisher: Bool, staged: Bool = false, _ rule: String?) {
            self.day = day; self.publisher = publisher; self.staged = staged; self.rule = rule
        }
        var testDescription: String { "\(day) \(publisher ? "publisher" : "non-publisher")\(staged ? " (staged roll-out counted)" : "") -> \(rule ?? "allowed")" }
    }

    /// github.blog 2021-12-07: a staged roll-out to publishers "beginning December 7 and concluding January 4"; brown-outs
    /// for every account on 16 and 23 Feb 2022; GitHub changelog 2022-03-01: every account without 2FA.
    static let verification: [Verification] = [
        Verification("2021-12-06", publisher: true, staged: true, nil),
        Verification("2021-12-07", publisher: true, nil),
        Verification("2021-12-07", publisher: true, staged: true, "login.emailed-code"),
        Verification("2021-12-07", publisher: false, staged: true, nil),
        Verification("2022-01-03", publisher: true, nil),
        Verification("2022-01-04", publisher: true, "login.emailed-code"),
        Verification("2022-01-04", publisher: false, nil),
        Verification("2022-02-15", publisher: false, nil),
        Verification("2022-02-16", publisher: false, "login.emailed-code"),
        Verification("2022-02-17", publisher: false, nil),
        Verification("2022-02-22", publisher: false, nil),
        Verification("2022-02-23", publisher: false, "login.emailed-code"),
        Verification("2022-02-24", publisher: false, nil),
        Verification("2022-02-28", publisher: false, nil),
        Verification("2022-03-01", publisher: false, "login.emailed-code"),
        Verification("2022-03-01", publisher: true, "login.emailed-code"),
    ]

    static func passwordFacts(_ operation: OperationKind, day: String, account: AccountFact, parameters: PolicyParameters = .init(),
                              emailCodeVerified: Bool = false) -> RequestFacts {
        let e = era(day)
        return RequestFacts(operation: operation, era: e, now: noon(e), parameters: parameters, authentication: .password(verified: true),
                            account: account, package: operation == .publish ? PackageFact(name: "left-pad") : nil,
                            emailCodeVerified: emailCodeVerified)
    }

    @Test("Enhanced login verification reaches publishers in stages, every account from 1 Mar 2022", arguments: verification)
    func loginVerificationStages(_ row: Verification) {
        var parameters = PolicyParameters()
        parameters.stagedLoginVerificationCoversPublishers = row.staged
        var account = accountFact(.disabled)
        account.isPublisher = row.publisher
        // The same for a login and for any other request made with the password.
        for operation in [OperationKind.login, .publish, .readProfile] {
            let facts = Self.passwordFacts(operation, day: row.day, account: account, parameters: parameters)
            #expect(ruleID(facts) == row.rule, "\(operation)")
            let verified = Self.passwordFacts(operation, day: row.day, account: account, parameters: parameters, emailCodeVerified: true)
            #expect(ruleID(verified) == nil, "\(operation) with the emailed code")
        }
        // Switched off by its parameter, it asks nothing on any day.
        parameters.emailedLoginCodes = false
        #expect(ruleID(Self.passwordFacts(.login, day: row.day, account: account, parameters: parameters)) == nil)
    }

    @Test("A token request never needs the emailed code: it guards the password", arguments: ["2022-03-01", "2025-10-01"])
    func tokenRequestsNeedNoEmailedCode(_ day: String) {
        let e = era(day)
        let facts = RequestFacts(operation: .publish, era: e, now: noon(e),
                                 authentication: .token(TokenFact(kind: .publish, permission: .readWrite, created: noon(e) - 60)),
                                 account: accountFact(.disabled), package: PackageFact(name: "left-pad"))
        #expect(ruleID(facts) == nil)
    }

    @Test("New TOTP set-ups close on 13 Oct 2025; security keys stay open", arguments: [
        ("2025-10-12", OperationKind.enableTwoFactor, nil as String?),
        ("2025-10-13", .enableTwoFactor, "2fa.totp-setup-closed"),
        ("2026-11-29", .enableTwoFactor, "2fa.totp-setup-closed"),
        ("2025-10-12", .addSecurityKey, nil),
        ("2025-10-13", .addSecurityKey, nil),
    ])
    func totpSetupClosed(_ day: String, _ operation: OperationKind, _ rule: String?) {
        let e = era(day)
        let facts = RequestFacts(operation: operation, era: e, now: noon(e),
                                 authentication: .token(TokenFact(kind: .granular, permission: .readWrite, created: noon(e) - 60, expires: noon(e) + 86_400)),
                                 account: accountFact(.disabled))
        let denial = Policy.decide(facts).denial
        #expect(denial?.rule == rule)
        if rule != nil {
            #expect(denial?.defense == .totpSetupClosed)
            #expect(denial?.response == .forbidden)
        }
    }

    @Test("Security keys are a second factor from 10 May 2022 (GitHub changelog 2022-05-10); TOTP on both sides", arguments: [
        ("2018-07-12", OperationKind.addSecurityKey, "2fa.security-key-unavailable" as String?),
        ("2022-05-09", .addSecurityKey, "2fa.security-key-unavailable"),
        ("2022-05-10", .addSecurityKey, nil),
        ("2022-05-09", .enableTwoFactor, nil),
        ("2022-05-10", .enableTwoFactor, nil),
    ])
    func securityKeysArrive(_ day: String, _ operation: OperationKind, _ rule: String?) {
        let e = era(day)
        let facts = RequestFacts(operation: operation, era: e, now: noon(e),
                                 authentication: .token(TokenFact(kind: .publish, permission: .readWrite, created: noon(e) - 60)),
                                 account: accountFact(.disabled))
        let denial = Policy.decide(facts).denial
        #expect(denial?.rule == rule)
        if rule != nil { #expect(denial?.response == .badRequest) }
    }

    @Test("Through the registry: a security key is refused the day before and enrols the day it arrived",
          arguments: [("2022-05-09", false), ("2022-05-10", true)])
    func securityKeyThroughTheRegistry(_ day: String, _ enrols: Bool) throws {
        let w = try World(day)
        try w.registry.seedAccount(name: "alice", email: "alice@example.com", password: "hunter2")
        let token = try w.registry.seedToken(owner: "alice", request: .classicPublish)
        let key = try SecurityKeyPair.generate()
        let answer = refusal { try w.registry.addSecurityKey(w.bearer(token), publicKeyDER: key.publicKeyDER) }
        #expect(answer?.rule == (enrols ? nil : "2fa.security-key-unavailable"))
        #expect(try w.registry.account("alice")?.twoFactorMode == (enrols ? .authAndWrites : .disabled))
        #expect(try w.registry.account("alice")?.secondFactorKind == (enrols ? .securityKey : nil))
    }

    // MARK: Through the registry

    @Test("auth-only: a leaked password publishes only with the code (2017's registry docs: 'any Basic auth request')",
          arguments: ["2018-07-12", "2022-09-01"])
    func authOnlyPasswordPublish(_ day: String) throws {
        let w = try World(day)
        try w.registry.seedAccount(name: "alice", email: "alice@example.com", password: "hunter2", twoFactor: .authOnly, totpSecret: seededSecret)
        try w.registry.seedPackage(name: "left-pad", maintainers: ["alice"])
        let refused = refusal { try w.registry.publish(w.password("alice"), release("left-pad", "1.0.1")) }
        #expect(refused?.rule == "2fa.password-request")
        #expect(refused?.defense == .twoFactorAuthOnly)
        #expect(try w.registry.package("left-pad")?.versions.map(\.version) == ["1.0.0"])
        // The code makes the same request good.
        #expect(try w.registry.publish(w.password("alice", "hunter2", .totp(w.code(seededSecret))), release("left-pad", "1.0.1")).version == "1.0.1")
    }

    @Test("Without 2FA from Mar 2022: a password publish needs the emailed code; npm's one header carries it")
    func emailedCodeGuardsPasswordPublish() throws {
        let w = try World("2022-09-01")
        try w.registry.seedAccount(name: "alice", email: "alice@example.com", password: "hunter2")
        try w.registry.seedPackage(name: "left-pad", maintainers: ["alice"])
        #expect(refusal { try w.registry.publish(w.password("alice"), release("left-pad", "1.0.1")) }?.rule == "login.emailed-code")
        let code = try #require(try w.registry.mailbox(domain: "example.com").last?.code)
        // npm sends whatever its prompt got in `npm-otp`, which the server reads as a TOTP code: for an account without
        // 2FA the registry takes it as the emailed code.
        #expect(try w.registry.publish(w.password("alice", "hunter2", .totp(code)), release("left-pad", "1.0.1")).version == "1.0.1")
        // Used once.
        #expect(refusal { try w.registry.publish(w.password("alice", "hunter2", .totp(code)), release("left-pad", "1.0.2")) }?.rule == "login.emailed-code")
        // Someone who does not read alice's mail has no code to give: the password alone changes nothing.
        let before = try w.registry.snapshot(excluding: ["audit", "mail", "second_factor_failure"])
        #expect(refusal { try w.registry.profile(w.password("alice")) }?.rule == "login.emailed-code")
        #expect(try w.registry.snapshot(excluding: ["audit", "mail", "second_factor_failure"]) == before)
    }

    @Test("From 13 Oct 2025 a password holder cannot enrol their own authenticator; existing TOTP and new security keys work")
    func totpSetupClosedThroughTheRegistry() throws {
        let w = try World("2026-03-02")
        try w.registry.seedAccount(name: "alice", email: "alice@example.com", password: "hunter2")
        try w.registry.seedAccount(name: "bob", email: "bob@example.com", password: "hunter3", twoFactor: .authAndWrites, totpSecret: seededSecret)
        let token = try w.registry.seedToken(owner: "alice", request: TokenRequest(kind: .granular, lifetime: 7 * 86_400))
        let refused = refusal { try w.registry.enableTwoFactor(w.bearer(token), mode: .authAndWrites, password: "hunter2") }
        #expect(refused?.rule == "2fa.totp-setup-closed")
        #expect(refused?.defense == .totpSetupClosed)
        #expect(try w.registry.account("alice")?.twoFactorPending == false)
        #expect(try w.registry.account("alice")?.twoFactorMode == .disabled)
        // Bob's TOTP predates the change and keeps working.
        #expect(refusal { try w.registry.login(w.password("bob", "hunter3")) }?.rule == "2fa.login")
        #expect(try w.registry.login(w.password("bob", "hunter3", .totp(w.code(seededSecret)))).kind == .session)
        // Alice can still turn 2FA on, with a security key.
        let key = try SecurityKeyPair.generate()
        #expect(try w.registry.addSecurityKey(w.bearer(token), publicKeyDER: key.publicKeyDER).count == 5)
        #expect(try w.registry.account("alice")?.twoFactorMode == .authAndWrites)
    }
}
