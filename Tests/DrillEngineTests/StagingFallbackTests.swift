import DrillEngine
import DrillRegistry
import Testing

/// A publish that falls back to staging where the registry refuses a direct one, and the promotion that makes a staged
/// version live (issue 23).
@Suite("Publishing falls back to staging; promotion makes it live")
struct StagingFallbackTests {
    /// The attacker steals the maintainer's bypass-2FA token and publishes widget@1.0.1 with it (`fallback`), then
    /// `promoter` promotes it (when given).
    static func scenario(date: String, fallback: String = "stage", promote: String? = nil) -> String {
        """
        id: staging-fallback
        title: A stolen bypass token meets staged publishing
        date: \(date)
        summary: A stolen bypass token, a direct publish refused, a staged version, a promotion.
        world:
          accounts:
            - { name: maintainer, email: maintainer@maint.example, twoFactor: auth-only }
          machines:
            - id: laptop
              owner: maintainer
              tokens:
                - { id: laptop-token, kind: granular, packages: [widget], bypass2fa: true, createdDaysBefore: 10 }
          packages:
            - { name: widget, maintainers: [maintainer], versions: [1.0.0] }
        steps:
          - id: steal
            at: \(date)T09:00:00Z
            action: steal-token
            token: laptop-token
          - id: publish
            at: \(date)T09:10:00Z
            action: publish
            package: widget
            version: 1.0.1
            using: token:laptop-token
            fallback: \(fallback)

        """ + (promote ?? "") + """
        goals:
          - { id: malicious, kind: publish-malicious, packages: [widget] }

        """
    }

    /// The maintainer approves the staged version with their password and a code (without looking at it).
    static let maintainerPromotes = """
          - id: promote
            at: 2027-01-15T10:00:00Z
            actor: maintainer
            action: promote
            package: widget
            version: 1.0.1
            using: password

        """

    /// The attacker tries to promote it with the stolen token.
    static let attackerPromotes = """
          - id: promote
            at: 2027-01-15T10:00:00Z
            action: promote
            package: widget
            version: 1.0.1
            using: token:laptop-token

        """

    static func run(_ text: String) throws -> RunOutcome { try Replays.run(try Replays.scenario(text)) }

    /// token.bypass-stage-only: from Jan 2027 a bypass-2FA token stages only (GitHub changelog 2026-07-08, announced).
    @Test("where the registry asks for staging, the publish stages the version instead, and nothing is live")
    func fallsBackToStaging() throws {
        let before = try Self.run(Self.scenario(date: "2026-12-31"))
        #expect(before.verdicts == ["steal: succeeded", "publish: succeeded"])
        #expect(before.attackSucceeded)

        let refused = try Self.run(Self.scenario(date: "2027-01-15", fallback: "none"))
        #expect(refused.verdicts == ["steal: succeeded", "publish: blocked (token.bypass-stage-only)"])
        #expect(refused.step("publish")?.message.contains("Staged") == false)

        let staged = try Self.run(Self.scenario(date: "2027-01-15"))
        #expect(staged.verdicts == ["steal: succeeded", "publish: blocked (token.bypass-stage-only)"])
        #expect(staged.step("publish")?.message.hasSuffix("Staged widget@1.0.1 instead: installs do not see it until a maintainer promotes it with a second factor.") == true)
        #expect(!staged.attackSucceeded)
    }

    /// stage.promote-needs-two-factor and the promotion's interactive second factor (npm/documentation 203cdd5d).
    @Test("a staged version goes live only when an account with its second factor promotes it")
    func promotion() throws {
        let byMaintainer = try Self.run(Self.scenario(date: "2027-01-15", promote: Self.maintainerPromotes))
        #expect(byMaintainer.verdicts == ["steal: succeeded", "publish: blocked (token.bypass-stage-only)", "promote: succeeded"])
        #expect(byMaintainer.step("promote")?.message == "Promoted widget@1.0.1: it is live with its malware code.")
        #expect(byMaintainer.attackSucceeded)

        let byAttacker = try Self.run(Self.scenario(date: "2027-01-15", promote: Self.attackerPromotes))
        // The stolen token may only stage (token.bypass-stage-only); a promotion asks for an interactive factor anyway.
        #expect(byAttacker.verdicts.last == "promote: blocked (token.bypass-stage-only)")
        #expect(!byAttacker.attackSucceeded)

        // Published directly, nothing was staged: the promotion has nothing to do.
        let direct = try Self.run(Self.scenario(date: "2026-12-31", promote: Self.maintainerPromotes.replacingOccurrences(of: "2027-01-15", with: "2026-12-31")))
        #expect(direct.verdicts == ["steal: succeeded", "publish: succeeded", "promote: skipped"])
        #expect(direct.step("promote")?.message == "There is no staged widget@1.0.1 to promote: step 'publish' published it directly")
    }

    @Test("a promotion needs an earlier publish that may stage the version")
    func promotionValidation() {
        let text = Self.scenario(date: "2027-01-15", fallback: "none", promote: Self.maintainerPromotes)
        let errors = scenarioDiagnostics(text).filter { $0.severity == .error }
        #expect(errors.map(\.message) == ["step 'promote' can never run: no earlier step stages widget@1.0.1"])
        #expect(errors.first?.hint == "give an earlier publish of widget@1.0.1 'fallback: stage'")
        #expect(scenarioDiagnostics(Self.scenario(date: "2027-01-15", promote: Self.maintainerPromotes)).filter { $0.severity == .error }.isEmpty)
    }

    @Test("the rules that ask for staging are the staged-publishing refusals of a direct publish, and no other rule says E_STAGE_REQUIRED")
    func stagingRules() {
        let asking = Set(RuleID.allCases.filter(\.asksForStaging))
        #expect(asking == [.stageOnlyToken, .bypassTokenStageOnly, .oidcActionNotAllowed, .dualUseMustStage])
        for rule in Rule.catalog where !asking.contains(rule.id) {
            #expect(!rule.checks.contains("E_STAGE_REQUIRED"), "\(rule.id) refuses with E_STAGE_REQUIRED but does not ask for staging")
        }
    }
}
