import DrillCrypto
import Foundation
import GRDB

/// What a successful login yields: a classic publish token before 9 Dec 2025, a 2-hour session after.
public struct LoginResult: Sendable, Equatable {
    public var token: String
    public var kind: TokenKind
    public var expires: Int64?
}

/// The answer to a request to enable or change 2FA.
public enum TwoFactorChange: Sendable, Equatable {
    /// A TOTP secret was generated; 2FA starts once a code from it is confirmed.
    case pendingConfirmation(TOTPEnrolment)
    /// 2FA was already on: the mode changed.
    case modeChanged(TwoFactorMode)
}

/// What deleting an account did to the packages it maintained.
public struct AccountDeletion: Sendable, Equatable {
    /// Packages it alone maintained that the unpublish policy let go: gone, their names held for 24 hours.
    public var deleted: [String] = []
    /// Packages it alone maintained that could not be unpublished: still installable, deprecated, maintained by nobody.
    public var deprecated: [String] = []
    /// Packages others maintain too: they keep them.
    public var leftToOtherMaintainers: [String] = []
    public init() {}
}

/// A message in the simulated mail system: it reaches whoever controls the address's mail domain.
public struct Mail: Sendable, Equatable, Codable {
    public var address: String
    public var account: String
    public var purpose: String
    public var subject: String
    public var code: String?
    public var sent: Int64
    public var domain: String { address.split(separator: "@").last.map(String.init) ?? "" }
}

extension Registry {
    /// Creates an account (`npm adduser`).
    ///
    /// - Throws: ``Refusal/invalid(_:)`` for a taken or malformed name, a malformed email, or an empty password.
    @discardableResult
    public func createAccount(name: String, email: String, password: String, context: RequestContext = .anonymous()) throws(Refusal) -> AccountProfile {
        try perform(.createAccount, context, target: name) { scope in
            try Registry.validateUsername(name)
            try Registry.validateEmail(email)
            guard !password.isEmpty, password.utf8.count <= 1024 else {
                throw Refusal.invalid(.invalidArgument("A password must be 1 to 1024 bytes long."))
            }
            try Registry.requireFreeScopeName(scope.db, name)
            try scope.decide()
            try scope.db.cachedStatement(sql: "INSERT INTO account (name, email, password_hash, created, updated) VALUES (?, ?, ?, ?, ?)").execute(arguments: [name, email, hasher.hash(password), scope.now, scope.now])
            return try AccountRow.fetch(scope.db, name)!.profile
        }
    }

    static func validateUsername(_ name: String) throws {
        guard !name.isEmpty, name.count <= 214, name.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || "-._".contains($0)) }),
              !name.hasPrefix("."), !name.hasPrefix("-") else {
            throw Refusal.invalid(.invalidArgument("Invalid username '\(name)': use lowercase letters, digits, '-', '.' and '_' (at most 214)."))
        }
    }

    /// Users and organisations share one namespace, their scopes (`@name/...`): a new account or organisation takes a
    /// name no account or organisation has, and never a scope the registry keeps (``PackageName/reservedScopes``),
    /// which npm's own account holds on the real registry.
    static func requireFreeScopeName(_ db: Database, _ name: String) throws {
        if try PackageName.reservedScopes.contains(name) || accountOrOrgExists(db, name) { throw Refusal.invalid(.accountExists(name)) }
    }

    /// Whether a user or an organisation is called `name`, that is, whether the scope `@name` has an owner. A deleted
    /// account's name counts as taken [I] (migration v12).
    static func accountOrOrgExists(_ db: Database, _ name: String) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: """
            SELECT EXISTS (SELECT 1 FROM account WHERE name = ?) OR EXISTS (SELECT 1 FROM org WHERE name = ?)
                OR EXISTS (SELECT 1 FROM deleted_account WHERE name = ?)
            """), arguments: [name, name, name]) == true
    }

    /// Deletes the caller's account, as npm's website does ("Deleting your npm user account", npm/documentation,
    /// content/getting-started/managing-your-npm-user-account): the packages it alone maintains are deleted where they
    /// "can be unpublished" and deprecated otherwise, judged by the unpublish policy of the era (rules attributed to
    /// ``DefenseID/unpublishPolicy``, so a deletion in 2017 removes less than one in 2020); the sole owner of an
    /// organisation must first "add an additional owner"; the holder is "immediately logged out, and will not be able
    /// to log back in" (every token and factor goes with the account, and its name stays taken).
    ///
    /// Modelled in every era [I]: the page gives no date for when deletion became self-service. A package that others
    /// maintain too stays with them [I] (the page counts only packages "deleted and deprecated"); a deprecated one is
    /// left with no maintainer [I].
    ///
    /// - Throws: ``Refusal/denied(_:)`` where the account's defenses refuse (an account change: its second factor,
    ///   a read-only token, a read-only period), ``Refusal/invalid(_:)`` for the sole owner of an organisation.
    @discardableResult
    public func deleteAccount(_ context: RequestContext) throws(Refusal) -> AccountDeletion {
        try perform(.deleteAccount, context) { scope in
            try scope.decide()
            let account = try scope.requireAccount()
            let soleOwned = try String.fetchAll(scope.db.cachedStatement(sql: """
                SELECT m.org FROM org_member m WHERE m.account = ? AND m.role = 'owner'
                  AND NOT EXISTS (SELECT 1 FROM org_member o WHERE o.org = m.org AND o.role = 'owner' AND o.account != m.account)
                ORDER BY m.org
                """), arguments: [account.name])
            if let org = soleOwned.first {
                throw Refusal.invalid(.invalidArgument("\(account.name) is the only owner of the organization \(org): add another owner before deleting the account."))
            }
            var deletion = AccountDeletion()
            let packages = try String.fetchAll(scope.db.cachedStatement(sql: "SELECT package FROM maintainer WHERE account = ? ORDER BY package"), arguments: [account.name])
            for package in packages {
                let maintainers = try Int.fetchOne(scope.db.cachedStatement(sql: "SELECT count(*) FROM maintainer WHERE package = ?"), arguments: [package]) ?? 0
                if maintainers == 1, try scope.unpublishPolicyAllowsRemoving(package) {
                    // The package goes whole, its maintainer row with it.
                    try Registry.removePackage(scope.db, package, reason: "deleted with the account \(account.name)", now: scope.now)
                    deletion.deleted.append(package)
                    continue
                }
                if maintainers == 1 {
                    try scope.db.cachedStatement(sql: "UPDATE version SET deprecated = ? WHERE package = ?")
                        .execute(arguments: ["The account that maintained this package was deleted.", package])
                    deletion.deprecated.append(package)
                } else {
                    deletion.leftToOtherMaintainers.append(package)
                }
                // The package stays: only the account leaves its maintainers.
                try scope.db.cachedStatement(sql: "DELETE FROM maintainer WHERE package = ? AND account = ?").execute(arguments: [package, account.name])
                try Registry.touch(scope.db, package, now: scope.now)
            }
            // Tokens, factors and memberships go with the row (ON DELETE CASCADE).
            try scope.db.cachedStatement(sql: "DELETE FROM account WHERE name = ?").execute(arguments: [account.name])
            try scope.db.cachedStatement(sql: "INSERT INTO deleted_account (name, at) VALUES (?, ?)").execute(arguments: [account.name, scope.now])
            return deletion
        }
    }

    static func validateEmail(_ email: String) throws {
        if let problem = emailProblem(email) { throw Refusal.invalid(.invalidArgument("Invalid email address '\(email)': \(problem).")) }
    }

    /// Why the registry refuses `email` as an account's address, or nil when it takes it: one `@` with something
    /// before it and a domain with a dot after it, at most 254 characters (RFC 5321's limit for a path), and no white
    /// space or control character (an escape sequence in an address reached the console and the reports). The
    /// scenario loader asks the same question, so a file that validates does not fail when it is replayed.
    public static func emailProblem(_ email: String) -> String? {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        if parts.count != 2 { return "it needs exactly one '@'" }
        if parts[0].isEmpty { return "nothing comes before the '@'" }
        if !parts[1].contains(".") { return "its domain has no '.'" }
        if email.count > 254 { return "it is longer than 254 characters" }
        if email.unicodeScalars.contains(where: UntrustedText.isControl) { return "it holds a control character" }
        if email.contains(where: \.isWhitespace) { return "it holds white space" }
        return nil
    }

    /// Logs in with a password (and second factor or emailed code when the rules ask for one).
    ///
    /// Before 9 Dec 2025 a login mints a classic publish token that never expires (what lands in ~/.npmrc);
    /// from then a session that lasts ``PolicyParameters/loginSessionLifetime``.
    public func login(_ context: RequestContext) throws(Refusal) -> LoginResult {
        let target: String? = if case .password(let u, _) = context.credential { u } else { nil }
        return try perform(.login, context, target: target) { scope in
            guard case .password = context.credential else {
                throw Refusal.invalid(.invalidArgument("Logging in needs a username and password."))
            }
            try scope.decide()
            let account = try scope.requireAccount()
            let (key, result) = try insertLogin(scope.db, owner: account.name, at: scope.now)
            // The token stands for this login where its code is concerned (RequestScope.codeHolder).
            scope.codeHolder = RequestScope.fingerprint(ofTokenKey: key)
            if result.kind == .session { try scope.rememberSecondFactor(onTokenKey: key) }
            return result
        }
    }

    /// Opens a session's "skip 2FA for the next 5 minutes" window at `now` (the website's option, from 11 Feb 2026): the
    /// session stands for a second factor for ``PolicyParameters/secondFactorGraceSeconds``. Callers check the era and why.
    static func openSecondFactorGrace(_ db: Database, tokenKey key: String, at now: Int64, parameters: PolicyParameters) throws {
        try db.cachedStatement(sql: "UPDATE token SET second_factor_grace_until = ? WHERE key = ?")
            .execute(arguments: [now + parameters.secondFactorGraceSeconds, key])
    }

    /// What a login leaves with its holder, by era: before 9 Dec 2025 a classic publish token that never expires (what
    /// `npm login` wrote to ~/.npmrc); from then a session that lasts ``PolicyParameters/loginSessionLifetime`` (GitHub
    /// changelog 2025-12-09, "npm classic tokens revoked, session-based auth and CLI token management now available").
    /// Returns the token's key and the result.
    func insertLogin(_ db: Database, owner: String, at now: Int64) throws -> (key: String, result: LoginResult) {
        if era.has(.classicTokensRevoked) {
            let expires = now + configuration.parameters.loginSessionLifetime
            let token = try Registry.insertToken(db, owner: owner, request: TokenRequest(kind: .session, permission: .readWrite,
                                                 description: "login session"), created: now, expires: expires)
            return (token.summary.key, LoginResult(token: token.token, kind: .session, expires: expires))
        }
        let token = try Registry.insertToken(db, owner: owner, request: .classicPublish, created: now, expires: nil)
        return (token.summary.key, LoginResult(token: token.token, kind: .publish, expires: nil))
    }

    /// Ends a login: the presented token or session is revoked, like `npm token revoke` (the era's cache grace applies
    /// on every path: ``PolicyParameters/revokedTokenGrace(in:)``).
    public func logout(_ context: RequestContext) throws(Refusal) {
        try perform(.logout, context) { scope in
            try scope.decide()
            guard let token = scope.token else { return }
            try scope.db.cachedStatement(sql: "UPDATE token SET revoked = ? WHERE key = ?").execute(arguments: [scope.now, token.key])
        }
    }

    /// The account behind the credential (`npm whoami`, `npm profile get`).
    public func profile(_ context: RequestContext) throws(Refusal) -> AccountProfile {
        try perform(.readProfile, context) { scope in
            try scope.decide()
            return try scope.requireAccount().profile
        }
    }

    /// Mails a password-reset code to the account's address. Whoever controls that mail domain receives it.
    public func requestPasswordReset(username: String, context: RequestContext = .anonymous()) throws(Refusal) {
        try perform(.requestPasswordReset, context, target: username) { scope in
            try scope.decide()
            guard let account = try AccountRow.fetch(scope.db, username) else { throw Refusal.invalid(.unknownAccount(username)) }
            try Registry.sendMail(scope.db, to: account, purpose: "password-reset", subject: "Reset your npm password", now: scope.now, lifetime: 3_600)
        }
    }

    /// Sets a new password with the emailed reset code. 2FA, if enrolled, is untouched: the next login still asks for it.
    public func completePasswordReset(username: String, code: String, newPassword: String, context: RequestContext = .anonymous()) throws(Refusal) {
        try perform(.completePasswordReset, context, target: username) { scope in
            try scope.decide()
            guard try AccountRow.fetch(scope.db, username) != nil else { throw Refusal.invalid(.unknownAccount(username)) }
            guard !newPassword.isEmpty else { throw Refusal.invalid(.invalidArgument("The new password cannot be empty.")) }
            guard let id = try Int64.fetchOne(scope.db.cachedStatement(sql: """
                SELECT id FROM mail WHERE account = ? AND purpose = 'password-reset' AND code_digest = ? AND used IS NULL AND expires > ?
                ORDER BY id DESC LIMIT 1
                """), arguments: [username, Digest.sha512Hex(code), scope.now]) else {
                throw Refusal.invalid(.invalidArgument("This password-reset code is not valid or has expired."))
            }
            try scope.db.cachedStatement(sql: "UPDATE mail SET used = ? WHERE id = ?").execute(arguments: [scope.now, id])
            try scope.db.cachedStatement(sql: "UPDATE account SET password_hash = ?, updated = ? WHERE name = ?").execute(arguments: [hasher.hash(newPassword), scope.now, username])
        }
    }

    /// Changes the account's email (`npm profile set email`).
    public func changeEmail(_ context: RequestContext, to email: String, password: String? = nil) throws(Refusal) {
        try perform(.changeEmail, context, target: email) { scope in
            try scope.decide()
            if case .password = context.credential {} else if password != nil { try scope.requirePassword(password) }
            try Registry.validateEmail(email)
            let account = try scope.requireAccount()
            try scope.db.cachedStatement(sql: "UPDATE account SET email = ?, updated = ? WHERE name = ?").execute(arguments: [email, scope.now, account.name])
            try scope.beginReadOnlyPeriodIfHighImpact(alerting: account.email, because: "its email address was changed to \(email)")
        }
    }

    /// Changes the password (`npm profile set password`): the old one must match.
    public func changePassword(_ context: RequestContext, old: String, new: String) throws(Refusal) {
        try perform(.changePassword, context) { scope in
            try scope.decide()
            try scope.requirePassword(old)
            guard !new.isEmpty, new.utf8.count <= 1024 else { throw Refusal.invalid(.invalidArgument("A password must be 1 to 1024 bytes long.")) }
            let account = try scope.requireAccount()
            try scope.db.cachedStatement(sql: "UPDATE account SET password_hash = ?, updated = ? WHERE name = ?").execute(arguments: [hasher.hash(new), scope.now, account.name])
        }
    }

    /// Starts TOTP enrolment, or changes the mode when 2FA is already on (`npm profile enable-2fa MODE`).
    public func enableTwoFactor(_ context: RequestContext, mode: TwoFactorMode, password: String? = nil,
                                digits: Int = 6, algorithm: HashAlgorithm = .sha1) throws(Refusal) -> TwoFactorChange {
        guard mode != .disabled else { throw .invalid(.invalidArgument("Choose auth-only or auth-and-writes.")) }
        let enabled = (try? store.read { db in try self.accountName(db, context).flatMap { try AccountRow.fetch(db, $0) }?.mode }) ?? .disabled
        let operation: OperationKind = enabled != .disabled ? .changeTwoFactorMode : .enableTwoFactor
        return try perform(operation, context, target: mode.rawValue) { scope in
            try scope.decide()
            try scope.requirePassword(password)
            let account = try scope.requireAccount()
            if account.mode != .disabled {
                try scope.db.cachedStatement(sql: "UPDATE account SET tfa_mode = ?, updated = ? WHERE name = ?").execute(arguments: [mode.rawValue, scope.now, account.name])
                return .modeChanged(mode)
            }
            let secret = Base32.encode(SecureRandom.bytes(20))
            try scope.db.cachedStatement(sql: """
                UPDATE account SET tfa_pending_mode = ?, totp_secret = ?, totp_digits = ?, totp_algorithm = ?, updated = ? WHERE name = ?
                """).execute(arguments: [mode.rawValue, secret, digits, algorithm.rawValue, scope.now, account.name])
            let totp = try TOTP(base32Secret: secret, digits: digits, algorithm: algorithm)
            return .pendingConfirmation(TOTPEnrolment(base32Secret: secret, otpauthURI: totp.otpauthURI(issuer: "npm", account: account.name)))
        }
    }

    /// Confirms TOTP enrolment with a code from the new secret; 2FA is on from here. Returns single-use recovery codes (64 hex, typeable at npm's prompt).
    public func confirmTwoFactor(_ context: RequestContext, code: String) throws(Refusal) -> [String] {
        try perform(.enableTwoFactor, context) { scope in
            try scope.decide()
            let account = try scope.requireAccount()
            guard let pending = account.pendingMode, let secret = account.totpSecret, account.mode == .disabled else {
                throw Refusal.invalid(.notEnrolled("There is no pending two-factor enrolment to confirm."))
            }
            let totp = try TOTP(base32Secret: secret, digits: account.totpDigits, algorithm: account.totpAlgorithm)
            guard let step = totp.matchingStep(for: code.filter { !$0.isWhitespace }, at: scope.now, window: configuration.parameters.otpWindowSteps) else {
                throw Refusal.invalid(.notEnrolled("That code does not match the new secret; 2FA is not enabled yet."))
            }
            try scope.db.cachedStatement(sql: """
                UPDATE account SET tfa_mode = ?, tfa_kind = 'totp', tfa_pending_mode = NULL, totp_last_step = ?, totp_last_credential = ?, updated = ? WHERE name = ?
                """).execute(arguments: [pending.rawValue, step, scope.credentialFingerprint, scope.now, account.name])
            return try Registry.issueRecoveryCodes(scope.db, account: account.name)
        }
    }

    /// Enrols a security key (its public key) and turns 2FA on with it.
    public func addSecurityKey(_ context: RequestContext, publicKeyDER: [UInt8], label: String = "security key",
                               mode: TwoFactorMode = .authAndWrites) throws(Refusal) -> [String] {
        try perform(.addSecurityKey, context, target: label) { scope in
            try scope.decide()
            let account = try scope.requireAccount()
            try Registry.enrolSecurityKey(scope.db, account: account.name, publicKeyDER: publicKeyDER, label: label, mode: mode, now: scope.now)
            return try Registry.issueRecoveryCodes(scope.db, account: account.name)
        }
    }

    /// A fresh challenge for the account's security key, valid for 5 minutes.
    public func securityKeyChallenge(for username: String) throws(Refusal) -> [UInt8] {
        let challenge = SecureRandom.bytes(32)
        let now = clock.now()
        do {
            try store.writeWithoutTransaction { db in
                guard try AccountRow.fetch(db, username) != nil else { throw Refusal.invalid(.unknownAccount(username)) }
                try db.cachedStatement(sql: "INSERT INTO security_key_challenge (challenge, account, expires) VALUES (?, ?, ?)").execute(arguments: [Data(challenge), username, now + 300])
            }
        } catch let r as Refusal { throw r } catch { throw .invalid(.storageFailed(Registry.storageFailure(error))) }
        return challenge
    }

    /// Turns 2FA off (`npm profile disable-2fa`).
    public func disableTwoFactor(_ context: RequestContext, password: String? = nil) throws(Refusal) {
        try perform(.disableTwoFactor, context) { scope in
            let account = try scope.requireAccount()
            // Judged first, even for an unfinished enrolment: only the account's holder may reset it.
            try scope.decide()
            if account.mode == .disabled && account.pendingMode != nil {
                // Resetting an unfinished enrolment is not a change of 2FA.
                try scope.db.cachedStatement(sql: "UPDATE account SET tfa_pending_mode = NULL, totp_secret = NULL WHERE name = ?").execute(arguments: [account.name])
                return
            }
            try scope.requirePassword(password)
            try scope.db.cachedStatement(sql: """
                UPDATE account SET tfa_mode = 'disabled', tfa_kind = NULL, tfa_pending_mode = NULL, totp_secret = NULL, updated = ? WHERE name = ?
                """).execute(arguments: [scope.now, account.name])
            try scope.db.cachedStatement(sql: "DELETE FROM recovery_code WHERE account = ?").execute(arguments: [account.name])
            try scope.db.cachedStatement(sql: "DELETE FROM security_key WHERE account = ?").execute(arguments: [account.name])
        }
    }

    /// The mail sent to addresses at `domain`: what the domain's controller can read.
    public func mailbox(domain: String) throws -> [Mail] {
        try store.read { db in
            // The address ends in @domain, ASCII letters in any case (as LIKE compared), and `%` or `_` in the domain are
            // characters, not wildcards.
            try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM mail WHERE lower(substr(address, -length(?1))) = lower(?1) ORDER BY id"),
                             arguments: ["@" + domain]).map {
                Mail(address: $0["address"], account: $0["account"], purpose: $0["purpose"], subject: $0["subject"], code: $0["code"], sent: $0["sent"])
            }
        }
    }

    func accountName(_ db: Database, _ context: RequestContext) throws -> String? {
        switch context.credential {
        case .password(let u, _): return u
        case .bearer(let t): return try TokenRow.fetch(db, key: TokenSecret.key(of: t))?.owner
        default: return nil
        }
    }

    static func enrolSecurityKey(_ db: Database, account: String, publicKeyDER: [UInt8], label: String, mode: TwoFactorMode, now: Int64) throws {
        guard mode != .disabled else { throw Refusal.invalid(.invalidArgument("Choose auth-only or auth-and-writes.")) }
        guard !publicKeyDER.isEmpty, publicKeyDER.count <= 1024 else { throw Refusal.invalid(.invalidArgument("A security key's public key must be 1 to 1024 bytes of DER.")) }
        try db.cachedStatement(sql: "INSERT INTO security_key (account, label, public_key) VALUES (?, ?, ?)").execute(arguments: [account, label, Data(publicKeyDER)])
        try db.cachedStatement(sql: """
            UPDATE account SET tfa_mode = ?, tfa_kind = 'security-key', tfa_pending_mode = NULL, totp_secret = NULL, updated = ? WHERE name = ?
            """).execute(arguments: [mode.rawValue, now, account])
    }

    static func issueRecoveryCodes(_ db: Database, account: String, count: Int = 5) throws -> [String] {
        try db.cachedStatement(sql: "DELETE FROM recovery_code WHERE account = ?").execute(arguments: [account])
        var codes: [String] = []
        for _ in 0..<count {
            let code = Hex.encode(SecureRandom.bytes(32))
            try db.cachedStatement(sql: "INSERT INTO recovery_code (account, digest) VALUES (?, ?)").execute(arguments: [account, Digest.sha512Hex(code)])
            codes.append(code)
        }
        return codes
    }
}

