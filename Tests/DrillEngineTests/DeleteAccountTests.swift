import DrillEngine
import DrillRegistry
import Testing

/// The `delete-account` step (issue 23, account lifecycle): what goes with a deleted account is the registry's
/// answer, so the era's unpublish policy decides which packages become unavailable, and the goals follow.
@Suite("delete-account: what an account takes with it")
struct DeleteAccountTests {
    static let delete = """
      - id: delete
        at: 2018-07-12T09:40:00Z
        action: delete-account
        account: maintainer
        using: step:login

    """

    static let goals = """
    goals:
      - { id: gone, kind: package-unavailable, packages: [widget] }
      - { id: owners, kind: ownership-changed, packages: [widget] }

    """

    /// The test world with widget as a small package (120 downloads a week), in July 2021 unless `year` says otherwise.
    static let smallWidget = Doc.world.replacingOccurrences(of: "weeklyDownloads: 16800", with: "weeklyDownloads: 120")

    static func run(year: String = "2021", world: String = smallWidget, _ profile: Profile = .historical) throws -> RunOutcome {
        let text = Doc.scenario(world: world, steps: Doc.breachAndLogin + delete, goals: goals)
        return try Replays.run(try Replays.scenario(text.replacingOccurrences(of: "2018-07-12", with: "\(year)-07-12")), profile)
    }

    /// The world's packages are a year old: from 30 Jan 2020 npm lets such a package go when it has one owner, under
    /// 300 downloads a week and no dependents (npm blog, 'Changes to npm Unpublish Policy - January 2020'); before, only
    /// within 72 hours of publication.
    @Test("A takeover deletes the account: a small package is gone from 2020, deprecated in 2018; its maintainer is locked out either way")
    func deletesTheAccount() throws {
        let outcome = try Self.run()
        #expect(outcome.verdicts == ["breach: succeeded", "login: succeeded", "delete: succeeded"])
        #expect(outcome.step("delete")?.message == "Deleted the account maintainer: deleted widget.")
        #expect(outcome.goalsReached == ["gone", "owners"])
        let before = try Self.run(year: "2018")
        #expect(before.step("delete")?.message == "Deleted the account maintainer: deprecated widget (the unpublish policy keeps them).")
        #expect(before.goalsReached == ["owners"])
    }

    /// From 29 Jun 2018 npm's unpublish policy keeps a package others depend on (npm/policies 04acfa2), and a
    /// deletion only deprecates what the policy keeps: the package stays installable, its maintainer is gone.
    @Test("A package another depends on is deprecated, not deleted: ownership changes, the package stays")
    func dependentsKeepThePackage() throws {
        let world = Self.smallWidget.replacingOccurrences(of: "- { name: dev-lib, maintainers: [dev], versions: [0.1.0] }",
                                                   with: "- { name: dev-lib, maintainers: [dev], versions: [0.1.0], dependencies: [widget] }")
        let outcome = try Self.run(world: world)
        #expect(outcome.step("delete")?.message == "Deleted the account maintainer: deprecated widget (the unpublish policy keeps them).")
        #expect(outcome.goalsReached == ["owners"])
    }

    @Test("The account's second factor guards its deletion: under auth-only the attack stops before it")
    func twoFactorStopsIt() throws {
        let outcome = try Self.run(Replays.authOnly)
        #expect(outcome.goalsReached.isEmpty)
        #expect(outcome.step("delete")?.status != .succeeded)
    }

    @Test("A delete-account step names an account of the world and a credential")
    func validation() {
        let steps = Doc.breachAndLogin + Self.delete.replacingOccurrences(of: "account: maintainer", with: "account: maintainr")
        let messages = scenarioDiagnostics(Doc.scenario(steps: steps, goals: Self.goals)).map(\.message)
        #expect(messages.contains { $0.contains("maintainr") }, "\(messages)")
    }
}
