import DrillEngine
import Testing

/// scenarios/axios-2026.yaml: the maintainer's browser session hijacked on 30-31 Mar 2026; axios 1.14.1 and 0.30.4
/// bring plain-crypto-js@4.2.1, whose postinstall installs a RAT.
///
/// The stolen session carries "skip 2FA for the next 5 minutes" (an assumption of the scenario): inside those minutes
/// it stands for the account's second factor, whatever the factor, for the email change and the token creation.
@Suite("Library: axios-2026")
struct Axios2026Tests {
    static let pins: [String: PinnedVerdict] = [
        "historical": .succeeds,
        "no-2fa": .succeeds,
        // The 5-minute skip stands for the second factor (npm/documentation 90be62d0, from 11 Feb 2026), whatever the
        // mode or the factor; the bypass-2FA token then publishes without one.
        "auth-only": .succeeds,
        "auth-and-writes": .succeeds,
        "security-key": .succeeds,
        // These limit the tokens on the machines; the attacker creates a fresh one through the session.
        "read-only-tokens": .succeeds,
        "cidr-tokens": .succeeds,
        "granular-short-lived-tokens": .succeeds,
        // package.tokens-disallowed refuses both publishes, but the email change (owner-locked-out) needs no token.
        "disallow-tokens": .succeeds,
        // As under disallow-tokens: trusted publishing sets axios to disallow tokens; the lock-out still happens.
        "trusted-publishing": .succeeds,
        // The profile makes the world's tokens stage-only; the one the attacker creates through the session is not.
        "staged-publishing": .succeeds,
        // 2fa.account-changes: before 11 Feb 2026 no session skips 2FA (npm/documentation 90be62d0), so the stolen
        // session must give the account's factor for the email change, and the attacker has none.
        "npm-2025-12": .stopped(by: "auth-and-writes", at: "lock-out"),
        // account.read-only: after the email change a high-impact account is read-only for 72 hours (GitHub changelog
        // 2026-06-25), so no token is created and axios is not published; the email change itself goes through.
        "npm-2027-01": .succeeds,
    ]

    @Test("every standard profile is pinned")
    func everyProfilePinned() throws { try expectEveryStandardProfilePinned(Self.pins) }

    @Test("verdict under each standard profile", arguments: Profile.standardOrder)
    func verdict(_ profile: String) throws { try expectVerdict("axios-2026", profile, Self.pins) }

    @Test("as it happened, the clean releases bring the RAT to their installers, and the owner is locked out")
    func asItHappened() throws {
        try expectGoals("axios-2026", "historical", ["malicious-axios", "owner-locked-out"])
        #expect(try stepOutcome("axios-2026", "historical", step: "publish-1-14-1").message
                == "Published axios@1.14.1, which brings the malicious plain-crypto-js@4.2.1 through its dependencies.")
        #expect(try stepOutcome("axios-2026", "historical", step: "reset").message.contains("attacker-mail.example"))
        let reach = try BundledLibrary.outcome("axios-2026", "historical").blastRadius?.versions.map(\.label)
        #expect(reach?.contains("axios@1.14.1, which brings plain-crypto-js@4.2.1") == true)
    }

    @Test("the publishing defenses stop the releases but not the lock-out")
    func publishingDefensesLeaveTheLockOut() throws {
        for profile in ["disallow-tokens", "trusted-publishing", "npm-2027-01"] {
            try expectGoals("axios-2026", profile, ["owner-locked-out"])
        }
        #expect(try stepOutcome("axios-2026", "disallow-tokens", step: "publish-1-14-1").rule == "package.tokens-disallowed")
        #expect(try stepOutcome("axios-2026", "npm-2027-01", step: "make-token").rule == "account.read-only")
    }

    /// The consumers' side: plain-crypto-js's code runs from a postinstall, so refusing install scripts stops it, and
    /// a day's wait outlasts the three hours the versions were live.
    @Test("ignore-scripts and a minimum release age stop the install, not the publishes")
    func consumerDefenses() throws {
        let scenario = try BundledLibrary.scenario("axios-2026")
        for profile in [Replays.ignoreScripts, Replays.minimumReleaseAge] {
            let outcome = try Replays.run(scenario, profile)
            #expect(outcome.step("installs")?.status == .blocked, "\(profile.id)")
            #expect(outcome.step("publish-1-14-1")?.status == .succeeded, "\(profile.id)")
        }
    }
}
