/// One rule of the registry: when it refuses, which defense that is, what the audience is told, and where the rule comes from.
///
/// The rules are data-like code: ``Rule/catalog`` lists them in the order the policy checks them,
/// and `regdrill rules` prints that same list. A rule either refuses outright (``Kind/refuses``)
/// or demands a second factor (``Kind/needsSecondFactor``): the latter refuses only when no valid
/// second factor came with the request, and a bad one is reported by the rule that caught it.
public struct Rule: Sendable, Identifiable {
    public enum Kind: Sendable {
        case refuses(@Sendable (RequestFacts) -> Bool)
        case needsSecondFactor(@Sendable (RequestFacts) -> Bool)
    }

    /// Which defense a refusal is attributed to.
    public enum Attribution: Sendable {
        case fixed(DefenseID)
        /// The account's own second factor: security-key, auth-only or auth-and-writes.
        case accountSecondFactor
        /// The package's publishing setting: disallow-tokens, or package-requires-2fa.
        case packagePublishingSetting
    }

    public let id: RuleID
    public let attribution: Attribution
    public let response: WireResponse
    /// What the rule checks, for the catalog.
    public let checks: String
    public let source: String
    public let kind: Kind
    let message: @Sendable (RequestFacts) -> String

    public func defense(for facts: RequestFacts) -> DefenseID {
        switch attribution {
        case .fixed(let d): return d
        case .packagePublishingSetting:
            return facts.effectivePublishingPolicy == .twoFactorAndDisallowTokens ? .disallowTokens : .packageRequiresTwoFactor
        case .accountSecondFactor:
            if facts.account?.secondFactorKind == .securityKey { return .securityKey }
            return facts.account?.twoFactorMode == .authAndWrites ? .twoFactorAuthAndWrites : .twoFactorAuthOnly
        }
    }

    /// The defense named in the catalog (for rules attributed to the account's factor: auth-only).
    public var catalogDefense: String {
        switch attribution {
        case .fixed(let d): d.rawValue
        case .accountSecondFactor: "auth-only | auth-and-writes | security-key (the account's 2FA)"
        case .packagePublishingSetting: "package-requires-2fa | disallow-tokens (the package's setting)"
        }
    }

    public func denial(for facts: RequestFacts) -> Denial {
        Denial(rule: id, defense: defense(for: facts), message: message(facts), source: source, response: response)
    }
}

// MARK: - Sources

enum Source {
    static let twoFactor = "docs.npmjs.com 'About two-factor authentication'; npm registry docs, docs/user/authentication.md"
    /// The registry's own definition of auth-only, which names password requests and token creation.
    static let authOnlyDefinition = "npm registry docs, docs/user/authentication.md (2017): under auth-only \"only requests that require a password are subject to two factor authentication ... creating a new token using the Login or Token Create endpoints, or any `Basic` auth request\""
    static let tokens = "docs.npmjs.com 'About access tokens'"
    static let createTokens = "docs.npmjs.com 'Creating and viewing access tokens'"
    static let revokedCache = "npm registry docs, docs/user/authentication.md (2017: a deleted token \"will remain valid for one hour\", a cache limitation to be removed); npm CLI docs, 'npm token' (\"immediately unusable\")"
    static let publishingSetting = "docs.npmjs.com 'Requiring 2FA for package publishing and settings modification'"
    static let trusted = "docs.npmjs.com 'Trusted publishing for npm packages'"
    static let changelog2025 = "GitHub changelogs 2025-09-29, 2025-11-05, 2025-12-09; github.blog 'Our plan for a more secure npm supply chain'"
    static let loginVerification = "github.blog 2021-12-07 (staged roll-out to publishers, 7 Dec 2021 to 4 Jan 2022); GitHub changelog 2022-03-01, 'All npm accounts are now enrolled in login verification' (the emailed code \"must be provided, in addition to a user's password, before authenticating\"); [I] every password request authenticates, so every one needs it"
    static let settingsNeedTwoFactor = "npm/documentation commit b8298f9f (2025-12-10): \"Modifying a package's settings also requires two-factor authentication (2FA)\"; [I] the settings are the publishing setting, the trusted publisher and visibility"
    static let bypassRestricted = "GitHub changelog 2026-07-31; npm/documentation commit 7ea95727: bypass tokens are limited to \"package and automation actions such as publishing\"; the rest needs an interactive 2FA challenge"
    static let totpSetupClosed = "npm/documentation commit 53f50b0f (2025-10-13): 2FA is set up \"using a security-key\"; npm's notice 'October 13: New TOTP 2FA configurations disabled (existing TOTP still works)'"
    static let packageTwoFactor2018 = "npm blog, 'Two-factor authentication protection for packages' (July 2018): maintainers are \"prompted for a one-time password for all changes to that package ... This includes maintainer changes\""
    static let orgs = "docs.npmjs.com 'Requiring two-factor authentication in your organization'"
    static let orgEnforcement = "github.blog 2022-02-01 ('it is now possible to enforce 2FA at the organization level'); docs.npmjs.com 'Requiring two-factor authentication in your organization' (the owner enables 2FA first; members without 2FA are removed)"
    static let staging = "npm/documentation commit 203cdd5d, 'Staged publishing' (20 May 2026: a staged version is promoted only with an interactive 2FA approval; trusted publishers --allow-publish, --allow-stage-publish); GitHub changelog 2026-05-22"
    static let highImpact = "github.blog 2022-02-01, 'Top-100 npm package maintainers now require 2FA'; GitHub changelog 2022-11-01, 'High-impact package maintainers now require 2FA'"
    static let scopes = "docs.npmjs.com 'About scopes' (\"Each npm user/organization has their own scope, and only you can add packages in your scope\"); docs.npmjs.com 'Organization roles and permissions' (every member creates packages in the organization scope)"
    static let npmScope = "the npm organisation owns the @npm scope on registry.npmjs.org (npmjs.com/org/npm)"
    static let nameSimilarity = "npm blog, 'New Package Moniker Rules' (27 Dec 2017): a new package's name, punctuation removed, is compared to existing names; npm's refusal reads \"Package name too similar to existing packages; try renaming your package to '@user/name' and publishing with 'npm publish --access=public' instead\""
    static let unpublish = "docs.npmjs.com 'npm Unpublish Policy'"
    static let owners = "docs.npmjs.com 'Adding collaborators to packages' (only maintainers write to a package)"
    static let webauthn = "W3C WebAuthn Level 2 §13.4.9 (origin binding); docs.npmjs.com 'Configuring two-factor authentication' (security keys)"
    static let rfc6238 = "RFC 6238 §5.2 (one-time use, resynchronisation window)"
    static let throttling = "NIST SP 800-63B §5.2.2 'Rate Limiting (Throttling)' (at most 100 consecutive failed attempts per account); the per-address limits are [I]"
    static let inference = "[I] modelling choice, explained in docs/modelling.md"
}

// MARK: - Derived facts the rules share

extension RequestFacts {
    /// The publishing setting in force: the package's own, raised to "require 2FA or a bypass token" for every
    /// package from 16 Dec 2025, and from 9 Dec 2025 for a publish with a login session ("During these sessions,
    /// 2FA is enforced for publishing operations", changelog 2025-12-09). A new package's own setting is the era's
    /// default (``PackageFact/policy``).
    var effectivePublishingPolicy: PublishingPolicy {
        let own = package?.policy ?? .twoFactorNotRequired
        guard own == .twoFactorNotRequired else { return own }
        if era.has(.publishingNeedsTwoFactor) { return .twoFactorOrToken }
        if era.has(.classicTokensRevoked) && operation == .publish && token?.kind == .session { return .twoFactorOrToken }
        return own
    }

    /// Whether the account must set up 2FA before the actions npm holds back (``OperationKind/waitsForMandatoryTwoFactor``):
    /// it has none and maintains a package of the era's mandatory-2FA cohort (the top 100 from 1 Feb 2022, every
    /// high-impact package from 1 Nov 2022).
    var accountMustSetUpTwoFactor: Bool {
        guard let a = account, !a.hasTwoFactor else { return false }
        return parameters.mandatesTwoFactor(forMaintainerOf: a.largestWeeklyDownloads, in: era)
    }

    /// For a publish that creates a package: who owns the new name's scope. Nil for anything else.
    var newPackageScope: ScopeOwnership? {
        guard operation.isRelease, let p = package, !p.exists else { return nil }
        return p.scopeOwnership
    }

    /// The package setting a write must satisfy: for a publish the effective publishing policy, for any other write to
    /// the package its own setting, which from its start covered "all changes to that package ... This includes
    /// maintainer changes" (npm blog, July 2018). Nil when the request writes to no package or publishes through OIDC.
    var packageSettingForWrite: PublishingPolicy? {
        // A staged version goes live only through a promotion, which asks for 2FA itself: staging is the road npm
        // opened for tokens and CI where publishing needs 2FA, so neither follows the package's setting here.
        guard let p = package, operation.isPackageWrite, oidc == nil, operation != .stagePublish, operation != .promoteStaged else { return nil }
        return operation == .publish ? effectivePublishingPolicy : p.policy
    }

    /// Whether the presented credential is a token that writes to packages without a second factor.
    var tokenBypassesSecondFactorForPackageWrite: Bool {
        if oidc != nil { return operation.isRelease }
        guard let t = token, t.permission.canWrite else { return false }
        switch t.kind {
        case .automation:
            switch operation {
            case .publish, .unpublish, .deprecate: return true
            case .addOwner, .removeOwner, .setDistTag, .removeDistTag: return parameters.automationTokensSkipCodeForOwnersAndTags
            default: return false
            }
        case .granular:
            // Before 5 Nov 2025 granular write tokens were the documented way to publish from CI without 2FA;
            // from then only those with the bypass-2FA flag.
            return era.has(.bypassTwoFactorFlag) ? t.bypassTwoFactor : true
        case .publish, .readOnly, .session:
            return false
        }
    }

    /// Whether a bypass-2FA granular token may change the account without a code (5 Nov 2025 to 30 Jul 2026).
    var tokenBypassesSecondFactorForAccountAction: Bool {
        guard let t = token, t.kind == .granular, t.bypassTwoFactor, t.permission == .readWrite else { return false }
        return era.has(.bypassTwoFactorFlag) && !era.has(.bypassTokensBarredFromAccountActions)
    }

    var accountHasTwoFactor: Bool { account?.hasTwoFactor ?? false }

    /// How long a revoked token keeps working from cache in this era.
    var revokedTokenGrace: Int64 { parameters.revokedTokenGrace(in: era) }

    /// What an allowed request is told: a revoked token was honoured from the registry's cache.
    public var notices: [String] {
        guard let r = token?.revoked, now < r + revokedTokenGrace else { return [] }
        return ["This token was revoked at \(Timestamp.iso8601(r)); the registry's cache honours it until \(Timestamp.iso8601(r + revokedTokenGrace)) (revocation grace, rule \(RuleID.tokenRevoked))."]
    }

    /// Whether the request authenticated with the account's (right) password: HTTP Basic, or a login.
    var authenticatedByPassword: Bool { authentication == .password(verified: true) }

    /// Whether enhanced login verification (the emailed code) covers the account today: every account without 2FA from
    /// 1 Mar 2022 and on the brown-out days before it; publishers from 4 Jan 2022, or from 7 Dec 2021 when the staged
    /// roll-out is taken to have reached them.
    var loginVerificationCoversAccount: Bool {
        guard parameters.emailedLoginCodes, let a = account, !a.hasTwoFactor else { return false }
        if era.has(.emailedLoginCodes) || era.isLoginVerificationBrownout { return true }
        guard a.isPublisher else { return false }
        return era.has(.loginVerificationForPublishers)
            || (era.has(.loginVerificationStagedForPublishers) && parameters.stagedLoginVerificationCoversPublishers)
    }

    var isNonInteractiveToken: Bool {
        guard let t = token else { return false }
        return t.kind == .automation || t.kind == .granular
    }
}

// MARK: - The catalog

extension Rule {
    /// Every rule, in the order the policy checks them. The first that refuses decides.
    public static let catalog: [Rule] = authentication + tokenCreation + permissions + secondFactor

    static let authentication: [Rule] = [
        Rule(id: .credentialRequired, attribution: .fixed(.accessControl), response: .badToken,
             checks: "The request needs a logged-in user and came without credentials.",
             source: Source.owners,
             kind: .refuses { $0.authentication == .anonymous && !$0.operation.isAnonymous },
             message: { _ in "You must be logged in for this." }),
        // Before the account and password rules: a throttled password is not checked, so the answer tells nothing.
        Rule(id: .passwordRateLimited, attribution: .fixed(.passwordThrottle), response: .forbidden,
             checks: "Too many wrong passwords recently: for this account from this address, for this account, or from this address.",
             source: Source.throttling,
             kind: .refuses { $0.authentication == .passwordThrottled },
             message: { f in "Too many wrong passwords; wait \(f.parameters.passwordFailureWindow / 60) minutes before trying again." }),
        Rule(id: .unknownAccount, attribution: .fixed(.accessControl), response: .badPassword,
             checks: "The username does not exist.",
             source: Source.twoFactor,
             kind: .refuses { $0.authentication == .unknownAccount },
             message: { _ in "Incorrect username or password." }),
        Rule(id: .passwordInvalid, attribution: .fixed(.accessControl), response: .badPassword,
             checks: "The password does not match the stored hash.",
             source: Source.twoFactor,
             kind: .refuses { $0.authentication == .password(verified: false) },
             message: { _ in "Incorrect username or password." }),
        Rule(id: .tokenUnknown, attribution: .fixed(.accessControl), response: .badToken,
             checks: "The bearer token is not one the registry issued.",
             source: Source.tokens,
             kind: .refuses { $0.authentication == .unknownBearer },
             message: { _ in "This token is not valid." }),
        Rule(id: .classicTokenRetired, attribution: .fixed(.classicTokenRetirement), response: .badToken,
             checks: "A classic token used on or after 9 Dec 2025, when npm revoked them all.",
             source: Source.changelog2025,
             kind: .refuses { f in f.token.map { $0.kind.isClassic } == true && f.era.has(.classicTokensRevoked) },
             message: { _ in "Classic tokens were revoked on 9 Dec 2025; this token no longer works." }),
        Rule(id: .tokenRevoked, attribution: .fixed(.tokenRevocation), response: .badToken,
             checks: "The token was revoked and the registry's cache grace has passed (an hour before 2018, none from then [I]).",
             source: Source.revokedCache,
             kind: .refuses { f in
                 guard let r = f.token?.revoked else { return false }
                 return f.now >= r + f.revokedTokenGrace
             },
             message: { _ in "This token was revoked." }),
        Rule(id: .tokenExpired, attribution: .fixed(.tokenExpiry), response: .badToken,
             checks: "The token's expiry date has passed (a granular write token made before 5 Nov 2025 expires on 3 Feb 2026 at the latest).",
             source: Source.tokens + "; GitHub changelog 2025-11-05 (existing write tokens capped to 3 Feb 2026)",
             kind: .refuses { f in
                 guard let e = f.token?.effectiveExpiry(in: f.era) else { return false }
                 return f.now >= e
             },
             message: { _ in "This token has expired." }),
        Rule(id: .sessionExpired, attribution: .fixed(.shortLoginSessions), response: .badToken,
             checks: "The login session's lifetime has passed.",
             source: Source.changelog2025,
             kind: .refuses { f in
                 guard let t = f.token, t.kind == .session, let e = t.expires else { return false }
                 return f.now >= e
             },
             message: { _ in "Your login session has expired; log in again." }),
        Rule(id: .cidrMismatch, attribution: .fixed(.cidrTokens), response: .ipAddress,
             checks: "The token has a CIDR allowlist and the request comes from outside it.",
             source: Source.createTokens,
             kind: .refuses { $0.token?.sourceInsideAllowlist == false },
             message: { _ in "This token is limited to other IP addresses (CIDR allowlist)." }),
        Rule(id: .oidcInvalid, attribution: .fixed(.trustedPublishing), response: .badToken,
             checks: "The OIDC credential is unknown, expired or already used.",
             source: Source.trusted,
             kind: .refuses { f in
                 guard let o = f.oidc else { return false }
                 return !o.known || o.expired || o.used
             },
             message: { f in
                 guard let o = f.oidc, o.known else { return "This OIDC credential is not valid." }
                 return o.used ? "This OIDC credential was already used; each publish needs a new one." : "This OIDC credential has expired."
             }),
        Rule(id: .oidcPublishOnly, attribution: .fixed(.trustedPublishing), response: .forbidden,
             checks: "An OIDC credential only publishes the package it was minted for, from its trusted publisher.",
             source: Source.trusted,
             kind: .refuses { f in
                 guard let o = f.oidc else { return false }
                 return !f.operation.isRelease || f.package?.name != o.boundPackage || !o.matchesTrustedPublisher
             },
             message: { f in "This OIDC credential can only publish \(f.oidc?.boundPackage ?? "its own package") from its trusted publisher." }),
        Rule(id: .oidcActionNotAllowed, attribution: .fixed(.trustedPublishing), response: .forbidden,
             checks: "An OIDC credential publishing directly where its trusted publisher allows staging only (E_STAGE_REQUIRED), or staging where it allows publishing only.",
             source: Source.staging,
             kind: .refuses { f in
                 guard let o = f.oidc else { return false }
                 if f.operation == .publish { return !o.allowedActions.contains(.publish) }
                 if f.operation == .stagePublish { return !o.allowedActions.contains(.stage) }
                 return false
             },
             message: { f in
                 f.operation == .publish
                     ? "E_STAGE_REQUIRED: this trusted publisher may only stage versions; a maintainer promotes them with 2FA."
                     : "This trusted publisher may not stage versions."
             }),
    ]

    static let tokenCreation: [Rule] = [
        Rule(id: .trustedPublishingUnavailable, attribution: .fixed(.inputValidation), response: .badRequest,
             checks: "Configuring a trusted publisher before 31 Jul 2025, when npm's trusted publishing became generally available.",
             source: Source.trusted,
             kind: .refuses { f in f.trustedPublisherChange?.adding != nil && !f.era.has(.trustedPublishing) },
             message: { _ in "Trusted publishing starts on 31 Jul 2025: no package can trust a CI workflow before then." }),
        Rule(id: .trustedProviderUnavailable, attribution: .fixed(.inputValidation), response: .badRequest,
             checks: "Configuring a trusted publisher of a CI provider npm did not accept yet (CircleCI before 4 Mar 2026).",
             source: Source.trusted + "; npm/documentation commit b8fe40fc",
             kind: .refuses { f in
                 guard let provider = f.trustedPublisherChange?.adding else { return false }
                 return f.era.has(.trustedPublishing) && !f.era.has(provider.acceptedFrom)
             },
             message: { f in "npm does not accept \(f.trustedPublisherChange?.adding?.rawValue ?? "this provider") as a trusted publisher before \(f.trustedPublisherChange?.adding?.acceptedFrom.effective.description ?? "")." }),
        Rule(id: .trustedPublisherLimit, attribution: .fixed(.inputValidation), response: .badRequest,
             checks: "A package with more trusted publishers than the era allows: one, or ten from about 3 Sep 2026.",
             source: "npm/documentation PRs 2033 and 2034",
             kind: .refuses { f in
                 guard let change = f.trustedPublisherChange, change.adding != nil else { return false }
                 return change.connectionsAfter > (f.era.has(.multipleTrustedPublishers) ? 10 : 1)
             },
             message: { f in
                 f.era.has(.multipleTrustedPublishers)
                     ? "A package can have at most 10 trusted publishers: remove one first."
                     : "A package has one trusted publisher until about 3 Sep 2026: replace it, or remove it first."
             }),
        Rule(id: .securityKeyUnavailable, attribution: .fixed(.inputValidation), response: .badRequest,
             checks: "Adding a security key before 10 May 2022, when npm accepted WebAuthn security keys as a second factor.",
             source: "GitHub changelog 2022-05-10; github/roadmap issue 463",
             kind: .refuses { f in f.operation == .addSecurityKey && !f.era.has(.securityKeys) },
             message: { _ in "Security keys are not a second factor here before 10 May 2022: set up an authenticator app (TOTP)." }),
        Rule(id: .totpSetupClosed, attribution: .fixed(.totpSetupClosed), response: .forbidden,
             checks: "Setting up a new TOTP authenticator on or after 13 Oct 2025, when new second factors became security keys only.",
             source: Source.totpSetupClosed,
             kind: .refuses { f in f.operation == .enableTwoFactor && f.era.has(.totpSetupClosed) },
             message: { _ in "New authenticator-app (TOTP) set-ups are disabled since 13 Oct 2025: add a security key instead. TOTP already set up keeps working." }),
        Rule(id: .classicCreationDisabled, attribution: .fixed(.classicTokenRetirement), response: .forbidden,
             checks: "A new classic token asked for on or after 5 Nov 2025.",
             source: Source.changelog2025,
             kind: .refuses { f in
                 f.operation == .createToken && f.requestedToken.map { $0.kind.isClassic } == true && f.era.has(.bypassTwoFactorFlag)
             },
             message: { _ in "Classic tokens can no longer be created (since 5 Nov 2025); create a granular access token." }),
        Rule(id: .tokenKindUnavailable, attribution: .fixed(.inputValidation), response: .badRequest,
             checks: "A token kind, flag or permission that did not exist in the era (stage-only: granular tokens from 10 Sep 2026).",
             source: Source.tokens + "; npm/documentation PR 2036",
             kind: .refuses { f in
                 guard f.operation == .createToken, let r = f.requestedToken else { return false }
                 if r.permission == .readWriteStageOnly && (r.kind != .granular || !f.era.has(.stageOnlyTokens)) { return true }
                 switch r.kind {
                 case .automation: return !f.era.has(.automationTokens)
                 case .granular: return !f.era.has(.granularTokens) || (r.bypassTwoFactor && !f.era.has(.bypassTwoFactorFlag))
                 case .session: return true
                 case .publish, .readOnly: return false
                 }
             },
             message: { f in
                 if f.requestedToken?.permission == .readWriteStageOnly {
                     return "The 'read and write (stage only)' permission is for granular tokens, from 10 Sep 2026."
                 }
                 return switch f.requestedToken?.kind {
                 case .automation?: "Automation tokens do not exist before 2 Oct 2020."
                 case .session?: "Sessions are made by logging in, not by creating a token."
                 default: f.era.has(.granularTokens) ? "The bypass-2FA flag does not exist before 5 Nov 2025." : "Granular access tokens do not exist before Dec 2022."
                 }
             }),
        Rule(id: .tokenExpiryRequired, attribution: .fixed(.tokenExpiry), response: .badRequest,
             checks: "A granular token without an expiry, before Jul 2023 (the beta and first months of granular tokens).",
             source: "GitHub's announcement of 6 Dec 2022 as InfoWorld reported it (\"an expiration period of up to one year\"); docs.npmjs.com 'About access tokens' [I: July 2023]",
             kind: .refuses { f in
                 guard f.operation == .createToken, let r = f.requestedToken, r.kind == .granular else { return false }
                 return r.lifetime == nil && f.era.has(.granularTokens) && !f.era.has(.granularTokenLimitsRelaxed)
             },
             message: { _ in "A granular access token needs an expiry date, at most one year away." }),
        Rule(id: .tokenLifetimeTooLong, attribution: .fixed(.tokenExpiry), response: .badRequest,
             checks: "A token asked to live longer than the maximum: a granular token more than 365 days before Jul 2023; a write token more than 90 days from 13 Oct 2025.",
             source: Source.changelog2025 + "; GitHub's announcement of 6 Dec 2022 (beta: up to one year)",
             kind: .refuses { f in
                 guard f.operation == .createToken, let r = f.requestedToken, let life = r.lifetime else { return false }
                 if r.kind == .granular && !f.era.has(.granularTokenLimitsRelaxed) && life > 365 * 86_400 { return true }
                 return f.era.has(.writeTokenLifetimes) && r.permission.canWrite && life > f.parameters.writeTokenMaximumLifetime
             },
             message: { f in
                 f.era.has(.granularTokenLimitsRelaxed)
                     ? "Write tokens may live at most \(f.parameters.writeTokenMaximumLifetime / 86_400) days."
                     : "A granular access token may live at most 365 days."
             }),
        Rule(id: .tokenLimitReached, attribution: .fixed(.inputValidation), response: .badRequest,
             checks: "A granular token beyond the account's allowance of working granular tokens: 50 until Jul 2023, 1,000 from then.",
             source: "GitHub's announcement of 6 Dec 2022 as InfoWorld reported it (\"as many as 50\"); docs.npmjs.com 'About access tokens' (\"up to 1000\")",
             kind: .refuses { f in
                 guard f.operation == .createToken, f.requestedToken?.kind == .granular else { return false }
                 return f.liveGranularTokens >= (f.era.has(.granularTokenLimitsRelaxed) ? 1_000 : 50)
             },
             message: { f in "An account holds at most \(f.era.has(.granularTokenLimitsRelaxed) ? 1_000 : 50) granular access tokens: revoke one first." }),
    ]

    static let permissions: [Rule] = [
        Rule(id: .readOnlyToken, attribution: .fixed(.readOnlyTokens), response: .forbidden,
             checks: "A read-only token used for a write.",
             source: Source.tokens,
             kind: .refuses { f in f.token?.permission == .readOnly && f.operation.isWrite },
             message: { _ in "This token is read-only: it can download and read, never publish or change anything." }),
        Rule(id: .stageOnlyToken, attribution: .fixed(.stagedPublishing), response: .forbidden,
             checks: "A 'read and write (stage only)' token used for anything but staging, deprecating, moving dist-tags or unpublishing; a direct publish is E_STAGE_REQUIRED.",
             source: "npm/documentation PR 2036; npm/cli PR 9948",
             kind: .refuses { f in
                 f.token?.permission == .readWriteStageOnly && f.operation.isWrite && !TokenPermission.stageOnlyWrites.contains(f.operation)
             },
             message: { f in
                 f.operation == .publish
                     ? "E_STAGE_REQUIRED: this token may only stage versions (npm stage publish); a maintainer promotes them with 2FA."
                     : "This token is 'read and write (stage only)': it stages, deprecates, moves dist-tags and unpublishes, nothing else."
             }),
        Rule(id: .bypassTokenStageOnly, attribution: .fixed(.bypassTokenRestrictions), response: .forbidden,
             checks: "Announced for Jan 2027: a bypass-2FA token used for any write but staging (it reads private packages and stages only).",
             source: "GitHub changelog 2026-07-08; GitHub community discussion 201329",
             kind: .refuses { f in
                 guard let t = f.token, t.kind == .granular, t.bypassTwoFactor, f.era.has(.bypassTokensStageOnly) else { return false }
                 return f.operation.isWrite && f.operation != .stagePublish
             },
             message: { f in
                 f.operation == .publish
                     ? "E_STAGE_REQUIRED: bypass-2FA tokens stage versions only (from Jan 2027); a maintainer promotes them with 2FA."
                     : "Bypass-2FA tokens read packages and stage versions only (from Jan 2027)."
             }),
        Rule(id: .tokenPackageScope, attribution: .fixed(.tokenPackageScope), response: .forbidden,
             checks: "A granular token used on a package outside its packages and scopes.",
             source: Source.tokens,
             kind: .refuses { f in
                 guard let t = f.token, let p = f.package, f.operation.isPackageWrite else { return false }
                 return !t.covers(package: p.name)
             },
             message: { f in "This token does not cover \(f.package?.name ?? "this package"); it is limited to other packages or scopes." }),
        Rule(id: .automationAccountActions, attribution: .fixed(.accessControl), response: .forbidden,
             checks: "An automation token used to change the account or manage tokens.",
             source: Source.tokens + "; " + Source.inference,
             kind: .refuses { f in f.token?.kind == .automation && (f.operation.isAccountChange || f.operation.isTokenManagement) },
             message: { _ in "Automation tokens can read and publish, not manage the account." }),
        Rule(id: .packageNotFound, attribution: .fixed(.accessControl), response: .notFound,
             checks: "The package does not exist.",
             source: Source.owners,
             kind: .refuses { f in
                 guard let p = f.package else { return false }
                 return !p.exists && !f.operation.isRelease
             },
             message: { f in "Package \(f.package?.name ?? "") is not in this registry." }),
        Rule(id: .notMaintainer, attribution: .fixed(.accessControl), response: .forbidden,
             checks: "A write to a package by someone who is not one of its maintainers.",
             source: Source.owners,
             kind: .refuses { f in
                 guard let p = f.package, p.exists, f.operation.isPackageWrite else { return false }
                 return !p.actorIsMaintainer
             },
             message: { f in "You do not have permission to publish \"\(f.package?.name ?? "")\". Are you logged in as the correct user?" }),
        Rule(id: .scopeReserved, attribution: .fixed(.accessControl), response: .forbidden,
             checks: "Creating a package in a scope the registry keeps for itself (@npm), whoever asks.",
             source: Source.npmScope,
             kind: .refuses { f in f.newPackageScope == .registry },
             message: { f in "\(PackageName.scope(of: f.package?.name ?? "") ?? "This scope") belongs to npm: nobody else publishes into it." }),
        Rule(id: .scopeNotFound, attribution: .fixed(.accessControl), response: .notFound,
             checks: "Creating a package in a scope that is neither a user nor an organisation.",
             source: Source.scopes,
             kind: .refuses { f in f.newPackageScope == .nobody },
             message: { f in "Scope not found: no user or organisation is called \(PackageName.scope(of: f.package?.name ?? "")?.dropFirst() ?? "")." }),
        Rule(id: .scopeNotOwned, attribution: .fixed(.accessControl), response: .forbidden,
             checks: "Creating a package in another user's scope, or in an organisation's scope by someone who is not its member.",
             source: Source.scopes,
             kind: .refuses { f in f.newPackageScope == .another },
             message: { f in
                 let scope = PackageName.scope(of: f.package?.name ?? "") ?? ""
                 return "You do not have permission to publish \"\(f.package?.name ?? "")\": the scope \(scope) belongs to another user or organisation."
             }),
        Rule(id: .nameTooSimilar, attribution: .fixed(.nameSimilarity), response: .forbidden,
             checks: "From 27 Dec 2017, creating an unscoped package whose name differs from an existing package's only by punctuation (. - _) or case.",
             source: Source.nameSimilarity,
             kind: .refuses { f in
                 f.operation.isRelease && f.package?.exists == false && f.package?.similarExistingName != nil && f.era.has(.packageNameSimilarity)
             },
             message: { f in
                 let name = f.package?.name ?? ""
                 let suggestion = f.account.map { "'@\($0.name)/\(name)'" } ?? "a name under your own scope"
                 return "Package name too similar to existing packages (\(f.package?.similarExistingName ?? "")); try renaming your package to \(suggestion) and publishing with 'npm publish --access=public' instead"
             }),
        Rule(id: .orgTwoFactorRequired, attribution: .fixed(.orgTwoFactorEnforcement), response: .forbidden,
             checks: "A write to an organisation's package by a member without 2FA, where the organisation requires it.",
             source: Source.orgs,
             kind: .refuses { f in
                 guard let p = f.package, p.orgRequiresTwoFactor, f.operation.isPackageWrite else { return false }
                 return !f.accountHasTwoFactor
             },
             message: { _ in "This organisation requires two-factor authentication of its members." }),
        Rule(id: .orgCannotDisableTwoFactor, attribution: .fixed(.orgTwoFactorEnforcement), response: .forbidden,
             checks: "Disabling 2FA as a member of an organisation that requires it.",
             source: Source.orgs,
             kind: .refuses { f in f.operation == .disableTwoFactor && f.account?.inOrgRequiringTwoFactor == true },
             message: { _ in "Your organisation requires two-factor authentication; it cannot be disabled." }),
        Rule(id: .trustedPublisherNoEdit, attribution: .fixed(.inputValidation), response: .badRequest,
             checks: "From about 3 Sep 2026, replacing an existing trusted-publisher connection with another (remove it, then add the new one).",
             source: "npm/documentation PRs 2033 and 2034 (existing connections cannot be edited)",
             kind: .refuses { f in f.trustedPublisherChange?.editsExisting == true && f.era.has(.multipleTrustedPublishers) },
             message: { _ in "Existing trusted-publisher connections cannot be edited: remove the connection, then add the new one." }),
        Rule(id: .stagingUnavailable, attribution: .fixed(.inputValidation), response: .badRequest,
             checks: "Staging or promoting a version, or configuring a stage-only trusted publisher, before 20 May 2026.",
             source: Source.staging,
             kind: .refuses { f in
                 (f.operation == .stagePublish || f.operation == .promoteStaged || f.trustedPublisherChange?.addsStageOnly == true)
                     && !f.era.has(.stagedPublishing)
             },
             message: { _ in "Staged publishing starts on 20 May 2026." }),
        Rule(id: .stagingNeedsExistingPackage, attribution: .fixed(.inputValidation), response: .notFound,
             checks: "Staging the first version of a new package before about 1 Sep 2026.",
             source: Source.staging,
             kind: .refuses { f in f.operation == .stagePublish && f.package?.exists == false && !f.era.has(.stagingNewPackages) },
             message: { f in "\(f.package?.name ?? "This package") does not exist: only an existing package can be staged until about Sep 2026." }),
        Rule(id: .stagingNeedsTwoFactorAccount, attribution: .fixed(.stagedPublishing), response: .forbidden,
             checks: "Staging from an account without 2FA before about 1 Sep 2026.",
             source: Source.staging,
             kind: .refuses { f in
                 f.operation == .stagePublish && f.oidc == nil && !f.accountHasTwoFactor && !f.era.has(.stagingNewPackages)
             },
             message: { _ in "Staging a version needs an account with two-factor authentication." }),
        Rule(id: .dualUseMustStage, attribution: .fixed(.stagedPublishing), response: .forbidden,
             checks: "From 28 Jul 2026, a direct publish of a version that declares dual-use content with a bypass-2FA token or trusted publishing (they must stage it).",
             source: "GitHub changelog 2026-07-28; npm/documentation commit f33dde9e (policies/dual-use)",
             kind: .refuses { f in
                 f.operation == .publish && f.releaseDeclaresDualUse && f.era.has(.dualUseContentPolicy) && f.tokenBypassesSecondFactorForPackageWrite
             },
             message: { f in "E_STAGE_REQUIRED: \(f.package?.name ?? "this package") declares dual-use content, which is published directly only in an interactive 2FA session; stage it instead." }),
        Rule(id: .promotionNeedsTwoFactorAccount, attribution: .fixed(.stagedPublishing), response: .forbidden,
             checks: "Promoting a staged version from an account without 2FA (the approval is a 2FA approval), or with an OIDC credential.",
             source: Source.staging,
             kind: .refuses { f in f.operation == .promoteStaged && (f.oidc != nil || !f.accountHasTwoFactor) },
             message: { _ in "Promoting a staged version is an interactive 2FA approval: enable two-factor authentication first." }),
        Rule(id: .orgEnforcementUnavailable, attribution: .fixed(.inputValidation), response: .badRequest,
             checks: "Requiring 2FA of an organisation's members before 1 Feb 2022, when npm added the setting.",
             source: Source.orgEnforcement,
             kind: .refuses { f in f.operation == .changeOrgPolicy && f.turnsOnOrgTwoFactor && !f.era.has(.orgTwoFactorEnforcement) },
             message: { _ in "Organisations cannot require 2FA of their members before 1 Feb 2022." }),
        Rule(id: .orgOwnerNeedsTwoFactor, attribution: .fixed(.orgTwoFactorEnforcement), response: .forbidden,
             checks: "Requiring 2FA of an organisation's members from an owner account without 2FA.",
             source: Source.orgEnforcement,
             kind: .refuses { f in f.operation == .changeOrgPolicy && f.turnsOnOrgTwoFactor && !f.accountHasTwoFactor },
             message: { _ in "Enable two-factor authentication on your own account before requiring it of the organisation's members." }),
        Rule(id: .accountReadOnly, attribution: .fixed(.accountChangeSafeguard), response: .forbidden,
             checks: "From 25 Jun 2026, a write by a high-impact account in the 72 hours after its email changed or a recovery code was used.",
             source: "GitHub changelog 2026-06-25, 'npm adds preventive account protection for high-impact accounts'",
             kind: .refuses { f in
                 guard f.operation.pausedWhileReadOnly, let until = f.account?.readOnlyUntil else { return false }
                 return f.now < until
             },
             message: { f in
                 "This account is read-only until \(Timestamp.iso8601(f.account?.readOnlyUntil ?? 0)) after a sensitive change (email or recovery code): publishing, tokens, visibility and org changes are paused."
             }),
        Rule(id: .highImpactNeedsTwoFactor, attribution: .fixed(.highImpactTwoFactor), response: .forbidden,
             checks: "From 1 Feb 2022 (top 100) and 1 Nov 2022 (every high-impact package), a maintainer without 2FA changing the email or password, maintainers or package settings, or creating a token.",
             source: Source.highImpact,
             kind: .refuses { f in f.operation.waitsForMandatoryTwoFactor && f.accountMustSetUpTwoFactor },
             message: { _ in "You maintain a high-impact package: set up two-factor authentication before changing the account, maintainers or package settings, or creating tokens." }),
        Rule(id: .tokensDisallowed, attribution: .fixed(.disallowTokens), response: .forbidden,
             checks: "An automation or granular token used on a package set to 'require 2FA and disallow tokens'.",
             source: Source.publishingSetting,
             kind: .refuses { f in
                 f.operation.isPackageWrite && f.package != nil && f.effectivePublishingPolicy == .twoFactorAndDisallowTokens && f.isNonInteractiveToken
             },
             message: { f in "\(f.package?.name ?? "This package") requires 2FA and disallows tokens: publish interactively with a second factor, or through its trusted publisher." }),
        Rule(id: .publishingSettingUnavailable, attribution: .fixed(.inputValidation), response: .badRequest,
             checks: "A publishing setting that did not exist yet: requiring 2FA before Jul 2018, or '2FA or an automation token' before automation tokens (2 Oct 2020).",
             source: Source.packageTwoFactor2018 + "; GitHub changelog 2020-10-02",
             kind: .refuses { f in
                 guard f.operation == .changePublishingPolicy, let policy = f.requestedPolicy else { return false }
                 switch policy {
                 case .twoFactorNotRequired: return false
                 case .twoFactorAndDisallowTokens: return !f.era.has(.packageTwoFactorSetting)
                 case .twoFactorOrToken: return !f.era.has(.automationTokens)
                 }
             },
             message: { f in
                 f.requestedPolicy == .twoFactorOrToken && f.era.has(.packageTwoFactorSetting)
                     ? "'Require 2FA or an automation token' arrives with automation tokens on 2 Oct 2020; choose 2FA-required."
                     : "Packages cannot require 2FA before npm's package setting of July 2018."
             }),
        Rule(id: .settingsNeedTwoFactor, attribution: .fixed(.packageRequiresTwoFactor), response: .forbidden,
             checks: "From 10 Dec 2025, changing a package's settings (publishing setting, trusted publisher, visibility) from an account without 2FA.",
             source: Source.settingsNeedTwoFactor,
             kind: .refuses { f in f.operation.isPackageSettingsChange && f.era.has(.packageSettingsNeedTwoFactor) && !f.accountHasTwoFactor },
             message: { _ in "Changing a package's settings needs two-factor authentication (since 10 Dec 2025): enable 2FA on this account first." }),
        Rule(id: .packageRequiresTwoFactor, attribution: .packagePublishingSetting, response: .forbidden,
             checks: "A publish to, or any other change of, a package that requires 2FA, by an account without 2FA and without a token allowed to bypass it.",
             source: Source.publishingSetting + "; " + Source.packageTwoFactor2018 + "; " + Source.changelog2025,
             kind: .refuses { f in
                 guard let policy = f.packageSettingForWrite, policy != .twoFactorNotRequired, !f.accountHasTwoFactor else { return false }
                 return !(policy == .twoFactorOrToken && f.tokenBypassesSecondFactorForPackageWrite)
             },
             message: { f in
                 f.operation == .publish
                     ? "Two-factor authentication or granular access token with bypass 2fa enabled is required to publish packages."
                     : "\(f.package?.name ?? "This package") requires two-factor authentication for every change: enable 2FA on this account first."
             }),
        Rule(id: .unpublishWindowClosed, attribution: .fixed(.unpublishPolicy), response: .forbidden,
             checks: "Unpublishing a version older than the era's policy allows.",
             source: Source.unpublish,
             kind: .refuses { f in
                 guard f.operation == .unpublish, let age = f.package?.versionAge else { return false }
                 if f.era.has(.unpublishWithin72Hours) {
                     guard age > 72 * 3_600 else { return false }
                     return !(f.era.has(.lateUnpublishWithConditions) && (f.package?.meetsLateUnpublishConditions ?? false))
                 }
                 if f.era.has(.unpublishWithin24Hours) { return age > 24 * 3_600 }
                 return false
             },
             message: { f in
                 if f.era.has(.lateUnpublishWithConditions) {
                     return "Versions can be unpublished within 72 hours, or later only with no dependents, under 300 downloads a week and a single owner."
                 }
                 return "Versions can be unpublished only within \(f.era.has(.unpublishWithin72Hours) ? 72 : 24) hours of publication."
             }),
        Rule(id: .unpublishHasDependents, attribution: .fixed(.unpublishPolicy), response: .forbidden,
             checks: "From 29 Jun 2018, unpublishing a package, or a version of it, that another package depends on, whatever its age.",
             source: Source.unpublish + " (npm/policies 04acfa2: \"as long as no other packages in the npm Public Registry depend on it\")",
             kind: .refuses { f in f.operation == .unpublish && f.package?.hasDependents == true && f.era.has(.unpublishWithin72Hours) },
             message: { f in "\(f.package?.name ?? "This package") has dependents in the registry: it cannot be unpublished (npm's unpublish policy)." }),
        Rule(id: .packageNameHeld, attribution: .fixed(.unpublishPolicy), response: .forbidden,
             checks: "Publishing a name whose package was unpublished whole less than 24 hours ago (from late Mar 2016), whoever publishes it.",
             source: Source.unpublish,
             kind: .refuses { f in
                 guard f.operation.isRelease, let p = f.package, !p.exists, let at = p.unpublishedAt else { return false }
                 return f.era.has(.unpublishWithin24Hours) && f.now < at + 24 * 3_600
             },
             message: { f in "\(f.package?.name ?? "This package") was unpublished less than 24 hours ago: nobody, its owner included, may publish the name until then." }),
    ]

    static let secondFactor: [Rule] = [
        Rule(id: .twoFactorLogin, attribution: .accountSecondFactor, response: .otpChallenge,
             checks: "Logging in to an account with 2FA (either mode) needs the second factor.",
             source: Source.twoFactor,
             kind: .needsSecondFactor { f in f.operation == .login && f.accountHasTwoFactor },
             message: { _ in "This account has two-factor authentication: you must provide a one-time pass to log in." }),
        Rule(id: .twoFactorPasswordRequest, attribution: .accountSecondFactor, response: .otpChallenge,
             checks: "Any other request made with the password (HTTP Basic), on an account with 2FA in either mode, needs the second factor.",
             source: Source.authOnlyDefinition,
             kind: .needsSecondFactor { f in f.operation != .login && f.authenticatedByPassword && f.accountHasTwoFactor },
             message: { _ in "This request was made with the account's password; with two-factor authentication on, it also needs a one-time pass." }),
        Rule(id: .emailedLoginCode, attribution: .fixed(.emailedLoginCode), response: .otpChallenge,
             checks: "Logging in, or any request made with the password, on an account without 2FA needs the code emailed to its address: publishers from Dec 2021 (staged) or 4 Jan 2022, every account from 1 Mar 2022.",
             source: Source.loginVerification,
             kind: .needsSecondFactor { f in f.authenticatedByPassword && f.loginVerificationCoversAccount && !f.emailCodeVerified },
             message: { _ in "Enter the login code we emailed to the account's address." }),
        Rule(id: .bypassTokenAccountAction, attribution: .fixed(.bypassTokenRestrictions), response: .forbidden,
             checks: "From 31 Jul 2026, a bypass-2FA token managing tokens, the profile or 2FA, a package's access, maintainers or trusted publisher, or orgs and teams, without an interactive second factor.",
             source: Source.bypassRestricted,
             kind: .needsSecondFactor { f in
                 guard let t = f.token, t.kind == .granular, t.bypassTwoFactor else { return false }
                 return f.era.has(.bypassTokensBarredFromAccountActions) && f.operation.isBarredForBypassTokens
             },
             message: { _ in "Since 31 Jul 2026 a bypass-2FA token needs an interactive 2FA challenge for this: run it again with --otp (an account without 2FA cannot)." }),
        Rule(id: .twoFactorAccountChanges, attribution: .accountSecondFactor, response: .otpChallenge,
             checks: "Changing email, password or 2FA on an account with 2FA (either mode) needs the second factor.",
             source: Source.twoFactor,
             kind: .needsSecondFactor { f in
                 f.operation.isAccountChange && f.accountHasTwoFactor && !f.tokenBypassesSecondFactorForAccountAction
             },
             message: { _ in "Changing this account's settings needs a one-time pass." }),
        Rule(id: .twoFactorTokenManagement, attribution: .accountSecondFactor, response: .otpChallenge,
             checks: "Creating tokens needs the second factor in either mode; revoking them needs it under auth-and-writes, and under auth-only from 29 Aug 2022.",
             source: Source.authOnlyDefinition + "; " + Source.twoFactor + " (the Aug 2022 table: revocation under auth-only) [I]",
             kind: .needsSecondFactor { f in
                 guard f.operation.isTokenManagement, let a = f.account, a.hasTwoFactor else { return false }
                 if f.tokenBypassesSecondFactorForAccountAction { return false }
                 if a.twoFactorMode == .authAndWrites || f.operation == .createToken { return true }
                 return f.era.has(.tokenRevocationNeedsCodeUnderAuthOnly)
             },
             message: { _ in "Creating or revoking tokens needs a one-time pass." }),
        Rule(id: .twoFactorWrites, attribution: .accountSecondFactor, response: .otpChallenge,
             checks: "Under auth-and-writes every package write needs the second factor (dist-tags other than latest are exempt), unless the token is one that bypasses 2FA.",
             source: Source.twoFactor,
             kind: .needsSecondFactor { f in
                 // "npm stage publish does not require 2FA" (npm CLI docs, npm-stage): the promotion asks instead.
                 guard f.operation.isPackageWrite, f.operation != .stagePublish, f.account?.twoFactorMode == .authAndWrites else { return false }
                 if (f.operation == .setDistTag || f.operation == .removeDistTag) && f.package?.tagIsLatest == false { return false }
                 return !f.tokenBypassesSecondFactorForPackageWrite
             },
             message: { f in "You must provide a one-time pass to \(f.operation == .publish ? "publish" : "change \(f.package?.name ?? "this package")") (auth-and-writes)." }),
        Rule(id: .twoFactorPackagePublishing, attribution: .packagePublishingSetting, response: .otpChallenge,
             checks: "Publishing, or any other change of, a package whose setting requires 2FA (for publishing, from 16 Dec 2025 every package and from 9 Dec 2025 any publish with a login session) needs the second factor, unless the setting lets a bypass token through.",
             source: Source.publishingSetting + "; " + Source.packageTwoFactor2018 + "; " + Source.changelog2025,
             kind: .needsSecondFactor { f in
                 guard let policy = f.packageSettingForWrite, f.accountHasTwoFactor else { return false }
                 switch policy {
                 case .twoFactorNotRequired: return false
                 case .twoFactorOrToken: return !f.tokenBypassesSecondFactorForPackageWrite
                 case .twoFactorAndDisallowTokens: return true
                 }
             },
             message: { f in "\(f.package?.name ?? "This package") requires two-factor authentication to \(f.operation == .publish ? "publish" : "change it"): provide a one-time pass." }),
        Rule(id: .twoFactorPromotion, attribution: .fixed(.stagedPublishing), response: .otpChallenge,
             checks: "Promoting a staged version needs the second factor with the request, whatever the credential and mode.",
             source: Source.staging,
             kind: .needsSecondFactor { f in f.operation == .promoteStaged && f.accountHasTwoFactor },
             message: { f in "Approve the promotion of \(f.package?.name ?? "this package")'s staged version with a one-time pass or your security key." }),
        Rule(id: .twoFactorPackageSettingsChange, attribution: .fixed(.packageRequiresTwoFactor), response: .otpChallenge,
             checks: "From 10 Dec 2025, changing a package's settings (publishing setting, trusted publisher, visibility) needs the second factor, whatever the token.",
             source: Source.settingsNeedTwoFactor,
             kind: .needsSecondFactor { f in
                 f.operation.isPackageSettingsChange && f.era.has(.packageSettingsNeedTwoFactor) && f.accountHasTwoFactor
             },
             message: { _ in "Changing a package's settings needs a one-time pass." }),
    ]

    /// Rules that report a bad second factor in place of the requirement that asked for it.
    public static let secondFactorFailures: [Rule] = [
        Rule(id: .otpRateLimited, attribution: .fixed(.otpRateLimit), response: .forbidden,
             checks: "Too many wrong codes for this account recently; all codes are refused for a while.",
             source: Source.rfc6238,
             kind: .refuses { $0.secondFactor == .rateLimited },
             message: { _ in "Too many wrong one-time passwords for this account; wait before trying again." }),
        Rule(id: .securityKeyWrongOrigin, attribution: .fixed(.securityKey), response: .forbidden,
             checks: "A security-key assertion signed for another web origin (a phishing page relayed it).",
             source: Source.webauthn,
             kind: .refuses { if case .wrongOrigin = $0.secondFactor { true } else { false } },
             message: { f in
                 if case .wrongOrigin(let o) = f.secondFactor { return "The security key signed for \(o), not for this registry: a relayed assertion is refused." }
                 return "The security key signed for another site."
             }),
        Rule(id: .otpReused, attribution: .fixed(.otpReplayProtection), response: .otpChallenge,
             checks: "A one-time code that another request already used.",
             source: Source.rfc6238,
             kind: .refuses { $0.secondFactor == .reusedCode },
             message: { _ in "This one-time password was already used; wait for the next one." }),
        Rule(id: .recoveryCodeUsed, attribution: .accountSecondFactor, response: .otpChallenge,
             checks: "A recovery code that was already used (each works once).",
             source: Source.twoFactor,
             kind: .refuses { $0.secondFactor == .usedRecoveryCode },
             message: { _ in "This recovery code was already used." }),
        Rule(id: .otpInvalid, attribution: .accountSecondFactor, response: .otpChallenge,
             checks: "A one-time code, recovery code or assertion that does not verify.",
             source: Source.twoFactor,
             kind: .refuses { $0.secondFactor == .wrongCode || $0.secondFactor == .notEnrolled },
             message: { _ in "This one-time password is not valid." }),
    ]
}
