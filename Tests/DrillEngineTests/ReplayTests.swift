@testable import DrillEngine
import DrillRegistry
import Testing

/// The baseline attack of 2018: a reused password, a login, a token, a harvesting publish, an install.
let breachScenario = Doc.scenario(id: "breach", steps: """
      - id: breach
        at: 2018-07-12T09:30:00Z
        action: reuse-breached-password
        account: maintainer
      - id: login
        at: 2018-07-12T09:35:00Z
        action: login
        account: maintainer
      - id: create-token
        at: 2018-07-12T09:40:00Z
        action: create-token
        account: maintainer
        using: step:login
      - id: publish
        at: 2018-07-12T09:49:00Z
        action: publish
        package: widget
        version: 1.0.1
        using: step:create-token
        payload: harvest-tokens
      - id: installs
        at: 2018-07-12T10:09:00Z
        actor: consumers
        action: install
        package: widget
        consumers: [dev]

    """, goals: """
    goals:
      - { id: malicious-widget, kind: publish-malicious, packages: [widget] }
      - { id: maintainer-taken-over, kind: take-over-account, account: maintainer }
      - { id: tokens-stolen, kind: harvest-tokens }

    """)

@Suite("Replay: statuses, goals, where an attack stops")
struct ReplayStatusTests {
    @Test("historical: every step succeeds and every goal is reached")
    func historical() throws {
        let outcome = try Replays.run(Replays.scenario(breachScenario))
        #expect(outcome.steps.map(\.status) == Array(repeating: .succeeded, count: 5))
        #expect(outcome.attackSucceeded)
        #expect(outcome.goalsReached == ["malicious-widget", "maintainer-taken-over", "tokens-stolen"])
        #expect(outcome.stoppedAtStep == nil && outcome.stoppedBy == nil)
        #expect(outcome.profile == "historical" && outcome.era == "2018-07-12")
        #expect(outcome.step("installs")?.details == ["harvested dev-npmrc (dev)"])
    }

    @Test("auth-only: the login is blocked by rule and defense; what needs it is skipped, naming the blocked step")
    func blockedThenSkipped() throws {
        let outcome = try Replays.run(Replays.scenario(breachScenario), Replays.authOnly)
        #expect(outcome.verdicts == ["breach: succeeded", "login: blocked (2fa.login)", "create-token: skipped", "publish: skipped", "installs: skipped"])
        let login = try #require(outcome.step("login"))
        #expect(login.rule == "2fa.login" && login.defense == "auth-only")
        #expect(login.details.contains { $0.contains("the attacker has none to give") })
        #expect(outcome.step("create-token")?.message.contains("step 'login' was blocked (2fa.login)") == true)
        #expect(outcome.step("publish")?.message.contains("step 'create-token' was skipped") == true)
        #expect(outcome.step("installs")?.message.contains("step 'publish' was skipped") == true)
        #expect(outcome.steps.filter { $0.status == .skipped }.allSatisfy { $0.rule == nil && $0.defense == nil })
        #expect(!outcome.attackSucceeded && outcome.goalsReached.isEmpty)
        #expect(outcome.stoppedAtStep == "login" && outcome.stoppedBy == "auth-only")
        #expect(outcome.blastRadius == nil)
    }

    @Test("trusted publishing removes the CI token: stealing and using it do not apply")
    func notApplicable() throws {
        let scenario = try Replays.scenario(Doc.scenario(id: "ci-token", date: "2025-09-16", steps: """
              - id: steal
                at: 2025-09-16T09:30:00Z
                action: steal-token
                token: ci-token
              - id: publish
                at: 2025-09-16T09:40:00Z
                action: publish
                package: widget
                version: 1.0.1
                using: token:ci-token

            """))
        let historical = try Replays.run(scenario)
        #expect(historical.verdicts == ["steal: succeeded", "publish: succeeded"])
        #expect(historical.attackSucceeded)

        let outcome = try Replays.run(scenario, Replays.trustedPublishing)
        #expect(outcome.verdicts == ["steal: not-applicable", "publish: not-applicable"])
        #expect(outcome.steps.allSatisfy { $0.defense == "trusted-publishing" && $0.rule == nil })
        #expect(outcome.step("publish")?.message.contains("Token 'ci-token' does not exist under this profile") == true)
        #expect(!outcome.attackSucceeded)
        #expect(outcome.stoppedAtStep == "steal" && outcome.stoppedBy == "trusted-publishing")
    }

    @Test("the laptop token is no CI token: trusted publishing leaves it, and its package's setting refuses it")
    func trustedPublishingKeepsLaptopTokens() throws {
        let scenario = try Replays.scenario(Doc.scenario(id: "laptop-token", date: "2025-09-16", attacker: "attacker:\n  holdsTokens: [dev-npmrc]\n", steps: """
              - id: publish
                at: 2025-09-16T09:40:00Z
                action: publish
                package: dev-lib
                version: 0.1.1
                using: token:dev-npmrc

            """, goals: "goals:\n  - { id: g, kind: publish-malicious, packages: [dev-lib] }\n"))
        // dev-lib has no repository: trusted publishing does not apply to it, and the token works.
        #expect(try Replays.run(scenario, Replays.trustedPublishing).verdicts == ["publish: succeeded"])
    }

    @Test("goal evaluation: each kind of goal on its own", arguments: [
        ("malicious-widget", ["malicious-widget"]), ("maintainer-taken-over", ["maintainer-taken-over"]), ("tokens-stolen", ["tokens-stolen"]),
    ])
    func goals(_ goal: String, _ expected: [String]) throws {
        let only = breachScenario.components(separatedBy: "goals:\n")[0] + "goals:\n" + breachScenario.components(separatedBy: "\n")
            .filter { $0.contains("{ id: \(goal),") }.joined(separator: "\n") + "\n"
        let scenario = try Replays.scenario(only)
        #expect(try Replays.run(scenario).goalsReached == expected)
        #expect(try Replays.run(scenario, Replays.authOnly).goalsReached.isEmpty)
    }

    @Test("the harvest goal fails when nobody installs; the publish goal still succeeds")
    func partialGoals() throws {
        let text = breachScenario.replacingOccurrences(of: "    consumers: [dev]\n", with: "    consumers: []\n")
        let outcome = try Replays.run(Replays.scenario(text))
        #expect(outcome.step("installs")?.status == .succeeded)
        #expect(outcome.step("installs")?.details == [])
        #expect(outcome.goalsReached == ["malicious-widget", "maintainer-taken-over"])
        #expect(outcome.attackSucceeded)
    }
}
