/// The kinds of bearer credential npm has issued.
public enum TokenKind: String, Sendable, Codable, CaseIterable {
    /// Classic read-only token: downloads and reads only.
    case readOnly = "read-only"
    /// Classic publish token: what `npm login` minted until Dec 2025; can do all the user can.
    case publish
    /// Classic automation token (2 Oct 2020 to 9 Dec 2025): publishes without ever being asked for 2FA.
    case automation
    /// Granular access token (from Dec 2022): package/scope limits, permission, expiry, CIDR, bypass-2FA flag.
    case granular
    /// A login session (from Dec 2025): interactive, not listed among tokens, 2 hours by default.
    case session

    public var isClassic: Bool { self == .readOnly || self == .publish || self == .automation }
}

/// What a granular token may do with the packages it names.
public enum TokenPermission: String, Sendable, Codable, CaseIterable {
    case readOnly = "read-only"
    case readWrite = "read-write"
    /// "Read and write (stage only)", granular tokens from 10 Sep 2026: stages, deprecates, moves dist-tags and
    /// unpublishes; a direct publish is refused with `E_STAGE_REQUIRED` (npm/documentation PR 2036).
    case readWriteStageOnly = "read-write-stage-only"

    /// Whether tokens of this permission write at all.
    public var canWrite: Bool { self != .readOnly }

    /// The package writes a stage-only token may make.
    public static let stageOnlyWrites: Set<OperationKind> = [.stagePublish, .deprecate, .setDistTag, .removeDistTag, .unpublish]
}

/// Everything needed to create a token; the registry checks it against the era and policy.
public struct TokenRequest: Sendable, Equatable {
    public var kind: TokenKind
    public var permission: TokenPermission
    /// Package names a granular token is limited to; empty with empty `scopes` means all of the user's packages.
    public var packages: [String]
    /// Scopes (`@org`) a granular token is limited to.
    public var scopes: [String]
    public var cidrAllowlist: [CIDRBlock]
    /// Seconds from creation; nil for tokens that never expire (classic).
    public var lifetime: Int64?
    public var bypassTwoFactor: Bool
    public var description: String

    public init(kind: TokenKind, permission: TokenPermission? = nil, packages: [String] = [], scopes: [String] = [],
                cidrAllowlist: [CIDRBlock] = [], lifetime: Int64? = nil, bypassTwoFactor: Bool = false, description: String = "") {
        self.kind = kind
        self.permission = permission ?? (kind == .readOnly ? .readOnly : .readWrite)
        self.packages = packages
        self.scopes = scopes
        self.cidrAllowlist = cidrAllowlist
        self.lifetime = lifetime
        self.bypassTwoFactor = bypassTwoFactor
        self.description = description
    }

    public static let classicPublish = TokenRequest(kind: .publish)
    public static let classicReadOnly = TokenRequest(kind: .readOnly)
}

/// A token as listed: never the secret, only its first characters and its key.
public struct TokenSummary: Sendable, Equatable, Codable {
    /// The sha512 hex of the token: what npm lists and revokes by.
    public var key: String
    /// The first 6 characters of the token string.
    public var prefix: String
    public var owner: String
    public var kind: TokenKind
    public var permission: TokenPermission
    public var packages: [String]
    public var scopes: [String]
    public var cidrAllowlist: [String]
    public var bypassTwoFactor: Bool
    public var created: Int64
    public var expires: Int64?
    public var revoked: Int64?
    public var readOnly: Bool { permission == .readOnly }
}

/// A newly created token: the only time its secret is shown.
public struct IssuedToken: Sendable, Equatable {
    public var token: String
    public var summary: TokenSummary
}
