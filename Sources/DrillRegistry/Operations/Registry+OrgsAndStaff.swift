import DrillCrypto
import Foundation
import GRDB

extension Registry {
    /// Creates an organisation owned by the caller; its packages are `@name/...`.
    public func createOrg(_ context: RequestContext, name: String) throws(Refusal) {
        try perform(.createOrg, context, target: name) { scope in
            try Registry.validateUsername(name)
            try scope.decide()
            let account = try scope.requireAccount()
            try Registry.requireFreeScopeName(scope.db, name)
            try scope.db.cachedStatement(sql: "INSERT INTO org (name, created) VALUES (?, ?)").execute(arguments: [name, scope.now])
            try scope.db.cachedStatement(sql: "INSERT INTO org_member (org, account, role) VALUES (?, ?, 'owner')").execute(arguments: [name, account.name])
        }
    }

    /// Requires (or stops requiring) 2FA of every member (from 1 Feb 2022; the owner needs 2FA to turn it on). Turning
    /// it on removes the members without 2FA, as npm does; returns their names. A member without 2FA in a world seeded
    /// that way still cannot write to the org's packages (`org.two-factor-required`).
    @discardableResult
    public func setOrgRequiresTwoFactor(_ context: RequestContext, org: String, required: Bool) throws(Refusal) -> [String] {
        try perform(.changeOrgPolicy, context, target: org) { scope in
            try scope.decide(turnsOnOrgTwoFactor: required)
            let account = try scope.requireAccount()
            guard try String.fetchOne(scope.db.cachedStatement(sql: "SELECT role FROM org_member WHERE org = ? AND account = ?"), arguments: [org, account.name]) == "owner" else {
                throw Refusal.invalid(.unknownOrg(org))
            }
            try scope.db.cachedStatement(sql: "UPDATE org SET requires_2fa = ? WHERE name = ?").execute(arguments: [required, org])
            guard required else { return [] }
            let without2FA = "SELECT m.account FROM org_member m JOIN account a ON a.name = m.account WHERE m.org = ? AND a.tfa_mode = 'disabled'"
            let removed = try String.fetchAll(scope.db.cachedStatement(sql: without2FA + " ORDER BY m.account"), arguments: [org])
            try scope.db.cachedStatement(sql: "DELETE FROM org_member WHERE org = ? AND account IN (\(without2FA))").execute(arguments: [org, org])
            return removed
        }
    }

    /// Adds a member to an organisation the caller owns.
    public func addOrgMember(_ context: RequestContext, org: String, user: String) throws(Refusal) {
        try perform(.addOrgMember, context, target: "\(org) +\(user)") { scope in
            try scope.decide()
            let account = try scope.requireAccount()
            guard try String.fetchOne(scope.db.cachedStatement(sql: "SELECT role FROM org_member WHERE org = ? AND account = ?"), arguments: [org, account.name]) == "owner" else {
                throw Refusal.invalid(.unknownOrg(org))
            }
            guard try AccountRow.fetch(scope.db, user) != nil else { throw Refusal.invalid(.unknownAccount(user)) }
            try scope.db.cachedStatement(sql: "INSERT OR IGNORE INTO org_member (org, account) VALUES (?, ?)").execute(arguments: [org, user])
        }
    }
}

/// Registry staff actions: incident response. They are not requests by users, so they bypass the policy, and are audited.
extension Registry {
    /// Revokes every token (classic and granular, not OIDC) created before `cutoff`, as npm did on 12 Jul 2018.
    /// `accounts` limits it to some accounts (as for the Nx tokens in Aug 2025). Returns how many were revoked.
    @discardableResult
    public func staffRevokeTokens(createdBefore cutoff: Int64, accounts: [String]? = nil) throws -> Int {
        let now = clock.now()
        return try store.writeWithoutTransaction { db in
            var count = 0
            try db.inTransaction {
                if let accounts {
                    for a in accounts {
                        try db.cachedStatement(sql: "UPDATE token SET revoked = ? WHERE revoked IS NULL AND created < ? AND owner = ?").execute(arguments: [now, cutoff, a])
                        count += db.changesCount
                    }
                } else {
                    try db.cachedStatement(sql: "UPDATE token SET revoked = ? WHERE revoked IS NULL AND created < ?").execute(arguments: [now, cutoff])
                    count = db.changesCount
                }
                try Registry.appendStaffAudit(db, now: now, operation: "staff-revoke-tokens",
                                              target: "created before \(Timestamp.iso8601(cutoff))" + (accounts.map { " of " + $0.joined(separator: ",") } ?? ""),
                                              message: "\(count) tokens revoked")
                return .commit
            }
            return count
        }
    }

    /// Removes a version for everyone (staff takedown); the version number can never be reused.
    public func staffRemoveVersion(package: String, version: String) throws {
        let now = clock.now()
        try store.writeWithoutTransaction { db in
            try db.inTransaction {
                guard try Registry.versionRecord(db, package, version) != nil else { throw Refusal.invalid(.unknownVersion(package: package, version: version)) }
                try Registry.retireVersion(db, package: package, version: version, reason: "removed by registry staff", now: now)
                if try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM version WHERE package = ?"), arguments: [package]) == 0 {
                    try db.cachedStatement(sql: "DELETE FROM dist_tag WHERE package = ?").execute(arguments: [package])
                }
                try Registry.touch(db, package, now: now)
                try Registry.appendStaffAudit(db, now: now, operation: "staff-remove-version", target: "\(package)@\(version)", message: "removed")
                return .commit
            }
        }
    }

    static func appendStaffAudit(_ db: Database, now: Int64, operation: String, target: String, message: String) throws {
        try db.cachedStatement(sql: """
            INSERT INTO audit (at, operation, actor, credential, source, target, outcome, message)
            VALUES (?, ?, 'registry-staff', 'staff', 'internal', ?, 'allowed', ?)
            """).execute(arguments: [now, operation, target, message])
    }
}

/// One entry of the append-only audit log. Secrets never appear: credentials are named by kind and prefix.
public struct AuditEntry: Sendable, Equatable, Codable {
    public var sequence: Int64
    public var at: Int64
    public var operation: String
    public var actor: String?
    public var credential: String
    public var source: String
    public var target: String?
    public var outcome: String
    public var rule: String?
    public var defense: String?
    public var message: String?
}

extension Registry {
    /// The audit log, oldest first.
    public func auditLog() throws -> [AuditEntry] {
        try store.read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM audit ORDER BY seq")).map {
                AuditEntry(sequence: $0["seq"], at: $0["at"], operation: $0["operation"], actor: $0["actor"], credential: $0["credential"],
                           source: $0["source"], target: $0["target"], outcome: $0["outcome"], rule: $0["rule"], defense: $0["defense"], message: $0["message"])
            }
        }
    }

    /// All tokens of an account, revoked ones included (for reports and tests; never the secrets).
    public func tokens(of account: String) throws -> [TokenSummary] {
        try store.read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM token WHERE owner = ? ORDER BY created, key"), arguments: [account]).map { TokenRow($0).summary }
        }
    }

    /// The account's profile, read directly (no request).
    public func account(_ name: String) throws -> AccountProfile? {
        try store.read { db in try AccountRow.fetch(db, name)?.profile }
    }
}
