import DrillEngine
import Testing

/// scenarios/ctx-2022.yaml: an expired mail domain re-registered, a password reset, malicious releases (PyPI, modelled on npm's rules of 14 May 2022).
@Suite("Library: ctx-2022")
struct Ctx2022Tests {
    static let pins: [String: PinnedVerdict] = [
        // The reset mail and, from Mar 2022, the emailed login code both go to the bought domain, i.e. to the
        // attacker: login.emailed-code is satisfied; no 2FA; ctx does not require 2FA to publish.
        "historical": .succeeds,
        "no-2fa": .succeeds,
        // The password reset still works (it leaves 2FA untouched), but 2fa.login wants a code from the
        // owner's authenticator, which no mailbox delivers.
        "auth-only": .stopped(by: "auth-only", at: "login"),
        "auth-and-writes": .stopped(by: "auth-and-writes", at: "login"),
        "security-key": .stopped(by: "security-key", at: "login"),
        // No token on a machine is involved: the attacker publishes with the token of their own login.
        "read-only-tokens": .succeeds,
        "cidr-tokens": .succeeds,
        "granular-short-lived-tokens": .succeeds,
        // Moved in Dec 2026: a package that requires 2FA has maintainers with 2FA (npm blog, July 2018: a maintainer
        // without 2FA is "unable to publish the package until they do"), so the profile enrols them, in auth-only with
        // a factor of the era. The stolen password alone no longer logs in (rule 2fa.login); before, the first
        // publish was refused by package.requires-two-factor. The password reset through the bought domain
        // does not remove the factor.
        "disallow-tokens": .stopped(by: "auth-only", at: "login"),
        // ctx has no repository (an untouched 2014 package), so trusted publishing configures nothing.
        "trusted-publishing": .succeeds,
        // The login passes through the attacker's mailbox; from 9 Dec 2025 publishing needs 2FA or a bypass
        // token (package.requires-two-factor) and the account has no 2FA. The scenario follows the facts;
        // an attacker holding an account without 2FA could enrol their own factor first (a teaching point).
        "npm-2025-12": .stopped(by: "package-requires-2fa", at: "publish-014"),
        // As under npm-2025-12: package.requires-two-factor, the account has no 2FA and publishing needs it (16 Dec 2025).
        "npm-2027-01": .stopped(by: "package-requires-2fa", at: "publish-014"),
        // The attacker logs in with the reset password; the token that login mints is not a machine's token, so it publishes.
        "staged-publishing": .succeeds,
    ]

    @Test("every standard profile is pinned")
    func everyProfilePinned() throws { try expectEveryStandardProfilePinned(Self.pins) }

    @Test("verdict under each standard profile", arguments: Profile.standardOrder)
    func verdict(_ profile: String) throws { try expectVerdict("ctx-2022", profile, Self.pins) }

    @Test("the emailed login code reaches the attacker, who owns the domain now")
    func emailedCodeReachesAttacker() throws {
        let login = try stepOutcome("ctx-2022", "historical", step: "login")
        #expect(login.status == .succeeded)
        #expect(login.details.contains { $0.contains("which the attacker controls") })
    }

    @Test("the password reset succeeds even where 2FA then stops the login", arguments: ["auth-only", "auth-and-writes", "security-key"])
    func resetStillWorks(_ profile: String) throws {
        #expect(try stepOutcome("ctx-2022", profile, step: "reset-password").status == .succeeded)
    }
}
