import DrillCrypto
@testable import DrillRegistry
import GRDB
import Testing

/// Accounts through `Registry`: sign-up, login per era, emailed codes, password reset, TOTP and security keys.
@Suite struct AccountFlowTests {
    @Test("Creating an account: stored with a salted hash, duplicates and bad input refused")
    func createAccount() throws {
        let w = try World("2018-07-12")
        let profile = try w.registry.createAccount(name: "alice", email: "alice@example.com", password: "hunter2")
        #expect(profile.name == "alice")
        #expect(profile.email == "alice@example.com")
        #expect(profile.twoFactorMode == .disabled)
        #expect(profile.created == w.clock.now())
        let hash = try w.registry.store.read { db in try String.fetchOne(db, sql: "SELECT password_hash FROM account WHERE name = 'alice'") }
        #expect(hash?.hasPrefix("scrypt$16$1$1$") == true)
        #expect(hash?.contains("hunter2") == false)

        #expect(refusal { try w.registry.createAccount(name: "alice", email: "a@b.org", password: "x") } == .invalid(.accountExists("alice")))
        #expect(refusal { try w.registry.createAccount(name: "Bob", email: "bob@example.com", password: "x") }?.rule == "input.invalid")
        #expect(refusal { try w.registry.createAccount(name: "bob", email: "not-an-address", password: "x") }?.rule == "input.invalid")
        // A control character in an address (an escape sequence reached the console and the reports) is refused too.
        #expect(refusal { try w.registry.createAccount(name: "bob", email: "bob\u{1B}]0;x\u{07}@example.com", password: "x") }?.rule == "input.invalid")
        #expect(refusal { try w.registry.createAccount(name: "bob", email: "bob\u{9B}@example.com", password: "x") }?.rule == "input.invalid")
        #expect(refusal { try w.registry.createAccount(name: "bob", email: "bob@example.com", password: "") }?.rule == "input.invalid")
        #expect(try w.registry.account("bob") == nil)
    }

    @Test("2018: login mints a classic publish token that never expires")
    func loginIn2018() throws {
        let w = try World("2018-07-12")
        try w.registry.createAccount(name: "alice", email: "alice@example.com", password: "hunter2")
        let login = try w.registry.login(w.password("alice"))
        #expect(login.kind == .publish)
        #expect(login.expires == nil)
        #expect(login.token.hasPrefix("npm_"))
        w.clock.advance(by: 5 * 365 * 86_400)
        #expect(try w.registry.profile(w.bearer(login.token)).name == "alice")
        #expect(try w.registry.listTokens(w.bearer(login.token)).map(\.kind) == [.publish])

        #expect(refusal { try w.registry.login(w.password("alice", "wrong")) }?.rule == "auth.password-invalid")
        #expect(refusal { try w.registry.login(w.password("mallory")) }?.rule == "auth.unknown-account")
    }

    @Test("2025-12-10: login (after the emailed code) yields a 2-hour session, not listed, that then expires")
    func sessionIn2025() throws {
        let w = try World("2025-12-10")
        try w.registry.createAccount(name: "alice", email: "alice@example.com", password: "hunter2")
        #expect(refusal { try w.registry.login(w.password("alice")) }?.rule == "login.emailed-code")
        let code = try #require(try w.registry.mailbox(domain: "example.com").last?.code)
        let start = w.clock.now()
        let login = try w.registry.login(w.password("alice", "hunter2", .emailCode(code)))
        #expect(login.kind == .session)
        #expect(login.expires == start + 7_200)
        #expect(try w.registry.listTokens(w.bearer(login.token)).isEmpty)
        #expect(try w.registry.tokens(of: "alice").map(\.kind) == [.session])

        w.clock.advance(by: 7_199)
        #expect(try w.registry.profile(w.bearer(login.token)).name == "alice")
        w.clock.advance(by: 1)
        let expired = refusal { try w.registry.profile(w.bearer(login.token)) }
        #expect(expired?.rule == "session.expired")
        #expect(expired?.defense == .shortLoginSessions)
    }

    @Test("2022: the refused login mails a code to the account's address; that code logs in once")
    func emailedLoginCode() throws {
        let w = try World("2022-09-01")
        try w.registry.createAccount(name: "alice", email: "alice@example.com", password: "hunter2")
        try w.registry.createAccount(name: "bob", email: "bob@mail.org", password: "hunter3")
        #expect(try w.registry.mailbox(domain: "example.com").isEmpty)

        let first = refusal { try w.registry.login(w.password("alice")) }
        #expect(first?.rule == "login.emailed-code")
        #expect(first?.response == .otpChallenge)
        let mail = try w.registry.mailbox(domain: "example.com")
        #expect(mail.count == 1)
        #expect(mail.first?.address == "alice@example.com")
        #expect(mail.first?.purpose == "login-code")
        let code = try #require(mail.first?.code)
        #expect(code.count == 8 && code.allSatisfy(\.isNumber))
        // Whoever controls another domain sees nothing of it.
        #expect(try w.registry.mailbox(domain: "mail.org").isEmpty)
        #expect(try w.registry.mailbox(domain: "ample.com").isEmpty)

        // A wrong code is refused and does not send another mail.
        #expect(refusal { try w.registry.login(w.password("alice", "hunter2", .emailCode("00000000"))) }?.rule == "login.emailed-code")
        #expect(try w.registry.mailbox(domain: "example.com").count == 1)
        // The wrong password with the right code is still the wrong password.
        #expect(refusal { try w.registry.login(w.password("alice", "nope", .emailCode(code))) }?.rule == "auth.password-invalid")
        // Bob's code is not Alice's.
        _ = refusal { try w.registry.login(w.password("bob", "hunter3")) }
        let bobCode = try #require(try w.registry.mailbox(domain: "mail.org").first?.code)
        #expect(refusal { try w.registry.login(w.password("alice", "hunter2", .emailCode(bobCode))) }?.rule == "login.emailed-code")

        let login = try w.registry.login(w.password("alice", "hunter2", .emailCode(code)))
        #expect(login.kind == .publish)
        // Used once only.
        #expect(refusal { try w.registry.login(w.password("alice", "hunter2", .emailCode(code))) }?.rule == "login.emailed-code")
    }

    @Test("An emailed login code expires after its lifetime")
    func emailedCodeExpires() throws {
        let w = try World("2022-09-01")
        try w.registry.createAccount(name: "alice", email: "alice@example.com", password: "hunter2")
        _ = refusal { try w.registry.login(w.password("alice")) }
        let code = try #require(try w.registry.mailbox(domain: "example.com").first?.code)
        w.clock.advance(by: PolicyParameters().emailCodeLifetime)
        #expect(refusal { try w.registry.login(w.password("alice", "hunter2", .emailCode(code))) }?.rule == "login.emailed-code")
    }

    @Test("Password reset by mail: the code sets a new password once; the old password stops working")
    func passwordReset() throws {
        let w = try World("2018-07-12")
        try w.registry.createAccount(name: "alice", email: "alice@expired-domain.com", password: "hunter2")
        try w.registry.requestPasswordReset(username: "alice")
        let mail = try w.registry.mailbox(domain: "expired-domain.com")
        #expect(mail.map(\.purpose) == ["password-reset"])
        let code = try #require(mail.first?.code)

        #expect(refusal { try w.registry.completePasswordReset(username: "alice", code: "12345678", newPassword: "taken") }?.rule == "input.invalid")
        try w.registry.completePasswordReset(username: "alice", code: code, newPassword: "taken-over")
        #expect(refusal { try w.registry.login(w.password("alice", "hunter2")) }?.rule == "auth.password-invalid")
        #expect(try w.registry.login(w.password("alice", "taken-over")).kind == .publish)
        #expect(refusal { try w.registry.completePasswordReset(username: "alice", code: code, newPassword: "again") }?.rule == "input.invalid")
        #expect(refusal { try w.registry.requestPasswordReset(username: "nobody") } == .invalid(.unknownAccount("nobody")))
    }

    @Test("TOTP enrolment: secret, confirmation with a computed code, single-use recovery codes")
    func totpEnrolment() throws {
        let w = try World("2022-09-01")
        try w.registry.seedAccount(name: "alice", email: "alice@example.com", password: "hunter2")
        let token = try w.registry.seedToken(owner: "alice", request: .classicPublish)

        #expect(refusal { try w.registry.enableTwoFactor(w.bearer(token), mode: .authAndWrites, password: "wrong") }?.rule == "auth.password-invalid")
        let change = try w.registry.enableTwoFactor(w.bearer(token), mode: .authAndWrites, password: "hunter2")
        guard case .pendingConfirmation(let enrolment) = change else {
            Issue.record("expected a pending enrolment, got \(change)")
            return
        }
        #expect(enrolment.otpauthURI.hasPrefix("otpauth://totp/npm:alice?secret=\(enrolment.base32Secret)"))
        #expect(try w.registry.account("alice")?.twoFactorPending == true)
        #expect(try w.registry.account("alice")?.twoFactorMode == .disabled)

        // A code from another secret does not confirm.
        let wrong = w.code(seededSecret)
        #expect(refusal { try w.registry.confirmTwoFactor(w.bearer(token), code: wrong) }?.rule == "input.not-enrolled")
        #expect(try w.registry.account("alice")?.twoFactorMode == .disabled)

        let recovery = try w.registry.confirmTwoFactor(w.bearer(token), code: w.code(enrolment.base32Secret))
        #expect(recovery.count == 5)
        #expect(Set(recovery).count == 5)
        #expect(recovery.allSatisfy { $0.count == 64 && $0.allSatisfy(\.isHexDigit) })
        let profile = try #require(try w.registry.account("alice"))
        #expect(profile.twoFactorMode == .authAndWrites)
        #expect(profile.secondFactorKind == .totp)
        #expect(profile.twoFactorPending == false)
        // Recovery codes are stored as digests only.
        let stored = try w.registry.store.read { db in try String.fetchAll(db, sql: "SELECT digest FROM recovery_code WHERE account = 'alice'") }
        #expect(stored.count == 5 && Set(stored).isDisjoint(with: recovery))

        // From now on login asks for the factor; a recovery code works once.
        w.clock.advance(by: 30)
        #expect(refusal { try w.registry.login(w.password("alice")) }?.rule == "2fa.login")
        #expect(try w.registry.login(w.password("alice", "hunter2", .recoveryCode(recovery[0]))).kind == .publish)
        #expect(refusal { try w.registry.login(w.password("alice", "hunter2", .recoveryCode(recovery[0]))) }?.rule == "recovery-code.used")
        #expect(try w.registry.login(w.password("alice", "hunter2", .recoveryCode(recovery[1].uppercased()))).kind == .publish)
        #expect(try w.registry.login(w.password("alice", "hunter2", .totp(w.code(enrolment.base32Secret)))).kind == .publish)
    }

    /// An account seeded with TOTP (auth-and-writes) in 2022, and its publish token.
    static func totpWorld(parameters: PolicyParameters = .init()) throws -> (World, String) {
        let w = try World("2022-09-01", parameters: parameters)
        try w.registry.seedAccount(name: "alice", email: "alice@example.com", password: "hunter2", twoFactor: .authAndWrites, totpSecret: seededSecret)
        try w.registry.seedPackage(name: "left-pad", maintainers: ["alice"], versions: ["1.0.0"])
        return (w, try w.registry.seedToken(owner: "alice", request: .classicPublish))
    }

    @Test("TOTP window: ±1 step accepted, ±2 refused", arguments: [(-2 as Int64, "otp.invalid" as String?), (-1, nil), (0, nil), (1, nil), (2, "otp.invalid")])
    func totpWindow(_ steps: Int64, _ rule: String?) throws {
        let (w, _) = try Self.totpWorld()
        let result = refusal { try w.registry.login(w.password("alice", "hunter2", .totp(w.code(seededSecret, steps: steps)))) }
        #expect(result?.rule == rule)
    }

    @Test("A used code: a login never takes it again; only the token that used it may repeat it within its step")
    func totpReplay() throws {
        let (w, token) = try Self.totpWorld()
        let code = w.code(seededSecret)
        let login = try w.registry.login(w.password("alice", "hunter2", .totp(code)))
        // Moved in Dec 2026 (otp.reused; RFC 6238 §5.2 "MUST NOT accept the second attempt of the same OTP"): a second
        // login with the same code was accepted as "the same credential"; a password request never repeats a code.
        #expect(refusal { try w.registry.login(w.password("alice", "hunter2", .totp(code))) }?.rule == "otp.reused")
        // A relayed code used with the stolen token (another credential) is refused.
        let replay = refusal { try w.registry.setDistTag(w.bearer(token, .totp(code)), package: "left-pad", tag: "latest", version: "1.0.0") }
        #expect(replay?.rule == "otp.reused")
        #expect(replay?.defense == .otpReplayProtection)
        // The token the login just minted stands for that login (what Yarn 1 sends: login, then publish with the same
        // code). Moved in Dec 2026: it was otp.reused, and no account with 2FA could publish interactively with yarn.
        try w.registry.setDistTag(w.bearer(login.token, .totp(code)), package: "left-pad", tag: "latest", version: "1.0.0")
        #expect(refusal { try w.registry.setDistTag(w.bearer(token, .totp(code)), package: "left-pad", tag: "latest", version: "1.0.0") }?.rule == "otp.reused")
        // An older step's code is refused even though it is inside the window.
        #expect(refusal { try w.registry.login(w.password("alice", "hunter2", .totp(w.code(seededSecret, steps: -1)))) }?.rule == "otp.reused")
        // The next step's code works for the token, and then for that token again within the step.
        w.clock.advance(by: 30)
        let next = w.code(seededSecret)
        try w.registry.setDistTag(w.bearer(token, .totp(next)), package: "left-pad", tag: "latest", version: "1.0.0")
        try w.registry.setDistTag(w.bearer(token, .totp(next)), package: "left-pad", tag: "latest", version: "1.0.0")
    }

    @Test("Wrong codes are rate limited after the configured attempts; the failures persist although refused")
    func rateLimit() throws {
        let limit = PolicyParameters().otpRateLimitAttempts
        let (w, _) = try Self.totpWorld()
        let good = w.code(seededSecret)
        let bad = good == "000000" ? "111111" : "000000"
        for _ in 0..<limit {
            #expect(refusal { try w.registry.login(w.password("alice", "hunter2", .totp(bad))) }?.rule == "otp.invalid")
        }
        let failures = try w.registry.store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM second_factor_failure WHERE account = 'alice'") }
        #expect(failures == limit)
        let limited = refusal { try w.registry.login(w.password("alice", "hunter2", .totp(good))) }
        #expect(limited?.rule == "otp.rate-limited")
        #expect(limited?.defense == .otpRateLimit)
        #expect(try w.registry.auditLog().suffix(limit + 1).allSatisfy { $0.outcome == "denied" })
        // Once the window has passed, the right code works again.
        w.clock.advance(by: PolicyParameters().otpRateLimitWindow + 1)
        #expect(try w.registry.login(w.password("alice", "hunter2", .totp(w.code(seededSecret)))).kind == .publish)
    }

    @Test("Wrong codes sent with a wrong password or a dead token do not count: a stranger cannot lock the owner out")
    func rateLimitNeedsTheFirstFactor() throws {
        let limit = PolicyParameters().otpRateLimitAttempts
        let (w, token) = try Self.totpWorld()
        try w.registry.revokeToken(w.bearer(token, .totp(w.code(seededSecret))), keyOrToken: token)
        // The stranger is elsewhere: from the owner's own address, 15 wrong passwords would also trip the password
        // throttle there (auth.password-rate-limited, 10 per account and address), which is not what this test is about.
        let stranger = IPAddress("203.0.113.9")!
        for _ in 0..<(3 * limit) {
            _ = refusal { try w.registry.login(RequestContext(credential: .password(username: "alice", password: "not-her-password"),
                                                              secondFactor: .totp("000000"), sourceAddress: stranger)) }
            _ = refusal { try w.registry.setDistTag(w.bearer(token, .totp("000000")), package: "left-pad", tag: "latest", version: "1.0.0") }
        }
        let failures = try w.registry.store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM second_factor_failure WHERE account = 'alice'") }
        #expect(failures == 0)
        w.clock.advance(by: 30)
        #expect(try w.registry.login(w.password("alice", "hunter2", .totp(w.code(seededSecret)))).kind == .publish)
    }

    @Test("Emailed login codes count toward the same limit: guessing them stops after the allowance")
    func emailedCodesAreRateLimited() throws {
        let limit = PolicyParameters().otpRateLimitAttempts
        let w = try World("2022-09-01")
        try w.registry.createAccount(name: "alice", email: "alice@example.com", password: "hunter2")
        _ = refusal { try w.registry.login(w.password("alice")) }
        let code = try #require(try w.registry.mailbox(domain: "example.com").first?.code)
        let wrong = code == "00000000" ? "11111111" : "00000000"
        for _ in 0..<limit {
            #expect(refusal { try w.registry.login(w.password("alice", "hunter2", .emailCode(wrong))) }?.rule == "login.emailed-code")
        }
        // Now even the right code is refused until the window passes, and the audit log says why.
        #expect(refusal { try w.registry.login(w.password("alice", "hunter2", .emailCode(code))) }?.rule == "otp.rate-limited")
        #expect(try w.registry.auditLog().last?.rule == "otp.rate-limited")
        // Once the window has passed (and the code with it), a fresh code logs in.
        w.clock.advance(by: PolicyParameters().otpRateLimitWindow + 1)
        _ = refusal { try w.registry.login(w.password("alice")) }
        let fresh = try #require(try w.registry.mailbox(domain: "example.com").last?.code)
        #expect(try w.registry.login(w.password("alice", "hunter2", .emailCode(fresh))).kind == .publish)
    }

    @Test("An unfinished 2FA enrolment is reset only by the account's holder")
    func pendingEnrolmentResetNeedsTheAccount() throws {
        let w = try World("2022-09-01")
        try w.registry.seedAccount(name: "alice", email: "alice@example.com", password: "hunter2")
        let token = try w.registry.seedToken(owner: "alice", request: .classicPublish)
        _ = try w.registry.enableTwoFactor(w.bearer(token), mode: .authAndWrites, password: "hunter2")
        #expect(try w.registry.account("alice")?.twoFactorPending == true)
        #expect(refusal { try w.registry.disableTwoFactor(w.password("alice", "wrong")) }?.rule == "auth.password-invalid")
        #expect(refusal { try w.registry.disableTwoFactor(w.bearer("npm_forged0000000000000000000000000000")) } != nil)
        #expect(try w.registry.account("alice")?.twoFactorPending == true)
        try w.registry.disableTwoFactor(w.bearer(token))
        #expect(try w.registry.account("alice")?.twoFactorPending == false)
    }

    @Test("One fewer wrong code than the limit does not lock the account out")
    func rateLimitBoundary() throws {
        let (w, _) = try Self.totpWorld()
        for _ in 0..<(PolicyParameters().otpRateLimitAttempts - 1) {
            _ = refusal { try w.registry.login(w.password("alice", "hunter2", .totp("999999x"))) }
        }
        #expect(try w.registry.login(w.password("alice", "hunter2", .totp(w.code(seededSecret)))).kind == .publish)
    }

    @Test("Security key: an assertion for the registry's origin logs in; one relayed from a phishing origin is refused")
    func securityKey() throws {
        // Several refusals below each count as a wrong factor; keep the rate limit out of this test's way.
        var parameters = PolicyParameters()
        parameters.otpRateLimitAttempts = 100
        let w = try World("2022-09-01", parameters: parameters)
        let key = try SecurityKeyPair.generate()
        try w.registry.seedAccount(name: "alice", email: "alice@example.com", password: "hunter2", twoFactor: .authAndWrites, securityKeyDER: key.publicKeyDER)
        let origin = w.registry.configuration.origin

        #expect(refusal { try w.registry.login(w.password("alice")) }?.rule == "2fa.login")
        let challenge = try w.registry.securityKeyChallenge(for: "alice")
        let good = try key.sign(challenge: challenge, origin: origin)
        #expect(try w.registry.login(w.password("alice", "hunter2", .securityKey(good))).kind == .publish)
        // The challenge is consumed: replaying the assertion fails.
        #expect(refusal { try w.registry.login(w.password("alice", "hunter2", .securityKey(good))) }?.rule == "otp.invalid")

        let phishingChallenge = try w.registry.securityKeyChallenge(for: "alice")
        let phished = try key.sign(challenge: phishingChallenge, origin: "https://npmjs.help")
        let denial = refusal { try w.registry.login(w.password("alice", "hunter2", .securityKey(phished))) }
        #expect(denial?.rule == "security-key.wrong-origin")
        #expect(denial?.defense == .securityKey)
        // Claiming the right origin over a signature made for the phishing origin does not help either.
        var forged = phished
        forged.origin = origin
        #expect(refusal { try w.registry.login(w.password("alice", "hunter2", .securityKey(forged))) }?.rule == "otp.invalid")
        // Another key's signature is refused; a TOTP code means nothing to a security-key account.
        let other = try SecurityKeyPair.generate().sign(challenge: try w.registry.securityKeyChallenge(for: "alice"), origin: origin)
        #expect(refusal { try w.registry.login(w.password("alice", "hunter2", .securityKey(other))) }?.rule == "otp.invalid")
        #expect(refusal { try w.registry.login(w.password("alice", "hunter2", .totp("123456"))) }?.rule == "otp.invalid")
        // A challenge expires after 5 minutes.
        let late = try key.sign(challenge: try w.registry.securityKeyChallenge(for: "alice"), origin: origin)
        w.clock.advance(by: 300)
        #expect(refusal { try w.registry.login(w.password("alice", "hunter2", .securityKey(late))) }?.rule == "otp.invalid")
        #expect(refusal { try w.registry.securityKeyChallenge(for: "nobody") } == .invalid(.unknownAccount("nobody")))
    }

    @Test("Account changes under 2FA need the code; with it they happen")
    func accountChanges() throws {
        let (w, token) = try Self.totpWorld()
        #expect(refusal { try w.registry.changeEmail(w.bearer(token), to: "mallory@evil.com") }?.rule == "2fa.account-changes")
        #expect(try w.registry.account("alice")?.email == "alice@example.com")
        try w.registry.changeEmail(w.bearer(token, .totp(w.code(seededSecret))), to: "alice@new.org")
        #expect(try w.registry.account("alice")?.email == "alice@new.org")
        #expect(refusal { try w.registry.disableTwoFactor(w.bearer(token), password: "hunter2") }?.rule == "2fa.account-changes")
        #expect(try w.registry.account("alice")?.twoFactorMode == .authAndWrites)
        try w.registry.disableTwoFactor(w.bearer(token, .totp(w.code(seededSecret))), password: "hunter2")
        #expect(try w.registry.account("alice")?.twoFactorMode == .disabled)
    }
}
