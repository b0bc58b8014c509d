import DrillEngine
import Testing

/// scenarios/solana-web3js-2024.yaml: spear-phishing with a real-time relay; a granular token minted during the visit publishes later.
@Suite("Library: solana-web3js-2024")
struct SolanaWeb3js2024Tests {
    static let pins: [String: PinnedVerdict] = [
        // TOTP, auth-and-writes: the relay supplies a fresh code for the login and for the token creation
        // (2fa.token-management); in Dec 2024 a granular write token publishes without a code.
        "historical": .succeeds,
        // No 2FA: the emailed login code (Mar 2022 on) goes to the victim, who types it into the phishing page
        // during the visit; the relay passes it on like a TOTP code.
        "no-2fa": .succeeds,
        // auth-only asks for codes at login and token creation (since Aug 2022): both relayed. Publishing with
        // the granular token needs none.
        "auth-only": .succeeds,
        // As historical.
        "auth-and-writes": .succeeds,
        // security-key.wrong-origin: the victim's key signs for the phishing origin; the registry refuses it.
        "security-key": .stopped(by: "security-key", at: "login"),
        // No token on a machine is involved: the token is minted in the phished session.
        "read-only-tokens": .succeeds,
        "cidr-tokens": .succeeds,
        "granular-short-lived-tokens": .succeeds,
        // package.tokens-disallowed: a granular token cannot publish a package that disallows tokens. (An
        // interactive publish during the visit would have got a relayed code; the attacker published later.)
        "disallow-tokens": .stopped(by: "disallow-tokens", at: "publish-1956"),
        // The package has a repository: trusted publishing sets it to disallow tokens; the same rule refuses.
        "trusted-publishing": .stopped(by: "disallow-tokens", at: "publish-1956"),
        // After 5 Nov 2025 a granular token publishes without a code only with the bypass-2FA flag; this one
        // (created as in 2024, without it) needs a code at the publish (2fa.writes under the account's
        // auth-and-writes), and by 15:20 the victim has left the phishing page: no relayed code.
        "npm-2025-12": .stopped(by: "auth-and-writes", at: "publish-1956"),
        // As under npm-2025-12: 2fa.writes, the phished login's session asks for a code the relay no longer has.
        "npm-2027-01": .stopped(by: "auth-and-writes", at: "publish-1956"),
        // The attacker publishes through the phished login's token, not a machine's: stage-only tokens change nothing.
        "staged-publishing": .succeeds,
    ]

    @Test("every standard profile is pinned")
    func everyProfilePinned() throws { try expectEveryStandardProfilePinned(Self.pins) }

    @Test("verdict under each standard profile", arguments: Profile.standardOrder)
    func verdict(_ profile: String) throws { try expectVerdict("solana-web3js-2024", profile, Self.pins) }

    @Test("the token is created with a relayed code while the victim is still on the page")
    func tokenWithRelayedCode() throws {
        let step = try stepOutcome("solana-web3js-2024", "historical", step: "create-token")
        #expect(step.status == .succeeded)
        #expect(step.details.contains { $0.contains("relays it") })
    }
}
