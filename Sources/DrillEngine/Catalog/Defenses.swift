import DrillRegistry

/// A defense a profile can switch on for a scenario's world, with its parameters.
///
/// Each case changes the world before the replay (which accounts have which factor, what tokens sit on
/// machines, how packages are set) or how consumers install; the registry's policy then decides every
/// step. ``DefenseCatalog`` documents each one: what it is, which rules it brings into play, and its source.
public enum DefenseSetting: Sendable, Equatable {
    /// Every account enrols a second factor in `mode` (`disabled` strips 2FA: the `no-2fa` profile).
    case twoFactor(mode: TwoFactorMode, factor: SecondFactorKind)
    /// Tokens on developer machines are read-only (CI keeps its publish token).
    case readOnlyTokens
    /// Every token is limited to its machine's network: `prefix` bits of the machine's address.
    case cidrTokens(prefix: Int)
    /// Tokens are granular: limited to the packages they are for, expiring `lifetimeDays` after creation.
    case granularShortLivedTokens(lifetimeDays: Int)
    /// Every package requires 2FA and disallows tokens.
    case disallowTokens
    /// Packages with a repository publish only through their release workflow (OIDC); CI holds no npm token; tokens are disallowed.
    case trustedPublishing
    /// Consumers install with `--ignore-scripts`: install scripts never run.
    case ignoreScripts
    /// Consumers do not install versions younger than `hours`.
    case minimumReleaseAge(hours: Int)
    /// Every token that writes, on laptops and in CI, is a granular "read and write (stage only)" token: a version
    /// goes live only when a maintainer promotes it with 2FA.
    case stageOnlyTokens
    /// Consumers run npm `major`: from npm 12 (8 Jul 2026) dependency install scripts run only for the packages the
    /// project allows (`allowScripts`).
    case npmClient(major: Int, allowScripts: [String])

    public var id: String {
        switch self {
        case .twoFactor(let mode, let factor):
            mode == .disabled ? "no-2fa" : (factor == .securityKey ? "security-key" : mode.rawValue)
        // Every other defense goes by the id a profile file gives it.
        default: kind.rawValue
        }
    }
}

/// The documentation of one defense, generated into `regdrill defenses`.
public struct DefenseEntry: Sendable {
    public var id: String
    public var title: String
    public var whatItIs: String
    /// The registry rule ids (or engine rules for consumer controls) it brings into play.
    public var rules: [RuleID]
    public var parameters: String
    public var source: String
    public var setting: DefenseSetting
}

public enum DefenseCatalog {
    /// Every defense, each as the single setting that `regdrill explain` adds to the historical world.
    public static let entries: [DefenseEntry] = [
        DefenseEntry(id: "auth-only", title: "2FA, auth-only",
                     whatItIs: "Every account has a TOTP second factor in auth-only mode: asked at login, for any request made with the password, for account changes and for creating tokens (revoking them from Aug 2022).",
                     rules: [.twoFactorLogin, .twoFactorPasswordRequest, .twoFactorAccountChanges, .twoFactorTokenManagement], parameters: "mode: auth-only, factor: totp",
                     source: "docs.npmjs.com 'About two-factor authentication'", setting: .twoFactor(mode: .authOnly, factor: .totp)),
        DefenseEntry(id: "auth-and-writes", title: "2FA, auth-and-writes",
                     whatItIs: "Every account has a TOTP second factor in auth-and-writes mode: also asked for every publish and other write, even with a publish token.",
                     rules: [.twoFactorLogin, .twoFactorAccountChanges, .twoFactorTokenManagement, .twoFactorWrites], parameters: "mode: auth-and-writes, factor: totp",
                     source: "docs.npmjs.com 'About two-factor authentication'", setting: .twoFactor(mode: .authAndWrites, factor: .totp)),
        DefenseEntry(id: "security-key", title: "Security keys (phishing-resistant 2FA)",
                     whatItIs: "Every account's second factor is a security key, auth-and-writes: its signature is bound to the registry's origin, so a phishing proxy cannot relay it.",
                     rules: [.twoFactorLogin, .twoFactorWrites, .securityKeyWrongOrigin], parameters: "mode: auth-and-writes, factor: security-key",
                     source: "docs.npmjs.com 'Configuring two-factor authentication'; W3C WebAuthn §13.4.9", setting: .twoFactor(mode: .authAndWrites, factor: .securityKey)),
        DefenseEntry(id: "read-only-tokens", title: "Read-only tokens on developer machines",
                     whatItIs: "The tokens in developers' ~/.npmrc and environments are read-only (`npm token create --read-only`); only CI holds a publish token.",
                     rules: [.readOnlyToken], parameters: "none",
                     source: "docs.npmjs.com 'Creating and viewing access tokens'", setting: .readOnlyTokens),
        DefenseEntry(id: "cidr-tokens", title: "CIDR-limited tokens",
                     whatItIs: "Every token is limited to its machine's network (`npm token create --cidr=...`); a stolen token used from elsewhere is refused.",
                     rules: [.cidrMismatch], parameters: "prefix: 24 (the machine's /24)",
                     source: "docs.npmjs.com 'Creating and viewing access tokens'", setting: .cidrTokens(prefix: 24)),
        DefenseEntry(id: "granular-short-lived-tokens", title: "Granular, short-lived tokens",
                     whatItIs: "Every token is a granular token limited to the packages it is for and expiring after 7 days (the token on a machine was created at most half its lifetime before the attack).",
                     rules: [.tokenPackageScope, .tokenExpired], parameters: "lifetimeDays: 7",
                     source: "docs.npmjs.com 'About access tokens'", setting: .granularShortLivedTokens(lifetimeDays: 7)),
        DefenseEntry(id: "disallow-tokens", title: "Packages require 2FA and disallow tokens",
                     whatItIs: "Every package is set to 'Require two-factor authentication and disallow tokens': no token publishes, only an interactive publish with a second factor. Its maintainers therefore have 2FA (auth-only, a factor their era allows).",
                     rules: [.tokensDisallowed, .packageRequiresTwoFactor, .twoFactorPackagePublishing, .twoFactorLogin], parameters: "none",
                     source: "docs.npmjs.com 'Requiring 2FA for package publishing and settings modification'", setting: .disallowTokens),
        DefenseEntry(id: "trusted-publishing", title: "Trusted publishing (OIDC)",
                     whatItIs: "Packages with a repository publish only from their release workflow with short-lived OIDC credentials; CI holds no npm token; tokens are disallowed, as npm recommends, so their maintainers have 2FA (auth-only, a factor their era allows).",
                     rules: [.oidcPublishOnly, .oidcInvalid, .tokensDisallowed, .twoFactorLogin], parameters: "none",
                     source: "docs.npmjs.com 'Trusted publishing for npm packages'", setting: .trustedPublishing),
        DefenseEntry(id: "ignore-scripts", title: "Consumers ignore install scripts",
                     whatItIs: "Consumers install with --ignore-scripts: a malicious postinstall never runs, so it harvests nothing (the code can still run later when imported).",
                     rules: [.consumerIgnoreScripts], parameters: "none",
                     source: "docs.npmjs.com 'npm install' (--ignore-scripts)", setting: .ignoreScripts),
        DefenseEntry(id: "minimum-release-age", title: "Consumers wait before installing new versions",
                     whatItIs: "Consumers do not install a version until it is 24 hours old; most malicious versions are removed before that.",
                     rules: [.consumerMinimumReleaseAge], parameters: "hours: 24",
                     source: "pnpm 'minimumReleaseAge'; npm CLI 11.10 'min-release-age' (opt-in)", setting: .minimumReleaseAge(hours: 24)),
        DefenseEntry(id: "stage-only-tokens", title: "Stage-only tokens (staged publishing)",
                     whatItIs: "Every token that writes, on developers' machines and in CI, is a granular 'read and write (stage only)' token (npm, 10 Sep 2026): it uploads staged versions, which go live only when a maintainer approves them with 2FA. A stolen token publishes nothing.",
                     rules: [.stageOnlyToken, .twoFactorPromotion], parameters: "none",
                     source: "npm/documentation PR 2036; docs.npmjs.com 'Staged publishing'", setting: .stageOnlyTokens),
        DefenseEntry(id: "npm-client", title: "Consumers use npm 12 (install scripts off by default)",
                     whatItIs: "Every consumer machine runs npm 12 (released 8 Jul 2026): a dependency's install scripts run only if the project allows that package, so a malicious postinstall harvests nothing (its code can still run when imported). A machine's own `npmClient` says the same in a scenario.",
                     rules: [.consumerScriptsNotAllowed], parameters: "version: 12, allowScripts: []",
                     source: "npm CLI 12 changelog; GitHub changelog 2026-07-08", setting: .npmClient(major: 12, allowScripts: [])),
    ]

    public static func entry(_ id: String) -> DefenseEntry? { entries.first { $0.id == id } }

    /// Engine rules for consumer-side controls (the registry's rules are in `Rule.catalog`).
    public static let consumerRules: [(id: RuleID, defense: String, checks: String)] = [
        (.consumerIgnoreScripts, DefenseKind.ignoreScripts.rawValue, "An install with --ignore-scripts does not run the version's install scripts."),
        (.consumerMinimumReleaseAge, DefenseKind.minimumReleaseAge.rawValue, "A consumer with a minimum release age does not install a version younger than it."),
        (.consumerScriptsNotAllowed, DefenseKind.npmClient.rawValue, "npm 12 and later run a dependency's install scripts only when the project allows that package (allowScripts)."),
    ]
}
