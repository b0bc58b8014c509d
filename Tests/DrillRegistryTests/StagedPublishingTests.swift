@testable import DrillRegistry
import Testing

/// Issue 20, point 8: staged publishing (20 May 2026). A staged version is promoted only with an interactive 2FA
/// approval; each trusted publisher allows publish, stage or both; until about Sep 2026 staging needs an existing
/// package (and an account with 2FA), later a new package can be staged behind a public `0.0.0-stage` placeholder.
@Suite struct StagedPublishingTests {
    static func facts(_ operation: OperationKind, day: String, exists: Bool = true, mode: TwoFactorMode = .authOnly,
                      factor: SecondFactorFact = .none, bypass: Bool = true) -> RequestFacts {
        let e = era(day)
        let token = TokenFact(kind: .granular, permission: .readWrite, bypassTwoFactor: bypass && e.has(.bypassTwoFactorFlag),
                              created: noon(e) - 60, expires: noon(e) + 86_400)
        return RequestFacts(operation: operation, era: e, now: noon(e), authentication: .token(token), account: accountFact(mode),
                            secondFactor: factor, package: PackageFact(name: "left-pad", exists: exists))
    }

    @Test("Staging, on both sides of its dates", arguments: [
        ("2026-05-19", true, TwoFactorMode.authOnly, "stage.unavailable" as String?),
        ("2026-05-20", true, .authOnly, nil),
        ("2026-05-20", false, .authOnly, "stage.needs-existing-package"),
        ("2026-05-20", true, .disabled, "stage.needs-two-factor-account"),
        ("2026-08-31", false, .authOnly, "stage.needs-existing-package"),
        ("2026-09-01", false, .authOnly, nil),
        ("2026-09-01", true, .disabled, nil),
    ])
    func staging(_ day: String, _ exists: Bool, _ mode: TwoFactorMode, _ rule: String?) {
        #expect(ruleID(Self.facts(.stagePublish, day: day, exists: exists, mode: mode)) == rule)
    }

    @Test("A bypass token publishes directly only where the package allows it, and always stages (no code asked)")
    func stagingIsTheRoadForTokens() {
        // From 16 Dec 2025 a plain granular token (no bypass) cannot publish without 2FA; it can stage.
        let plain = Self.facts(.publish, day: "2026-06-01", mode: .authOnly, bypass: false)
        #expect(ruleID(plain) == "2fa.package-publishing")
        #expect(ruleID(Self.facts(.stagePublish, day: "2026-06-01", mode: .authOnly, bypass: false)) == nil)
    }

    @Test("Promotion needs the account's second factor with the request, and an account with 2FA", arguments: [
        ("2026-05-19", TwoFactorMode.authOnly, SecondFactorFact.verified(.totp), "stage.unavailable" as String?),
        ("2026-05-20", .authOnly, .none, "2fa.promote-staged"),
        ("2026-05-20", .authOnly, .verified(.securityKey), nil),
        ("2026-05-20", .authAndWrites, .none, "2fa.promote-staged"),
        ("2026-09-01", .disabled, .none, "stage.promote-needs-two-factor"),
    ])
    func promotion(_ day: String, _ mode: TwoFactorMode, _ factor: SecondFactorFact, _ rule: String?) {
        let facts = Self.facts(.promoteStaged, day: day, mode: mode, factor: factor)
        #expect(ruleID(facts) == rule)
        if let rule, rule != "stage.unavailable" { #expect(Policy.decide(facts).denial?.defense == .stagedPublishing) }
    }

    @Test("A trusted publisher's allowed actions: stage-only refuses a direct publish with E_STAGE_REQUIRED")
    func trustedActions() {
        let e = era("2026-06-01")
        for (operation, actions, rule) in [(OperationKind.publish, Set<TrustedAction>([.stage]), "oidc.action-not-allowed" as String?),
                                           (.stagePublish, [.stage], nil), (.publish, [.publish], nil),
                                           (.stagePublish, [.publish], "oidc.action-not-allowed"), (.publish, [.publish, .stage], nil)] {
            let oidc = OIDCFact(known: true, expired: false, used: false, boundPackage: "left-pad", matchesTrustedPublisher: true, allowedActions: actions)
            let facts = RequestFacts(operation: operation, era: e, now: noon(e), authentication: .oidc(oidc), package: PackageFact(name: "left-pad"))
            #expect(ruleID(facts) == rule, "\(operation) \(actions)")
            if operation == .publish, rule != nil { #expect(Policy.decide(facts).denial?.message.contains("E_STAGE_REQUIRED") == true) }
        }
        // Configuring a stage-only publisher before staged publishing exists is refused.
        let before = era("2026-05-19")
        let change = RequestFacts(operation: .setTrustedPublisher, era: before, now: noon(before),
                                  authentication: .token(TokenFact(kind: .session, permission: .readWrite, created: noon(before) - 60)),
                                  account: accountFact(.authAndWrites), secondFactor: .verified(.totp), package: PackageFact(name: "left-pad"),
                                  trustedPublisherChange: TrustedPublisherChange(adding: .githubActions, connectionsAfter: 1, addsStageOnly: true))
        #expect(ruleID(change) == "stage.unavailable")
    }

    @Test("Staging never asks for the code, under auth-and-writes too (npm-stage: 'does not require 2FA')")
    func stagingAsksNoCode() {
        #expect(ruleID(Self.facts(.stagePublish, day: "2026-06-01", mode: .authAndWrites, bypass: false)) == nil)
        #expect(ruleID(Self.facts(.publish, day: "2026-06-01", mode: .authAndWrites, bypass: false)) == "2fa.writes")
    }

    @Test("Dual-use content: bypass tokens and trusted publishing stage it from 28 Jul 2026; an interactive 2FA publish goes on",
          arguments: [("2026-07-27", nil as String?), ("2026-07-28", "package.dual-use-must-stage")])
    func dualUse(_ day: String, _ rule: String?) {
        var bypass = Self.facts(.publish, day: day)
        bypass.releaseDeclaresDualUse = true
        #expect(ruleID(bypass) == rule)
        var oidc = bypass
        oidc.authentication = .oidc(OIDCFact(known: true, expired: false, used: false, boundPackage: "left-pad", matchesTrustedPublisher: true))
        oidc.account = nil
        #expect(ruleID(oidc) == rule)
        // Staging it is the road for both.
        var staged = bypass
        staged.operation = .stagePublish
        #expect(ruleID(staged) == nil)
        oidc.operation = .stagePublish
        #expect(ruleID(oidc) == nil)
        // A person with a session and their second factor publishes it directly.
        var interactive = bypass
        let e = era(day)
        interactive.authentication = .token(TokenFact(kind: .session, permission: .readWrite, created: noon(e) - 60))
        interactive.secondFactor = .verified(.securityKey)
        #expect(ruleID(interactive) == nil)
        // A version that declares nothing is not concerned.
        var ordinary = bypass
        ordinary.releaseDeclaresDualUse = false
        #expect(ruleID(ordinary) == nil)
    }

    // MARK: Through the registry

    @Test("A stolen bypass token stages; nothing goes live until the maintainer promotes with 2FA")
    func stageThenPromote() throws {
        let w = try World("2026-06-01")
        try w.registry.seedAccount(name: "alice", email: "alice@example.com", password: "hunter2", twoFactor: .authOnly, totpSecret: seededSecret)
        try w.registry.seedPackage(name: "left-pad", maintainers: ["alice"], versions: ["1.0.0"])
        let token = try w.registry.seedToken(owner: "alice", request: TokenRequest(kind: .granular, lifetime: 7 * 86_400, bypassTwoFactor: true))
        let staged = try w.registry.stage(w.bearer(token), release("left-pad", "1.0.1"))
        #expect(staged.stagedBy == "alice")
        // Installs and the package document see nothing new.
        #expect(try w.registry.package("left-pad")?.versions.map(\.version) == ["1.0.0"])
        #expect(try w.registry.package("left-pad")?.distTags == ["latest": "1.0.0"])
        #expect(try w.registry.stagedVersions(of: "left-pad").map(\.version) == ["1.0.1"])
        // The same number cannot be published or staged again meanwhile.
        #expect(refusal { try w.registry.stage(w.bearer(token), release("left-pad", "1.0.1")) }?.rule == "input.version-exists")
        // The token alone cannot promote: it is asked for alice's second factor, which a thief does not have.
        let asked = refusal { try w.registry.promoteStaged(w.bearer(token), package: "left-pad", version: "1.0.1") }
        #expect(asked?.rule == "2fa.promote-staged")
        #expect(try w.registry.package("left-pad")?.versions.map(\.version) == ["1.0.0"])
        // alice approves with her code: the version goes live under its tag.
        let live = try w.registry.promoteStaged(w.bearer(token, .totp(w.code(seededSecret))), package: "left-pad", version: "1.0.1")
        #expect(live.version == "1.0.1")
        #expect(try w.registry.package("left-pad")?.distTags == ["latest": "1.0.1"])
        #expect(try w.registry.stagedVersions(of: "left-pad").isEmpty)
        #expect(refusal { try w.registry.promoteStaged(w.bearer(token, .totp(w.code(seededSecret, steps: 1))), package: "left-pad", version: "1.0.1") }?.rule
            == "input.unknown-version")
    }

    @Test("From about Sep 2026 a new package is staged behind a public 0.0.0-stage placeholder", arguments: [("2026-08-31", false), ("2026-09-01", true)])
    func newPackage(_ day: String, _ allowed: Bool) throws {
        let w = try World(day)
        try w.registry.seedAccount(name: "alice", email: "alice@example.com", password: "hunter2", twoFactor: .authOnly, totpSecret: seededSecret)
        let token = try w.registry.seedToken(owner: "alice", request: TokenRequest(kind: .granular, lifetime: 7 * 86_400, bypassTwoFactor: true))
        let answer = refusal { try w.registry.stage(w.bearer(token), release("brand-new", "1.0.0")) }
        #expect(answer?.rule == (allowed ? nil : "stage.needs-existing-package"))
        let record = try w.registry.package("brand-new")
        #expect(record?.versions.map(\.version) == (allowed ? [Registry.stagePlaceholderVersion] : nil))
        #expect(record?.maintainers == (allowed ? ["alice"] : nil))
        #expect(record?.isPublic == (allowed ? true : nil))
    }

    @Test("A stage-only trusted publisher stages through OIDC; its direct publish is E_STAGE_REQUIRED")
    func stageOnlyTrustedPublisher() throws {
        let w = try World("2026-06-01")
        try w.registry.seedAccount(name: "alice", email: "alice@example.com", password: "hunter2", twoFactor: .authAndWrites, totpSecret: seededSecret)
        let publisher = TrustedPublisher(repository: "alice/left-pad", workflow: "release.yml", actions: [.stage])
        try w.registry.seedPackage(name: "left-pad", maintainers: ["alice"], trustedPublisher: publisher)
        let direct = try w.registry.exchangeOIDCIdentity(package: "left-pad", identity: publisher)
        let refused = refusal { try w.registry.publish(RequestContext(credential: .oidc(direct)), release("left-pad", "1.0.1")) }
        #expect(refused?.rule == "oidc.action-not-allowed")
        #expect(refused?.message.contains("E_STAGE_REQUIRED") == true)
        let ci = try w.registry.exchangeOIDCIdentity(package: "left-pad", identity: publisher)
        #expect(try w.registry.stage(RequestContext(credential: .oidc(ci)), release("left-pad", "1.0.1")).stagedBy == "oidc:left-pad")
        // The credential is used up, and OIDC never promotes.
        let another = try w.registry.exchangeOIDCIdentity(package: "left-pad", identity: publisher)
        #expect(refusal { try w.registry.promoteStaged(RequestContext(credential: .oidc(another)), package: "left-pad", version: "1.0.1") }?.rule
            == "oidc.publish-only")
    }
}

/// Issue 20, point 11: the "read and write (stage only)" token permission (10 Sep 2026).
@Suite struct StageOnlyTokenTests {
    @Test("A stage-only token stages, deprecates, moves dist-tags and unpublishes; anything else is refused", arguments: [
        (OperationKind.publish, "token.stage-only" as String?), (.stagePublish, nil), (.deprecate, nil), (.setDistTag, nil),
        (.removeDistTag, nil), (.unpublish, nil), (.addOwner, "token.stage-only"), (.setAccess, "token.stage-only"),
        (.promoteStaged, "token.stage-only"), (.readPackage, nil), (.download, nil),
    ])
    func permission(_ operation: OperationKind, _ rule: String?) {
        let e = era("2026-09-10")
        let token = TokenFact(kind: .granular, permission: .readWriteStageOnly, bypassTwoFactor: true, created: noon(e) - 60, expires: noon(e) + 86_400)
        let facts = RequestFacts(operation: operation, era: e, now: noon(e), authentication: .token(token), account: accountFact(.authOnly),
                                 secondFactor: .verified(.totp), package: PackageFact(name: "left-pad", versionAge: 60))
        let denial = Policy.decide(facts).denial
        #expect(denial?.rule == rule.map { RuleID(rawValue: $0)! }, "\(operation)")
        if operation == .publish { #expect(denial?.message.contains("E_STAGE_REQUIRED") == true) }
    }

    @Test("Created from 10 Sep 2026, granular only", arguments: [
        ("2026-09-09", TokenKind.granular, "token.kind-unavailable" as String?), ("2026-09-10", .granular, nil),
        // A classic kind is refused first for being classic (no new classic tokens since 5 Nov 2025).
        ("2026-09-10", .automation, "token.classic-creation-disabled"),
    ])
    func creation(_ day: String, _ kind: TokenKind, _ rule: String?) {
        let e = era(day)
        let facts = RequestFacts(operation: .createToken, era: e, now: noon(e), authentication: .password(verified: true),
                                 account: accountFact(.authOnly), secondFactor: .verified(.securityKey),
                                 requestedToken: TokenRequest(kind: kind, permission: .readWriteStageOnly, lifetime: 7 * 86_400))
        #expect(ruleID(facts) == rule)
    }

    @Test("Through the registry: the token stages but cannot publish; a v7 file's tokens survive the table rebuild")
    func throughTheRegistry() throws {
        let w = try World("2026-09-10")
        try w.registry.seedAccount(name: "alice", email: "alice@example.com", password: "hunter2", twoFactor: .authOnly, totpSecret: seededSecret)
        try w.registry.seedPackage(name: "left-pad", maintainers: ["alice"], versions: ["1.0.0"])
        let session = try w.registry.login(w.password("alice", "hunter2", .totp(w.code(seededSecret)))).token
        w.clock.advance(by: 30)
        let issued = try w.registry.createToken(w.bearer(session, .totp(w.code(seededSecret))),
                                                request: TokenRequest(kind: .granular, permission: .readWriteStageOnly, lifetime: 7 * 86_400), password: "hunter2")
        #expect(issued.summary.permission == .readWriteStageOnly)
        let ci = w.bearer(issued.token)
        let refused = refusal { try w.registry.publish(ci, release("left-pad", "1.0.1")) }
        #expect(refused?.rule == "token.stage-only")
        #expect(try w.registry.stage(ci, release("left-pad", "1.0.1")).version == "1.0.1")
        #expect(try w.registry.package("left-pad")?.versions.map(\.version) == ["1.0.0"])
    }
}

/// Issue 20, point 12: announced for Jan 2027, bypass-2FA tokens read private packages and stage only. A future era
/// a facilitator names to show what it will change; no era up to the simulator's latest has it.
@Suite struct AnnouncedBypassStageOnlyTests {
    @Test("Before and after the announced day", arguments: [
        ("2026-12-31", OperationKind.publish, nil as String?), ("2027-01-01", .publish, "token.bypass-stage-only"),
        ("2027-01-01", .stagePublish, nil), ("2027-01-01", .readPackage, nil), ("2027-01-01", .deprecate, "token.bypass-stage-only"),
    ])
    func bypassTokens(_ day: String, _ operation: OperationKind, _ rule: String?) {
        let e = era(day)
        let token = TokenFact(kind: .granular, permission: .readWrite, bypassTwoFactor: true, created: noon(e) - 60, expires: noon(e) + 86_400)
        let facts = RequestFacts(operation: operation, era: e, now: noon(e), authentication: .token(token), account: accountFact(.authOnly),
                                 package: PackageFact(name: "left-pad"))
        #expect(ruleID(facts) == rule, "\(operation)")
        // A granular token without the flag is not concerned by this rule (it stages, or publishes with the code).
        var plain = facts
        plain.authentication = .token(TokenFact(kind: .granular, permission: .readWrite, created: noon(e) - 60, expires: noon(e) + 86_400))
        #expect(ruleID(plain) != "token.bypass-stage-only")
    }

    @Test("It is marked as announced: later than the latest era, listed with its mark")
    func announced() {
        #expect(RuleChange.bypassTokensStageOnly.isAnnounced)
        #expect(!RegistryEra.latest.has(.bypassTokensStageOnly))
        #expect(RuleChange.allCases.filter(\.isAnnounced) == [.bypassTokensStageOnly])
    }
}
