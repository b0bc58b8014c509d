import DrillCrypto
import Foundation
import GRDB

/// How a registry is set up: which era's rules, the policy's parameters, the password-hashing cost, its web origin, its limits.
public struct RegistryConfiguration: Sendable {
    public var era: RegistryEra
    public var parameters: PolicyParameters
    public var passwordCost: PasswordHasher.Cost
    /// The origin people type their credentials into; security-key assertions are verified against it.
    public var origin: String
    /// The largest tarball accepted (npm's own limit is far larger; a workshop needs far less).
    public var maximumTarballBytes: Int

    public init(era: RegistryEra = .latest, parameters: PolicyParameters = .init(),
                passwordCost: PasswordHasher.Cost = .bulkSimulation, origin: String = "https://www.npmjs.com",
                maximumTarballBytes: Int = 8 * 1024 * 1024) {
        self.era = era; self.parameters = parameters; self.passwordCost = passwordCost
        self.origin = origin; self.maximumTarballBytes = maximumTarballBytes
    }
}

/// The simulated npm-like registry.
///
/// Every operation takes a ``RequestContext`` (who is asking, with what, from where), gathers the
/// facts, asks ``Policy/decide(_:)``, and only then acts, all inside one SQLite transaction: a
/// refused or failed operation changes nothing but the audit log (and, deliberately, the counters
/// of wrong second-factor codes and the login codes it emails).
public final class Registry: Sendable {
    public let store: RegistryStore
    public let clock: any RegistryClock
    public let configuration: RegistryConfiguration
    let hasher: PasswordHasher

    public init(configuration: RegistryConfiguration = .init(), clock: any RegistryClock = SystemClock(), store: RegistryStore? = nil) throws {
        self.store = try store ?? RegistryStore.inMemory()
        self.clock = clock
        self.configuration = configuration
        self.hasher = PasswordHasher(cost: configuration.passwordCost)
    }

    /// The same registry rules and clock over an independent copy of the current state.
    public func copy(clock: (any RegistryClock)? = nil, meter: StoreMeter? = nil) throws -> Registry {
        try Registry(configuration: configuration, clock: clock ?? self.clock, store: store.copy(meter: meter))
    }

    public var era: RegistryEra { configuration.era }
}

// MARK: - Rows

struct AccountRow: Sendable {
    var name: String
    var email: String
    var passwordHash: String
    var mode: TwoFactorMode
    var kind: SecondFactorKind?
    var pendingMode: TwoFactorMode?
    var totpSecret: String?
    var totpDigits: Int
    var totpAlgorithm: HashAlgorithm
    var lastStep: Int64?
    var lastCredential: String?
    var isStaff: Bool
    var created: Int64
    var updated: Int64
    /// The end of a read-only period (npm's safeguard for high-impact accounts), if one was started.
    var readOnlyUntil: Int64?

    init(_ row: Row) {
        name = row["name"]; email = row["email"]; passwordHash = row["password_hash"]
        mode = TwoFactorMode(rawValue: row["tfa_mode"]) ?? .disabled
        kind = (row["tfa_kind"] as String?).flatMap(SecondFactorKind.init(rawValue:))
        pendingMode = (row["tfa_pending_mode"] as String?).flatMap(TwoFactorMode.init(rawValue:))
        totpSecret = row["totp_secret"]; totpDigits = row["totp_digits"]
        totpAlgorithm = HashAlgorithm(rawValue: row["totp_algorithm"]) ?? .sha1
        lastStep = row["totp_last_step"]; lastCredential = row["totp_last_credential"]
        isStaff = row["is_staff"]; created = row["created"]; updated = row["updated"]
        readOnlyUntil = row["read_only_until"]
    }

    static func fetch(_ db: Database, _ name: String) throws -> AccountRow? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM account WHERE name = ?"), arguments: [name]).map(AccountRow.init)
    }

    var profile: AccountProfile {
        AccountProfile(name: name, email: email, twoFactorMode: mode, secondFactorKind: mode == .disabled ? nil : kind,
                       twoFactorPending: pendingMode != nil && mode == .disabled, created: created, updated: updated)
    }
}

struct TokenRow: Sendable {
    var key: String
    var prefix: String
    var owner: String
    var kind: TokenKind
    var permission: TokenPermission
    var packages: [String]
    var scopes: [String]
    var cidr: [String]
    var bypass: Bool
    var description: String
    var created: Int64
    var expires: Int64?
    var revoked: Int64?
    /// Until when this session skips second-factor prompts ("skip 2FA for the next 5 minutes", from Feb 2026).
    var secondFactorGraceUntil: Int64?

    init(_ row: Row) {
        key = row["key"]; prefix = row["prefix"]; owner = row["owner"]
        kind = TokenKind(rawValue: row["kind"]) ?? .readOnly
        permission = TokenPermission(rawValue: row["permission"]) ?? .readOnly
        packages = JSONList.decode(row["packages"]); scopes = JSONList.decode(row["scopes"]); cidr = JSONList.decode(row["cidr"])
        bypass = row["bypass_2fa"]; description = row["description"]
        created = row["created"]; expires = row["expires"]; revoked = row["revoked"]
        secondFactorGraceUntil = row["second_factor_grace_until"]
    }

    static func fetch(_ db: Database, key: String) throws -> TokenRow? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM token WHERE key = ?"), arguments: [key]).map(TokenRow.init)
    }

    var summary: TokenSummary {
        TokenSummary(key: key, prefix: prefix, owner: owner, kind: kind, permission: permission, packages: packages, scopes: scopes,
                     cidrAllowlist: cidr, bypassTwoFactor: bypass, created: created, expires: expires, revoked: revoked)
    }
}

enum JSONList {
    static func encode(_ list: [String]) -> String {
        (try? String(decoding: JSONEncoder().encode(list), as: UTF8.self)) ?? "[]"
    }
    static func decode(_ text: String?) -> [String] {
        guard let text, let data = text.data(using: .utf8) else { return [] }
        return (try? JSONDecoder().decode([String].self, from: data)) ?? []
    }
    static func encodeMap(_ map: [String: String]) -> String {
        let encoder = JSONEncoder(); encoder.outputFormatting = .sortedKeys
        return (try? String(decoding: encoder.encode(map), as: UTF8.self)) ?? "{}"
    }
    static func decodeMap(_ text: String?) -> [String: String] {
        guard let text, let data = text.data(using: .utf8) else { return [:] }
        return (try? JSONDecoder().decode([String: String].self, from: data)) ?? [:]
    }
}
