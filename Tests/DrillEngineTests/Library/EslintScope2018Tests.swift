import DrillEngine
import Testing

/// scenarios/eslint-scope-2018.yaml: a reused password, no 2FA, a token-stealing postinstall (12 Jul 2018).
@Suite("Library: eslint-scope-2018")
struct EslintScope2018Tests {
    static let pins: [String: PinnedVerdict] = [
        // 2018 rules, the maintainer without 2FA: the breached password logs in (no emailed code before
        // Mar 2022), the login's publish token creates another, and both packages publish (2fa-not-required).
        "historical": .succeeds,
        // The maintainer had no 2FA: the same replay as historical.
        "no-2fa": .succeeds,
        // 2fa.login: the attacker has the password but no one-time code.
        "auth-only": .stopped(by: "auth-only", at: "login"),
        // 2fa.login again: the login is refused before the mode could matter.
        "auth-and-writes": .stopped(by: "auth-and-writes", at: "login"),
        // 2fa.login: no security key to touch; the account's factor names the defense.
        "security-key": .stopped(by: "security-key", at: "login"),
        // Read-only only changes the tokens already on developer machines; the attacker mints a fresh
        // write token by logging in. (The harvested ~/.npmrc tokens are read-only, but still harvested.)
        "read-only-tokens": .succeeds,
        // CIDR limits apply to the machines' tokens; the token minted by the attacker's login has none.
        "cidr-tokens": .succeeds,
        // Likewise: only the machines' tokens become granular and short-lived.
        "granular-short-lived-tokens": .succeeds,
        // Moved in Dec 2026: a package that requires 2FA has maintainers with 2FA (npm blog, July 2018: a maintainer
        // without 2FA is "unable to publish the package until they do"), so the profile enrols them, in auth-only with
        // a factor of the era. The stolen password alone no longer logs in (rule 2fa.login); before, the first
        // publish was refused by package.requires-two-factor.
        "disallow-tokens": .stopped(by: "auth-only", at: "login"),
        // Both packages have a repository, so trusted publishing sets them to disallow tokens: the same reasoning
        // (moved in Dec 2026 from publish-config) enrols their maintainer, and 2fa.login refuses the password alone.
        "trusted-publishing": .stopped(by: "auth-only", at: "login"),
        // Moved in Dec 2026 from emailed-login-code: eslint-scope has about 2M weekly downloads, so under the rules
        // of Dec 2025 its maintainer is one npm made set up 2FA (high-impact packages from 1 Nov 2022, GitHub
        // changelog 2022-11-01); the world enrols him in auth-only with TOTP, and 2fa.login refuses the password alone.
        "npm-2025-12": .stopped(by: "auth-only", at: "login"),
        // As under npm-2025-12: eslint-scope's maintainer is high-impact, enrolled in auth-only, and 2fa.login refuses the
        // breached password alone.
        "npm-2027-01": .stopped(by: "auth-only", at: "login"),
        // The attacker logs in with the breached password and mints a token of his own: only the tokens already on machines
        // are stage-only.
        "staged-publishing": .succeeds,
    ]

    @Test("every standard profile is pinned")
    func everyProfilePinned() throws { try expectEveryStandardProfilePinned(Self.pins) }

    @Test("verdict under each standard profile", arguments: Profile.standardOrder)
    func verdict(_ profile: String) throws { try expectVerdict("eslint-scope-2018", profile, Self.pins) }

    @Test("as it happened, both goals are reached: the malicious release and the stolen tokens")
    func historicalGoals() throws {
        try expectGoals("eslint-scope-2018", "historical", ["malicious-eslint-release", "tokens-stolen"])
    }
}
