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

    /// Issue 20, point 5: npm made maintainers of high-impact packages set up 2FA (the top 100 from 1 Feb 2022, every
    /// high-impact package from 1 Nov 2022), so a world under such an era's rules has them enrolled, with the TOTP
    /// they set up then (it outlives the close of new TOTP set-ups). eslint-scope has about 2M weekly downloads;
    /// eslint-config-eslint about 10,000.
    @Test("A high-impact package's maintainer has 2FA in the eras that mandated it", arguments: [
        ("2022-10-31", TwoFactorMode.disabled), ("2022-11-01", .authOnly), ("2026-03-02", .authOnly),
    ])
    func highImpactMaintainersHaveTwoFactor(_ day: String, _ mode: TwoFactorMode) throws {
        let scenario = try BundledLibrary.scenario("eslint-scope-2018")
        let maintainer = try #require(scenario.world.packages.first { $0.name == "eslint-scope" }?.maintainers.first)
        let world = try PreparedWorld.prepare(scenario, profile: try Replays.profile("p", era: day))
        #expect(world.effectiveMode[maintainer] == mode)
        #expect(try world.template.account(maintainer)?.twoFactorMode == mode)
        if mode != .disabled { #expect(world.effectiveFactor[maintainer] == .totp) }
    }
}

/// Issue 19, point 5, in a replay: the revocation grace is the era's, and a step that a revoked token still passes
/// says why in its details.
@Suite struct ReplayRevocationGraceTests {
    /// The harvested-tokens act with npm's revocation moved before the first publish (11:00, the publishes from 11:20).
    static func revokedFirst() throws -> Scenario {
        let text = try String(contentsOfFile: BundledLibrary.directory + "/eslint-scope-2018-harvested-tokens.yaml", encoding: .utf8)
        let revocation = """
              - id: npm-revokes-tokens
                at: 2018-07-12T12:30:00Z
                actor: staff
                action: staff-revoke-tokens
                createdBefore: 2018-07-12T12:30:00Z
                narrative: npm revokes every token created before the cutoff.

            """
        let early = revocation.replacingOccurrences(of: "12:30:00Z", with: "11:00:00Z")
        #expect(text.contains(revocation), "the bundled file changed shape")
        let moved = text.replacingOccurrences(of: revocation, with: "").replacingOccurrences(of: "steps:\n", with: "steps:\n" + early)
        return try Replays.scenario(moved)
    }

    @Test("An hour's grace before 2018: the revoked token publishes and the step says so; from 2018 it is refused")
    func graceInAReplay() throws {
        let scenario = try Self.revokedFirst()
        let before = try Replays.run(scenario, Replays.profile("revocation-2017", era: "2017-12-20"))
        let step = try #require(before.step("publish-with-alice-token"))
        #expect(step.status == .succeeded, "\(before.verdicts)")
        #expect(step.details.contains { $0.contains("the registry's cache honours it until 2018-07-12T12:00:00Z") }, "\(step.details)")
        #expect(before.step("npm-revokes-tokens")?.message.contains("keep working from the registry's cache for up to 60 minutes") == true)

        let after = try Replays.run(scenario, Replays.profile("revocation-2018", era: "2018-01-01"))
        #expect(after.step("publish-with-alice-token")?.rule == "token.revoked")
        #expect(after.stoppedBy == "token-revocation")
        #expect(after.step("npm-revokes-tokens")?.message.contains("they stop working at once") == true)
    }
}
