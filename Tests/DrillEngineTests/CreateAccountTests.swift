import DrillEngine
import DrillRegistry
import Testing

/// `create-account` (issue 23): the attacker signs up an account of their own, holds its password and reads its mail,
/// and can have it made a maintainer.
@Suite("Account lifecycle: create-account")
struct CreateAccountTests {
    static func steps(day: String) -> String {
        """
          - id: sign-up
            at: \(day)T09:00:00Z
            action: create-account
            account: helper
            email: helper@attacker.example
          - id: helper-login
            at: \(day)T09:05:00Z
            action: login
            account: helper

        """
    }

    @Test("the attacker's new account logs in, before and after emailed login codes (the attacker reads its mail)",
          arguments: ["2018-07-12", "2026-01-15"])
    func signUpAndLogIn(_ day: String) throws {
        let text = Doc.scenario(date: day, steps: Self.steps(day: day), goals: "goals:\n  - { id: in, kind: take-over-account, account: helper }\n")
        let outcome = try Replays.run(try Replays.scenario(text))
        #expect(outcome.verdicts == ["sign-up: succeeded", "helper-login: succeeded"], "\(day)")
    }

    @Test("a compromised maintainer adds the attacker's new account as an owner: ownership changed")
    func madeMaintainer() throws {
        let steps = Self.steps(day: "2018-07-12") + Doc.breachAndLogin + """
          - id: add-helper
            at: 2018-07-12T09:40:00Z
            action: owner-add
            package: widget
            user: helper
            using: step:login

        """
        let goal = "goals:\n  - { id: owners, kind: ownership-changed, packages: [widget] }\n"
        let outcome = try Replays.run(try Replays.scenario(Doc.scenario(steps: steps, goals: goal)))
        #expect(outcome.verdicts.last == "add-helper: succeeded" && outcome.goalsReached == ["owners"])
        let defended = try Replays.run(try Replays.scenario(Doc.scenario(steps: steps, goals: goal)), Replays.authOnly)
        #expect(defended.goalsReached.isEmpty && defended.stoppedAtStep == "login")
    }

    @Test("an account the world has cannot be created again; one a step created can be named from then on")
    func names() {
        let again = Doc.scenario(steps: Self.steps(day: "2018-07-12").replacingOccurrences(of: "account: helper\n    email", with: "account: dev\n    email"))
        #expect(scenarioDiagnostics(again).filter { $0.severity == .error }.map(\.message).contains("account 'dev' exists already: the step creates nothing"))
        let fine = Doc.scenario(steps: Self.steps(day: "2018-07-12"), goals: "goals:\n  - { id: in, kind: take-over-account, account: helper }\n")
        #expect(scenarioDiagnostics(fine).filter { $0.severity == .error }.isEmpty)
    }
}
