import DrillEngine
import Testing

/// scenarios/nx-s1ngularity-2025.yaml: NPM_TOKEN exfiltrated from Nx's CI publishes nx versions that harvest installers' tokens.
@Suite("Library: nx-s1ngularity-2025")
struct NxS1ngularity2025Tests {
    static let pins: [String: PinnedVerdict] = [
        // The CI's automation token publishes without a code; the postinstall harvests the developers' tokens.
        "historical": .succeeds,
        // Human 2FA of any mode or factor is never asked of an automation token.
        "no-2fa": .succeeds,
        "auth-only": .succeeds,
        "auth-and-writes": .succeeds,
        "security-key": .succeeds,
        // Only the developers' tokens become read-only (they are still harvested: the harvest goal is reached);
        // the CI token that publishes is untouched.
        "read-only-tokens": .succeeds,
        // token.cidr-mismatch: the exfiltrated token is used from the attacker's address, outside the CI's /24.
        "cidr-tokens": .stopped(by: "cidr-tokens", at: "publish-21-5-0"),
        // The token becomes granular for nx-release's packages (nx among them) and is days old: still valid,
        // and before 5 Nov 2025 a granular write token needs no code.
        "granular-short-lived-tokens": .succeeds,
        // package.tokens-disallowed: nx disallows tokens.
        "disallow-tokens": .stopped(by: "disallow-tokens", at: "publish-21-5-0"),
        // The CI of nrwl/nx publishes through OIDC and stores no npm token: the compromised runner yields none, so
        // the publish with it does not apply. Moved from exfiltrate-token to publish-21-5-0 when the first step
        // became compromise-ci (the runner is still compromised; the token is what trusted publishing removes; Nx
        // post-mortem, nx.dev/blog/s1ngularity-postmortem). An attacker who can dispatch the release workflow could
        // still mint an OIDC credential (compromise-ci with a package); the scenario replays the token theft that
        // happened. Nx added a manual 2FA approval per release for that reason.
        "trusted-publishing": .stopped(by: "trusted-publishing", at: "publish-21-5-0"),
        // token.classic-retired: the automation token is classic; all were revoked on 9 Dec 2025.
        "npm-2025-12": .stopped(by: "classic-token-retirement", at: "publish-21-5-0"),
        // As under npm-2025-12: token.classic-retired, the CI's classic token was revoked on 9 Dec 2025.
        "npm-2027-01": .stopped(by: "classic-token-retirement", at: "publish-21-5-0"),
        // token.stage-only: the token the poisoned workflow reads can only stage; nothing goes live without a maintainer's 2FA.
        "staged-publishing": .stopped(by: "staged-publishing", at: "publish-21-5-0"),
    ]

    @Test("every standard profile is pinned")
    func everyProfilePinned() throws { try expectEveryStandardProfilePinned(Self.pins) }

    @Test("verdict under each standard profile", arguments: Profile.standardOrder)
    func verdict(_ profile: String) throws { try expectVerdict("nx-s1ngularity-2025", profile, Self.pins) }

    @Test("as it happened, nx is published and the installers' tokens are harvested")
    func historicalGoals() throws {
        try expectGoals("nx-s1ngularity-2025", "historical", ["malicious-nx", "secrets-harvested"])
    }
}
