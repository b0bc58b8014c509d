import DrillEngine
import Testing

/// scenarios/shai-hulud-2025.yaml: a worm that republishes itself with every npm token it harvests (representative world).
///
/// Patient zero's stolen token is a classic publish token used from the attacker's address. The harvested
/// tokens are used by the worm itself, from the infected machines, with no second factor to give.
@Suite("Library: shai-hulud-2025")
struct ShaiHulud2025Tests {
    static let pins: [String: PinnedVerdict] = [
        // Sep 2025, no 2FA: the stolen publish token publishes; installs harvest three tokens; the worm spreads
        // two generations (every token publishes: publish tokens need no code without 2FA).
        "historical": .succeeds,
        "no-2fa": .succeeds,
        // auth-only never asks a token for a code on a publish: patient zero and every harvested token publish.
        "auth-only": .succeeds,
        // 2fa.writes: the stolen classic publish token needs a code for the very first publish.
        "auth-and-writes": .stopped(by: "auth-and-writes", at: "publish-patient-zero"),
        // 2fa.writes with a security key as the factor: no key to touch.
        "security-key": .stopped(by: "security-key", at: "publish-patient-zero"),
        // token.read-only: patient zero's ~/.npmrc token is read-only.
        "read-only-tokens": .stopped(by: "read-only-tokens", at: "publish-patient-zero"),
        // token.cidr-mismatch: the stolen token is used from the attacker's address. (The worm's own publishes
        // come from the infected machines, inside their tokens' CIDR: a CIDR limit does not stop propagation.)
        "cidr-tokens": .stopped(by: "cidr-tokens", at: "publish-patient-zero"),
        // Every token becomes granular for its owner's packages and days old: valid; before 5 Nov 2025 granular
        // write tokens need no code. The worm republishes exactly its victims' own packages.
        "granular-short-lived-tokens": .succeeds,
        // package.requires-two-factor: color-helpers requires 2FA and disallows tokens; its owner has no 2FA.
        "disallow-tokens": .stopped(by: "disallow-tokens", at: "publish-patient-zero"),
        // Every package has a repository: trusted publishing sets them to disallow tokens; the same rule refuses.
        "trusted-publishing": .stopped(by: "disallow-tokens", at: "publish-patient-zero"),
        // token.classic-retired: the stolen publish token is classic; all were revoked on 9 Dec 2025.
        "npm-2025-12": .stopped(by: "classic-token-retirement", at: "publish-patient-zero"),
        // As under npm-2025-12: token.classic-retired, patient zero's classic token was revoked on 9 Dec 2025.
        "npm-2027-01": .stopped(by: "classic-token-retirement", at: "publish-patient-zero"),
        // token.stage-only: the first stolen token can only stage, so the worm never starts.
        "staged-publishing": .stopped(by: "staged-publishing", at: "publish-patient-zero"),
    ]

    @Test("every standard profile is pinned")
    func everyProfilePinned() throws { try expectEveryStandardProfilePinned(Self.pins) }

    @Test("verdict under each standard profile", arguments: Profile.standardOrder)
    func verdict(_ profile: String) throws { try expectVerdict("shai-hulud-2025", profile, Self.pins) }

    @Test("where the first publish goes through, the worm reaches other maintainers' packages",
          arguments: ["historical", "no-2fa", "auth-only", "granular-short-lived-tokens"])
    func wormPropagates(_ profile: String) throws {
        try expectGoals("shai-hulud-2025", profile, ["patient-zero", "worm-propagates", "tokens-harvested"])
    }

    @Test("as it happened the worm spreads two generations, five infected versions")
    func twoGenerations() throws {
        let step = try stepOutcome("shai-hulud-2025", "historical", step: "worm-spreads")
        #expect(step.status == .succeeded)
        #expect(step.details.filter { $0.hasPrefix("generation 1:") }.count == 3)
        #expect(step.details.filter { $0.hasPrefix("generation 2:") }.count == 2)
    }

    /// The world's graph is representative: erin's projects install log-tiny, which depends on date-bits; frank's install
    /// env-config, which depends on http-lite. Neither names the infected package, and both are harvested through it.
    @Test("the worm reaches machines through their dependencies, and the blast radius counts what it reached")
    func throughDependencies() throws {
        let step = try stepOutcome("shai-hulud-2025", "historical", step: "worm-spreads")
        #expect(step.details.contains("installs of date-bits@3.1.1 harvest erin-npmrc (dev-erin)"))
        #expect(step.details.contains("installs of http-lite@1.8.3 harvest pz-npmrc (pz-maint), frank-npmrc (dev-frank)"))
        let worm = try #require(try BundledLibrary.outcome("shai-hulud-2025", "historical").blastRadius?.worm)
        #expect(worm.packages.count == 5)
        #expect(worm.maintainers == ["dev-bob", "dev-carol", "dev-dave", "dev-erin", "pz-maint"])
    }
}
