/// A request that is malformed or impossible, whatever the defenses: each case says what is wrong.
public enum RegistryError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidPackageName(String, reason: String)
    case invalidVersion(String)
    case versionExists(package: String, version: String)
    case integrityMismatch(expected: String, actual: String)
    case malformedIntegrity(String)
    case unknownAccount(String)
    case accountExists(String)
    case unknownPackage(String)
    case unknownVersion(package: String, version: String)
    case unknownToken(String)
    case invalidCIDR(String)
    case tooLarge(what: String, size: Int, limit: Int)
    /// Too many of something a package or an account holds (dist-tags, say).
    case tooMany(what: String, count: Int, limit: Int)
    case invalidArgument(String)
    case invalidDistTag(String)
    case lastOwner(String)
    case unknownOrg(String)
    case notEnrolled(String)
    /// Not the request's fault: SQLite could not read or commit (disk full, I/O error). Carries the result code only.
    case storageFailed(String)

    /// A stable id, listed in the rules catalog next to the policy's rules.
    public var rule: RuleID {
        switch self {
        case .invalidPackageName: .inputPackageName
        case .invalidVersion: .inputVersion
        case .versionExists: .inputVersionExists
        case .integrityMismatch: .inputIntegrityMismatch
        case .malformedIntegrity: .inputIntegrityMalformed
        case .unknownAccount: .inputUnknownAccount
        case .accountExists: .inputAccountExists
        case .unknownPackage: .inputUnknownPackage
        case .unknownVersion: .inputUnknownVersion
        case .unknownToken: .inputUnknownToken
        case .invalidCIDR: .inputCIDR
        case .tooLarge, .tooMany: .inputTooLarge
        case .invalidArgument: .inputInvalid
        case .invalidDistTag: .inputDistTag
        case .lastOwner: .inputLastOwner
        case .unknownOrg: .inputUnknownOrg
        case .notEnrolled: .inputNotEnrolled
        case .storageFailed: .storageFailed
        }
    }

    public var response: WireResponse {
        switch self {
        case .unknownPackage, .unknownVersion, .unknownAccount, .unknownToken, .unknownOrg: .notFound
        case .versionExists: .forbidden
        case .storageFailed: .serverFault
        default: .badRequest
        }
    }

    public var description: String {
        switch self {
        case .invalidPackageName(let n, let why): "Invalid package name '\(n)': \(why)."
        case .invalidVersion(let v): "Invalid version '\(v)': versions follow Semantic Versioning, like 1.2.3 or 2.0.0-beta.1."
        case .versionExists(let p, let v): "You cannot publish over the previously published versions: \(v) of \(p)."
        case .integrityMismatch(let e, let a): "The tarball's integrity does not match: the request says \(e), the bytes hash to \(a)."
        case .malformedIntegrity(let i): "'\(i)' is not an integrity string: write sha512-<base64 of the SHA-512 digest>."
        case .unknownAccount(let a): "There is no user with the username \"\(a)\"."
        case .accountExists(let a): "The name \"\(a)\" is already taken: users and organisations share one namespace, their scopes."
        case .unknownPackage(let p): "Package \(p) is not in this registry."
        case .unknownVersion(let p, let v): "Version \(v) of \(p) is not in this registry."
        case .unknownToken(let t): "There is no token with id \(t)."
        case .invalidCIDR(let why): why
        case .tooLarge(let what, let size, let limit): "The \(what) is \(size) bytes; the limit is \(limit)."
        case .tooMany(let what, let count, let limit): "That would make \(count) \(what); the limit is \(limit)."
        case .invalidArgument(let why): why
        case .invalidDistTag(let t): "Invalid dist-tag '\(t)': a tag cannot be empty, contain spaces or slashes, or be a valid semver range."
        case .lastOwner(let p): "Cannot remove the last owner of \(p)."
        case .unknownOrg(let o): "There is no organisation \(o)."
        case .notEnrolled(let why): why
        case .storageFailed(let why): why
        }
    }
}

/// Why the registry did not do what was asked: a policy denial, or bad input.
public enum Refusal: Error, Sendable, Equatable, CustomStringConvertible {
    case denied(Denial)
    case invalid(RegistryError)

    public var rule: RuleID {
        switch self { case .denied(let d): d.rule; case .invalid(let e): e.rule }
    }
    public var defense: DefenseID {
        switch self { case .denied(let d): d.defense; case .invalid: .inputValidation }
    }
    public var message: String {
        switch self { case .denied(let d): d.message; case .invalid(let e): e.description }
    }
    public var response: WireResponse {
        switch self { case .denied(let d): d.response; case .invalid(let e): e.response }
    }
    public var description: String { "\(message) [rule \(rule)]" }
}
