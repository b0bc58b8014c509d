@testable import DrillRegistry
import Testing

/// The 2FA operation table of npm-auth-model.md §1, cell by cell, against `Policy.decide` directly.
///
/// Each row: the operation, the account's 2FA mode, the era, and the rule that must refuse when no
/// second factor comes with the request (nil: allowed). The credential is what the user would hold
/// in that era: a password for login, otherwise the classic publish token `npm login` minted, and
/// from 9 Dec 2025 the login session that replaced it; the `password*` operations authenticate with
/// the password itself (HTTP Basic, what npm sends with a legacy `_auth` in `.npmrc`).
@Suite struct TwoFactorTableTests {
    enum Op: String, CaseIterable, CustomTestStringConvertible {
        case login, changeEmail, changePassword, changeTwoFactorMode, disableTwoFactor
        case createToken, revokeToken
        case publish, unpublish, deprecate
        case addOwner, removeOwner, setAccess
        case distTagLatest, distTagOther, removeDistTagOther
        case changePublishingSetting
        case passwordPublish, passwordReadProfile
        var testDescription: String { rawValue }
    }

    struct Row: Sendable, CustomTestStringConvertible {
        let op: Op
        let mode: TwoFactorMode
        let era: String
        let rule: String?
        init(_ op: Op, _ mode: TwoFactorMode, _ era: String, _ rule: String?) {
            self.op = op; self.mode = mode; self.era = era; self.rule = rule
        }
        var testDescription: String { "\(op.rawValue) / \(mode.rawValue) / \(era) -> \(rule ?? "allowed")" }
    }

    static let eras = ["2018-07-12", "2022-09-01", "2025-12-10"]

    /// The same expectation in all three eras.
    static func always(_ op: Op, _ mode: TwoFactorMode, _ rule: String?) -> [Row] {
        eras.map { Row(op, mode, $0, rule) }
    }

    static let table: [Row] = {
        var t: [Row] = []
        // §1 row "login (web/CLI) | password (+ email code from Mar 2022) | OTP | OTP | OTP".
        t += [
            Row(.login, .disabled, "2018-07-12", nil),
            Row(.login, .disabled, "2022-02-28", nil),
            Row(.login, .disabled, "2022-03-01", "login.emailed-code"),
            Row(.login, .disabled, "2022-09-01", "login.emailed-code"),
            Row(.login, .disabled, "2025-12-10", "login.emailed-code"),
        ]
        t += always(.login, .authOnly, "2fa.login")
        t += always(.login, .authAndWrites, "2fa.login")

        // §1 row "profile: email, password | - | OTP | OTP | OTP".
        // §1 row "change 2FA mode / disable 2FA | n/a | OTP | OTP | OTP". Without 2FA there is nothing to change:
        // the policy has no factor to ask for and lets the (no-op) request through.
        for op in [Op.changeEmail, .changePassword, .changeTwoFactorMode, .disableTwoFactor] {
            t += always(op, .disabled, nil)
            t += always(op, .authOnly, "2fa.account-changes")
            t += always(op, .authAndWrites, "2fa.account-changes")
        }

        // §1 row "create tokens | - | OTP | OTP": the registry docs (2017) name "creating a new token using the Login or
        // Token Create endpoints" among what auth-only guards. Moved in Dec 2026 from "no OTP under auth-only before
        // 29 Aug 2022": that date only changed the docs' table (rule 2fa.token-management; npm registry docs,
        // docs/user/authentication.md).
        t += always(.createToken, .disabled, nil)
        t += always(.createToken, .authOnly, "2fa.token-management")
        t += always(.createToken, .authAndWrites, "2fa.token-management")
        // §1 row "revoke tokens (with a token) | - | no OTP before 29 Aug 2022 [I], OTP after | OTP".
        t += always(.revokeToken, .disabled, nil)
        t += always(.revokeToken, .authAndWrites, "2fa.token-management")
        t += [
            Row(.revokeToken, .authOnly, "2018-07-12", nil),
            Row(.revokeToken, .authOnly, "2022-08-28", nil),
            Row(.revokeToken, .authOnly, "2022-08-29", "2fa.token-management"),
            Row(.revokeToken, .authOnly, "2022-09-01", "2fa.token-management"),
            Row(.revokeToken, .authOnly, "2025-12-10", "2fa.token-management"),
        ]

        // §1 row "any request authenticated by password (Basic) | - | OTP | OTP": auth-only covers "any `Basic` auth
        // request" (npm registry docs), so a leaked password publishes through neither mode. Without 2FA the
        // emailed login code guards it from 1 Mar 2022 (enhanced login verification: the code "must be provided, in
        // addition to a user's password, before authenticating"); from 9 Dec 2025 a publish without 2FA is refused
        // outright, before any code is asked for.
        t += [
            Row(.passwordPublish, .disabled, "2018-07-12", nil),
            Row(.passwordPublish, .disabled, "2022-02-28", nil),
            Row(.passwordPublish, .disabled, "2022-03-01", "login.emailed-code"),
            Row(.passwordPublish, .disabled, "2022-09-01", "login.emailed-code"),
            // Until 16 Dec 2025 an existing package keeps its "2FA not required" for anything but a login session.
            Row(.passwordPublish, .disabled, "2025-12-10", "login.emailed-code"),
            Row(.passwordPublish, .disabled, "2025-12-16", "package.requires-two-factor"),
            Row(.passwordReadProfile, .disabled, "2018-07-12", nil),
            Row(.passwordReadProfile, .disabled, "2022-02-28", nil),
            Row(.passwordReadProfile, .disabled, "2022-03-01", "login.emailed-code"),
            Row(.passwordReadProfile, .disabled, "2022-09-01", "login.emailed-code"),
            Row(.passwordReadProfile, .disabled, "2025-12-10", "login.emailed-code"),
        ]
        for op in [Op.passwordPublish, .passwordReadProfile] {
            t += always(op, .authOnly, "2fa.password-request")
            t += always(op, .authAndWrites, "2fa.password-request")
        }

        // §1 row "publish | - | no OTP | no OTP | OTP"; §4 "2FA is enforced for publishing during [a session]" and §5
        // "from Dec 2025 every package requires 2FA or a bypass-2FA token to publish": the 2025-12-10 cells change.
        t += [
            Row(.publish, .disabled, "2018-07-12", nil),
            Row(.publish, .disabled, "2022-09-01", nil),
            Row(.publish, .disabled, "2025-12-10", "package.requires-two-factor"),
            Row(.publish, .authOnly, "2018-07-12", nil),
            Row(.publish, .authOnly, "2022-09-01", nil),
            Row(.publish, .authOnly, "2025-12-10", "2fa.package-publishing"),
        ]
        t += always(.publish, .authAndWrites, "2fa.writes")

        // §1 rows "unpublish / deprecate" and "access/visibility, owner add/rm, team grants": - | no OTP | no OTP | OTP.
        // §1 row "dist-tag add/rm | - | no OTP | no OTP | OTP for latest".
        for op in [Op.unpublish, .deprecate, .addOwner, .removeOwner, .distTagLatest] {
            t += always(op, .disabled, nil)
            t += always(op, .authOnly, nil)
            t += always(op, .authAndWrites, "2fa.writes")
        }
        // Same row: "npm's registry docs exempt non-latest tags" from auth-and-writes.
        for op in [Op.distTagOther, .removeDistTagOther] {
            t += always(op, .disabled, nil)
            t += always(op, .authOnly, nil)
            t += always(op, .authAndWrites, nil)
        }

        // §1 row "package settings change | - | OTP from Dec 2025 | OTP"; §5: from 10 Dec 2025 "Modifying a package's
        // settings also requires two-factor authentication (2FA)" for everyone (npm/documentation b8298f9f), so an
        // account without 2FA cannot change them at all. Moved in Dec 2026 from 9 Dec (rule change
        // package-settings-need-2fa), and visibility (setAccess) joined the settings [I].
        for op in [Op.changePublishingSetting, .setAccess] {
            t += always(op, .authAndWrites, "2fa.writes")
            t += [
                Row(op, .disabled, "2018-07-12", nil),
                Row(op, .disabled, "2022-09-01", nil),
                Row(op, .disabled, "2025-12-09", nil),
                Row(op, .disabled, "2025-12-10", "package.settings-need-two-factor"),
                Row(op, .authOnly, "2018-07-12", nil),
                Row(op, .authOnly, "2022-09-01", nil),
                Row(op, .authOnly, "2025-12-09", nil),
                Row(op, .authOnly, "2025-12-10", "2fa.package-settings-change"),
            ]
        }
        return t
    }()

    /// The refusals of an account without 2FA that no code lifts (403, not an OTP challenge).
    static let hardRefusals: Set<String> = ["package.requires-two-factor", "package.settings-need-two-factor"]

    /// The facts of `row`, with `secondFactor` and `emailCodeVerified` as given.
    static func facts(_ row: Row, secondFactor: SecondFactorFact = .none, emailCodeVerified: Bool = false) -> RequestFacts {
        let e = era(row.era)
        let now = noon(e)
        let operation: OperationKind
        var package: PackageFact? = nil
        var requested: TokenRequest? = nil
        switch row.op {
        case .login: operation = .login
        case .changeEmail: operation = .changeEmail
        case .changePassword: operation = .changePassword
        case .changeTwoFactorMode: operation = .changeTwoFactorMode
        case .disableTwoFactor: operation = .disableTwoFactor
        case .createToken:
            operation = .createToken
            // What the era lets one create: a classic publish token, or from 5 Nov 2025 a granular write token.
            requested = e.has(.bypassTwoFactorFlag) ? TokenRequest(kind: .granular, lifetime: 7 * 86_400) : .classicPublish
        case .revokeToken: operation = .revokeToken
        case .publish: operation = .publish
        case .unpublish: operation = .unpublish
        case .deprecate: operation = .deprecate
        case .addOwner: operation = .addOwner
        case .removeOwner: operation = .removeOwner
        case .setAccess: operation = .setAccess
        case .distTagLatest, .distTagOther: operation = .setDistTag
        case .removeDistTagOther: operation = .removeDistTag
        case .changePublishingSetting: operation = .changePublishingPolicy
        case .passwordPublish: operation = .publish
        case .passwordReadProfile: operation = .readProfile
        }
        if operation.isPackageWrite {
            let latest = row.op != .distTagOther && row.op != .removeDistTagOther
            package = PackageFact(name: "left-pad", tagIsLatest: latest, versionAge: operation == .unpublish ? 3_600 : nil)
        }
        let authentication: AuthenticationFact
        if operation == .login || row.op == .passwordPublish || row.op == .passwordReadProfile {
            authentication = .password(verified: true)
        } else if e.has(.classicTokensRevoked) {
            authentication = .token(TokenFact(kind: .session, permission: .readWrite, created: now - 60, expires: now + 7_000))
        } else {
            authentication = .token(TokenFact(kind: .publish, permission: .readWrite, created: now - 86_400))
        }
        return RequestFacts(operation: operation, era: e, now: now, authentication: authentication, account: accountFact(row.mode),
                            secondFactor: secondFactor, package: package, emailCodeVerified: emailCodeVerified, requestedToken: requested)
    }

    @Test("Without a second factor, each cell refuses with the documented rule", arguments: table)
    func withoutSecondFactor(_ row: Row) {
        let decision = Policy.decide(Self.facts(row))
        #expect(decision.denial?.rule == row.rule, "\(decision.denial?.description ?? "allowed")")
        guard let denial = decision.denial else { return }
        // Every 2FA demand travels as npm's EOTP challenge, except the hard refusals of an account without any 2FA.
        #expect(denial.response == (Self.hardRefusals.contains(denial.rule.rawValue) ? .forbidden : .otpChallenge))
        // Rules attributed to the account's own factor name its mode as the defense.
        if ["2fa.login", "2fa.password-request", "2fa.account-changes", "2fa.token-management", "2fa.writes"].contains(denial.rule.rawValue) {
            #expect(denial.defense == (row.mode == .authAndWrites ? .twoFactorAuthAndWrites : .twoFactorAuthOnly))
        }
    }

    @Test("A verified second factor (or emailed login code) satisfies each cell", arguments: table)
    func withSecondFactor(_ row: Row) {
        let facts = Self.facts(row, secondFactor: row.mode == .disabled ? .none : .verified(.totp), emailCodeVerified: row.mode == .disabled)
        // Only what an account without any 2FA is refused outright cannot be satisfied by a code.
        let expected: String? = row.rule.flatMap { Self.hardRefusals.contains($0) ? $0 : nil }
        #expect(ruleID(facts) == expected)
    }

    @Test("A wrong, replayed or relayed factor is reported by its own rule, not the requirement", arguments: [
        (SecondFactorFact.wrongCode, "otp.invalid"),
        (.reusedCode, "otp.reused"),
        (.rateLimited, "otp.rate-limited"),
        (.usedRecoveryCode, "recovery-code.used"),
        (.wrongOrigin("https://npmjs.help"), "security-key.wrong-origin"),
        (.notEnrolled, "otp.invalid"),
    ])
    func badFactor(_ factor: SecondFactorFact, _ rule: String) {
        let facts = Self.facts(Row(.publish, .authAndWrites, "2022-09-01", nil), secondFactor: factor)
        let denial = Policy.decide(facts).denial
        #expect(denial?.rule == rule)
        if rule == "otp.invalid" || rule == "recovery-code.used" { #expect(denial?.defense == .twoFactorAuthAndWrites) }
        // The same bad factor on a request that needs none does not matter.
        let unneeded = Self.facts(Row(.publish, .authOnly, "2022-09-01", nil), secondFactor: factor)
        #expect(ruleID(unneeded) == nil)
    }

    @Test("The table covers every operation, mode and era it claims to")
    func tableIsComplete() {
        for op in Op.allCases {
            for mode in TwoFactorMode.allCases {
                for e in Self.eras {
                    #expect(Self.table.contains { $0.op == op && $0.mode == mode && $0.era == e }, "missing \(op) \(mode) \(e)")
                }
            }
        }
    }
}
