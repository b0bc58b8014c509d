import DrillRegistry

/// An incident as data: the world it started from, what the attacker had, the steps, the goals, the lessons.
public struct Scenario: Sendable {
    public var id: String
    public var title: String
    /// The day of the incident: its registry era under the `historical` profile.
    public var date: RegistryEra
    public var summary: String
    public var references: [String]
    /// MITRE ATT&CK ids (T...) and supply-chain attack-tree ids (AV-...).
    public var techniques: [String]
    public var world: World
    public var attacker: Attacker
    public var steps: [Step]
    public var goals: [Goal]
    public var teaching: Teaching
    public var blastRadius: BlastRadiusInputs?
    /// The file it was loaded from.
    public var file: String
}

public struct World: Sendable {
    public var accounts: [AccountSpec]
    public var machines: [MachineSpec]
    public var packages: [PackageSpec]
    public var orgs: [OrgSpec]
    public var mailDomains: [MailDomainSpec]
}

public struct AccountSpec: Sendable {
    public var name: String
    public var email: String
    public var password: String
    /// The password is also used on a site whose database leaked.
    public var passwordReused: Bool
    public var twoFactor: TwoFactorMode
    /// Which factor the account uses when it has 2FA (profiles may change it).
    public var factor: SecondFactorKind
    /// `attacker` for accounts the attacker owns (an insider, a new maintainer they control).
    public var controlledBy: Controller
    public var position: SourcePosition

    public enum Controller: String, Sendable, CaseIterable { case owner, attacker }

    /// The domain of the account's address: whoever controls it reads the account's mail.
    public var mailDomain: String { Self.mailDomain(of: email) }

    /// The domain of an address (what follows its `@`).
    public static func mailDomain(of email: String) -> String { email.split(separator: "@").last.map(String.init) ?? "" }
}

/// A computer or CI system that holds tokens.
public struct MachineSpec: Sendable {
    public enum Kind: String, Sendable, CaseIterable { case laptop, ci }
    public var id: String
    public var kind: Kind
    public var owner: String
    /// The address its requests come from (used by CIDR allowlists).
    public var address: IPAddress
    public var tokens: [TokenSpec]
    /// For CI: the repository whose workflows run here.
    public var repository: String?
    /// The major version of the npm CLI that installs here; nil: one before npm 12, which runs install scripts.
    public var npmClient: Int?
    public var position: SourcePosition
    /// The logins still open on it (a browser's npm session, or npm's stored login).
    public var sessions: [SessionSpec] = []
    /// The packages its projects depend on, installed with their own dependencies; nil: every package of the world its
    /// owner does not maintain.
    public var installs: [String]? = nil

    /// The tokens a harvesting install script finds when it runs here: those in ~/.npmrc and the environment, and CI
    /// secrets only on CI (where the workflow's environment holds them). The static checks and the replay both ask this.
    public var tokensAnInstallExposes: [TokenSpec] { tokens.filter { $0.location != .ciSecret || kind == .ci } }

    /// The open logins a harvesting install script finds here: npm's stored login in ~/.npmrc (from 9 Dec 2025 a
    /// session token, before a classic token). A browser's cookies are an info-stealer's, not an install script's [I].
    public var sessionsAnInstallExposes: [SessionSpec] { sessions.filter { $0.location == .npmrc } }
}

public struct TokenSpec: Sendable {
    public enum Location: String, Sendable, CaseIterable { case npmrc, environment, ciSecret = "ci-secret" }
    public var id: String
    public var kind: TokenKind
    public var location: Location
    /// The account the token belongs to (defaults to the machine's owner).
    public var owner: String
    /// Packages a granular token is limited to.
    public var packages: [String]
    public var bypassTwoFactor: Bool
    /// How long before the first step the token was created.
    public var createdDaysBefore: Int
    public var position: SourcePosition
    /// When it was created, when the file says so (else `createdDaysBefore` days before the world's start).
    public var created: Int64? = nil
    /// When it expires; nil: never (unless a profile makes it short-lived).
    public var expires: Int64? = nil
}

/// A login an account made on a machine that is still open there: the browser's npm session or npm's stored login.
/// What it is depends on the era: before 9 Dec 2025 a login left a token that never expires; from then a 2-hour session.
public struct SessionSpec: Sendable {
    /// Where an open login lives on its machine.
    public enum Location: String, Sendable, CaseIterable { case browser, npmrc }
    public var id: String
    /// The account logged in (defaults to the machine's owner).
    public var account: String
    /// When the login happened.
    public var started: Int64
    /// The holder ticked "skip 2FA for the next 5 minutes" at the login's 2FA prompt (from 11 Feb 2026 the session
    /// then stands for a second factor for five minutes).
    public var skippedTwoFactor: Bool
    /// A browser's cookie, or npm's stored login in ~/.npmrc (which a harvesting install script reads as it reads tokens).
    public var location: Location = .browser
    public var position: SourcePosition
}

public struct PackageSpec: Sendable {
    public var name: String
    public var maintainers: [String]
    public var versions: [String]
    public var weeklyDownloads: Int
    public var publishing: PublishingPolicy
    /// `owner/repo` of its source, and the workflow that releases it (for trusted publishing).
    public var repository: String?
    public var releaseWorkflow: String?
    public var trustedPublisher: Bool
    public var position: SourcePosition
    /// The packages of the world its versions depend on (by name: a dependent's range takes the dependency's latest
    /// version, as a caret range takes a new patch release).
    public var dependencies: [String] = []
}

public struct OrgSpec: Sendable {
    public var name: String
    public var members: [String]
    public var requiresTwoFactor: Bool
    public var position: SourcePosition
}

public struct MailDomainSpec: Sendable {
    public var domain: String
    /// When the registration lapsed (anyone can buy it after that).
    public var expires: Int64?
    public var position: SourcePosition
}

public struct Attacker: Sendable {
    public var address: IPAddress
    /// Accounts whose passwords the attacker holds at the start (besides what steps acquire).
    public var knowsPasswords: [String]
    /// World tokens the attacker holds at the start.
    public var holdsTokens: [String]
}

/// Who performs a step.
public enum StepActor: Sendable, Equatable {
    case attacker
    case account(String)
    case staff
    case consumers
}

/// Which credential a step presents.
public enum CredentialRef: Sendable, Equatable {
    /// The password of the account the step acts as (the attacker must have acquired it).
    case password
    /// A token or session produced by an earlier step (login or create-token), by step id.
    case step(String)
    /// A token of the world (on a machine or in CI), by token id.
    case token(String)
    /// Every token the attacker has harvested so far (each is tried).
    case harvested
}

/// What a step does.
public enum Action: Sendable {
    // Acquiring credentials
    case reuseBreachedPassword(account: String)
    case phish(account: String, origin: String, minutes: Int)
    case stealToken(token: String)
    case stealSession(session: String)
    case compromiseCI(machine: String, package: String?)
    case buyExpiredDomain(domain: String)
    case resetPassword(account: String)
    // Registry operations
    case login(account: String)
    case createAccount(account: String, email: String, password: String)
    case createToken(account: String, using: CredentialRef, kind: TokenKind, readOnly: Bool, cidr: [String], packages: [String], bypassTwoFactor: BypassRequest, lifetimeDays: Int?)
    case publish(package: String, version: String, using: CredentialRef, release: Release)
    case unpublish(package: String, version: String?, using: CredentialRef)
    case deprecate(package: String, message: String, using: CredentialRef)
    case distTag(package: String, tag: String, version: String, using: CredentialRef)
    case addOwner(package: String, user: String, using: CredentialRef)
    case removeOwner(package: String, user: String, using: CredentialRef)
    case changeEmail(account: String, email: String, using: CredentialRef)
    case changePassword(account: String, newPassword: String, using: CredentialRef)
    case enableTwoFactor(account: String, mode: TwoFactorMode, using: CredentialRef)
    case disableTwoFactor(account: String, using: CredentialRef)
    case deleteAccount(account: String, using: CredentialRef)
    case setPublishing(package: String, policy: PublishingPolicy, using: CredentialRef)
    case revokeToken(token: String, using: CredentialRef)
    case removeDistTag(package: String, tag: String, using: CredentialRef)
    case setAccess(package: String, isPublic: Bool, using: CredentialRef)
    case setTrustedPublisher(package: String, repository: String?, workflow: String?, using: CredentialRef)
    case createOrg(org: String, using: CredentialRef)
    case addOrgMember(org: String, user: String, using: CredentialRef)
    case orgRequireTwoFactor(org: String, required: Bool, using: CredentialRef)
    case mintOIDC(package: String, machine: String)
    case publishWithOIDC(package: String, version: String, mintedBy: String, release: Release)
    case promote(package: String, version: String, using: CredentialRef)
    // Consumers
    case install(package: String, version: String?, consumers: [String])
    case wormSpread(generations: Int)
    // Registry staff
    case staffRevokeTokens(createdBefore: Int64, accounts: [String]?)
    case staffRemoveVersion(package: String, version: String)

    /// The account whose password this step hands its actor (a breach reused, a phishing page, a reset through mail
    /// they read); nil for every other action. The static checks and the replay both ask this.
    public var passwordAcquired: String? {
        switch self {
        case .reuseBreachedPassword(let a), .phish(let a, _, _), .resetPassword(let a): a
        default: nil
        }
    }
}

/// What a publish step does when the registry refuses the direct publish and asks for staging (`E_STAGE_REQUIRED`).
public enum PublishFallback: String, Sendable, CaseIterable {
    /// Nothing: the step is refused.
    case none
    /// Stages the version instead (`npm stage publish`): it waits, unseen by installs, until a maintainer promotes it.
    case stage
}

/// When a published version's code runs on a consumer's machine.
public enum CodeTrigger: String, Sendable, CaseIterable {
    /// At install, from a lifecycle script (preinstall, install, postinstall): what --ignore-scripts and npm 12's
    /// default stop.
    case install
    /// When the consumer's code imports or requires it: no script, so the install-script defenses do not apply.
    case onImport = "import"
}

/// What a published version does when installed.
public enum Payload: String, Sendable, CaseIterable {
    /// A legitimate release.
    case none
    /// Sends the installer's npm tokens (~/.npmrc, environment) to the attacker.
    case harvestTokens = "harvest-tokens"
    /// Steals other secrets or money (wallet keys, crypto-clipper, miner, sabotage): harms consumers, spreads no further.
    case malware
    /// Harvests tokens and republishes itself with them (Shai-Hulud).
    case worm

    /// Whether installing it sends the installer's npm tokens to the attacker.
    public var harvestsTokens: Bool { self == .harvestTokens || self == .worm }
}

/// What a publish step puts out, whoever presents which credential: the version's code and when it runs, its lifecycle
/// scripts and dependencies, and what the publisher does when the registry asks for staging.
public struct Release: Sendable, Equatable {
    public var payload: Payload
    /// Lifecycle scripts of the version's package.json, by name; none: a payload that runs at install gets a postinstall.
    public var installScripts: [String: String]
    public var runs: CodeTrigger
    public var fallback: PublishFallback
    /// The version's dependencies; nil: those of the package's latest version.
    public var dependencies: [String]?

    public init(payload: Payload, installScripts: [String: String] = [:], runs: CodeTrigger = .install, fallback: PublishFallback = .none,
                dependencies: [String]? = nil) {
        self.payload = payload; self.installScripts = installScripts; self.runs = runs; self.fallback = fallback; self.dependencies = dependencies
    }
}

public struct Step: Sendable {
    public var id: String
    public var at: Int64
    public var actor: StepActor
    public var action: Action
    /// The account whose password a `using: password` step presents (defaults to the action's account or the actor).
    public var account: String?
    public var narrative: String
    public var position: SourcePosition
    /// A publish that means to create a package the world does not have (`newPackage: true`); without it, validation
    /// warns, since a typo in `package` would silently create one.
    public var createsPackage = false
}

public struct Goal: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        /// A malicious version of one of `packages` is published.
        case publishMalicious = "publish-malicious"
        /// The attacker logs in as `account`.
        case takeOverAccount = "take-over-account"
        /// The attacker ends up holding npm tokens of other people.
        case harvestTokens = "harvest-tokens"
        /// One of `packages`, or a version of it, is gone: the attacker unpublished it.
        case packageUnavailable = "package-unavailable"
        /// The maintainers of one of `packages` changed at the attacker's hand, or a rightful maintainer is locked out.
        case ownershipChanged = "ownership-changed"
        /// The attacker changed `account`'s email, password or second factor.
        case accountControl = "account-control"
    }
    public var id: String
    public var kind: Kind
    public var packages: [String]
    public var account: String?
    public var description: String
    public var position: SourcePosition
}

public struct Teaching: Sendable {
    public var hints: [String]
    public var whatHappened: String
    public var remediation: [String]
}

/// Figures for the blast-radius estimate; every estimate names these inputs.
public struct BlastRadiusInputs: Sendable {
    /// Hours a malicious version stayed live in reality (when no step removes it).
    public var hoursLive: Double?
    /// Tokens exposed in reality (e.g. "approximately 4,500").
    public var tokensExposed: Int?
    public var note: String?
}

/// What a create-token step asks for in the bypass-2FA flag: yes or no, or the flag wherever the era has it.
public enum BypassRequest: Sendable, Equatable, ExpressibleByBooleanLiteral {
    case flag(Bool)
    /// The flag where the era has it (from 5 Nov 2025, GitHub changelog 2025-11-05), and no flag before, where asking
    /// for one is refused: before then a granular write token published without 2FA anyway (changelog 2023-03-21).
    case whenAvailable

    public init(booleanLiteral value: Bool) { self = .flag(value) }

    /// Whether the request asks for the flag in `era`.
    public func asksForFlag(in era: RegistryEra) -> Bool {
        switch self {
        case .flag(let asks): asks
        case .whenAvailable: era.has(.bypassTwoFactorFlag)
        }
    }

    /// The words `bypass2fa` takes besides true and false.
    public enum Word: String, Sendable, CaseIterable, Meaningful {
        case whenAvailable = "when-available"

        public var meaning: String {
            switch self {
            case .whenAvailable: "the flag where the date's registry has it (from 5 Nov 2025), none before"
            }
        }
    }
}

extension Action {
    /// Whether this step stages `package`@`version` where the registry refuses to publish it directly.
    public func mayStage(package: String, version: String) -> Bool {
        switch self {
        case .publish(let p, let v, _, let release), .publishWithOIDC(let p, let v, _, let release):
            release.fallback == .stage && p == package && v == version
        default: false
        }
    }
}
