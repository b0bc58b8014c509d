/// Every id a refusal, a replay step, an audit entry or an HTTP answer can name, in one closed set.
///
/// The policy's rules (``Rule/catalog``, ``Rule/secondFactorFailures``) each carry one; so do the checks around the
/// policy: a malformed or impossible request (``RegistryError``), a failed store, a request the HTTP parser refuses,
/// a mail the actor cannot read, and the replay engine's consumer-side controls. `regdrill rules` lists every case
/// (a test fails when one is missing), and code compares these values, never their text.
public enum RuleID: String, CaseIterable, Sendable, Codable, Comparable, CustomStringConvertible {
    // The policy: authentication and credentials.
    case credentialRequired = "auth.credential-required"
    case passwordRateLimited = "auth.password-rate-limited"
    case unknownAccount = "auth.unknown-account"
    case passwordInvalid = "auth.password-invalid"
    case tokenUnknown = "auth.token-unknown"
    case classicTokenRetired = "token.classic-retired"
    case tokenRevoked = "token.revoked"
    case tokenExpired = "token.expired"
    case sessionExpired = "session.expired"
    case cidrMismatch = "token.cidr-mismatch"
    case oidcInvalid = "oidc.invalid"
    case oidcPublishOnly = "oidc.publish-only"
    // The policy: what may be created.
    case totpSetupClosed = "2fa.totp-setup-closed"
    case securityKeyUnavailable = "2fa.security-key-unavailable"
    case classicCreationDisabled = "token.classic-creation-disabled"
    case tokenKindUnavailable = "token.kind-unavailable"
    case tokenLifetimeTooLong = "token.lifetime-too-long"
    case tokenExpiryRequired = "token.expiry-required"
    case tokenLimitReached = "token.limit-reached"
    case trustedPublishingUnavailable = "trusted.unavailable"
    case trustedProviderUnavailable = "trusted.provider-unavailable"
    case trustedPublisherLimit = "trusted.limit-reached"
    case trustedPublisherNoEdit = "trusted.no-edit"
    case stagingUnavailable = "stage.unavailable"
    case stagingNeedsExistingPackage = "stage.needs-existing-package"
    case stagingNeedsTwoFactorAccount = "stage.needs-two-factor-account"
    case promotionNeedsTwoFactorAccount = "stage.promote-needs-two-factor"
    case oidcActionNotAllowed = "oidc.action-not-allowed"
    case dualUseMustStage = "package.dual-use-must-stage"
    // The policy: permissions.
    case readOnlyToken = "token.read-only"
    case stageOnlyToken = "token.stage-only"
    case bypassTokenStageOnly = "token.bypass-stage-only"
    case tokenPackageScope = "token.package-scope"
    case automationAccountActions = "token.automation-account-actions"
    case packageNotFound = "package.not-found"
    case notMaintainer = "package.not-maintainer"
    case scopeReserved = "scope.reserved"
    case scopeNotFound = "scope.not-found"
    case scopeNotOwned = "scope.not-owner"
    case nameTooSimilar = "package.name-too-similar"
    case orgTwoFactorRequired = "org.two-factor-required"
    case orgCannotDisableTwoFactor = "org.cannot-disable-two-factor"
    case orgEnforcementUnavailable = "org.enforcement-unavailable"
    case orgOwnerNeedsTwoFactor = "org.owner-needs-two-factor"
    case highImpactNeedsTwoFactor = "2fa.high-impact-maintainer"
    case accountReadOnly = "account.read-only"
    case tokensDisallowed = "package.tokens-disallowed"
    case settingsNeedTwoFactor = "package.settings-need-two-factor"
    case publishingSettingUnavailable = "package.setting-unavailable"
    case packageRequiresTwoFactor = "package.requires-two-factor"
    case unpublishWindowClosed = "unpublish.window-closed"
    case packageNameHeld = "unpublish.name-held"
    case unpublishHasDependents = "unpublish.has-dependents"
    // The policy: second factors asked for.
    case twoFactorLogin = "2fa.login"
    case twoFactorPasswordRequest = "2fa.password-request"
    case emailedLoginCode = "login.emailed-code"
    case bypassTokenAccountAction = "2fa.bypass-token-account-action"
    case twoFactorAccountChanges = "2fa.account-changes"
    case twoFactorTokenManagement = "2fa.token-management"
    case twoFactorWrites = "2fa.writes"
    case twoFactorPackagePublishing = "2fa.package-publishing"
    case twoFactorPackageSettingsChange = "2fa.package-settings-change"
    case twoFactorPromotion = "2fa.promote-staged"
    // The policy: a bad second factor.
    case otpRateLimited = "otp.rate-limited"
    case securityKeyWrongOrigin = "security-key.wrong-origin"
    case otpReused = "otp.reused"
    case recoveryCodeUsed = "recovery-code.used"
    case otpInvalid = "otp.invalid"
    // Around the policy: malformed or impossible requests (``RegistryError``), the store, the HTTP parser.
    case inputPackageName = "input.package-name"
    case inputVersion = "input.version"
    case inputVersionExists = "input.version-exists"
    case inputIntegrityMismatch = "input.integrity-mismatch"
    case inputIntegrityMalformed = "input.integrity-malformed"
    case inputUnknownAccount = "input.unknown-account"
    case inputAccountExists = "input.account-exists"
    case inputUnknownPackage = "input.unknown-package"
    case inputUnknownVersion = "input.unknown-version"
    case inputUnknownToken = "input.unknown-token"
    case inputCIDR = "input.cidr"
    case inputTooLarge = "input.too-large"
    case inputInvalid = "input.invalid"
    case inputDistTag = "input.dist-tag"
    case inputLastOwner = "input.last-owner"
    case inputUnknownOrg = "input.unknown-org"
    case inputNotEnrolled = "input.not-enrolled"
    case storageFailed = "storage.failed"
    case httpMalformed = "http.malformed"
    // The replay engine.
    case mailNotControlled = "mail.not-controlled"
    case consumerIgnoreScripts = "consumer.ignore-scripts"
    case consumerMinimumReleaseAge = "consumer.minimum-release-age"
    case consumerScriptsNotAllowed = "consumer.scripts-not-allowed"

    public var description: String { rawValue }

    /// Whether refusing a direct publish under this rule tells the publisher to stage the version instead
    /// (`E_STAGE_REQUIRED`, npm's staged publishing, from 20 May 2026): a stage-only token (npm/documentation PR 2036),
    /// a bypass-2FA token from Jan 2027 (GitHub changelog 2026-07-08), a stage-only trusted publisher, or a version that
    /// declares dual-use content (npm/documentation f33dde9e).
    public var asksForStaging: Bool {
        switch self {
        case .stageOnlyToken, .bypassTokenStageOnly, .oidcActionNotAllowed, .dualUseMustStage: true
        default: false
        }
    }

    public static func < (a: RuleID, b: RuleID) -> Bool { a.rawValue < b.rawValue }

    /// What the checks around the policy refuse, for the catalog (the policy's rules and the consumer-side controls
    /// describe themselves where they are defined).
    public static let checksAroundThePolicy: [(id: RuleID, checks: String, response: WireResponse)] = [
        (.inputPackageName, "The package name breaks npm's naming rules.", .badRequest),
        (.inputVersion, "The version is not valid semver.", .badRequest),
        (.inputVersionExists, "That version was published before (a version number is never reused, build metadata aside).", .badRequest),
        (.inputIntegrityMismatch, "The tarball does not match the integrity the request declares.", .badRequest),
        (.inputIntegrityMalformed, "The integrity is not a sha512 subresource-integrity string.", .badRequest),
        (.inputUnknownAccount, "The request names an account that does not exist.", .notFound),
        (.inputAccountExists, "An account with that name exists already.", .badRequest),
        (.inputUnknownPackage, "The request names a package that does not exist.", .notFound),
        (.inputUnknownVersion, "The request names a version the package does not have.", .notFound),
        (.inputUnknownToken, "No token of the caller's matches the key or token given.", .notFound),
        (.inputCIDR, "A CIDR block that is not an IPv4 block (the npm CLI takes IPv4 only).", .badRequest),
        (.inputTooLarge, "A tarball, document or field over the registry's limit.", .badRequest),
        (.inputInvalid, "An argument that is missing, of the wrong type or out of range.", .badRequest),
        (.inputDistTag, "A dist-tag that is not a valid tag (a version number cannot be a tag).", .badRequest),
        (.inputLastOwner, "Removing the last owner of a package.", .badRequest),
        (.inputUnknownOrg, "The request names an organisation that does not exist.", .notFound),
        (.inputNotEnrolled, "Confirming a 2FA enrolment that is not pending, or with a code of another secret.", .badRequest),
        (.storageFailed, "The registry's storage failed (a 500 with SQLite's result code only): the registry's fault, not the request's.", .serverFault),
        (.httpMalformed, "A request the HTTP parser refuses (a 400 with a JSON error).", .badRequest),
        (.mailNotControlled, "In a replay, a password reset whose mail goes to a domain the actor does not control.", .forbidden),
    ]
}
