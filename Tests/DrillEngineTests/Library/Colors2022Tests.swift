import DrillEngine
import Testing

/// scenarios/colors-2022.yaml: a malicious insider; the maintainer's own account (`controlledBy: attacker`).
@Suite("Library: colors-2022")
struct Colors2022Tests {
    static let pins: [String: PinnedVerdict] = [
        // Jan 2022 rules (before emailed login codes): the maintainer logs in with his own password and publishes.
        "historical": .succeeds,
        "no-2fa": .succeeds,
        // With 2FA the factor is his own: 2fa.login and (under auth-and-writes) 2fa.writes get their codes.
        "auth-only": .succeeds,
        "auth-and-writes": .succeeds,
        // His own security key signs for the real registry.
        "security-key": .succeeds,
        // Token limits change the tokens on machines; he publishes with the token of his own login.
        "read-only-tokens": .succeeds,
        "cidr-tokens": .succeeds,
        "granular-short-lived-tokens": .succeeds,
        // colors and faker require 2FA and disallow tokens. An account the attacker owns enrols whatever 2FA its
        // packages demand (PreparedWorld), and its holder has the factor: 2fa.package-publishing gets its code.
        // The setting governs tokens and strangers, not the package's rightful maintainer.
        "disallow-tokens": .succeeds,
        // Trusted publishing sets both packages to disallow tokens: as above. (An insider also controls the
        // repository and its release workflow.)
        "trusted-publishing": .succeeds,
        // From 9 Dec 2025 publishing needs 2FA or a bypass token; the insider enrols 2FA and types the codes.
        "npm-2025-12": .succeeds,
        // As under npm-2025-12: the maintainer himself publishes, so no rule of 2027 stands in his way.
        "npm-2027-01": .succeeds,
        // The maintainer publishes himself: no stolen token to make stage-only.
        "staged-publishing": .succeeds,
    ]

    @Test("every standard profile is pinned")
    func everyProfilePinned() throws { try expectEveryStandardProfilePinned(Self.pins) }

    @Test("verdict under each standard profile", arguments: Profile.standardOrder)
    func verdict(_ profile: String) throws { try expectVerdict("colors-2022", profile, Self.pins) }

    @Test("no login defense refuses the insider's own login", arguments: Profile.standardOrder)
    func ownLoginAllowed(_ profile: String) throws {
        #expect(try stepOutcome("colors-2022", profile, step: "login").status == .succeeded)
    }
}
