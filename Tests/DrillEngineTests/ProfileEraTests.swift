@testable import DrillEngine
import DrillRegistry
import Testing

/// Issue 19, point 8: a profile gives the world the tokens and second factors its era allows. After 9 Dec 2025 there
/// are no classic tokens, so read-only tokens are granular read-only ones; a package a profile makes require 2FA has
/// maintainers with 2FA, a security key where new TOTP set-ups are closed (from 13 Oct 2025).
@Suite struct ProfileEraTests {
    static let scenario = "eslint-scope-2018-harvested-tokens"

    @Test("read-only-tokens: classic read-only before 9 Dec 2025, granular read-only after; the stop is the read-only rule",
          arguments: [("2025-12-08", TokenKind.readOnly), ("2026-03-02", .granular)])
    func readOnlyTokensByEra(_ day: String, _ kind: TokenKind) throws {
        let scenario = try BundledLibrary.scenario(Self.scenario)
        let profile = try Replays.profile("read-only-tokens", .readOnlyTokens, era: day)
        let world = try PreparedWorld.prepare(scenario, profile: profile)
        let tokens = try world.template.tokens(of: "dev-alice")
        #expect(tokens.count == 1)
        #expect(tokens.first?.kind == kind)
        #expect(tokens.first?.permission == .readOnly)
        if kind == .granular {
            let expires = try #require(tokens.first?.expires)
            #expect(expires > RuleChange.classicTokensRevoked.effective.startOfDay)
        }
        // The harvested token is refused for being read-only, not for being a retired classic token.
        let outcome = try Replays.run(scenario, profile)
        #expect(outcome.stoppedBy == "read-only-tokens", "\(outcome.verdicts)")
        #expect(outcome.step("publish-with-alice-token")?.rule == "token.read-only")
    }

    @Test("A profile that makes packages require 2FA enrols their maintainers with a factor of the era",
          arguments: [(nil as String?, SecondFactorKind.totp), ("2025-10-12", .totp), ("2025-10-13", .securityKey), ("2026-03-02", .securityKey)])
    func maintainersGetTwoFactor(_ day: String?, _ factor: SecondFactorKind) throws {
        let scenario = try BundledLibrary.scenario(Self.scenario)
        for defense in [DefenseSetting.disallowTokens, .trustedPublishing] {
            let world = try PreparedWorld.prepare(scenario, profile: try Replays.profile("p", defense, era: day))
            for maintainer in ["dev-alice", "dev-bob", "dev-carol"] {
                #expect(world.effectiveMode[maintainer] == .authOnly, "\(defense.id) \(maintainer)")
                #expect(world.effectiveFactor[maintainer] == factor, "\(defense.id) \(maintainer)")
                #expect(try world.template.account(maintainer)?.twoFactorMode == .authOnly)
                #expect(try world.template.account(maintainer)?.secondFactorKind == factor)
            }
        }
        // Without such a profile nobody is enrolled: the incident's accounts had no 2FA.
        let historical = try PreparedWorld.prepare(scenario, profile: .historical)
        #expect(historical.effectiveMode["dev-alice"] == .disabled)
    }
}
