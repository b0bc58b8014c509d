import DrillEngine
import DrillRegistry
import Testing

/// Attacker choices that follow the era (issue 23): one file asks for the most capable token of whatever date it is
/// replayed at.
@Suite("Attacker choices that follow the era")
struct EraChoiceTests {
    /// The attacker, who reads the maintainer's mail (its domain lapsed), logs in with the breached password, asks for a granular token with `bypass2fa`, and
    /// publishes with it.
    static func scenario(date: String, bypass: String) -> String {
        Doc.scenario(date: date, steps: """
          - id: domain
            at: \(date)T09:20:00Z
            action: buy-expired-domain
            domain: maint.example
          - id: breach
            at: \(date)T09:30:00Z
            action: reuse-breached-password
            account: maintainer
          - id: login
            at: \(date)T09:35:00Z
            action: login
            account: maintainer
          - id: token
            at: \(date)T09:40:00Z
            action: create-token
            account: maintainer
            using: step:login
            kind: granular
            packages: [widget]
            bypass2fa: \(bypass)
          - id: publish
            at: \(date)T09:45:00Z
            action: publish
            package: widget
            version: 1.0.1
            using: step:token

        """)
    }

    static func run(_ date: String, _ bypass: String) throws -> RunOutcome {
        try Replays.run(try Replays.scenario(Self.scenario(date: date, bypass: bypass)))
    }

    /// token.kind-unavailable: the bypass-2FA flag exists from 5 Nov 2025 (GitHub changelog 2025-11-05).
    /// package.requires-two-factor: from 16 Dec 2025 publishing needs 2FA or a bypass token for every package (GitHub
    /// changelog 2025-12-09); before then a granular write token published without 2FA (changelog 2023-03-21).
    @Test("bypass2fa: when-available asks for the flag where the era has it, so one file reaches its goal before and after 5 Nov 2025")
    func bypassWhenAvailable() throws {
        for (date, bypass, token, publish) in [
            ("2025-11-04", "true", "token: blocked (token.kind-unavailable)", "publish: skipped"),
            ("2025-11-04", "when-available", "token: succeeded", "publish: succeeded"),
            ("2025-11-05", "true", "token: succeeded", "publish: succeeded"),
            ("2025-11-05", "when-available", "token: succeeded", "publish: succeeded"),
            ("2026-03-02", "false", "token: succeeded", "publish: blocked (package.requires-two-factor)"),
            ("2026-03-02", "when-available", "token: succeeded", "publish: succeeded"),
        ] {
            let outcome = try Self.run(date, bypass)
            #expect(Array(outcome.verdicts.suffix(2)) == [token, publish], "\(date) bypass2fa: \(bypass)")
        }
        #expect(try Self.run("2025-11-04", "when-available").step("token")?.message.contains("(no bypass-2FA flag: the registry of this date has none)") == true)
        #expect(try Self.run("2025-11-05", "when-available").step("token")?.message.contains("with the bypass-2FA flag") == true)
    }

    @Test("bypass2fa takes true, false or when-available, and says so")
    func bypassWords() {
        let text = Self.scenario(date: "2026-03-02", bypass: "when-availble")
        let errors = scenarioDiagnostics(text).filter { $0.severity == .error }
        #expect(errors.map(\.message) == ["'when-availble' is not a valid bypass2fa"])
        #expect(errors.first?.hint == "write 'when-available'")
        // Quoted, true is text, not the boolean.
        let quoted = scenarioDiagnostics(Self.scenario(date: "2026-03-02", bypass: "\"true\"")).filter { $0.severity == .error }
        #expect(quoted.map(\.message) == ["'true' is not a valid bypass2fa"])
        let list = scenarioDiagnostics(Self.scenario(date: "2026-03-02", bypass: "[true]")).filter { $0.severity == .error }
        #expect(list.map(\.message) == ["'bypass2fa' in a step must be one of: true, false, when-available"])
    }
}
