import DrillEngine
import Testing

/// scenarios/tutorial.yaml: the first workshop exercise (fictional): a reused password, no 2FA, one malicious publish.
@Suite("Library: tutorial")
struct TutorialTests {
    static let pins: [String: PinnedVerdict] = [
        // 2019 rules, Sam without 2FA: the leaked password logs in (no emailed login code before Mar 2022);
        // the login's classic publish token publishes; tiny-format does not require 2FA.
        "historical": .succeeds,
        // Sam had no 2FA anyway: the same replay.
        "no-2fa": .succeeds,
        // 2fa.login: the attacker has the password but no one-time code.
        "auth-only": .stopped(by: "auth-only", at: "login"),
        // 2fa.login: the same refusal; the mode only matters after a login.
        "auth-and-writes": .stopped(by: "auth-and-writes", at: "login"),
        // 2fa.login: no security key to touch.
        "security-key": .stopped(by: "security-key", at: "login"),
        // Token limits change the tokens already on machines; the attacker's token comes from their own login.
        "read-only-tokens": .succeeds,
        "cidr-tokens": .succeeds,
        "granular-short-lived-tokens": .succeeds,
        // Moved in Dec 2026: a package that requires 2FA has maintainers with 2FA (npm blog, July 2018: a maintainer
        // without 2FA is "unable to publish the package until they do"), so the profile enrols them, in auth-only with
        // a factor of the era. The stolen password alone no longer logs in (rule 2fa.login); before, the first
        // publish was refused by package.requires-two-factor.
        "disallow-tokens": .stopped(by: "auth-only", at: "login"),
        // tiny-format has a repository: trusted publishing sets it to disallow tokens, so Sam is enrolled the same
        // way (moved in Dec 2026 from publish), and 2fa.login refuses the password alone.
        "trusted-publishing": .stopped(by: "auth-only", at: "login"),
        // login.emailed-code: Sam still has no 2FA, so npm mails a login code to sam-dev.example; the attacker cannot read it.
        "npm-2025-12": .stopped(by: "emailed-login-code", at: "login"),
        // As under npm-2025-12: login.emailed-code, the breached password alone does not log in.
        "npm-2027-01": .stopped(by: "emailed-login-code", at: "login"),
        // The attacker logs in with the password and publishes with that login's token: only machine tokens are stage-only.
        "staged-publishing": .succeeds,
    ]

    @Test("every standard profile is pinned")
    func everyProfilePinned() throws { try expectEveryStandardProfilePinned(Self.pins) }

    @Test("verdict under each standard profile", arguments: Profile.standardOrder)
    func verdict(_ profile: String) throws { try expectVerdict("tutorial", profile, Self.pins) }

    @Test("a short first exercise: 3 to 5 steps, with ordered hints and remediation")
    func shape() throws {
        let s = try BundledLibrary.scenario("tutorial")
        #expect((3...5).contains(s.steps.count))
        #expect(s.teaching.hints.count >= 3)
        #expect(!s.teaching.remediation.isEmpty && !s.teaching.whatHappened.isEmpty)
    }
}
