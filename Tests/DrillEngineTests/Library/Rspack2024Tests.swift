import DrillEngine
import Testing

/// scenarios/rspack-2024.yaml: an automation token stolen from CI publishes @rspack/core and @rspack/cli 1.1.7.
@Suite("Library: rspack-2024")
struct Rspack2024Tests {
    static let pins: [String: PinnedVerdict] = [
        // An automation token is never asked for a second factor ("2FA will not be enforced").
        "historical": .succeeds,
        // The account's 2FA, whatever its mode or factor, is not asked: the token is an automation token.
        "no-2fa": .succeeds,
        "auth-only": .succeeds,
        "auth-and-writes": .succeeds,
        "security-key": .succeeds,
        // read-only-tokens applies to developer laptops only; the token sits in CI.
        "read-only-tokens": .succeeds,
        // token.cidr-mismatch: the token is limited to the CI's /24; the attacker publishes from elsewhere.
        "cidr-tokens": .stopped(by: "cidr-tokens", at: "publish-core"),
        // The token becomes granular, limited to the account's packages (the ones attacked) and still valid
        // (at most 3.5 days old of 7); before 5 Nov 2025 a granular write token needs no code. A short life
        // does not help against a token used soon after it is stolen.
        "granular-short-lived-tokens": .succeeds,
        // package.tokens-disallowed: automation tokens cannot publish a package that disallows tokens.
        "disallow-tokens": .stopped(by: "disallow-tokens", at: "publish-core"),
        // CI for web-infra-dev/rspack publishes through OIDC, so no npm token is stored: nothing to steal.
        "trusted-publishing": .stopped(by: "trusted-publishing", at: "steal-token"),
        // token.classic-retired: automation tokens are classic; all were revoked on 9 Dec 2025.
        "npm-2025-12": .stopped(by: "classic-token-retirement", at: "publish-core"),
        // As under npm-2025-12: token.classic-retired, the stolen automation token was revoked on 9 Dec 2025.
        "npm-2027-01": .stopped(by: "classic-token-retirement", at: "publish-core"),
        // token.stage-only: the stolen token can only stage; nothing goes live without a maintainer's 2FA.
        "staged-publishing": .stopped(by: "staged-publishing", at: "publish-core"),
    ]

    @Test("every standard profile is pinned")
    func everyProfilePinned() throws { try expectEveryStandardProfilePinned(Self.pins) }

    @Test("verdict under each standard profile", arguments: Profile.standardOrder)
    func verdict(_ profile: String) throws { try expectVerdict("rspack-2024", profile, Self.pins) }

    @Test("the team's response (latest back to 1.1.6, token revoked) is allowed as it happened")
    func teamResponse() throws {
        for step in ["team-logs-in", "latest-back-core", "latest-back-cli", "team-revokes-token"] {
            #expect(try stepOutcome("rspack-2024", "historical", step: step).status == .succeeded, "\(step)")
        }
    }
}
