/// Every kind of request the registry answers; the policy decides on these.
public enum OperationKind: String, Sendable, Codable, CaseIterable {
    case createAccount = "create-account"
    case login
    case requestPasswordReset = "request-password-reset"
    case completePasswordReset = "complete-password-reset"
    case readProfile = "read-profile"
    case changeEmail = "change-email"
    case changePassword = "change-password"
    /// Deleting one's own account, on the website (npm/documentation, "Deleting your npm user account").
    case deleteAccount = "delete-account"
    case enableTwoFactor = "enable-2fa"
    case changeTwoFactorMode = "change-2fa-mode"
    case disableTwoFactor = "disable-2fa"
    case addSecurityKey = "add-security-key"
    case createToken = "create-token"
    case listTokens = "list-tokens"
    case revokeToken = "revoke-token"
    case publish
    /// Uploads a version that stays staged, unseen, until a maintainer promotes it (from 20 May 2026).
    case stagePublish = "stage"
    /// Makes a staged version live: an interactive 2FA approval.
    case promoteStaged = "promote-staged"
    case unpublish
    case deprecate
    case setDistTag = "dist-tag-add"
    case removeDistTag = "dist-tag-rm"
    case addOwner = "owner-add"
    case removeOwner = "owner-rm"
    case changePublishingPolicy = "change-publishing-setting"
    case setTrustedPublisher = "set-trusted-publisher"
    case setAccess = "set-access"
    case readPackage = "read-package"
    case download
    case createOrg = "create-org"
    case changeOrgPolicy = "change-org-policy"
    case addOrgMember = "org-add-member"
    case logout

    /// Writes to a package: what auth-and-writes guards and tokens' permissions limit.
    public var isPackageWrite: Bool {
        switch self {
        case .publish, .stagePublish, .promoteStaged, .unpublish, .deprecate, .setDistTag, .removeDistTag, .addOwner, .removeOwner,
             .changePublishingPolicy, .setTrustedPublisher, .setAccess: true
        default: false
        }
    }

    /// Changes to the account itself: what auth-only guards (with login). Deleting the account is the largest of them
    /// [I]: npm's page on it names no factor, but its website asks for the second factor before its other account
    /// settings, and a deletion also unpublishes and deprecates packages.
    public var isAccountChange: Bool {
        switch self {
        case .changeEmail, .changePassword, .enableTwoFactor, .changeTwoFactorMode, .disableTwoFactor, .addSecurityKey, .deleteAccount: true
        default: false
        }
    }

    public var isTokenManagement: Bool { self == .createToken || self == .revokeToken }

    /// What a read-only account may not do: anything that "could affect the registry or the account's security -
    /// such as publishing, managing tokens, changing package visibility, or modifying org and team membership"
    /// (GitHub changelog 2026-06-25): every package write, token management, organisation changes, and [I] the
    /// account's own security settings. Reads and logging in stay open.
    public var pausedWhileReadOnly: Bool {
        isPackageWrite || isTokenManagement || isOrgChange || self == .createOrg || isAccountChange
    }

    /// Uploads a version: a publish, or a staged publish. Either may create the package.
    public var isRelease: Bool { self == .publish || self == .stagePublish }

    /// Changes made on a package's settings page: what needs 2FA for everyone from 10 Dec 2025.
    public var isPackageSettingsChange: Bool { self == .changePublishingPolicy || self == .setTrustedPublisher || self == .setAccess }

    public var isOrgChange: Bool { self == .changeOrgPolicy || self == .addOrgMember }

    /// What a maintainer of a high-impact package without 2FA may not do until they set it up (from Feb 2022): npm
    /// names "changing their email address or adding new maintainers" [F]; the password, removing maintainers, a
    /// package's settings and creating tokens follow as actions of the same weight [I]. Publishing goes on.
    public var waitsForMandatoryTwoFactor: Bool {
        switch self {
        case .changeEmail, .changePassword, .addOwner, .removeOwner, .createToken, .changePublishingPolicy, .setTrustedPublisher, .setAccess: true
        default: false
        }
    }

    /// What bypass-2FA tokens may do only after an interactive 2FA challenge from 31 Jul 2026: tokens (creating and
    /// deleting), the profile, password, email and 2FA, a package's access, maintainers and trusted publisher, and org
    /// and team governance. Publishing and the other package actions stay open to them.
    public var isBarredForBypassTokens: Bool {
        isAccountChange || isTokenManagement || isOrgChange || self == .createOrg
            || self == .addOwner || self == .removeOwner || self == .setAccess || self == .setTrustedPublisher
    }

    /// Requests that need no credential at all.
    public var isAnonymous: Bool {
        switch self {
        case .createAccount, .requestPasswordReset, .completePasswordReset, .readPackage, .download: true
        default: false
        }
    }

    /// Any request that changes state (for read-only tokens).
    public var isWrite: Bool {
        isPackageWrite || isAccountChange || isTokenManagement || isOrgChange || self == .createOrg
    }
}

/// How the request authenticated, once the registry has looked the credential up.
public enum AuthenticationFact: Sendable, Equatable {
    case anonymous
    case unknownAccount
    case password(verified: Bool)
    /// A password sent after too many wrong ones (``PolicyParameters/passwordFailureWindow``): not checked at all.
    case passwordThrottled
    case unknownBearer
    case token(TokenFact)
    case oidc(OIDCFact)
}

/// What the registry knows about a presented token (classic, granular or session).
public struct TokenFact: Sendable, Equatable {
    public var kind: TokenKind
    public var permission: TokenPermission
    public var packages: [String]
    public var scopes: [String]
    public var bypassTwoFactor: Bool
    public var created: Int64
    public var expires: Int64?
    public var revoked: Int64?
    /// Whether the source address is inside the allowlist; nil when the token has none.
    public var sourceInsideAllowlist: Bool?

    public init(kind: TokenKind, permission: TokenPermission, packages: [String] = [], scopes: [String] = [],
                bypassTwoFactor: Bool = false, created: Int64, expires: Int64? = nil, revoked: Int64? = nil, sourceInsideAllowlist: Bool? = nil) {
        self.kind = kind; self.permission = permission; self.packages = packages; self.scopes = scopes
        self.bypassTwoFactor = bypassTwoFactor; self.created = created; self.expires = expires; self.revoked = revoked
        self.sourceInsideAllowlist = sourceInsideAllowlist
    }

    /// The last moment the token works in `era`: its own expiry, except that on 5 Nov 2025 npm capped the granular write
    /// tokens made before then to 3 Feb 2026 (GitHub changelog 2025-11-05). Sessions have their own rule; nil: never.
    public func effectiveExpiry(in era: RegistryEra) -> Int64? {
        guard kind != .session else { return nil }
        let capDay = RuleChange.bypassTwoFactorFlag.effective.startOfDay
        guard kind == .granular, permission == .readWrite, era.has(.bypassTwoFactorFlag), created < capDay else { return expires }
        let cap = TokenFact.writeTokenCap
        return min(expires ?? cap, cap)
    }

    /// 3 Feb 2026, 00:00 UTC: the latest expiry of a granular write token made before 5 Nov 2025.
    static let writeTokenCap: Int64 = (try! RegistryEra("2026-02-03")).startOfDay

    /// Whether a granular token's package and scope limits cover `package`.
    public func covers(package: String) -> Bool {
        guard kind == .granular, !(packages.isEmpty && scopes.isEmpty) else { return true }
        if packages.contains(package) { return true }
        if let scope = PackageName.scope(of: package), scopes.contains(scope) { return true }
        return false
    }
}

/// What the registry knows about a presented OIDC credential.
public struct OIDCFact: Sendable, Equatable {
    public var known: Bool
    public var expired: Bool
    public var used: Bool
    public var boundPackage: String
    /// Whether the credential's repository and workflow match the package's trusted publisher now.
    public var matchesTrustedPublisher: Bool
    /// What the publishers that accept it allow (``TrustedAction``).
    public var allowedActions: Set<TrustedAction> = [.publish, .stage]
}

/// The result of checking a presented second factor (before the policy decides whether it was needed).
public enum SecondFactorFact: Sendable, Equatable {
    case none
    case verified(SecondFactorEvidence)
    case wrongCode
    case reusedCode
    case wrongOrigin(String)
    case usedRecoveryCode
    case notEnrolled
    case rateLimited
}

public enum SecondFactorEvidence: String, Sendable, Equatable {
    case totp, securityKey = "security-key", recoveryCode = "recovery-code", emailCode = "email-code"
    /// No factor with this request: the session's "skip 2FA for the next 5 minutes" grace stands for one.
    case recentApproval = "recent-approval"
}

/// The account behind the request, as the policy needs it.
public struct AccountFact: Sendable, Equatable {
    public var name: String
    public var twoFactorMode: TwoFactorMode
    public var secondFactorKind: SecondFactorKind?
    public var inOrgRequiringTwoFactor: Bool
    public var isStaff: Bool
    /// Whether the account maintains at least one package: enhanced login verification reached publishers first.
    public var isPublisher: Bool
    /// The most weekly downloads of any package the account maintains: what makes it a high-impact account.
    public var largestWeeklyDownloads: Int
    /// The end of the account's read-only period, if one was started (``PolicyParameters/highImpactReadOnlySeconds``).
    public var readOnlyUntil: Int64?
    public init(name: String, twoFactorMode: TwoFactorMode, secondFactorKind: SecondFactorKind?, inOrgRequiringTwoFactor: Bool = false,
                isStaff: Bool = false, isPublisher: Bool = false, largestWeeklyDownloads: Int = 0, readOnlyUntil: Int64? = nil) {
        self.name = name; self.twoFactorMode = twoFactorMode; self.secondFactorKind = secondFactorKind
        self.inOrgRequiringTwoFactor = inOrgRequiringTwoFactor; self.isStaff = isStaff; self.isPublisher = isPublisher
        self.largestWeeklyDownloads = largestWeeklyDownloads; self.readOnlyUntil = readOnlyUntil
    }
    public var hasTwoFactor: Bool { twoFactorMode != .disabled }
}

/// The package a request targets.
public struct PackageFact: Sendable, Equatable {
    public var name: String
    public var exists: Bool
    public var actorIsMaintainer: Bool
    public var policy: PublishingPolicy
    public var orgRequiresTwoFactor: Bool
    /// For dist-tag requests: whether the tag is `latest` (npm exempts other tags from auth-and-writes).
    public var tagIsLatest: Bool
    /// For unpublish: the version's age in seconds, and whether the package meets the late-unpublish conditions.
    public var versionAge: Int64?
    public var meetsLateUnpublishConditions: Bool
    /// For a package that does not exist: when a package of that name was last unpublished whole.
    public var unpublishedAt: Int64?
    /// For unpublish: whether another package's version depends on this package.
    public var hasDependents: Bool
    /// For a package that does not exist: who owns its scope, as seen from the actor.
    public var scopeOwnership: ScopeOwnership
    /// For an unscoped package that does not exist: an existing package whose name is the same once punctuation
    /// (`.`, `-`, `_`) and case are set aside (``PackageName/squashed(_:)``).
    public var similarExistingName: String?

    public init(name: String, exists: Bool = true, actorIsMaintainer: Bool = true, policy: PublishingPolicy = .twoFactorNotRequired,
                orgRequiresTwoFactor: Bool = false, tagIsLatest: Bool = true,
                versionAge: Int64? = nil, meetsLateUnpublishConditions: Bool = false, unpublishedAt: Int64? = nil,
                scopeOwnership: ScopeOwnership = .unscoped, similarExistingName: String? = nil, hasDependents: Bool = false) {
        self.name = name; self.exists = exists; self.actorIsMaintainer = actorIsMaintainer; self.policy = policy
        self.orgRequiresTwoFactor = orgRequiresTwoFactor; self.tagIsLatest = tagIsLatest
        self.versionAge = versionAge; self.meetsLateUnpublishConditions = meetsLateUnpublishConditions; self.unpublishedAt = unpublishedAt
        self.scopeOwnership = scopeOwnership; self.similarExistingName = similarExistingName; self.hasDependents = hasDependents
    }
}

/// Who may create packages in the scope of a new package's name, from the actor's side.
///
/// npm: "Each npm user/organization has their own scope, and only you can add packages in your scope"
/// (docs.npmjs.com 'About scopes'); every member of an organisation may create packages in its scope
/// (docs.npmjs.com 'Organization roles and permissions'); the `@npm` scope is npm's own.
public enum ScopeOwnership: String, Sendable, Equatable {
    /// The name has no scope.
    case unscoped
    /// The actor's own user scope, or the scope of an organisation the actor belongs to.
    case actor
    /// A user or organisation the actor is not.
    case another
    /// No user or organisation has this name.
    case nobody
    /// A scope the registry keeps for itself (``PackageName/reservedScopes``).
    case registry
}

/// Everything the policy decides on. The registry gathers these facts; the policy only reads them.
public struct RequestFacts: Sendable, Equatable {
    public var operation: OperationKind
    public var era: RegistryEra
    public var now: Int64
    public var parameters: PolicyParameters
    public var authentication: AuthenticationFact
    public var account: AccountFact?
    public var secondFactor: SecondFactorFact
    public var package: PackageFact?
    /// Whether a valid emailed login code was presented (with a login or any other password request).
    public var emailCodeVerified: Bool
    /// For token creation: what is asked for.
    public var requestedToken: TokenRequest?
    /// For an organisation's 2FA setting: whether the request turns it on.
    public var turnsOnOrgTwoFactor: Bool
    /// For a change of a package's trusted publishers: what it adds and how many remain.
    public var trustedPublisherChange: TrustedPublisherChange?
    /// For a release: whether the version declares dual-use content.
    public var releaseDeclaresDualUse: Bool = false
    /// For token creation: how many granular tokens the account holds that still work.
    public var liveGranularTokens: Int = 0
    /// For a change of a package's publishing setting: the setting asked for.
    public var requestedPolicy: PublishingPolicy?

    public init(operation: OperationKind, era: RegistryEra, now: Int64, parameters: PolicyParameters = .init(),
                authentication: AuthenticationFact, account: AccountFact? = nil, secondFactor: SecondFactorFact = .none,
                package: PackageFact? = nil, emailCodeVerified: Bool = false, requestedToken: TokenRequest? = nil,
                turnsOnOrgTwoFactor: Bool = false, trustedPublisherChange: TrustedPublisherChange? = nil) {
        self.operation = operation; self.era = era; self.now = now; self.parameters = parameters
        self.authentication = authentication; self.account = account; self.secondFactor = secondFactor
        self.package = package; self.emailCodeVerified = emailCodeVerified
        self.requestedToken = requestedToken; self.turnsOnOrgTwoFactor = turnsOnOrgTwoFactor
        self.trustedPublisherChange = trustedPublisherChange
    }

    public var token: TokenFact? { if case .token(let t) = authentication { t } else { nil } }
    public var oidc: OIDCFact? { if case .oidc(let o) = authentication { o } else { nil } }
}

/// A change of a package's trusted publishers, as the policy judges it.
public struct TrustedPublisherChange: Sendable, Equatable {
    /// The CI provider of the publisher it adds; nil when it only removes.
    public var adding: CIProvider?
    /// How many trusted publishers the package has afterwards.
    public var connectionsAfter: Int
    /// Whether the publisher it adds may not publish directly (stage only).
    public var addsStageOnly: Bool
    /// Whether it replaces an existing connection with a different one (an edit).
    public var editsExisting: Bool
    public init(adding: CIProvider?, connectionsAfter: Int, addsStageOnly: Bool = false, editsExisting: Bool = false) {
        self.adding = adding; self.connectionsAfter = connectionsAfter; self.addsStageOnly = addsStageOnly; self.editsExisting = editsExisting
    }
}

/// Registry-wide knobs of the rules. Documented defaults come from npm's docs; undocumented ones are marked [I].
public struct PolicyParameters: Sendable, Equatable, Codable {
    /// How long a revoked token stays valid from the registry's cache; nil: the era's (``revokedTokenGrace(in:)``).
    public var revokedTokenGraceSeconds: Int64? = nil
    /// Login sessions (from Dec 2025) last this long. npm changelog 2025-12-09: 2 hours.
    public var loginSessionLifetime: Int64 = 7_200
    /// TOTP codes are accepted this many 30-second steps either side of now (RFC 6238 §5.2 recommends 1).
    public var otpWindowSteps: Int = 1
    /// Wrong second-factor codes allowed per account within `otpRateLimitWindow` before refusing all [I].
    public var otpRateLimitAttempts: Int = 5
    public var otpRateLimitWindow: Int64 = 900
    /// Wrong passwords counted within this window, in seconds, for the limits below [I].
    public var passwordFailureWindow: Int64 = 900
    /// Wrong passwords for one account from one source address before its passwords from there are no longer checked [I].
    public var passwordFailuresPerAccountFromSource: Int = 10
    /// Wrong passwords for one account from anywhere: NIST SP 800-63B §5.2.2 allows at most 100 consecutive failures.
    public var passwordFailuresPerAccount: Int = 100
    /// Wrong passwords from one source address for any accounts (spraying) [I: generous, for a classroom behind one
    /// address].
    public var passwordFailuresPerSource: Int = 300
    /// Emailed login codes expire after this long [I: npm does not publish the figure].
    public var emailCodeLifetime: Int64 = 600
    /// OIDC publishing credentials live this long [I: npm documents "short-lived"].
    public var oidcCredentialLifetime: Int64 = 900
    /// From Nov 2025: new write tokens default to 7 days and may live at most 90.
    public var writeTokenDefaultLifetime: Int64 = 7 * 86_400
    public var writeTokenMaximumLifetime: Int64 = 90 * 86_400
    /// Whether an automation token runs owner add/rm and dist-tag changes without a code [I: undocumented; default allowed].
    public var automationTokensSkipCodeForOwnersAndTags: Bool = true
    /// Whether emailed login codes are sent to accounts without 2FA, in eras that have them.
    public var emailedLoginCodes: Bool = true
    /// Whether a publisher without 2FA counts as enrolled in enhanced login verification during its staged roll-out
    /// (7 Dec 2021 to 3 Jan 2022) [I: npm enrolled publishers in waves and did not say who was when]. Default off: a
    /// defense is credited only from the day it covered everyone it was meant for (4 Jan 2022).
    public var stagedLoginVerificationCoversPublishers: Bool = false
    /// A package with more weekly downloads than this is high-impact (github.blog 2022-02-01: "more than 1 million
    /// weekly downloads or 500 dependents"; the registry does not count dependents yet).
    public var highImpactWeeklyDownloads: Int = 1_000_000
    /// A package with at least this many weekly downloads counts as one of the top 100 that needed 2FA from 1 Feb
    /// 2022 [I: npm ranked the top 100 by dependents, which a simulated world cannot rank; 20M a week stands in].
    public var topHundredWeeklyDownloads: Int = 20_000_000
    /// How long a high-impact account stays read-only after an email change or a recovery-code use (GitHub changelog
    /// 2026-06-25: 72 hours).
    public var highImpactReadOnlySeconds: Int64 = 72 * 3_600
    /// How long the website's "skip 2FA" lasts (npm/documentation 90be62d0: "for the next 5 minutes").
    public var secondFactorGraceSeconds: Int64 = 300

    public init() {}

    /// Whether an account whose most downloaded package has `weeklyDownloads` a week is high-impact: "more than 1
    /// million weekly downloads or 500 dependents" (dependents are not counted yet).
    public func isHighImpact(weeklyDownloads: Int) -> Bool { weeklyDownloads > highImpactWeeklyDownloads }

    /// Whether npm requires 2FA, by `era`, of a maintainer whose most downloaded package has `weeklyDownloads` a week:
    /// the top 100 from 1 Feb 2022, every high-impact package from 1 Nov 2022.
    public func mandatesTwoFactor(forMaintainerOf weeklyDownloads: Int, in era: RegistryEra) -> Bool {
        if era.has(.highImpactMaintainersNeedTwoFactor) && isHighImpact(weeklyDownloads: weeklyDownloads) { return true }
        return era.has(.topHundredMaintainersNeedTwoFactor) && weeklyDownloads >= topHundredWeeklyDownloads
    }

    /// The cache grace of a revoked token in `era`: npm's registry docs of 2017 say a deleted token "will remain valid
    /// for one hour" and that "in the future, deleting the token will evict it"; later docs say revoking makes a token
    /// "immediately unusable". One hour before the rule change `revocation-immediate`, none from it [I: the day].
    public func revokedTokenGrace(in era: RegistryEra) -> Int64 {
        revokedTokenGraceSeconds ?? (era.has(.revocationImmediate) ? 0 : 3_600)
    }
}
