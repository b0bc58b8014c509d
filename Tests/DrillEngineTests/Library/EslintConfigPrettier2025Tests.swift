import DrillEngine
import Foundation
import Testing

/// scenarios/eslint-config-prettier-2025.yaml: the npnjs.com phishing of 18 Jul 2025; an automation token made with the
/// relayed login publishes through the packages' "require 2FA or a token" setting.
@Suite("Library: eslint-config-prettier-2025")
struct EslintConfigPrettier2025Tests {
    static let pins: [String: PinnedVerdict] = [
        "historical": .succeeds,
        // Without 2FA the page relays the emailed login code the same way (login verification, from 2022).
        "no-2fa": .succeeds,
        // The relayed code answers the login and the token creation; the automation token then publishes without one.
        "auth-only": .succeeds,
        "auth-and-writes": .succeeds,
        // security-key.wrong-origin: the key signs for https://npnjs.com; the registry refuses the assertion.
        "security-key": .stopped(by: "security-key", at: "login"),
        // These limit the machines' tokens; the attacker publishes with the token they created.
        "read-only-tokens": .succeeds,
        "cidr-tokens": .succeeds,
        "granular-short-lived-tokens": .succeeds,
        // package.tokens-disallowed: "require 2FA and disallow tokens" refuses the automation token.
        "disallow-tokens": .stopped(by: "disallow-tokens", at: "publish-config-10-1-6"),
        // Trusted publishing sets the packages to disallow tokens: the same refusal.
        "trusted-publishing": .stopped(by: "disallow-tokens", at: "publish-config-10-1-6"),
        // token.classic-creation-disabled: automation tokens are classic, and none is created from 5 Nov 2025 (GitHub
        // changelog 2025-11-05). This stops the step as written; an attacker who asks for a granular token with the
        // bypass flag instead still publishes under these rules (see attackerWhoAdapts).
        "npm-2025-12": .stopped(by: "classic-token-retirement", at: "make-token"),
        "npm-2027-01": .stopped(by: "classic-token-retirement", at: "make-token"),
        // Only the tokens already on machines become stage-only; the attacker's new token is not one of them.
        "staged-publishing": .succeeds,
    ]

    @Test("every standard profile is pinned")
    func everyProfilePinned() throws { try expectEveryStandardProfilePinned(Self.pins) }

    @Test("verdict under each standard profile", arguments: Profile.standardOrder)
    func verdict(_ profile: String) throws { try expectVerdict("eslint-config-prettier-2025", profile, Self.pins) }

    @Test("as it happened, an automation token publishes through the packages' 2FA requirement, and latest moves to 4.2.3")
    func asItHappened() throws {
        #expect(try stepOutcome("eslint-config-prettier-2025", "historical", step: "make-token").message == "Created an automation token (read-write) for jounqin.")
        let publish = try stepOutcome("eslint-config-prettier-2025", "historical", step: "publish-plugin-4-2-3")
        #expect(publish.status == .succeeded)
        #expect(publish.details.isEmpty, "no second factor was asked: \(publish.details)")
    }

    /// The retirement of classic tokens closes the automation token, not the attack: a phished login that asks for a
    /// granular token with the 2FA bypass (from 5 Nov 2025) still publishes under the rules of Dec 2025, and only
    /// January 2027's rule that bypass tokens can only stage (token.bypass-stage-only) stops the publish.
    @Test("an attacker who asks for the most capable token of the era publishes until bypass tokens can only stage")
    func attackerWhoAdapts() throws {
        let path = BundledLibrary.directory + "/eslint-config-prettier-2025.yaml"
        let text = try String(contentsOfFile: path, encoding: .utf8)
            .replacingOccurrences(of: "    kind: automation\n", with: "    kind: granular\n    bypass2fa: when-available\n")
        let scenario = try Replays.scenario(text)
        #expect(try Replays.run(scenario, try BundledLibrary.profile("npm-2025-12")).attackSucceeded)
        let january = try Replays.run(scenario, try BundledLibrary.profile("npm-2027-01"))
        #expect(!january.attackSucceeded)
        #expect(january.step("publish-config-10-1-6")?.rule == "token.bypass-stage-only")
    }
}
