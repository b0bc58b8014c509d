import DrillEngine
import DrillRegistry
import Testing

/// The scenario actions for the remaining registry operations (dist-tag removal, visibility, trusted publishers,
/// organisations and their 2FA enforcement) reach the registry and come back with its decisions.
@Suite("Replay: package settings and organisations")
struct PackageAndOrgActionTests {
    /// Dated 2025-08-01: organisations can require 2FA from 1 Feb 2022, packages trust CI workflows from 31 Jul 2025,
    /// and the member's lapsed mail domain lets the attacker read the emailed login code of that era.
    static let text = """
    id: org-enforcement
    title: An organisation requires 2FA of its members
    date: 2025-08-01
    summary: The owner turns on 2FA enforcement; a member's leaked password then publishes nothing.
    world:
      accounts:
        - { name: owner, twoFactor: auth-only }
        - { name: member, email: member@lapsed-mail.example, passwordReused: true }
      orgs:
        - { name: acme, members: [owner, member] }
      packages:
        - { name: "@acme/lib", maintainers: [owner, member], versions: [1.0.0, 1.1.0-beta.1] }
      mailDomains:
        - { domain: lapsed-mail.example, expires: 2025-05-01T00:00:00Z }
    steps:
      - { id: owner-login, at: 2025-08-01T09:00:00Z, actor: owner, action: login, account: owner }
      - { id: tag-beta, at: 2025-08-01T09:01:00Z, actor: owner, action: dist-tag, package: "@acme/lib", tag: beta, version: 1.1.0-beta.1, using: step:owner-login }
      - { id: untag-beta, at: 2025-08-01T09:02:00Z, actor: owner, action: dist-tag-rm, package: "@acme/lib", tag: beta, using: step:owner-login }
      - { id: make-private, at: 2025-08-01T09:03:00Z, actor: owner, action: set-access, package: "@acme/lib", public: false, using: step:owner-login }
      - { id: trust-ci, at: 2025-08-01T09:04:00Z, actor: owner, action: set-trusted-publisher, package: "@acme/lib", repository: acme/lib, workflow: release.yml, using: step:owner-login }
      - { id: new-org, at: 2025-08-01T09:05:00Z, actor: owner, action: create-org, org: acme-labs, using: step:owner-login }
      - { id: add-member, at: 2025-08-01T09:06:00Z, actor: owner, action: org-add-member, org: acme-labs, user: member, using: step:owner-login }
      - { id: enforce, at: 2025-08-01T09:07:00Z, actor: owner, action: org-require-2fa, org: acme, using: step:owner-login }
      - { id: leaked, at: 2025-08-01T10:00:00Z, action: reuse-breached-password, account: member }
      - { id: mail, at: 2025-08-01T10:00:30Z, action: buy-expired-domain, domain: lapsed-mail.example }
      - { id: member-login, at: 2025-08-01T10:01:00Z, action: login, account: member }
      - { id: publish, at: 2025-08-01T10:02:00Z, action: publish, package: "@acme/lib", version: 1.0.1, using: step:member-login }
    goals:
      - { id: goal, kind: publish-malicious, packages: ["@acme/lib"] }
    """

    @Test func everyActionReachesTheRegistry() throws {
        let outcome = try Replays.run(try Replays.scenario(Self.text))
        for id in ["owner-login", "tag-beta", "untag-beta", "make-private", "trust-ci", "new-org", "add-member", "enforce", "member-login"] {
            #expect(outcome.step(id)?.status == .succeeded, "\(outcome.verdicts)")
        }
        // org.two-factor-required: the member has no 2FA and the organisation now demands it.
        #expect(outcome.step("publish")?.status == .blocked)
        #expect(outcome.step("publish")?.rule == "org.two-factor-required")
        #expect(outcome.stoppedBy == "org-2fa-enforcement")
        #expect(!outcome.attackSucceeded)
    }

    @Test func beforeFebruary2022NoOrganisationCanRequire2FA() throws {
        let text = Self.text.replacingOccurrences(of: "2025-08-01", with: "2022-01-31").replacingOccurrences(of: "2025-05-01", with: "2022-01-01")
        let outcome = try Replays.run(try Replays.scenario(text))
        // org.enforcement-unavailable: npm added the setting on 1 Feb 2022 (github.blog 2022-02-01).
        #expect(outcome.step("enforce")?.status == .blocked)
        #expect(outcome.step("enforce")?.rule == "org.enforcement-unavailable")
        #expect(outcome.step("publish")?.status == .succeeded, "\(outcome.verdicts)")
        #expect(outcome.attackSucceeded)
    }

    @Test func withoutEnforcementTheLeakedPasswordPublishes() throws {
        let text = Self.text.replacingOccurrences(of: "  - { id: enforce, at: 2025-08-01T09:07:00Z, actor: owner, action: org-require-2fa, org: acme, using: step:owner-login }\n", with: "")
        let outcome = try Replays.run(try Replays.scenario(text))
        #expect(outcome.step("publish")?.status == .succeeded, "\(outcome.verdicts)")
        #expect(outcome.attackSucceeded)
    }

    @Test func anUnknownOrgMemberIsADanglingReference() throws {
        let text = Self.text.replacingOccurrences(of: "org: acme-labs, user: member", with: "org: acme-labs, user: membr")
        #expect(throws: ValidationFailure.self) { _ = try ScenarioLoader.parse(text, file: "inline.yaml") }
    }
}
