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
