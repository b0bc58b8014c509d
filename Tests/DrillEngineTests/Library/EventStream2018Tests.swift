import DrillEngine
import Testing

/// scenarios/event-stream-2018.yaml: a voluntary maintainer handover to right9ctrl, who ships a backdoor in flatmap-stream.
///
/// right9ctrl is `controlledBy: attacker`: the attacker holds that account's password, mailbox and (under the
/// 2FA profiles) its second factor, as any account holder does. No request of the attack uses a stolen credential.
@Suite("Library: event-stream-2018")
struct EventStream2018Tests {
    static let pins: [String: PinnedVerdict] = [
        // The owner adds right9ctrl; right9ctrl logs in to their own account and publishes. 2018, no 2FA anywhere.
        "historical": .succeeds,
        "no-2fa": .succeeds,
        // Every account gets a TOTP factor; right9ctrl's factor is the attacker's own, so 2fa.login passes.
        "auth-only": .succeeds,
        // 2fa.writes asks for a code on every publish; the account holder types it.
        "auth-and-writes": .succeeds,
        // The attacker's own security key signs for the real registry: nothing is relayed, nothing refused.
        "security-key": .succeeds,
        // No token on a machine is used: every publish uses the token of right9ctrl's own login.
        "read-only-tokens": .succeeds,
        "cidr-tokens": .succeeds,
        "granular-short-lived-tokens": .succeeds,
        // event-stream now requires 2FA and disallows tokens. right9ctrl is the attacker's own account: it enrols
        // the 2FA the setting demands and its holder types the codes (2fa.package-publishing is satisfied). No
        // defense on the registry's side tells a malicious maintainer from an honest one.
        "disallow-tokens": .succeeds,
        // event-stream gets a trusted publisher and disallows tokens: as under disallow-tokens.
        "trusted-publishing": .succeeds,
        // From 9 Dec 2025 every package requires 2FA to publish and logins last 2 hours: right9ctrl enrols 2FA and
        // logs in again before the backdoor publish (volunteer-logs-in-again), as any maintainer would.
        "npm-2025-12": .succeeds,
        // The handover is the owner's own decision; the new maintainer publishes with his own credentials.
        "npm-2027-01": .succeeds,
        // Likewise: the new maintainer logs in and publishes; no machine token is involved.
        "staged-publishing": .succeeds,
    ]

    @Test("every standard profile is pinned")
    func everyProfilePinned() throws { try expectEveryStandardProfilePinned(Self.pins) }

    @Test("verdict under each standard profile", arguments: Profile.standardOrder)
    func verdict(_ profile: String) throws { try expectVerdict("event-stream-2018", profile, Self.pins) }

    @Test("the handover itself is an ordinary, allowed request under every standard profile", arguments: Profile.standardOrder)
    func handoverAllowed(_ profile: String) throws {
        #expect(try stepOutcome("event-stream-2018", profile, step: "handover").status == .succeeded)
    }
}
