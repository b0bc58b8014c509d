import DrillEngine
import Testing

/// scenarios/eslint-scope-2018-harvested-tokens.yaml: the hypothetical second act, publishing with the harvested ~/.npmrc tokens.
@Suite("Library: eslint-scope-2018-harvested-tokens")
struct EslintScope2018HarvestedTokensTests {
    static let pins: [String: PinnedVerdict] = [
        // 2018, no 2FA: a classic publish token from ~/.npmrc publishes with nothing more.
        "historical": .succeeds,
        "no-2fa": .succeeds,
        // auth-only asks for codes at login and for account changes, not for a publish with a token.
        "auth-only": .succeeds,
        // 2fa.writes: under auth-and-writes a classic publish token needs a code for every write; the attacker has none.
        "auth-and-writes": .stopped(by: "auth-and-writes", at: "publish-with-alice-token"),
        // 2fa.writes with a security key as the factor: the attacker has no key to touch.
        "security-key": .stopped(by: "security-key", at: "publish-with-alice-token"),
        // token.read-only: the ~/.npmrc tokens can read, never publish.
        "read-only-tokens": .stopped(by: "read-only-tokens", at: "publish-with-alice-token"),
        // token.cidr-mismatch: each token is limited to its laptop's /24; the attacker publishes from 203.0.113.66.
        "cidr-tokens": .stopped(by: "cidr-tokens", at: "publish-with-alice-token"),
        // The tokens become granular, limited to their owners' own packages (which is what the attacker
        // publishes) and at most 3.5 days old with a 7-day life: still valid a day later. Before
        // 5 Nov 2025 a granular write token also needs no code.
        "granular-short-lived-tokens": .succeeds,
        // package.requires-two-factor: the packages require 2FA and disallow tokens; their owners have no 2FA.
        "disallow-tokens": .stopped(by: "disallow-tokens", at: "publish-with-alice-token"),
        // The packages have repositories, so trusted publishing sets them to disallow tokens: same rule.
        // (The laptops are not CI, so their tokens still exist.)
        "trusted-publishing": .stopped(by: "disallow-tokens", at: "publish-with-alice-token"),
        // token.classic-retired: every classic token was revoked on 9 Dec 2025.
        "npm-2025-12": .stopped(by: "classic-token-retirement", at: "publish-with-alice-token"),
        // As under npm-2025-12: token.classic-retired, the harvested classic tokens were revoked on 9 Dec 2025.
        "npm-2027-01": .stopped(by: "classic-token-retirement", at: "publish-with-alice-token"),
        // token.stage-only: the harvested tokens can only stage (npm/documentation PR 2036), and no maintainer approves.
        "staged-publishing": .stopped(by: "staged-publishing", at: "publish-with-alice-token"),
    ]

    @Test("every standard profile is pinned")
    func everyProfilePinned() throws { try expectEveryStandardProfilePinned(Self.pins) }

    @Test("verdict under each standard profile", arguments: Profile.standardOrder)
    func verdict(_ profile: String) throws { try expectVerdict("eslint-scope-2018-harvested-tokens", profile, Self.pins) }
}
