import DrillRegistry

/// Every defense a profile file can switch on, by the id the file gives it. Declared once: ``ProfileLoader`` reads
/// each by its declaration, and the JSON Schema and docs/format.md are written from it.
public enum DefenseKind: String, Sendable, CaseIterable {
    case twoFactor = "two-factor"
    case readOnlyTokens = "read-only-tokens"
    case cidrTokens = "cidr-tokens"
    case granularShortLivedTokens = "granular-short-lived-tokens"
    case disallowTokens = "disallow-tokens"
    case trustedPublishing = "trusted-publishing"
    case ignoreScripts = "ignore-scripts"
    case minimumReleaseAge = "minimum-release-age"
    case npmClient = "npm-client"
    case stageOnlyTokens = "stage-only-tokens"

    public struct Declaration: Sendable {
        public let meaning: String
        /// Its parameters (besides `id`).
        public let fields: [Field]
        /// The example the reference shows, as YAML lines after `id`; a test loads each one.
        public let example: [String]
    }

    public var declaration: Declaration {
        switch self {
        case .twoFactor:
            Declaration(meaning: "Every account enrolls a second factor in `mode` (`disabled` strips 2FA from every account: the no-2fa profile).",
                        fields: [Field("mode", .choice(Choice("twoFactorMode", TwoFactorMode.self)), required: true, "What the second factor guards; disabled strips 2FA from every account."),
                                 Field("factor", .choice(Choice("secondFactorKind", SecondFactorKind.self)), absent: "totp", "Which second factor.")],
                        example: ["mode: auth-and-writes", "factor: security-key"])
        case .readOnlyTokens:
            Declaration(meaning: "Tokens on developer machines are read-only (CI keeps its publish token).", fields: [], example: [])
        case .cidrTokens:
            Declaration(meaning: "Every token is limited to its machine's network.",
                        fields: [Field("prefix", .whole(8...32), absent: "24", "The prefix length of the network each token is limited to.")], example: ["prefix: 24"])
        case .granularShortLivedTokens:
            Declaration(meaning: "Tokens are granular: limited to the packages they are for, and expiring.",
                        fields: [Field("lifetimeDays", .whole(1...365), absent: "7", "Days from a token's creation to its expiry.")], example: ["lifetimeDays: 7"])
        case .disallowTokens:
            Declaration(meaning: "Every package requires 2FA and disallows tokens.", fields: [], example: [])
        case .trustedPublishing:
            Declaration(meaning: "Packages with a repository publish only through their release workflow (OIDC); CI holds no npm token; tokens are disallowed.",
                        fields: [], example: [])
        case .ignoreScripts:
            Declaration(meaning: "Consumers install with --ignore-scripts: install scripts never run.", fields: [], example: [])
        case .minimumReleaseAge:
            Declaration(meaning: "Consumers do not install versions younger than `hours`.",
                        fields: [Field("hours", .whole(1...8_760), absent: "24", "The youngest version a consumer installs, in hours.")], example: ["hours: 24"])
        case .npmClient:
            Declaration(meaning: "Every consumer machine runs this npm major; from npm 12 (8 Jul 2026) a dependency's install scripts run only for the packages the project allows.",
                        fields: [Field("version", .whole(1...99), absent: "12", "The npm major every consumer machine runs."),
                                 Field("allowScripts", .list(.packageName, maxItems: 1_000), absent: "none", "Packages whose install scripts the projects allow.")],
                        example: ["version: 12", "allowScripts: [esbuild]"])
        case .stageOnlyTokens:
            Declaration(meaning: "Every token that writes, on laptops and in CI, is a granular 'read and write (stage only)' token: a version goes live only when a maintainer promotes it with 2FA.",
                        fields: [], example: [])
        }
    }
}

extension DefenseSetting {
    /// The kind of this setting, by which profile files name it.
    public var kind: DefenseKind {
        switch self {
        case .twoFactor: .twoFactor
        case .readOnlyTokens: .readOnlyTokens
        case .cidrTokens: .cidrTokens
        case .granularShortLivedTokens: .granularShortLivedTokens
        case .disallowTokens: .disallowTokens
        case .trustedPublishing: .trustedPublishing
        case .ignoreScripts: .ignoreScripts
        case .minimumReleaseAge: .minimumReleaseAge
        case .npmClient: .npmClient
        case .stageOnlyTokens: .stageOnlyTokens
        }
    }
}

/// The profile format's declaration.
public enum ProfileFormat {
    /// A defense of one kind: its `id`, then its parameters.
    public static func defense(_ kind: DefenseKind) -> Shape {
        Shape(name: "defense-\(kind.rawValue)", title: "\(kind.rawValue) defense", context: "a defense", meaning: kind.declaration.meaning,
              fields: [idField] + kind.declaration.fields)
    }

    static let idField = Field("id", .choice(Choice("defenseKind", DefenseKind.allCases.map { (value: $0.rawValue, meaning: $0.declaration.meaning) },
                                                            documentedApart: "a defense")),
                               required: true, "Which defense.")

    /// A defense whose id is not known yet (or not known at all): it may carry any parameter some defense takes.
    public static let anyDefense = Shape(name: "defense", title: "defense", context: "a defense", meaning: "One defense with its parameters; the keys it takes depend on its id.",
                                         common: [idField], key: "id", kinds: DefenseKind.allCases.map { (value: $0.rawValue, shape: defense($0)) })

    public static let profile = Shape(name: "profile", title: "profile", context: "the profile", meaning: "A named set of defenses, switched on for a scenario's world before it is replayed.", fields: [
        Field("id", .name, required: true, "The profile's id, by which the command line names it."),
        Field("title", .name, required: true, "Its title."),
        Field("description", .text, "What it stands for."),
        Field("era", .era, absent: "scenario", "Whose rules apply: `scenario` for the scenario's own date, or a day whose registry rules apply."),
        Field("defenses", .objects(anyDefense, minItems: 0, maxItems: 10_000), absent: "none", "The defenses it switches on."),
    ])

    /// The example the reference shows.
    public static let example = """
    id: keys-and-cidr
    title: Security keys and CIDR-limited tokens
    description: Every account has a security key; every token works only from its machine's network.
    era: scenario
    defenses:
      - { id: two-factor, mode: auth-and-writes, factor: security-key }
      - { id: cidr-tokens, prefix: 24 }

    """
}
