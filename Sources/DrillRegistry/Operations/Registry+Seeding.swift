import DrillCrypto
import Foundation
import GRDB

/// Setting up a world directly, without requests: the state an incident started from.
///
/// Seeding bypasses the policy on purpose (the accounts, tokens and packages existed before the story
/// starts) and is not audited as requests are. Each call is one transaction.
extension Registry {
    /// Creates an account with the given second factor already enrolled.
    public func seedAccount(name: String, email: String, password: String, twoFactor: TwoFactorMode = .disabled,
                            totpSecret: String? = nil, securityKeyDER: [UInt8]? = nil, isStaff: Bool = false,
                            created: Int64? = nil) throws {
        let now = created ?? clock.now()
        try Registry.validateUsername(name)
        try Registry.validateEmail(email)
        try store.writeWithoutTransaction { db in
            try db.inTransaction {
                guard try AccountRow.fetch(db, name) == nil else { throw Refusal.invalid(.accountExists(name)) }
                try db.cachedStatement(sql: "INSERT INTO account (name, email, password_hash, is_staff, created, updated) VALUES (?, ?, ?, ?, ?, ?)").execute(arguments: [name, email, hasher.hash(password), isStaff, now, now])
                if twoFactor != .disabled {
                    if let key = securityKeyDER {
                        try Registry.enrolSecurityKey(db, account: name, publicKeyDER: key, label: "seeded key", mode: twoFactor, now: now)
                    } else {
                        let secret = totpSecret ?? Base32.encode(SecureRandom.bytes(20))
                        _ = try Base32.decode(secret)
                        try db.cachedStatement(sql: "UPDATE account SET tfa_mode = ?, tfa_kind = 'totp', totp_secret = ? WHERE name = ?").execute(arguments: [twoFactor.rawValue, secret, name])
                    }
                }
                return .commit
            }
        }
    }

    /// Issues a token to `owner` as if created at `created`; returns the secret.
    @discardableResult
    public func seedToken(owner: String, request: TokenRequest, created: Int64? = nil, expires: Int64? = nil) throws -> String {
        let at = created ?? clock.now()
        return try store.writeWithoutTransaction { db in
            var secret = ""
            try db.inTransaction {
                guard try AccountRow.fetch(db, owner) != nil else { throw Refusal.invalid(.unknownAccount(owner)) }
                secret = try Registry.insertToken(db, owner: owner, request: request, created: at,
                                                  expires: expires ?? request.lifetime.map { at + $0 }).token
                return .commit
            }
            return secret
        }
    }

    /// A login `owner` made at `at` that is still with them (in a browser or npm's stored login): what the era's
    /// login yields (``insertLogin(_:owner:at:)``). When the holder ticked "skip 2FA for the next 5 minutes" at its 2FA
    /// prompt (`skippedSecondFactor`, from 11 Feb 2026) the session stands for a second factor for
    /// ``PolicyParameters/secondFactorGraceSeconds`` from then.
    public func seedLogin(owner: String, at: Int64, skippedSecondFactor: Bool = false) throws -> LoginResult {
        try store.writeWithoutTransaction { db in
            var login: LoginResult!
            try db.inTransaction {
                guard try AccountRow.fetch(db, owner) != nil else { throw Refusal.invalid(.unknownAccount(owner)) }
                let (key, result) = try insertLogin(db, owner: owner, at: at)
                if skippedSecondFactor && result.kind == .session && era.has(.webSecondFactorGrace) {
                    try Registry.openSecondFactorGrace(db, tokenKey: key, at: at, parameters: configuration.parameters)
                }
                login = result
                return .commit
            }
            return login
        }
    }

    /// Creates a package with maintainers, settings and versions (each a small generated tarball).
    public func seedPackage(name: String, maintainers: [String], versions: [String] = ["1.0.0"], policy: PublishingPolicy = .twoFactorNotRequired,
                            trustedPublisher: TrustedPublisher? = nil, weeklyDownloads: Int = 0, created: Int64? = nil,
                            dependencies: [String] = []) throws {
        let now = created ?? clock.now()
        try Registry.validateName(name)
        try store.writeWithoutTransaction { db in
            try db.inTransaction {
                try db.cachedStatement(sql: """
                    INSERT INTO package (name, created, modified, policy, weekly_downloads) VALUES (?, ?, ?, ?, ?)
                    """).execute(arguments: [name, now, now, policy.rawValue, weeklyDownloads])
                if let trustedPublisher { try Registry.insertTrustedPublisher(db, package: name, trustedPublisher) }
                for m in maintainers {
                    guard try AccountRow.fetch(db, m) != nil else { throw Refusal.invalid(.unknownAccount(m)) }
                    try db.cachedStatement(sql: "INSERT INTO maintainer (package, account) VALUES (?, ?)").execute(arguments: [name, m])
                }
                var highest: SemanticVersion?
                for v in versions {
                    guard let sv = SemanticVersion(v) else { throw Refusal.invalid(.invalidVersion(v)) }
                    let tarball = Registry.syntheticTarball(package: name, version: v, installScripts: [:])
                    try db.cachedStatement(sql: """
                        INSERT INTO version (package, version, integrity, shasum, size, tarball, published_at, published_by)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """).execute(arguments: [name, v, Registry.integrity(of: tarball), Digest.sha1Hex(bytes: tarball), tarball.count,
                                         Data(tarball), now, maintainers.first ?? "unknown"])
                    try Registry.recordDependencies(db, package: name, version: v, on: dependencies)
                    if sv.prerelease.isEmpty, highest.map({ $0 < sv }) ?? true { highest = sv }
                }
                if let highest {
                    try db.cachedStatement(sql: "INSERT INTO dist_tag (package, tag, version) VALUES (?, 'latest', ?)").execute(arguments: [name, highest.description])
                }
                return .commit
            }
        }
    }

    /// Creates an organisation with members (the first is its owner).
    public func seedOrg(name: String, members: [String], requiresTwoFactor: Bool = false) throws {
        let now = clock.now()
        try store.writeWithoutTransaction { db in
            try db.inTransaction {
                try db.cachedStatement(sql: "INSERT INTO org (name, requires_2fa, created) VALUES (?, ?, ?)").execute(arguments: [name, requiresTwoFactor, now])
                for (i, m) in members.enumerated() {
                    try db.cachedStatement(sql: "INSERT INTO org_member (org, account, role) VALUES (?, ?, ?)").execute(arguments: [name, m, i == 0 ? "owner" : "developer"])
                }
                return .commit
            }
        }
    }

    /// A small, deterministic stand-in for a package tarball: the registry checks its integrity like any other.
    public static func syntheticTarball(package: String, version: String, installScripts: [String: String]) -> [UInt8] {
        let scripts = installScripts.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\"\($0.value)\"" }.joined(separator: ",")
        return Array("{\"name\":\"\(package)\",\"version\":\"\(version)\",\"scripts\":{\(scripts)}}".utf8)
    }
}
