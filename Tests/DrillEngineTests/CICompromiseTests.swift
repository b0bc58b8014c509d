import DrillEngine
import DrillRegistry
import Testing

/// CI compromise as a step (issue 23): a poisoned workflow or cache gives the attacker the runner's npm tokens and, for
/// a package whose trusted publisher runs there, an OIDC credential.
@Suite("CI compromise")
struct CICompromiseTests {
    static func scenario(date: String, package: Bool, trustedPublisher: Bool = true) -> String {
        let publish = package ? """
          - id: publish
            at: \(date)T10:10:00Z
            action: publish-oidc
            package: widget
            version: 1.0.1
            mintedBy: compromise

        """ : """
          - id: publish
            at: \(date)T10:10:00Z
            action: publish
            package: widget
            version: 1.0.1
            using: token:ci-token

        """
        return """
        id: ci-compromise
        title: A poisoned workflow
        date: \(date)
        summary: The attacker runs code on the release runner.
        world:
          accounts:
            - { name: maintainer, email: maintainer@acme.example, twoFactor: auth-and-writes }
          machines:
            - id: ci
              kind: ci
              owner: maintainer
              repository: acme/widget
              tokens:
                - { id: ci-token, kind: automation }
          packages:
            - { name: widget, maintainers: [maintainer], versions: [1.0.0], repository: acme/widget, releaseWorkflow: release.yml, trustedPublisher: \(trustedPublisher) }
        steps:
          - id: compromise
            at: \(date)T10:00:00Z
            action: compromise-ci
            machine: ci\(package ? "\n    package: widget" : "")

        """ + publish + """
        goals:
          - { id: malicious, kind: publish-malicious, packages: [widget] }

        """
    }

    static func run(_ date: String, package: Bool, trustedPublisher: Bool = true, _ profile: Profile = .historical) throws -> RunOutcome {
        try Replays.run(try Replays.scenario(Self.scenario(date: date, package: package, trustedPublisher: trustedPublisher)), profile)
    }

    @Test("the runner's tokens are the attacker's: the maintainer's own 2FA does not guard a CI token; trusted publishing leaves none")
    func tokens() throws {
        let historical = try Self.run("2025-08-26", package: false)
        #expect(historical.verdicts == ["compromise: succeeded", "publish: succeeded"])
        #expect(historical.step("compromise")?.message == "The attacker runs code on CI system ci and takes the npm token ci-token.")
        let trusted = try Self.run("2025-08-26", package: false, Replays.trustedPublishing)
        #expect(trusted.verdicts == ["compromise: succeeded", "publish: not-applicable"])
        #expect(trusted.step("compromise")?.details == ["no token 'ci-token' there: trusted-publishing removed it"])
        #expect(!trusted.attackSucceeded)
    }

    /// A compromised release runner mints the trusted publisher's OIDC credential (npm's trusted publishing: the
    /// credential is bound to the workflow, not to who wrote what it runs).
    @Test("a compromised release runner mints the trusted publisher's credential, so trusted publishing does not stop it")
    func oidc() throws {
        let trusted = try Self.run("2025-08-26", package: true, Replays.trustedPublishing)
        #expect(trusted.verdicts == ["compromise: succeeded", "publish: succeeded"])
        #expect(trusted.attackSucceeded)
        // A runner whose repository is not the package's trusted publisher gets no credential (oidc.publish-only).
        let elsewhere = try Self.run("2025-08-26", package: true, trustedPublisher: false)
        #expect(elsewhere.verdicts == ["compromise: blocked (oidc.publish-only)", "publish: skipped"])
        #expect(elsewhere.step("compromise")?.details == ["the attacker takes the npm token ci-token"])
    }

    @Test("compromise-ci names a CI machine; a publish-oidc names a compromise that minted")
    func validation() {
        let text = Self.scenario(date: "2025-08-26", package: true)
        #expect(scenarioDiagnostics(text).filter { $0.severity == .error }.isEmpty)
        let laptop = text.replacingOccurrences(of: "      kind: ci\n", with: "")
        #expect(scenarioDiagnostics(laptop).filter { $0.severity == .error }.map(\.message) == ["machine 'ci' is a laptop, not a CI machine"])
        let unknown = scenarioDiagnostics(text.replacingOccurrences(of: "machine: ci", with: "machine: cci")).filter { $0.severity == .error }
        #expect(unknown.map(\.message) == ["there is no machine 'cci'"])
        #expect(unknown.first?.hint == "did you mean 'ci'?")
        let withoutPackage = text.replacingOccurrences(of: "machine: ci\n    package: widget\n", with: "machine: ci\n")
        #expect(scenarioDiagnostics(withoutPackage).filter { $0.severity == .error }.map(\.message)
                == ["step 'publish' can never run: 'mintedBy' must name an earlier mint-oidc step, or a compromise-ci step with a package"])
    }
}
