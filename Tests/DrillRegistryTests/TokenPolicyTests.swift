@testable import DrillRegistry
import Testing

/// Token kinds, the bypass-2FA flag, package publishing settings, CIDR, expiry, revocation, sessions,
/// the end of classic tokens, OIDC, org enforcement and unpublish windows, against `Policy.decide`.
@Suite struct TokenPolicyTests {
    enum Kind: String, CaseIterable, Sendable {
        case readOnly = "read-only", publish, automation, granularReadOnly = "granular-ro"
        case granularWrite = "granular-rw", granularBypass = "granular-rw-bypass", session

        func fact(now: Int64) -> TokenFact {
            switch self {
            case .readOnly: TokenFact(kind: .readOnly, permission: .readOnly, created: now - 86_400)
            case .publish: TokenFact(kind: .publish, permission: .readWrite, created: now - 86_400)
            case .automation: TokenFact(kind: .automation, permission: .readWrite, created: now - 86_400)
            case .granularReadOnly: TokenFact(kind: .granular, permission: .readOnly, created: now - 86_400, expires: now + 86_400)
            case .granularWrite: TokenFact(kind: .granular, permission: .readWrite, created: now - 86_400, expires: now + 86_400)
            case .granularBypass:
                TokenFact(kind: .granular, permission: .readWrite, bypassTwoFactor: true, created: now - 86_400, expires: now + 86_400)
            case .session: TokenFact(kind: .session, permission: .readWrite, created: now - 60, expires: now + 7_000)
            }
        }
    }

    enum Op: String, CaseIterable, Sendable {
        case read, download, publish, unpublish, distTag = "dist-tag", ownerAdd = "owner-add"
        case createToken = "create-token", changeEmail = "change-email"

        var operation: OperationKind {
            switch self {
            case .read: .readPackage
            case .download: .download
            case .publish: .publish
            case .unpublish: .unpublish
            case .distTag: .setDistTag
            case .ownerAdd: .addOwner
            case .createToken: .createToken
            case .changeEmail: .changeEmail
            }
        }
    }

    struct Row: Sendable, CustomTestStringConvertible {
        let kind: Kind, mode: TwoFactorMode, era: String
        /// The expected rule per operation, in `Op.allCases` order.
        let rules: [String?]
        var testDescription: String { "\(kind.rawValue) / \(mode.rawValue) / \(era)" }
    }

    static let ro = "token.read-only"
    static let writes = "2fa.writes"
    static let mgmt = "2fa.token-management"
    static let acct = "2fa.account-changes"
    static let retired = "token.classic-retired"
    static let autoAcct = "token.automation-account-actions"
    static let barred = "2fa.bypass-token-account-action"

    // Columns: read, download, publish, unpublish, dist-tag latest, owner add, create token, change email.
    // The account is the package's maintainer with TOTP; no second factor comes with the request.
    static let table: [Row] = [
        // 2023-06-01: classic and granular tokens coexist, no bypass flag yet. §2: read-only tokens never write; publish
        // tokens need an OTP for writes under auth-and-writes; automation tokens are "never asked" but manage nothing [I];
        // §3: before 5 Nov 2025 granular write tokens publish without 2FA (the flag is meaningless then).
        Row(kind: .readOnly, mode: .authAndWrites, era: "2023-06-01", rules: [nil, nil, ro, ro, ro, ro, ro, ro]),
        Row(kind: .publish, mode: .authAndWrites, era: "2023-06-01", rules: [nil, nil, writes, writes, writes, writes, mgmt, acct]),
        Row(kind: .automation, mode: .authAndWrites, era: "2023-06-01", rules: [nil, nil, nil, nil, nil, nil, autoAcct, autoAcct]),
        Row(kind: .granularReadOnly, mode: .authAndWrites, era: "2023-06-01", rules: [nil, nil, ro, ro, ro, ro, ro, ro]),
        Row(kind: .granularWrite, mode: .authAndWrites, era: "2023-06-01", rules: [nil, nil, nil, nil, nil, nil, mgmt, acct]),
        Row(kind: .granularBypass, mode: .authAndWrites, era: "2023-06-01", rules: [nil, nil, nil, nil, nil, nil, mgmt, acct]),
        // §2 "under auth-only writes need none": a publish token under auth-only writes freely, but token management
        // needs the code from 29 Aug 2022 and profile changes always do.
        Row(kind: .publish, mode: .authOnly, era: "2023-06-01", rules: [nil, nil, nil, nil, nil, nil, mgmt, acct]),

        // 2025-11-20: §3 "from 5 Nov 2025 a Bypass 2FA flag decides"; with it on the token also changes the account
        // (until Aug 2026).
        Row(kind: .readOnly, mode: .authAndWrites, era: "2025-11-20", rules: [nil, nil, ro, ro, ro, ro, ro, ro]),
        Row(kind: .publish, mode: .authAndWrites, era: "2025-11-20", rules: [nil, nil, writes, writes, writes, writes, mgmt, acct]),
        Row(kind: .automation, mode: .authAndWrites, era: "2025-11-20", rules: [nil, nil, nil, nil, nil, nil, autoAcct, autoAcct]),
        Row(kind: .granularReadOnly, mode: .authAndWrites, era: "2025-11-20", rules: [nil, nil, ro, ro, ro, ro, ro, ro]),
        Row(kind: .granularWrite, mode: .authAndWrites, era: "2025-11-20", rules: [nil, nil, writes, writes, writes, writes, mgmt, acct]),
        Row(kind: .granularBypass, mode: .authAndWrites, era: "2025-11-20", rules: [nil, nil, nil, nil, nil, nil, nil, nil]),

        // 2025-12-10: §2 "all [classic tokens] revoked 9 Dec 2025", even for reads; §4 sessions need 2FA to publish.
        Row(kind: .readOnly, mode: .authAndWrites, era: "2025-12-10", rules: Array(repeating: retired, count: 8)),
        Row(kind: .publish, mode: .authAndWrites, era: "2025-12-10", rules: Array(repeating: retired, count: 8)),
        Row(kind: .automation, mode: .authAndWrites, era: "2025-12-10", rules: Array(repeating: retired, count: 8)),
        Row(kind: .granularReadOnly, mode: .authAndWrites, era: "2025-12-10", rules: [nil, nil, ro, ro, ro, ro, ro, ro]),
        Row(kind: .granularWrite, mode: .authAndWrites, era: "2025-12-10", rules: [nil, nil, writes, writes, writes, writes, mgmt, acct]),
        Row(kind: .granularBypass, mode: .authAndWrites, era: "2025-12-10", rules: [nil, nil, nil, nil, nil, nil, nil, nil]),
        Row(kind: .session, mode: .authAndWrites, era: "2025-12-10", rules: [nil, nil, writes, writes, writes, writes, mgmt, acct]),
        Row(kind: .session, mode: .authOnly, era: "2025-12-10", rules: [nil, nil, "2fa.package-publishing", nil, nil, nil, mgmt, acct]),

        // GitHub changelog 2026-07-31: bypass tokens keep "package and automation actions such as publishing"; tokens,
        // the profile, maintainers (and more: BypassTokenRestrictionTests) need an interactive 2FA challenge. Moved in
        // Dec 2026 from 1 Aug to 31 Jul 2026 (rule change bypass-barred-from-account-actions), and an account without
        // 2FA is barred too: it has no challenge to pass.
        Row(kind: .granularBypass, mode: .authAndWrites, era: "2026-07-30", rules: [nil, nil, nil, nil, nil, nil, nil, nil]),
        Row(kind: .granularBypass, mode: .authAndWrites, era: "2026-07-31", rules: [nil, nil, nil, nil, nil, barred, barred, barred]),
        Row(kind: .granularBypass, mode: .disabled, era: "2026-07-31", rules: [nil, nil, nil, nil, nil, barred, barred, barred]),
        Row(kind: .granularBypass, mode: .authAndWrites, era: "2026-09-01", rules: [nil, nil, nil, nil, nil, barred, barred, barred]),
        Row(kind: .session, mode: .authAndWrites, era: "2026-09-01", rules: [nil, nil, writes, writes, writes, writes, mgmt, acct]),
        Row(kind: .publish, mode: .authAndWrites, era: "2026-09-01", rules: Array(repeating: retired, count: 8)),
    ]

    static func facts(_ kind: Kind, _ op: Op, mode: TwoFactorMode, era date: String, policy: PublishingPolicy = .twoFactorNotRequired,
                      secondFactor: SecondFactorFact = .none) -> RequestFacts {
        let e = era(date)
        let now = noon(e)
        let operation = op.operation
        let package: PackageFact? = operation.isPackageWrite || operation == .readPackage || operation == .download
            ? PackageFact(name: "left-pad", policy: policy, versionAge: operation == .unpublish ? 3_600 : nil) : nil
        let requested: TokenRequest? = operation == .createToken ? TokenRequest(kind: .granular, lifetime: 7 * 86_400) : nil
        return RequestFacts(operation: operation, era: e, now: now, authentication: .token(kind.fact(now: now)),
                            account: accountFact(mode), secondFactor: secondFactor, package: package, requestedToken: requested)
    }

    @Test("Token kind x operation x era", arguments: table)
    func tokenKinds(_ row: Row) {
        #expect(row.rules.count == Op.allCases.count)
        for (op, expected) in zip(Op.allCases, row.rules) {
            let got = ruleID(Self.facts(row.kind, op, mode: row.mode, era: row.era))
            #expect(got == expected, "\(op.rawValue): got \(got ?? "allowed"), expected \(expected ?? "allowed")")
        }
    }

    @Test("A verified code lifts every 2FA demand on a token, never a hard refusal", arguments: table.filter { $0.mode != .disabled })
    func tokenKindsWithCode(_ row: Row) {
        let hard: Set<String> = [Self.ro, Self.retired, Self.autoAcct]
        for (op, expected) in zip(Op.allCases, row.rules) {
            let got = ruleID(Self.facts(row.kind, op, mode: row.mode, era: row.era, secondFactor: .verified(.totp)))
            #expect(got == expected.flatMap { hard.contains($0) ? $0 : nil }, "\(op.rawValue)")
        }
    }

    // MARK: Bypass flag x package publishing setting

    struct SettingRow: Sendable, CustomTestStringConvertible {
        let era: String, mode: TwoFactorMode, bypass: Bool, policy: PublishingPolicy, rule: String?
        var testDescription: String { "\(era) \(mode.rawValue) bypass=\(bypass) \(policy.rawValue) -> \(rule ?? "allowed")" }
    }

    /// §3 and §5: a granular write token publishing, by bypass flag and the package's setting, before and after
    /// 5 Nov 2025 (and after 9 Dec 2025, when "2FA not required" no longer exists in effect). The account has auth-only
    /// 2FA (so only the package's setting asks for a code) or no 2FA at all.
    static let settings: [SettingRow] = {
        typealias R = SettingRow
        let notRequired = PublishingPolicy.twoFactorNotRequired, orToken = PublishingPolicy.twoFactorOrToken
        let disallow = PublishingPolicy.twoFactorAndDisallowTokens
        var t: [R] = []
        for bypass in [false, true] {
            // Before 5 Nov 2025 every granular write token counts as the "token" of "2FA or token"; none passes "disallow".
            t += [R(era: "2025-06-01", mode: .authOnly, bypass: bypass, policy: notRequired, rule: nil),
                  R(era: "2025-06-01", mode: .authOnly, bypass: bypass, policy: orToken, rule: nil),
                  R(era: "2025-06-01", mode: .authOnly, bypass: bypass, policy: disallow, rule: "package.tokens-disallowed"),
                  R(era: "2025-06-01", mode: .disabled, bypass: bypass, policy: notRequired, rule: nil),
                  R(era: "2025-06-01", mode: .disabled, bypass: bypass, policy: orToken, rule: nil),
                  R(era: "2025-06-01", mode: .disabled, bypass: bypass, policy: disallow, rule: "package.tokens-disallowed")]
        }
        // From 5 Nov 2025 only the flag lets a token through "2FA or token"; "disallow tokens" refuses any token.
        t += [R(era: "2025-11-20", mode: .authOnly, bypass: false, policy: notRequired, rule: nil),
              R(era: "2025-11-20", mode: .authOnly, bypass: false, policy: orToken, rule: "2fa.package-publishing"),
              R(era: "2025-11-20", mode: .authOnly, bypass: false, policy: disallow, rule: "package.tokens-disallowed"),
              R(era: "2025-11-20", mode: .authOnly, bypass: true, policy: notRequired, rule: nil),
              R(era: "2025-11-20", mode: .authOnly, bypass: true, policy: orToken, rule: nil),
              R(era: "2025-11-20", mode: .authOnly, bypass: true, policy: disallow, rule: "package.tokens-disallowed"),
              R(era: "2025-11-20", mode: .disabled, bypass: false, policy: notRequired, rule: nil),
              R(era: "2025-11-20", mode: .disabled, bypass: false, policy: orToken, rule: "package.requires-two-factor"),
              R(era: "2025-11-20", mode: .disabled, bypass: false, policy: disallow, rule: "package.tokens-disallowed"),
              R(era: "2025-11-20", mode: .disabled, bypass: true, policy: notRequired, rule: nil),
              R(era: "2025-11-20", mode: .disabled, bypass: true, policy: orToken, rule: nil),
              R(era: "2025-11-20", mode: .disabled, bypass: true, policy: disallow, rule: "package.tokens-disallowed")]
        // Moved in Dec 2026 from 9 Dec to 16 Dec 2025 (rule change publishing-needs-2fa; npm/documentation PR 1790 and
        // the changelog of 2025-12-09: "Existing packages retain their current 2FA settings" until then): on 10 Dec an
        // existing "not required" package still takes a token without the flag.
        t += [R(era: "2025-12-10", mode: .authOnly, bypass: false, policy: notRequired, rule: nil),
              R(era: "2025-12-10", mode: .disabled, bypass: false, policy: notRequired, rule: nil)]
        // From 16 Dec 2025 "publishing to npm requires either 2FA ... OR a granular access token with bypass 2FA":
        // "not required" acts as "2FA or token".
        t += [R(era: "2025-12-16", mode: .authOnly, bypass: false, policy: notRequired, rule: "2fa.package-publishing"),
              R(era: "2025-12-16", mode: .authOnly, bypass: false, policy: orToken, rule: "2fa.package-publishing"),
              R(era: "2025-12-16", mode: .authOnly, bypass: false, policy: disallow, rule: "package.tokens-disallowed"),
              R(era: "2025-12-16", mode: .authOnly, bypass: true, policy: notRequired, rule: nil),
              R(era: "2025-12-16", mode: .authOnly, bypass: true, policy: orToken, rule: nil),
              R(era: "2025-12-16", mode: .authOnly, bypass: true, policy: disallow, rule: "package.tokens-disallowed"),
              R(era: "2025-12-16", mode: .disabled, bypass: false, policy: notRequired, rule: "package.requires-two-factor"),
              R(era: "2025-12-16", mode: .disabled, bypass: true, policy: notRequired, rule: nil)]
        return t
    }()

    @Test("Bypass-2FA flag x package publishing setting", arguments: settings)
    func bypassBySetting(_ row: SettingRow) {
        let facts = Self.facts(row.bypass ? .granularBypass : .granularWrite, .publish, mode: row.mode, era: row.era, policy: row.policy)
        #expect(ruleID(facts) == row.rule)
    }

    @Test("'Require 2FA and disallow tokens' still lets an interactive publish with a code through", arguments: ["2023-06-01", "2025-12-10"])
    func disallowTokensInteractive(_ date: String) {
        let interactive: Kind = era(date).has(.classicTokensRevoked) ? .session : .publish
        let disallow = PublishingPolicy.twoFactorAndDisallowTokens
        #expect(ruleID(Self.facts(interactive, .publish, mode: .authOnly, era: date, policy: disallow)) == "2fa.package-publishing")
        #expect(ruleID(Self.facts(interactive, .publish, mode: .authOnly, era: date, policy: disallow, secondFactor: .verified(.totp))) == nil)
        // A bypass token with a code is still a token: refused.
        #expect(ruleID(Self.facts(.granularBypass, .publish, mode: .authOnly, era: date, policy: disallow, secondFactor: .verified(.totp)))
            == "package.tokens-disallowed")
        // Without any 2FA on the account, nothing can publish it.
        #expect(ruleID(Self.facts(interactive, .publish, mode: .disabled, era: date, policy: disallow)) == "package.requires-two-factor")
    }

    // MARK: Token validity

    static func tokenFacts(_ token: TokenFact, era date: String = "2023-06-01", now: Int64? = nil, operation: OperationKind = .readProfile) -> RequestFacts {
        let e = era(date)
        return RequestFacts(operation: operation, era: e, now: now ?? noon(e), authentication: .token(token), account: accountFact(.disabled))
    }

    @Test("CIDR allowlist: inside allowed, outside refused with an EAUTHIP answer")
    func cidr() {
        let now = noon(era("2023-06-01"))
        var t = TokenFact(kind: .publish, permission: .readWrite, created: now - 10, sourceInsideAllowlist: true)
        #expect(ruleID(Self.tokenFacts(t)) == nil)
        t.sourceInsideAllowlist = false
        let denial = Policy.decide(Self.tokenFacts(t)).denial
        #expect(denial?.rule == "token.cidr-mismatch")
        #expect(denial?.response == .ipAddress)
        #expect(denial?.defense == .cidrTokens)
    }

    @Test("Expiry: usable until the second before, refused from the expiry on", arguments: [(-1 as Int64, nil as String?), (0, "token.expired"), (3_600, "token.expired")])
    func expiry(_ offset: Int64, _ rule: String?) {
        let now = noon(era("2023-06-01"))
        let t = TokenFact(kind: .granular, permission: .readWrite, created: now - 86_400, expires: now)
        #expect(ruleID(Self.tokenFacts(t, now: now + offset)) == rule)
    }

    /// The registry docs of 2017: a deleted token "will remain valid for one hour", a cache limitation "in the future"
    /// removed; later docs: "immediately unusable". Moved in Dec 2026 from one hour in every era to one hour before
    /// 2018 and none from then (rule change revocation-immediate, token.revoked; the day is [I]).
    @Test("Revocation: the cache keeps a revoked token valid for the era's grace, then it is refused", arguments: [
        ("2017-12-31", 0 as Int64, nil as Int64?, nil as String?), ("2017-12-31", 3_599, nil, nil), ("2017-12-31", 3_600, nil, "token.revoked"),
        ("2017-12-31", 86_400, nil, "token.revoked"),
        ("2018-01-01", 0, nil, "token.revoked"), ("2023-06-01", 0, nil, "token.revoked"),
        // The parameter overrides the era either way.
        ("2023-06-01", 599, 600, nil), ("2023-06-01", 600, 600, "token.revoked"), ("2017-12-31", 0, 0, "token.revoked"),
    ])
    func revocation(_ day: String, _ sinceRevoked: Int64, _ grace: Int64?, _ rule: String?) {
        let revokedAt = noon(era(day))
        let t = TokenFact(kind: .publish, permission: .readWrite, created: revokedAt - 86_400, revoked: revokedAt)
        var facts = Self.tokenFacts(t, era: day, now: revokedAt + sinceRevoked)
        facts.parameters.revokedTokenGraceSeconds = grace
        #expect(ruleID(facts) == rule)
        // An allowed request with a revoked token says why it still works.
        #expect(facts.notices.count == (rule == nil ? 1 : 0))
        if rule == nil { #expect(facts.notices.first?.contains("revocation grace") == true) }
    }

    @Test("Sessions expire after their lifetime with their own rule", arguments: [(7_199 as Int64, nil as String?), (7_200, "session.expired")])
    func sessionExpiry(_ age: Int64, _ rule: String?) {
        let start = noon(era("2025-12-10"))
        let t = TokenFact(kind: .session, permission: .readWrite, created: start, expires: start + 7_200)
        let denial = Policy.decide(Self.tokenFacts(t, era: "2025-12-10", now: start + age)).denial
        #expect(denial?.rule == rule)
        if rule != nil { #expect(denial?.defense == .shortLoginSessions) }
    }

    @Test("Classic tokens work until 8 Dec 2025 and are refused from 9 Dec 2025; granular tokens carry on",
          arguments: [("2025-12-08", TokenKind.publish, nil as String?), ("2025-12-09", .publish, "token.classic-retired"),
                      ("2025-12-09", .readOnly, "token.classic-retired"), ("2025-12-09", .automation, "token.classic-retired"),
                      ("2025-12-09", .granular, nil)])
    func classicRetirement(_ date: String, _ kind: TokenKind, _ rule: String?) {
        let now = noon(era(date))
        let t = TokenFact(kind: kind, permission: kind == .readOnly ? .readOnly : .readWrite, created: now - 86_400,
                          expires: kind == .granular ? now + 86_400 : nil)
        #expect(ruleID(Self.tokenFacts(t, era: date, operation: .download)) == rule)
    }

    struct CreationRow: Sendable, CustomTestStringConvertible {
        let era: String, request: TokenRequest, rule: String?
        var testDescription: String { "\(era) \(request.kind.rawValue) bypass=\(request.bypassTwoFactor) life=\(request.lifetime ?? -1) -> \(rule ?? "allowed")" }
    }

    static let creation: [CreationRow] = [
        // §2 "creation disabled 5 Nov 2025".
        CreationRow(era: "2025-11-04", request: .classicPublish, rule: nil),
        CreationRow(era: "2025-11-04", request: .classicReadOnly, rule: nil),
        CreationRow(era: "2025-11-05", request: .classicPublish, rule: "token.classic-creation-disabled"),
        CreationRow(era: "2025-11-05", request: .classicReadOnly, rule: "token.classic-creation-disabled"),
        CreationRow(era: "2025-11-05", request: TokenRequest(kind: .automation), rule: "token.classic-creation-disabled"),
        CreationRow(era: "2025-11-05", request: TokenRequest(kind: .granular, lifetime: 7 * 86_400), rule: nil),
        // §2 automation tokens from 2 Oct 2020 (GitHub changelog 2020-10-02; moved in Dec 2026 from 8 Dec 2020, rule
        // change automation-tokens); §3 granular tokens "beta 6 Dec 2022"; the flag from 5 Nov 2025.
        CreationRow(era: "2020-10-01", request: TokenRequest(kind: .automation), rule: "token.kind-unavailable"),
        CreationRow(era: "2020-10-02", request: TokenRequest(kind: .automation), rule: nil),
        CreationRow(era: "2022-12-05", request: TokenRequest(kind: .granular, lifetime: 86_400), rule: "token.kind-unavailable"),
        CreationRow(era: "2022-12-06", request: TokenRequest(kind: .granular, lifetime: 86_400), rule: nil),
        CreationRow(era: "2025-11-04", request: TokenRequest(kind: .granular, lifetime: 86_400, bypassTwoFactor: true), rule: "token.kind-unavailable"),
        CreationRow(era: "2025-11-05", request: TokenRequest(kind: .granular, lifetime: 86_400, bypassTwoFactor: true), rule: nil),
        CreationRow(era: "2025-12-10", request: TokenRequest(kind: .session), rule: "token.kind-unavailable"),
        // §3 "from Oct/Nov 2025 new write tokens default to 7 days, max 90"; read-only tokens are not capped.
        CreationRow(era: "2025-11-05", request: TokenRequest(kind: .granular, lifetime: 90 * 86_400), rule: nil),
        CreationRow(era: "2025-11-05", request: TokenRequest(kind: .granular, lifetime: 91 * 86_400), rule: "token.lifetime-too-long"),
        CreationRow(era: "2025-11-05", request: TokenRequest(kind: .granular, permission: .readOnly, lifetime: 365 * 86_400), rule: nil),
        CreationRow(era: "2024-01-01", request: TokenRequest(kind: .granular, lifetime: 365 * 86_400), rule: nil),
    ]

    @Test("Which tokens can be created in which era", arguments: creation)
    func tokenCreation(_ row: CreationRow) {
        let e = era(row.era)
        // The password request carries the emailed code its era asks for (enhanced login verification guards every
        // password request from 2022, rule login.emailed-code; PasswordRequestRulesTests): only the token's kind is on trial.
        let facts = RequestFacts(operation: .createToken, era: e, now: noon(e), authentication: .password(verified: true),
                                 account: accountFact(.disabled), emailCodeVerified: true, requestedToken: row.request)
        #expect(ruleID(facts) == row.rule)
    }

    @Test("Granular package and scope limits", arguments: [
        ("left-pad", nil as String?), ("@acme/widget", nil), ("@acme-evil/widget", "token.package-scope"), ("right-pad", "token.package-scope"),
    ])
    func packageScope(_ package: String, _ rule: String?) {
        let e = era("2023-06-01")
        let t = TokenFact(kind: .granular, permission: .readWrite, packages: ["left-pad"], scopes: ["@acme"], created: noon(e) - 10, expires: noon(e) + 86_400)
        let facts = RequestFacts(operation: .publish, era: e, now: noon(e), authentication: .token(t), account: accountFact(.disabled),
                                 package: PackageFact(name: package))
        #expect(ruleID(facts) == rule)
        // Reads are not limited by the write scope.
        var read = facts
        read.operation = .download
        #expect(ruleID(read) == nil)
    }

    // MARK: OIDC

    static func oidc(_ o: OIDCFact, operation: OperationKind = .publish, package: String = "left-pad",
                     policy: PublishingPolicy = .twoFactorNotRequired, date: String = "2025-12-10") -> RequestFacts {
        let e = era(date)
        return RequestFacts(operation: operation, era: e, now: noon(e), authentication: .oidc(o),
                            package: PackageFact(name: package, actorIsMaintainer: true, policy: policy))
    }

    static let goodOIDC = OIDCFact(known: true, expired: false, used: false, boundPackage: "left-pad", matchesTrustedPublisher: true)

    @Test("OIDC credentials: valid, unknown, expired, used, misused")
    func oidcRules() {
        var o = Self.goodOIDC
        #expect(ruleID(Self.oidc(o)) == nil)
        // §6 "it is additive to tokens unless the package disallows tokens"; §5 "Trusted publishing still works under disallow tokens".
        #expect(ruleID(Self.oidc(o, policy: .twoFactorAndDisallowTokens)) == nil)
        #expect(ruleID(Self.oidc(o, policy: .twoFactorOrToken)) == nil)
        o.known = false
        #expect(ruleID(Self.oidc(o)) == "oidc.invalid")
        o = Self.goodOIDC; o.expired = true
        #expect(ruleID(Self.oidc(o)) == "oidc.invalid")
        o = Self.goodOIDC; o.used = true
        let used = Policy.decide(Self.oidc(o)).denial
        #expect(used?.rule == "oidc.invalid")
        #expect(used?.message.contains("already used") == true)
        o = Self.goodOIDC; o.matchesTrustedPublisher = false
        #expect(ruleID(Self.oidc(o)) == "oidc.publish-only")
        #expect(ruleID(Self.oidc(Self.goodOIDC, package: "right-pad")) == "oidc.publish-only")
        for operation in [OperationKind.unpublish, .setDistTag, .addOwner, .changePublishingPolicy, .createToken, .changeEmail] {
            #expect(ruleID(Self.oidc(Self.goodOIDC, operation: operation)) == "oidc.publish-only", "\(operation)")
        }
    }

    // MARK: Orgs

    @Test("Org 2FA enforcement: members without 2FA cannot write to the org's packages or disable 2FA")
    func orgEnforcement() {
        let e = era("2023-06-01")
        let token = AuthenticationFact.token(TokenFact(kind: .publish, permission: .readWrite, created: noon(e) - 10))
        let package = PackageFact(name: "@acme/widget", orgRequiresTwoFactor: true)
        func facts(_ op: OperationKind, _ mode: TwoFactorMode, inOrg: Bool = true, factor: SecondFactorFact = .none) -> RequestFacts {
            var account = accountFact(mode)
            account.inOrgRequiringTwoFactor = inOrg
            return RequestFacts(operation: op, era: e, now: noon(e), authentication: token, account: account, secondFactor: factor,
                                package: op.isPackageWrite ? package : nil)
        }
        #expect(ruleID(facts(.publish, .disabled)) == "org.two-factor-required")
        #expect(ruleID(facts(.addOwner, .disabled)) == "org.two-factor-required")
        #expect(ruleID(facts(.publish, .authOnly)) == nil)
        #expect(ruleID(facts(.disableTwoFactor, .authOnly, factor: .verified(.totp))) == "org.cannot-disable-two-factor")
        #expect(ruleID(facts(.disableTwoFactor, .authOnly, inOrg: false, factor: .verified(.totp))) == nil)
        // Reading the org's package is not a write.
        var read = facts(.download, .disabled)
        read.package = package
        #expect(ruleID(read) == nil)
    }

    // MARK: Unpublish windows

    /// §7: (era, version age, late-unpublish conditions met, expected rule).
    static let unpublishCases: [(String, Int64, Bool, String?)] = [
        ("2015-06-01", 30 * 86_400, false, nil),                           // before Mar 2016: any version
        ("2016-03-29", 23 * 3_600, false, nil),                            // late Mar 2016: within 24 h
        ("2016-03-29", 25 * 3_600, false, "unpublish.window-closed"),
        ("2016-03-29", 25 * 3_600, true, "unpublish.window-closed"),      // no late exception before 2020
        // Moved in Dec 2026: 72 h from 29 Jun 2018 (npm/policies 04acfa2), not Jan 2020; the late exception from
        // 30 Jan 2020 (npm/policies 08c1cd3). Rules unpublish-72h and unpublish-late-conditions.
        ("2018-06-28", 25 * 3_600, false, "unpublish.window-closed"),
        ("2018-06-29", 71 * 3_600, false, nil),                            // from 29 Jun 2018: within 72 h
        ("2018-06-29", 73 * 3_600, false, "unpublish.window-closed"),
        ("2020-01-29", 73 * 3_600, true, "unpublish.window-closed"),      // no late exception yet
        ("2020-01-30", 73 * 3_600, false, "unpublish.window-closed"),
        ("2020-01-30", 73 * 3_600, true, nil),                             // or later under the conditions
    ]

    @Test("Unpublish windows by era (§7)", arguments: unpublishCases)
    func unpublishWindows(_ date: String, _ age: Int64, _ lateConditions: Bool, _ rule: String?) {
        let e = era(date)
        let facts = RequestFacts(operation: .unpublish, era: e, now: noon(e),
                                 authentication: .token(TokenFact(kind: .publish, permission: .readWrite, created: noon(e) - 10)),
                                 account: accountFact(.disabled),
                                 package: PackageFact(name: "left-pad", versionAge: age, meetsLateUnpublishConditions: lateConditions))
        #expect(ruleID(facts) == rule)
    }
}
