@testable import DrillRegistry
import Testing

/// Issue 20, point 1: a package's "require 2FA" setting has covered every change to the package since it arrived in
/// July 2018, maintainer changes included (npm blog: maintainers are "prompted for a one-time password for all changes
/// to that package ... This includes maintainer changes"), not only publishing.
@Suite struct PackageSettingTests {
    static let writes: [OperationKind] = [.publish, .unpublish, .deprecate, .setDistTag, .removeDistTag, .addOwner, .removeOwner,
                                          .setAccess, .changePublishingPolicy, .setTrustedPublisher]

    static func facts(_ operation: OperationKind, policy: PublishingPolicy, mode: TwoFactorMode, token kind: TokenKind = .publish,
                      tagIsLatest: Bool = false, secondFactor: SecondFactorFact = .none) -> RequestFacts {
        let e = era("2021-06-01")
        let now = noon(e)
        return RequestFacts(operation: operation, era: e, now: now,
                            authentication: .token(TokenFact(kind: kind, permission: .readWrite, created: now - 86_400)),
                            account: accountFact(mode), secondFactor: secondFactor,
                            package: PackageFact(name: "left-pad", policy: policy, tagIsLatest: tagIsLatest,
                                                 versionAge: operation == .unpublish ? 3_600 : nil))
    }

    @Test("Every write to a package that requires 2FA asks a maintainer with auth-only for the code", arguments: writes)
    func everyChangeAsks(_ operation: OperationKind) {
        // A dist-tag other than latest too: "all changes" (auth-and-writes exempts those tags, the package setting does not).
        for policy in [PublishingPolicy.twoFactorOrToken, .twoFactorAndDisallowTokens] {
            let denial = Policy.decide(Self.facts(operation, policy: policy, mode: .authOnly)).denial
            #expect(denial?.rule == .twoFactorPackagePublishing, "\(operation) \(policy)")
            #expect(denial?.defense == (policy == .twoFactorAndDisallowTokens ? .disallowTokens : .packageRequiresTwoFactor))
            #expect(ruleID(Self.facts(operation, policy: policy, mode: .authOnly, secondFactor: .verified(.totp))) == nil)
            // A maintainer without 2FA cannot change it at all.
            #expect(ruleID(Self.facts(operation, policy: policy, mode: .disabled)) == "package.requires-two-factor", "\(operation) \(policy)")
        }
        // Without the setting, auth-only asks nothing for these.
        #expect(ruleID(Self.facts(operation, policy: .twoFactorNotRequired, mode: .authOnly)) == nil)
    }

    @Test("'Require 2FA or an automation token': the automation token passes where it bypasses 2FA, and nowhere else", arguments: writes)
    func automationToken(_ operation: OperationKind) {
        let bypasses: Set<OperationKind> = [.publish, .unpublish, .deprecate, .setDistTag, .removeDistTag, .addOwner, .removeOwner]
        let rule = ruleID(Self.facts(operation, policy: .twoFactorOrToken, mode: .authOnly, token: .automation))
        #expect(rule == (bypasses.contains(operation) ? nil : "2fa.package-publishing"), "\(operation)")
        // "Require 2FA and disallow tokens" refuses it for every change.
        #expect(ruleID(Self.facts(operation, policy: .twoFactorAndDisallowTokens, mode: .authOnly, token: .automation)) == "package.tokens-disallowed")
    }
}

/// The publishing settings by their dates: requiring 2FA from npm's package setting of July 2018, "2FA or an
/// automation token" from automation tokens (2 Oct 2020).
@Suite struct PublishingSettingDateTests {
    @Test("Which settings exist on which day", arguments: [
        ("2018-07-12", PublishingPolicy.twoFactorAndDisallowTokens, "package.setting-unavailable" as String?),
        ("2018-07-13", .twoFactorAndDisallowTokens, nil),
        ("2020-10-01", .twoFactorOrToken, "package.setting-unavailable"),
        ("2020-10-02", .twoFactorOrToken, nil),
        ("2018-07-12", .twoFactorNotRequired, nil),
    ])
    func settings(_ day: String, _ policy: PublishingPolicy, _ rule: String?) {
        let e = era(day)
        var facts = RequestFacts(operation: .changePublishingPolicy, era: e, now: noon(e),
                                 authentication: .token(TokenFact(kind: .publish, permission: .readWrite, created: noon(e) - 60)),
                                 account: accountFact(.authAndWrites), secondFactor: .verified(.totp), package: PackageFact(name: "left-pad"))
        facts.requestedPolicy = policy
        #expect(ruleID(facts) == rule)
    }

    @Test("Through the registry the day before and the day of the 2018 setting", arguments: [("2018-07-12", false), ("2018-07-13", true)])
    func throughTheRegistry(_ day: String, _ exists: Bool) throws {
        let w = try World(day)
        try w.registry.seedAccount(name: "alice", email: "alice@example.com", password: "hunter2", twoFactor: .authAndWrites, totpSecret: seededSecret)
        try w.registry.seedPackage(name: "left-pad", maintainers: ["alice"])
        let token = try w.registry.seedToken(owner: "alice", request: .classicPublish)
        let answer = refusal { try w.registry.setPublishingPolicy(w.bearer(token, .totp(w.code(seededSecret))), package: "left-pad", policy: .twoFactorAndDisallowTokens) }
        #expect(answer?.rule == (exists ? nil : "package.setting-unavailable"))
        #expect(try w.registry.package("left-pad")?.publishingPolicy == (exists ? .twoFactorAndDisallowTokens : .twoFactorNotRequired))
    }
}
