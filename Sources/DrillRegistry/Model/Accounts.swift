import Synchronization
import DrillCrypto

/// An account's two-factor mode, as npm has had since Oct 2017.
public enum TwoFactorMode: String, Sendable, Codable, CaseIterable {
    /// No second factor enrolled.
    case disabled
    /// The second factor guards login and account changes (and, from Aug 2022, token management).
    case authOnly = "auth-only"
    /// The second factor guards login, account changes and every write (publish, unpublish, owners, tags...).
    case authAndWrites = "auth-and-writes"
}

/// The kind of second factor an account has enrolled.
public enum SecondFactorKind: String, Sendable, Codable, CaseIterable {
    /// An authenticator app: RFC 6238 codes, which a phishing page can relay.
    case totp
    /// A security key: signatures bound to the origin, which a phishing proxy cannot relay.
    case securityKey = "security-key"
}

/// What the person or program presents as the first credential of a request.
public enum Credential: Sendable, Equatable {
    case none
    /// Username and password (a legacy login, HTTP Basic, or a web login form).
    case password(username: String, password: String)
    /// A bearer string: a classic or granular token, or a login session token.
    case bearer(String)
    /// A short-lived OIDC credential minted by a trusted publisher's CI workflow.
    case oidc(String)
}

/// What is presented as the second factor, if anything.
public enum SecondFactor: Sendable, Equatable {
    case none
    case totp(String)
    case recoveryCode(String)
    case securityKey(SecurityKeyAssertion)
    /// The code that enhanced login verification emailed to the account's address.
    case emailCode(String)

    public var isPresent: Bool { self != .none }
}

/// Who is asking: the credential, the second factor, where the request comes from, and which
/// origin the person typed their secrets into (a phishing page has another origin than the registry).
public struct RequestContext: Sendable {
    public var credential: Credential
    public var secondFactor: SecondFactor
    public var sourceAddress: IPAddress
    /// The web origin where the credentials were entered; the registry's own origin unless phished.
    public var origin: String?
    /// Where an allowed request's notices go (a revoked token honoured from cache): the server sends them as
    /// `npm-notice` headers, a replay adds them to the step's details. Nil: nobody listens (the audit log keeps them).
    public var notices: RequestNotices?
    /// The website's "skip 2FA for the next 5 minutes" box, ticked at this prompt (from 11 Feb 2026): a second factor
    /// verified with this request is remembered by the session for ``PolicyParameters/secondFactorGraceSeconds``.
    public var skipsSecondFactorBriefly: Bool

    public init(credential: Credential, secondFactor: SecondFactor = .none, sourceAddress: IPAddress = .loopback, origin: String? = nil,
                notices: RequestNotices? = nil, skipsSecondFactorBriefly: Bool = false) {
        self.credential = credential
        self.secondFactor = secondFactor
        self.sourceAddress = sourceAddress
        self.origin = origin
        self.notices = notices
        self.skipsSecondFactorBriefly = skipsSecondFactorBriefly
    }

    public static func anonymous(from address: IPAddress = .loopback) -> RequestContext {
        RequestContext(credential: .none, sourceAddress: address)
    }
}

/// An account as the registry exposes it (never its secrets).
public struct AccountProfile: Sendable, Equatable, Codable {
    public var name: String
    public var email: String
    public var twoFactorMode: TwoFactorMode
    public var secondFactorKind: SecondFactorKind?
    public var twoFactorPending: Bool
    public var created: Int64
    public var updated: Int64
}

/// A second factor enrolled for an account, returned once at enrolment.
public struct TOTPEnrolment: Sendable, Equatable {
    public var base32Secret: String
    public var otpauthURI: String
}

/// What the registry tells the caller about a request it allowed, one sentence each.
public final class RequestNotices: Sendable {
    private let lines = Mutex<[String]>([])
    public init() {}
    public func add(_ line: String) { lines.withLock { $0.append(line) } }
    public var all: [String] { lines.withLock { $0 } }
}
