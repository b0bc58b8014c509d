import DrillEngine
import Testing

/// scenarios/ua-parser-js-2021.yaml: the maintainer's account hijacked on 22 Oct 2021; three versions with a miner in a
/// preinstall, carried to installers by the packages that depend on ua-parser-js (fbjs, karma).
@Suite("Library: ua-parser-js-2021")
struct UaParserJs2021Tests {
    static let pins: [String: PinnedVerdict] = [
        // No 2FA on the account (an assumption), and login verification by email only began on 7 Dec 2021: the
        // password alone logs in.
        "historical": .succeeds,
        "no-2fa": .succeeds,
        // 2fa.login: the attacker has the password but no one-time code.
        "auth-only": .stopped(by: "auth-only", at: "login"),
        "auth-and-writes": .stopped(by: "auth-and-writes", at: "login"),
        // 2fa.login: no security key to touch; the account's factor names the defense.
        "security-key": .stopped(by: "security-key", at: "login"),
        // These limit the machines' tokens; the attacker publishes with the token his own login mints.
        "read-only-tokens": .succeeds,
        "cidr-tokens": .succeeds,
        "granular-short-lived-tokens": .succeeds,
        // A package that requires 2FA has maintainers with 2FA (npm blog, July 2018), so the profile enrols the
        // maintainer in auth-only: 2fa.login refuses the password alone.
        "disallow-tokens": .stopped(by: "auth-only", at: "login"),
        // ua-parser-js has a repository, so trusted publishing sets it to disallow tokens: the same reasoning.
        "trusted-publishing": .stopped(by: "auth-only", at: "login"),
        // ua-parser-js has ~7M weekly downloads: under the rules of Dec 2025 its maintainer is one npm made set up 2FA
        // (high-impact packages from 1 Nov 2022, GitHub changelog 2022-11-01); 2fa.login refuses the password alone.
        "npm-2025-12": .stopped(by: "auth-only", at: "login"),
        "npm-2027-01": .stopped(by: "auth-only", at: "login"),
        // Only the tokens already on machines become stage-only; the login mints a token of its own.
        "staged-publishing": .succeeds,
    ]

    @Test("every standard profile is pinned")
    func everyProfilePinned() throws { try expectEveryStandardProfilePinned(Self.pins) }

    @Test("verdict under each standard profile", arguments: Profile.standardOrder)
    func verdict(_ profile: String) throws { try expectVerdict("ua-parser-js-2021", profile, Self.pins) }

    @Test("as it happened, nobody installs ua-parser-js by name: its dependents bring the miner")
    func dependentsCarryIt() throws {
        for (step, dependent) in [("installs-karma", "karma"), ("installs-fbjs", "fbjs")] {
            let outcome = try stepOutcome("ua-parser-js-2021", "historical", step: step)
            #expect(outcome.status == .succeeded)
            #expect(outcome.message == "1 consumer installs \(dependent), which pulls in ua-parser-js@1.0.0; its payload runs on their machines.")
        }
    }

    /// The miner runs from a preinstall, so refusing install scripts stops it at every dependent; the publishes stand.
    @Test("ignore-scripts stops the installs, not the publishes")
    func ignoreScripts() throws {
        let outcome = try Replays.run(try BundledLibrary.scenario("ua-parser-js-2021"), Replays.ignoreScripts)
        #expect(outcome.step("installs-karma")?.rule == "consumer.ignore-scripts")
        #expect(outcome.step("installs-fbjs")?.rule == "consumer.ignore-scripts")
        #expect(outcome.goalsReached == ["malicious-ua-parser"])
    }
}
