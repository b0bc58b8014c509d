import DrillEngine
import Testing

/// scenarios/chalk-debug-2025.yaml: the npmjs.help phishing of 8 Sep 2025; TOTP relayed in real time; four of the 18 packages.
///
/// The attacker acts while the victim is on the phishing page (13:05-13:35 UTC in the scenario), so the relay
/// supplies a fresh code for every request that asks for one: login, the email change, each publish.
@Suite("Library: chalk-debug-2025")
struct ChalkDebug2025Tests {
    static let pins: [String: PinnedVerdict] = [
        // TOTP, auth-and-writes: every code asked for (login, email change, four publishes) is relayed.
        "historical": .succeeds,
        // No 2FA: the emailed login code is typed into the phishing page and relayed like a TOTP code.
        "no-2fa": .succeeds,
        // auth-only: codes for the login and the email change are relayed; publishing asks for none.
        "auth-only": .succeeds,
        "auth-and-writes": .succeeds,
        // security-key.wrong-origin: the key signs for https://npmjs.help; the registry refuses the assertion.
        "security-key": .stopped(by: "security-key", at: "login"),
        // No token on a machine is used: the attacker publishes with the token of the phished login.
        "read-only-tokens": .succeeds,
        "cidr-tokens": .succeeds,
        "granular-short-lived-tokens": .succeeds,
        // "Require 2FA and disallow tokens" still allows an interactive publish with a code
        // (2fa.package-publishing), and the relay supplies one: a TOTP relay defeats it.
        "disallow-tokens": .succeeds,
        // Trusted publishing sets the packages to disallow tokens, which still allows an interactive publish
        // with a second factor: the relayed code, as under disallow-tokens.
        "trusted-publishing": .succeeds,
        // The login yields a 2-hour session; publishing needs 2FA (2fa.package-publishing), and the relay
        // supplies it during the visit.
        "npm-2025-12": .succeeds,
        // account.read-only: the attacker changed qix's email before publishing; from 25 Jun 2026 a high-impact account is
        // read-only for 72 hours after an email change (GitHub changelog 2026-06-25), so the four publishes are refused.
        // The email change itself goes through (the safeguard follows it), so the owner is still locked out: the
        // owner-locked-out goal (account-control; "the owner was locked out", chalk#656) is reached. Was
        // .stopped(by: "account-change-safeguard", at: "publish-chalk") before the scenario stated the lock-out as a goal.
        "npm-2027-01": .succeeds,
        // The attacker publishes with the session the relayed login made, not with a token from a machine: stage-only
        // tokens change nothing here.
        "staged-publishing": .succeeds,
    ]

    @Test("every standard profile is pinned")
    func everyProfilePinned() throws { try expectEveryStandardProfilePinned(Self.pins) }

    @Test("verdict under each standard profile", arguments: Profile.standardOrder)
    func verdict(_ profile: String) throws { try expectVerdict("chalk-debug-2025", profile, Self.pins) }

    @Test("under npm-2027-01 the safeguard refuses the publishes but the owner is locked out all the same")
    func safeguardStopsThePublishesNotTheLockOut() throws {
        try expectGoals("chalk-debug-2025", "npm-2027-01", ["owner-locked-out"])
        #expect(try stepOutcome("chalk-debug-2025", "npm-2027-01", step: "publish-chalk").rule == "account.read-only")
        // A security key stops both: the phished login never happens.
        try expectGoals("chalk-debug-2025", "security-key", [])
    }

    @Test("as it happened, the owner is locked out: the email change gets a relayed code")
    func lockOut() throws {
        let step = try stepOutcome("chalk-debug-2025", "historical", step: "lock-out")
        #expect(step.status == .succeeded)
        #expect(step.details.contains { $0.contains("relays it") })
    }
}
