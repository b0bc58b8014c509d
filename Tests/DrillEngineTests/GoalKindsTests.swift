import DrillEngine
import DrillRegistry
import Testing

/// Goals beyond a malicious publish (issue 23): a package made unavailable, ownership changed, an account's control
/// taken. Each is judged from what the attacker's own successful steps did, so a defense that stops the steps stops
/// the goal, and a step of someone else's (registry staff) reaches nothing for the attacker.
@Suite("Goals: package-unavailable, ownership-changed, account-control")
struct GoalKindsTests {
    /// The baseline's breach and login, then `then`.
    static func steps(_ then: String) -> String { Doc.breachAndLogin + then }

    /// The attacker changes the maintainer's password: the maintainer is locked out.
    static let lockOut = """
      - id: lock-out
        at: 2018-07-12T09:40:00Z
        action: change-password
        account: maintainer
        newPassword: mine-now
        using: step:login

    """

    static func goal(_ yaml: String) -> String { "goals:\n  - \(yaml)\n" }

    static func run(_ then: String, goal: String, profile: Profile = .historical) throws -> RunOutcome {
        try Replays.run(try Replays.scenario(Doc.scenario(steps: steps(then), goals: Self.goal(goal))), profile)
    }

    static let publishThenUnpublish = """
      - id: publish
        at: 2018-07-12T09:40:00Z
        action: publish
        package: widget
        version: 1.0.1
        using: step:login
        payload: none
      - id: unpublish
        at: 2018-07-12T09:45:00Z
        action: unpublish
        package: widget
        version: 1.0.1
        using: step:login

    """

    @Test("package-unavailable: reached when the attacker unpublishes; not when a defense stops the login")
    func packageUnavailable() throws {
        let goal = "{ id: gone, kind: package-unavailable, packages: [widget] }"
        let historical = try Self.run(Self.publishThenUnpublish, goal: goal)
        #expect(historical.verdicts.suffix(2) == ["publish: succeeded", "unpublish: succeeded"])
        #expect(historical.goalsReached == ["gone"] && historical.attackSucceeded)
        let defended = try Self.run(Self.publishThenUnpublish, goal: goal, profile: Replays.authOnly)
        #expect(defended.goalsReached.isEmpty && !defended.attackSucceeded)
        #expect(defended.stoppedAtStep == "login")
    }

    @Test("package-unavailable: a version registry staff take down is not the attacker's doing")
    func staffRemovalIsNotTheAttackers() throws {
        let staff = """
          - id: staff
            at: 2018-07-12T09:50:00Z
            actor: staff
            action: staff-remove-version
            package: widget
            version: 1.0.0

        """
        let outcome = try Self.run(staff, goal: "{ id: gone, kind: package-unavailable, packages: [widget] }")
        #expect(outcome.verdicts.last == "staff: succeeded")
        #expect(outcome.goalsReached.isEmpty)
    }

    @Test("ownership-changed: reached by owner-add, and by locking a maintainer out of their account")
    func ownershipChanged() throws {
        let goal = "{ id: owners, kind: ownership-changed, packages: [widget] }"
        let added = try Self.run("""
          - id: add
            at: 2018-07-12T09:40:00Z
            action: owner-add
            package: widget
            user: dev
            using: step:login

        """, goal: goal)
        #expect(added.verdicts.last == "add: succeeded" && added.goalsReached == ["owners"])
        let lockedOut = try Self.run(Self.lockOut, goal: goal)
        #expect(lockedOut.verdicts.last == "lock-out: succeeded" && lockedOut.goalsReached == ["owners"])
        // dev-lib's maintainer is dev, whom the attacker never touched.
        let other = try Self.run(Self.lockOut, goal: "{ id: owners, kind: ownership-changed, packages: [dev-lib] }")
        #expect(other.goalsReached.isEmpty)
    }

    @Test("account-control: reached when the attacker changes the account's email; auth-only stops it at the login")
    func accountControl() throws {
        let change = """
          - id: email
            at: 2018-07-12T09:40:00Z
            action: change-email
            account: maintainer
            email: attacker@evil.example
            using: step:login

        """
        let goal = "{ id: control, kind: account-control, account: maintainer }"
        let historical = try Self.run(change, goal: goal)
        #expect(historical.verdicts.last == "email: succeeded" && historical.goalsReached == ["control"])
        let defended = try Self.run(change, goal: goal, profile: Replays.authOnly)
        #expect(defended.goalsReached.isEmpty && defended.stoppedAtStep == "login")
    }

    @Test("each kind says what it needs", arguments: [("package-unavailable", "packages"), ("ownership-changed", "packages"), ("account-control", "account")])
    func requiredKeys(_ kind: String, _ key: String) {
        let errors = scenarioDiagnostics(Doc.scenario(goals: Self.goal("{ id: g, kind: \(kind) }"))).filter { $0.severity == .error }
        #expect(errors.map(\.message) == ["a \(kind) goal needs '\(key)'"])
    }
}
