import DrillCrypto
import DrillRegistry
import Synchronization

/// An account a seeding created, as the startup banner shows it to the people at the terminal.
public struct SeededAccount: Sendable, Equatable {
    public var name: String
    /// The password, when the facilitator chose it (shown so participants can log in); nil to keep it off the banner.
    public var password: String?
    public var twoFactor: TwoFactorMode
    /// The TOTP secret (base32) of an authenticator-app account, so participants can compute codes.
    public var totpSecret: String?
    public var note: String?

    public init(name: String, password: String? = nil, twoFactor: TwoFactorMode = .disabled, totpSecret: String? = nil, note: String? = nil) {
        self.name = name; self.password = password; self.twoFactor = twoFactor; self.totpSecret = totpSecret; self.note = note
    }

    /// The otpauth:// URI an authenticator app scans, for TOTP accounts.
    public var otpauthURI: String? {
        guard let totpSecret, let totp = try? TOTP(base32Secret: totpSecret) else { return nil }
        return totp.otpauthURI(issuer: "npm", account: name)
    }
}

/// What a seeding reports: the accounts to show and any lines for the facilitator.
public struct SeedSummary: Sendable, Equatable {
    public var accounts: [SeededAccount]
    public var notes: [String]
    public init(accounts: [SeededAccount] = [], notes: [String] = []) { self.accounts = accounts; self.notes = notes }
}

/// Fills a registry from a scenario (and profile) before `regdrill serve` starts listening.
///
/// The scenario engine plugs in here: register a seeder with ``ScenarioSeeding/register(_:)`` before
/// the CLI runs, and `regdrill serve --scenario S [--profile P]` uses it. Until one is registered,
/// `--scenario` and `--profile` are refused with a clear message.
public protocol RegistrySeeder: Sendable {
    /// The era the scenario asks for, if any (`--era` still wins when given).
    func era(scenario: String, profile: String?) throws -> RegistryEra?
    /// The registry's rules' parameters the profile asks for, if any.
    func parameters(scenario: String, profile: String?) throws -> PolicyParameters?
    /// Creates the scenario's world in `registry` (accounts, tokens, packages, settings).
    func seed(_ registry: Registry, scenario: String, profile: String?) throws -> SeedSummary
}

extension RegistrySeeder {
    public func era(scenario: String, profile: String?) throws -> RegistryEra? { nil }
    public func parameters(scenario: String, profile: String?) throws -> PolicyParameters? { nil }
}

/// The process-wide seeding hook for `regdrill serve --scenario`.
public enum ScenarioSeeding {
    private static let seeder = Mutex<(any RegistrySeeder)?>(nil)

    public static func register(_ s: any RegistrySeeder) { seeder.withLock { $0 = s } }
    public static var current: (any RegistrySeeder)? { seeder.withLock { $0 } }
    public static func reset() { seeder.withLock { $0 = nil } }
}

/// The text `regdrill serve` prints once it listens.
public enum ServeBanner {
    public static func render(baseURL: String, era: RegistryEra, eraChosen: Bool, store: String,
                              summary: SeedSummary, warning: String? = nil) -> String {
        var lines: [String] = []
        if let warning { lines += [warning, ""] }
        lines.append("regdrill: simulated npm registry for security workshops (not npmjs.com)")
        lines.append("  registry  \(baseURL)/")
        let latestChange = era.changesInForce.last.map { " - newest rule change in force: \($0.rawValue)" } ?? ""
        lines.append("  era       \(era.date)\(eraChosen ? "" : " (today's rules)")\(latestChange)")
        lines.append("  store     \(UntrustedText.line(store, limit: 300))")
        lines.append("")
        lines.append("Point npm at it without touching your own npm config:")
        lines.append("  npm --registry \(baseURL)/ --userconfig ./drill.npmrc login")
        lines.append("  npm --registry \(baseURL)/ --userconfig ./drill.npmrc whoami")
        // Other participants can publish here, and npm runs install scripts by default: keep them off in the drill's config.
        lines.append("  echo ignore-scripts=true >> ./drill.npmrc   (packages published here are not vetted: never run their scripts)")
        if !summary.accounts.isEmpty {
            lines.append("")
            lines.append("Accounts:")
            for a in summary.accounts {
                var line = "  \(a.name)"
                if let p = a.password { line += "  password: \(p)" }
                line += "  2FA: \(a.twoFactor == .disabled ? "none" : a.twoFactor.rawValue)"
                if let note = a.note { line += "  (\(note))" }
                // One line each: a name or password from a scenario file cannot add a line of its own to the banner.
                lines.append(UntrustedText.line(line))
                if let uri = a.otpauthURI, let secret = a.totpSecret {
                    lines.append("    authenticator: \(uri)")
                    lines.append("    current code:  regdrill totp \(secret)")
                }
            }
        }
        if (era.has(.loginVerificationStagedForPublishers) || era.isLoginVerificationBrownout) && summary.accounts.contains(where: { $0.twoFactor == .disabled }) {
            lines.append("")
            lines.append("In this era, logging in (or any request made with the password) to an account without 2FA")
            lines.append("can need the code the registry emails;")
            lines.append("the simulated mail is printed here as [mail] lines.")
        }
        // Notes quote a scenario's title and ids: one line each.
        for note in summary.notes { lines.append(UntrustedText.line(note)) }
        lines.append("")
        lines.append("Press Ctrl-C to stop.")
        // Scenario files are shared between strangers: whatever they name is shown by the terminal, never obeyed.
        return Text.consoleSafe(lines.joined(separator: "\n"))
    }
}

/// One `regdrill serve --user NAME:PASSWORD[:auth-only|auth-and-writes]` value.
public struct ServeAccountSpec: Sendable, Equatable {
    public var name: String
    public var password: String
    public var twoFactor: TwoFactorMode

    /// Reads `NAME:PASSWORD`, optionally ending in `:auth-only` or `:auth-and-writes` (the password may hold colons).
    public init(parsing text: String) throws(ServeAccountSpecError) {
        guard let colon = text.firstIndex(of: ":") else { throw ServeAccountSpecError(text: text) }
        name = String(text[..<colon])
        var rest = String(text[text.index(after: colon)...])
        twoFactor = .disabled
        for mode in [TwoFactorMode.authAndWrites, .authOnly] where rest.hasSuffix(":" + mode.rawValue) {
            twoFactor = mode
            rest = String(rest.dropLast(mode.rawValue.count + 1))
            break
        }
        // A mistyped mode (`:auth-onyl`) would otherwise become the end of the password, silently, with no 2FA.
        if twoFactor == .disabled, let colon = rest.lastIndex(of: ":"), Self.looksLikeAMode(rest[rest.index(after: colon)...]) {
            throw ServeAccountSpecError(text: text, unknownMode: String(rest[rest.index(after: colon)...]))
        }
        password = rest
        guard !name.isEmpty, !password.isEmpty else { throw ServeAccountSpecError(text: text) }
    }

    /// Whether the text after a password's last colon reads as an attempt at a 2FA mode: one word of letters, `-` and
    /// `_` naming auth, writes, only, 2fa, mfa or otp.
    static func looksLikeAMode(_ word: Substring) -> Bool {
        let lower = word.lowercased()
        guard !lower.isEmpty, lower.count <= 24, lower.allSatisfy({ ($0.isASCII && $0.isLetter) || $0 == "-" || $0 == "_" || $0.isNumber }) else {
            return false
        }
        return ["auth", "writ", "only", "2fa", "tfa", "mfa", "otp"].contains { lower.contains($0) }
    }

    /// Creates the accounts that are missing (email NAME@example.com; a fresh TOTP secret when 2FA is asked for)
    /// and reports each, existing ones included, for the banner.
    public static func seed(_ specs: [ServeAccountSpec], into registry: Registry) throws -> [SeededAccount] {
        var out: [SeededAccount] = []
        for spec in specs {
            if let existing = try registry.account(spec.name) {
                out.append(SeededAccount(name: spec.name, twoFactor: existing.twoFactorMode, note: "already in the store; password unchanged"))
                continue
            }
            let secret = spec.twoFactor == .disabled ? nil : Base32.encode(SecureRandom.bytes(20))
            try registry.seedAccount(name: spec.name, email: "\(spec.name)@example.com", password: spec.password,
                                     twoFactor: spec.twoFactor, totpSecret: secret)
            out.append(SeededAccount(name: spec.name, password: spec.password, twoFactor: spec.twoFactor, totpSecret: secret))
        }
        return out
    }
}

public struct ServeAccountSpecError: Error, CustomStringConvertible, Equatable {
    public var text: String
    /// The word after the last colon that looked like a 2FA mode but is none.
    public var unknownMode: String?

    public init(text: String, unknownMode: String? = nil) {
        self.text = text
        self.unknownMode = unknownMode
    }

    /// Names the account, never the password.
    public var description: String {
        let name = UntrustedText.line(String(text.split(separator: ":").first ?? ""), limit: 80)
        if let unknownMode {
            return "--user '\(name):…': '\(UntrustedText.line(unknownMode, limit: 40))' is not a 2FA mode; use :auth-only or :auth-and-writes (or leave the mode out for no 2FA)."
        }
        return "--user '\(name)…' must be NAME:PASSWORD, optionally followed by :auth-only or :auth-and-writes, with a non-empty name and password."
    }
}
