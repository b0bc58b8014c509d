/// A defense: one named mechanism of the registry that can refuse a request.
///
/// Every denial names the defense that caused it. The catalog below is what `regdrill rules`
/// groups by; the scenario engine's profiles switch these defenses on for the simulated world
/// (for example by enrolling victims in auth-and-writes, or by making the tokens on their machines
/// read-only). ``DefenseID/accessControl`` and ``DefenseID/inputValidation`` are not defenses one
/// chooses: they are the registry's ordinary permission and correctness checks.
public enum DefenseID: String, Sendable, Codable, CaseIterable, Comparable {
    case twoFactorAuthOnly = "auth-only"
    case twoFactorAuthAndWrites = "auth-and-writes"
    case securityKey = "security-key"
    case emailedLoginCode = "emailed-login-code"
    case totpSetupClosed = "totp-setup-closed"
    case otpReplayProtection = "otp-single-use"
    case otpRateLimit = "otp-rate-limit"
    case passwordThrottle = "password-throttle"
    case readOnlyTokens = "read-only-tokens"
    case cidrTokens = "cidr-tokens"
    case tokenExpiry = "token-expiry"
    case tokenPackageScope = "token-package-scope"
    case tokenRevocation = "token-revocation"
    case classicTokenRetirement = "classic-token-retirement"
    case shortLoginSessions = "short-login-sessions"
    case packageRequiresTwoFactor = "package-requires-2fa"
    case disallowTokens = "disallow-tokens"
    case trustedPublishing = "trusted-publishing"
    case stagedPublishing = "staged-publishing"
    case bypassTokenRestrictions = "bypass-token-restrictions"
    case orgTwoFactorEnforcement = "org-2fa-enforcement"
    case highImpactTwoFactor = "high-impact-2fa"
    case accountChangeSafeguard = "account-change-safeguard"
    case unpublishPolicy = "unpublish-policy"
    case nameSimilarity = "name-similarity"
    case accessControl = "access-control"
    case inputValidation = "input-validation"

    public static func < (a: DefenseID, b: DefenseID) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// A line a workshop audience understands.
    public var summary: String {
        switch self {
        case .twoFactorAuthOnly: "Account 2FA in auth-only mode: a second factor at login, for any request made with the password, for account changes and for creating tokens."
        case .twoFactorAuthAndWrites: "Account 2FA in auth-and-writes mode: a second factor also for every publish and other write."
        case .securityKey: "The second factor is a security key (from 10 May 2022): its signature is bound to the real site, so a phishing page cannot relay it."
        case .emailedLoginCode: "Accounts without 2FA must enter a code emailed to them with the password: at login and for any password request (publishers from Dec 2021, everyone from Mar 2022)."
        case .totpSetupClosed: "New second factors are security keys only (from 13 Oct 2025): someone holding the password cannot enrol their own authenticator app."
        case .otpReplayProtection: "A one-time code is refused once another request has used it."
        case .otpRateLimit: "Wrong one-time codes are rate limited per account."
        case .passwordThrottle: "After too many wrong passwords (for an account from one address, for an account from anywhere, or from one address for any accounts) passwords are not checked for a while."
        case .readOnlyTokens: "Read-only tokens can download but never publish or change anything."
        case .cidrTokens: "Tokens limited to an IP range (CIDR allowlist) are refused from anywhere else."
        case .tokenExpiry: "Tokens with an expiry date stop working when it passes."
        case .tokenPackageScope: "Granular tokens only reach the packages and scopes they name."
        case .tokenRevocation: "Revoked tokens stop working (after the registry's cache grace)."
        case .classicTokenRetirement: "npm retired classic tokens: no new ones from 5 Nov 2025, all revoked 9 Dec 2025."
        case .shortLoginSessions: "npm login yields a short session (2 hours from Dec 2025) instead of a token that never expires."
        case .packageRequiresTwoFactor: "The package's publishing setting requires 2FA (or a token allowed to bypass it)."
        case .disallowTokens: "The package requires 2FA and disallows tokens: only an interactive publish with a second factor, or trusted publishing."
        case .trustedPublishing: "Only the package's configured CI workflow publishes, with a short-lived single-use OIDC credential."
        case .stagedPublishing: "A version a token or CI uploads waits, unseen, until a maintainer approves it with 2FA (from 20 May 2026)."
        case .bypassTokenRestrictions: "Bypass-2FA tokens need an interactive 2FA challenge to manage tokens, the account, a package's access and maintainers, or orgs (from 31 Jul 2026)."
        case .orgTwoFactorEnforcement: "The organisation requires 2FA of every member."
        case .highImpactTwoFactor: "Maintainers of high-impact packages must have 2FA: without it they cannot change their email or password, maintainers or package settings, or create tokens (top 100 from Feb 2022, every high-impact package from Nov 2022)."
        case .accountChangeSafeguard: "A high-impact account is read-only for 72 hours after an email change or a recovery-code use, and the old address is alerted (from 25 Jun 2026): a takeover cannot change the email, mint a token and publish."
        case .unpublishPolicy: "Versions can only be unpublished within the window npm allows."
        case .nameSimilarity: "A new unscoped name that differs from an existing package only by punctuation or case is refused (from Dec 2017): reactnative cannot pose as react-native."
        case .accessControl: "Ordinary permissions: only maintainers write to a package, only a scope's user or organisation members create packages in it; credentials must be valid."
        case .inputValidation: "The request itself is malformed or impossible."
        }
    }

    /// Whether this is a defense one can choose to deploy (as opposed to ordinary checks).
    public var isChosenDefense: Bool { self != .accessControl && self != .inputValidation }
}
