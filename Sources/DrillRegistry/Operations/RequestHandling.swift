import DrillCrypto
import Foundation
import GRDB

/// A request's password, hashed and compared before the request took the store's write lock.
struct PasswordCheck: Sendable {
    var username: String
    /// The account's hash that was compared, or nil when there was no such account.
    var storedHash: String?
    var verified: Bool
}

/// The state of one request while it runs inside its transaction.
final class RequestScope {
    let db: Database
    let registry: Registry
    let operation: OperationKind
    let context: RequestContext
    let now: Int64
    var authentication: AuthenticationFact = .anonymous
    var account: AccountRow?
    var token: TokenRow?
    var oidcKey: String?
    var oidcPackage: String?
    var secondFactor: SecondFactorFact = .none
    var emailCodeVerified = false
    /// Applied only once the policy allowed the request: marking a code used, consuming a recovery code.
    var onAllowed: [(Database) throws -> Void] = []
    /// Applied after a refusal, in their own transaction: counting wrong codes, emailing a login code.
    var onRefused: [(Database) throws -> Void] = []
    var credentialLabel = "none"
    var target: String?
    /// What the caller is told about this request once allowed (kept in the audit entry too).
    var notices: [String] = []
    /// The credential that may repeat this request's TOTP code within its step, when not this one: the token a login
    /// mints. Yarn 1 logs in with the password and a code, then publishes with the new token and the same code, and
    /// npm's registry accepts that; for the code, a token a login minted is the credential of that login.
    var codeHolder: String?
    /// The password of the credential, checked before the store was locked for this request (``PasswordCheck``).
    let passwordCheck: PasswordCheck?

    init(db: Database, registry: Registry, operation: OperationKind, context: RequestContext, now: Int64, passwordCheck: PasswordCheck? = nil) {
        self.db = db; self.registry = registry; self.operation = operation; self.context = context; self.now = now
        self.passwordCheck = passwordCheck
    }

    var parameters: PolicyParameters { registry.configuration.parameters }
    var era: RegistryEra { registry.configuration.era }

    /// Who is asking, as an account name (or the OIDC workflow).
    var actorName: String? { account?.name }

    /// Whether this credential may present again, within the code's time step, a TOTP code it already used.
    ///
    /// A code is used up once accepted (RFC 6238 §5.2: the verifier "MUST NOT accept the second attempt of the same OTP
    /// after the successful validation has been issued for the first OTP"): for a login or any request made with the
    /// password, that is the whole rule, so ten concurrent logins with one code give one session. A token is the one
    /// exception: the npm CLI sends the `--otp` it was given with every request of one command (`npm unpublish` makes
    /// several, `npm token revoke a b c` one per token), all on the same token, so that token may repeat its code within
    /// the step. Another token, or the password, may not: that is a relayed or shoulder-surfed code.
    var mayRepeatCode: Bool {
        if case .bearer = context.credential { return token != nil }
        return false
    }

    /// A stable, non-secret name for the credential: which token last used a code (see ``mayRepeatCode``).
    var credentialFingerprint: String {
        switch context.credential {
        case .none: "none"
        case .password(let u, _): "password:\(u)"
        case .bearer: token.map { Self.fingerprint(ofTokenKey: $0.key) } ?? "token:unknown"
        case .oidc: "oidc:\(oidcKey?.prefix(16) ?? "unknown")"
        }
    }

    static func fingerprint(ofTokenKey key: String) -> String { "token:\(key.prefix(16))" }

    // MARK: Authentication

    func authenticate() throws {
        switch context.credential {
        case .none:
            authentication = .anonymous
        case .password(let username, let password):
            credentialLabel = "password"
            if try passwordThrottled(username) {
                authentication = .passwordThrottled
                return
            }
            let row = try AccountRow.fetch(db, username)
            let verified: Bool
            if let check = passwordCheck, check.username == username, check.storedHash == row?.passwordHash {
                verified = check.verified
            } else if let row {
                // The account changed since the check (a new password): check again, here.
                verified = registry.hasher.verify(password, against: row.passwordHash)
            } else {
                // Hash anyway, at the configured cost, so that an unknown user costs as much as a wrong password.
                registry.hasher.verifyAgainstNothing(password)
                verified = false
            }
            if !verified { countWrongPassword(username) }
            guard let row else {
                authentication = .unknownAccount
                return
            }
            account = row
            authentication = .password(verified: verified)
        case .bearer(let secret):
            let key = TokenSecret.key(of: secret)
            guard let row = try TokenRow.fetch(db, key: key) else {
                credentialLabel = "token:unknown"
                authentication = .unknownBearer
                return
            }
            token = row
            credentialLabel = "token:\(row.kind.rawValue):\(row.prefix)"
            account = try AccountRow.fetch(db, row.owner)
            var inside: Bool? = nil
            if !row.cidr.isEmpty {
                let blocks = row.cidr.compactMap { try? CIDRBlock($0) }
                inside = blocks.contains { $0.contains(context.sourceAddress) }
            }
            authentication = .token(TokenFact(kind: row.kind, permission: row.permission, packages: row.packages, scopes: row.scopes,
                                              bypassTwoFactor: row.bypass, created: row.created, expires: row.expires,
                                              revoked: row.revoked, sourceInsideAllowlist: inside))
        case .oidc(let secret):
            let key = Digest.sha512Hex(secret)
            oidcKey = key
            credentialLabel = "oidc"
            guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM oidc_credential WHERE key = ?"), arguments: [key]) else {
                authentication = .oidc(OIDCFact(known: false, expired: false, used: false, boundPackage: "", matchesTrustedPublisher: false))
                return
            }
            let package: String = row["package"]
            oidcPackage = package
            // The credential's identity must still be one the package trusts: removing a publisher voids what it minted.
            let identity = TrustedPublisher(provider: CIProvider(rawValue: row["provider"]) ?? .githubActions, repository: row["repository"],
                                            workflow: row["workflow"], environment: row["environment"])
            // What it may do is what the publishers that accept it allow now.
            let accepting = try Registry.trustedPublishers(db, package).filter { $0.accepts(identity) }
            let allowed = accepting.reduce(into: Set<TrustedAction>()) { $0.formUnion($1.actions) }
            credentialLabel = "oidc:\(row["repository"] as String)"
            authentication = .oidc(OIDCFact(known: true, expired: now >= (row["expires"] as Int64), used: (row["used_at"] as Int64?) != nil,
                                            boundPackage: package, matchesTrustedPublisher: !accepting.isEmpty, allowedActions: allowed))
            onAllowed.append { db in try db.cachedStatement(sql: "UPDATE oidc_credential SET used_at = ? WHERE key = ?").execute(arguments: [self.now, key]) }
        }
    }

    // MARK: The password throttle

    /// Whether passwords for `username` from this request's source are not checked for now: too many wrong ones for
    /// it from here, for it from anywhere, or from here for any account (rule `auth.password-rate-limited`).
    func passwordThrottled(_ username: String) throws -> Bool {
        try Registry.passwordThrottled(db, username: username, source: context.sourceAddress.description, now: now, parameters: parameters)
    }

    /// Counts a wrong password once the request is refused (the refusal's own transaction writes it).
    func countWrongPassword(_ username: String) {
        let source = context.sourceAddress.description
        onRefused.append { db in
            try db.cachedStatement(sql: "INSERT INTO password_failure (account, source, at) VALUES (?, ?, ?)")
                .execute(arguments: [username, source, self.now])
        }
    }

    // MARK: Second factor

    func checkSecondFactor() throws {
        // A session whose holder ticked "skip 2FA for the next 5 minutes" stands for a second factor until then.
        if !context.secondFactor.isPresent, let grace = token?.secondFactorGraceUntil, now < grace, era.has(.webSecondFactorGrace) {
            secondFactor = .verified(.recentApproval)
            return
        }
        guard let account, context.secondFactor.isPresent else { return }
        // npm sends every code in one header (`npm-otp`); for an account without 2FA the only code it can carry is
        // the one emailed for enhanced login verification.
        var presented = context.secondFactor
        if case .totp(let code) = presented, account.mode == .disabled { presented = .emailCode(code) }
        // Every kind of code, the emailed login code included, is refused while the account is over its allowance.
        let failures = try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM second_factor_failure WHERE account = ? AND at > ?"),
                                        arguments: [account.name, now - parameters.otpRateLimitWindow]) ?? 0
        if failures >= parameters.otpRateLimitAttempts {
            secondFactor = .rateLimited
            return
        }
        var wrongEmailCode = false
        // A bad factor counts toward the rate limit whichever branch below found it (most of them return early), but
        // only from someone who holds the account's password or a working token: a stranger who knows the user name
        // must not be able to lock the owner out of their own codes.
        defer {
            let bad: Bool
            switch secondFactor {
            case .wrongCode, .reusedCode, .wrongOrigin, .notEnrolled, .usedRecoveryCode: bad = true
            default: bad = wrongEmailCode
            }
            if bad && primaryCredentialHolds {
                let name = account.name
                onRefused.append { db in
                    try db.cachedStatement(sql: "INSERT INTO second_factor_failure (account, at) VALUES (?, ?)").execute(arguments: [name, self.now])
                }
            }
        }
        if case .emailCode(let code) = presented {
            let digest = Digest.sha512Hex(code.trimmingCharacters(in: .whitespaces))
            if let id = try Int64.fetchOne(db.cachedStatement(sql: """
                SELECT id FROM mail WHERE account = ? AND purpose = 'login-code' AND code_digest = ? AND used IS NULL AND expires > ?
                ORDER BY id DESC LIMIT 1
                """), arguments: [account.name, digest, now]) {
                emailCodeVerified = true
                onAllowed.append { db in try db.cachedStatement(sql: "UPDATE mail SET used = ? WHERE id = ?").execute(arguments: [self.now, id]) }
            } else {
                wrongEmailCode = true
            }
            return
        }
        switch presented {
        case .none, .emailCode:
            return
        case .totp(let code):
            guard account.mode != .disabled, account.kind == .totp, let secret = account.totpSecret,
                  let totp = try? TOTP(base32Secret: secret, digits: account.totpDigits, algorithm: account.totpAlgorithm) else {
                secondFactor = .notEnrolled
                return
            }
            let candidate = code.filter { !$0.isWhitespace }
            guard let step = totp.matchingStep(for: candidate, at: now, window: parameters.otpWindowSteps) else {
                secondFactor = .wrongCode
                return
            }
            let fingerprint = credentialFingerprint
            if let last = account.lastStep, step < last || (step == last && !(mayRepeatCode && account.lastCredential == fingerprint)) {
                secondFactor = .reusedCode
                return
            }
            secondFactor = .verified(.totp)
            let name = account.name
            onAllowed.append { db in
                try db.cachedStatement(sql: "UPDATE account SET totp_last_step = ?, totp_last_credential = ? WHERE name = ?")
                    .execute(arguments: [step, self.codeHolder ?? fingerprint, name])
            }
        case .recoveryCode(let code):
            let digest = Digest.sha512Hex(code.trimmingCharacters(in: .whitespaces).lowercased())
            guard account.mode != .disabled,
                  let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT used_at FROM recovery_code WHERE account = ? AND digest = ?"), arguments: [account.name, digest]) else {
                secondFactor = .wrongCode
                return
            }
            if (row["used_at"] as Int64?) != nil { secondFactor = .usedRecoveryCode; return }
            secondFactor = .verified(.recoveryCode)
            let name = account.name
            onAllowed.append { db in
                try db.cachedStatement(sql: "UPDATE recovery_code SET used_at = ? WHERE account = ? AND digest = ?").execute(arguments: [self.now, name, digest])
                try self.beginReadOnlyPeriodIfHighImpact(alerting: account.email, because: "a recovery code was used")
            }
        case .securityKey(let assertion):
            guard account.mode != .disabled, account.kind == .securityKey else { secondFactor = .notEnrolled; return }
            let challengeOK = try Int.fetchOne(db.cachedStatement(sql: """
                SELECT count(*) FROM security_key_challenge WHERE account = ? AND challenge = ? AND expires > ?
                """), arguments: [account.name, Data(assertion.challenge), now]) ?? 0
            guard challengeOK > 0 else { secondFactor = .wrongCode; return }
            let keys = try Data.fetchAll(db.cachedStatement(sql: "SELECT public_key FROM security_key WHERE account = ?"), arguments: [account.name]).map { [UInt8]($0) }
            let origin = registry.configuration.origin
            if keys.contains(where: { SecurityKeyVerifier.verify(assertion, publicKeyDER: $0, expectedOrigin: origin, expectedChallenge: assertion.challenge) }) {
                secondFactor = .verified(.securityKey)
                let name = account.name
                onAllowed.append { db in
                    try db.cachedStatement(sql: "DELETE FROM security_key_challenge WHERE account = ? AND challenge = ?").execute(arguments: [name, Data(assertion.challenge)])
                }
            } else if assertion.origin != origin,
                      keys.contains(where: { SecurityKeyVerifier.verify(assertion, publicKeyDER: $0, expectedOrigin: assertion.origin, expectedChallenge: assertion.challenge) }) {
                secondFactor = .wrongOrigin(assertion.origin)
            } else {
                secondFactor = .wrongCode
            }
        }
    }

    /// Whether the request's password or token is good on its own (the second factor aside): a right password, or a
    /// token neither revoked nor expired, used from inside its allowlist.
    var primaryCredentialHolds: Bool {
        switch authentication {
        case .password(let verified): verified
        case .token(let t): t.revoked == nil && (t.expires.map { $0 > now } ?? true) && t.sourceInsideAllowlist != false
        default: false
        }
    }

    // MARK: Facts and the decision

    /// npm's safeguard for high-impact accounts (from 25 Jun 2026): after an email change or a recovery-code use the
    /// account is read-only for ``PolicyParameters/highImpactReadOnlySeconds``, and an alert goes to `address` (the
    /// previous email address, for an email change).
    func beginReadOnlyPeriodIfHighImpact(alerting address: String, because reason: String) throws {
        guard era.has(.highImpactReadOnly), let account, let fact = try accountFact(),
              parameters.isHighImpact(weeklyDownloads: fact.largestWeeklyDownloads) else { return }
        let until = now + parameters.highImpactReadOnlySeconds
        try db.cachedStatement(sql: "UPDATE account SET read_only_until = ? WHERE name = ?").execute(arguments: [until, account.name])
        try Registry.sendNotice(db, to: address, account: account.name, now: now,
                                subject: "Your npm account is read-only until \(Timestamp.iso8601(until)): \(reason)")
    }

    /// Who a release names as its publisher: the account, or the package an OIDC credential was minted for.
    var publisherName: String { actorName ?? oidcPackage.map { "oidc:\($0)" } ?? "unknown" }

    func accountFact() throws -> AccountFact? {
        guard let account else { return nil }
        let inOrg = try Int.fetchOne(db.cachedStatement(sql: """
            SELECT count(*) FROM org_member m JOIN org o ON o.name = m.org WHERE m.account = ? AND o.requires_2fa = 1
            """), arguments: [account.name]) ?? 0
        // NULL when the account maintains nothing; the maintainer_by_account index finds its packages.
        let largest = try Int.fetchOne(db.cachedStatement(sql: """
            SELECT max(p.weekly_downloads) FROM maintainer m JOIN package p ON p.name = m.package WHERE m.account = ?
            """), arguments: [account.name])
        return AccountFact(name: account.name, twoFactorMode: account.mode, secondFactorKind: account.kind,
                           inOrgRequiringTwoFactor: inOrg > 0, isStaff: account.isStaff, isPublisher: largest != nil,
                           largestWeeklyDownloads: largest ?? 0, readOnlyUntil: account.readOnlyUntil)
    }

    func packageFact(_ name: String, tag: String? = nil, version: String? = nil) throws -> PackageFact {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM package WHERE name = ?"), arguments: [name]) else {
            let unpublished = try Int64.fetchOne(db.cachedStatement(sql: "SELECT at FROM unpublished_package WHERE name = ?"), arguments: [name])
            return PackageFact(name: name, exists: false, actorIsMaintainer: true, policy: PublishingPolicy.newPackageDefault(in: era),
                               orgRequiresTwoFactor: try orgRequiresTwoFactor(for: name), tagIsLatest: tag == nil || tag == "latest",
                               unpublishedAt: unpublished, scopeOwnership: try scopeOwnership(of: name),
                               similarExistingName: try similarExistingName(to: name))
        }
        let maintainers = try String.fetchAll(db.cachedStatement(sql: "SELECT account FROM maintainer WHERE package = ?"), arguments: [name])
        var age: Int64? = nil
        if let version, let at = try Int64.fetchOne(db.cachedStatement(sql: "SELECT published_at FROM version WHERE package = ? AND version = ?"), arguments: [name, version]) {
            age = now - at
        }
        let weekly: Int = row["weekly_downloads"]
        // Only the unpublish policy reads a package's dependents (for `npm unpublish`, and for the packages an account's
        // deletion would unpublish): other requests do not pay for the lookup.
        let dependents = try (operation == .unpublish || operation == .deleteAccount) && Bool.fetchOne(db.cachedStatement(sql: """
            SELECT EXISTS (SELECT 1 FROM dependency WHERE depends_on = ? AND package != ?)
            """), arguments: [name, name]) == true
        return PackageFact(name: name, exists: true, actorIsMaintainer: account.map { maintainers.contains($0.name) } ?? (oidcPackage == name),
                           policy: PublishingPolicy(rawValue: row["policy"]) ?? .twoFactorNotRequired,
                           orgRequiresTwoFactor: try orgRequiresTwoFactor(for: name), tagIsLatest: tag == nil || tag == "latest",
                           versionAge: age, meetsLateUnpublishConditions: maintainers.count <= 1 && weekly < 300, hasDependents: dependents)
    }

    /// The package as the unpublish policy judges it: for a version, that version's age; for the whole package, the
    /// age of its oldest version (the youngest age that decides whether all of it may go).
    func unpublishFact(_ name: String, version: String?) throws -> PackageFact {
        var fact = try packageFact(name, version: version)
        if version == nil, fact.exists {
            let oldest = try Int64.fetchOne(db.cachedStatement(sql: "SELECT min(published_at) FROM version WHERE package = ?"), arguments: [name])
            fact.versionAge = oldest.map { now - $0 }
        }
        return fact
    }

    /// Whether npm's unpublish policy would let this request's account unpublish all of `name` now: the same rules
    /// `npm unpublish` meets (those attributed to ``DefenseID/unpublishPolicy``), asked for a package that another
    /// operation removes (an account's deletion).
    func unpublishPolicyAllowsRemoving(_ name: String) throws -> Bool {
        let facts = RequestFacts(operation: .unpublish, era: era, now: now, parameters: parameters, authentication: authentication,
                                 account: try accountFact(), secondFactor: secondFactor, package: try unpublishFact(name, version: nil))
        return Policy.decide(facts, rules: Self.unpublishPolicyRules).isAllowed
    }

    /// The catalog's rules of npm's unpublish policy, in the catalog's order.
    static let unpublishPolicyRules = Rule.catalog.filter { if case .fixed(.unpublishPolicy) = $0.attribution { true } else { false } }

    /// Who owns the scope of `name`, from the actor's side: their own user scope or an organisation they belong to
    /// is theirs; any other user or organisation is another's; a name that is neither belongs to nobody.
    func scopeOwnership(of name: String) throws -> ScopeOwnership {
        guard let scope = PackageName.scope(of: name)?.dropFirst().lowercased() else { return .unscoped }
        if PackageName.reservedScopes.contains(scope) { return .registry }
        if let account {
            if account.name == scope { return .actor }
            let member = try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM org_member WHERE org = ? AND account = ?"), arguments: [scope, account.name])
            if member == true { return .actor }
        }
        return try Registry.accountOrOrgExists(db, scope) ? .another : .nobody
    }

    /// An existing package whose name differs from the unscoped `name` only by punctuation or case, or nil.
    func similarExistingName(to name: String) throws -> String? {
        guard PackageName.scope(of: name) == nil else { return nil }
        return try String.fetchOne(db.cachedStatement(sql: "SELECT name FROM package WHERE \(RegistryStore.squashedNameSQL) = ? AND name != ? LIMIT 1"),
                                   arguments: [PackageName.squashed(name), name])
    }

    func orgRequiresTwoFactor(for package: String) throws -> Bool {
        guard let scope = PackageName.scope(of: package) else { return false }
        return try Bool.fetchOne(db.cachedStatement(sql: "SELECT requires_2fa FROM org WHERE name = ?"), arguments: [String(scope.dropFirst())]) ?? false
    }

    /// Asks the policy; throws the denial, or applies what an allowed request consumes.
    func decide(package: PackageFact? = nil, requestedToken: TokenRequest? = nil, authentication override: AuthenticationFact? = nil,
                turnsOnOrgTwoFactor: Bool = false, trustedPublisherChange: TrustedPublisherChange? = nil, declaresDualUse: Bool = false,
                liveGranularTokens: Int = 0, requestedPolicy: PublishingPolicy? = nil, rules: [Rule] = Rule.catalog) throws {
        var facts = RequestFacts(operation: operation, era: era, now: now, parameters: parameters,
                                 authentication: override ?? authentication, account: try accountFact(),
                                 secondFactor: secondFactor, package: package, emailCodeVerified: emailCodeVerified,
                                 requestedToken: requestedToken, turnsOnOrgTwoFactor: turnsOnOrgTwoFactor,
                                 trustedPublisherChange: trustedPublisherChange)
        facts.releaseDeclaresDualUse = declaresDualUse
        facts.liveGranularTokens = liveGranularTokens
        facts.requestedPolicy = requestedPolicy
        if case .denied(let denial) = Policy.decide(facts, rules: rules) {
            throw Refusal.denied(denial)
        }
        for notice in facts.notices where !notices.contains(notice) { notices.append(notice) }
    }

    /// Confirms a password sent in a request body (npm sends it for token creation and 2FA changes), through the policy.
    func requirePassword(_ password: String?) throws {
        guard let account else { return }
        guard let password else { throw Refusal.invalid(.invalidArgument("This request needs your password.")) }
        if try passwordThrottled(account.name) {
            try decide(authentication: .passwordThrottled)
        }
        if !registry.hasher.verify(password, against: account.passwordHash) {
            countWrongPassword(account.name)
            try decide(authentication: .password(verified: false))
        }
    }

    func commitAllowed() throws {
        for effect in onAllowed { try effect(db) }
        onAllowed.removeAll()
        if let token, token.kind == .session { try rememberSecondFactor(onTokenKey: token.key) }
    }

    /// Starts the "skip 2FA for the next 5 minutes" grace on a session when the request verified a factor the account
    /// holds (a code or a security key, not a recovery code) and its holder ticked the box (from 11 Feb 2026).
    func rememberSecondFactor(onTokenKey key: String) throws {
        guard context.skipsSecondFactorBriefly, era.has(.webSecondFactorGrace) else { return }
        switch secondFactor {
        case .verified(.totp), .verified(.securityKey): break
        default: return
        }
        try Registry.openSecondFactorGrace(db, tokenKey: key, at: now, parameters: parameters)
    }

    func requireAccount() throws -> AccountRow {
        guard let account else { throw Refusal.invalid(.invalidArgument("This request needs an account.")) }
        return account
    }
}

extension Registry {
    /// Runs one request: authenticate, check the second factor, let `body` gather facts and decide and act; one transaction.
    ///
    /// On refusal the transaction is rolled back, then the audit entry and the deliberate refusal effects are written.
    func perform<T>(_ operation: OperationKind, _ context: RequestContext, target: String? = nil,
                    _ body: (RequestScope) throws -> T) throws(Refusal) -> T {
        var outcome: Result<T, Refusal>!
        var notices: [String] = []
        try withRequestScope(operation, context, target: target) { db, scope in
            do {
                try db.inTransaction {
                    try scope.authenticate()
                    try scope.checkSecondFactor()
                    let value = try body(scope)
                    try scope.commitAllowed()
                    try Registry.appendAudit(db, scope: scope, refusal: nil)
                    notices = scope.notices
                    outcome = .success(value)
                    return .commit
                }
            } catch let refusal as Refusal {
                outcome = .failure(refusal)
                try Registry.recordRefusal(db, scope: scope, refusal: refusal)
            }
        }
        switch outcome! {
        case .success(let v):
            // Told only once the transaction has committed.
            for notice in notices { context.notices?.add(notice) }
            return v
        case .failure(let r): throw r
        }
    }

    /// Judges a request's credential alone, before the server reads the request's body: the rules of
    /// ``Rule/authentication`` (no credential for an operation that needs one, an unknown account or token, a wrong
    /// password, a revoked, expired or out-of-range token, ...).
    ///
    /// They come first in the catalog and read nothing but the credential, so the whole request could not be answered
    /// otherwise: a refusal here is the refusal the request would get, and it is audited as that operation's refusal.
    /// A credential that holds is not audited (the request itself will be). Nothing else is checked or changed.
    public func judgeCredential(for operation: OperationKind, _ context: RequestContext, target: String? = nil) throws(Refusal) {
        var refusal: Refusal?
        try withRequestScope(operation, context, target: target) { db, scope in
            do {
                try scope.authenticate()
                try scope.decide(rules: Rule.authentication)
            } catch let refused as Refusal {
                refusal = refused
                try Registry.recordRefusal(db, scope: scope, refusal: refused)
            }
        }
        if let refusal { throw refusal }
    }

    /// One request's hold on the store, for ``perform(_:_:target:_:)`` and ``judgeCredential(for:_:target:)``: the
    /// time, the password hashed before the write lock, the write, and a scope for `operation`. A failure of the store
    /// is the refusal `storageFailed`; a refusal `body` lets through stays what it is.
    private func withRequestScope(_ operation: OperationKind, _ context: RequestContext, target: String?,
                                  _ body: (Database, RequestScope) throws -> Void) throws(Refusal) {
        let now = clock.now()
        let passwordCheck = checkPasswordBeforeLocking(context, now: now)
        do {
            try store.writeWithoutTransaction { db in
                let scope = RequestScope(db: db, registry: self, operation: operation, context: context, now: now, passwordCheck: passwordCheck)
                scope.target = target
                try body(db, scope)
            }
        } catch let refusal as Refusal {
            throw refusal
        } catch {
            throw Refusal.invalid(.storageFailed(Registry.storageFailure(error)))
        }
    }

    /// Hashes a request's password before the request takes the store's write lock, so that the scrypt of one login
    /// (about 40 ms at the interactive cost) never holds up every other write. A throttled password is not hashed.
    /// Inside the transaction, ``RequestScope/authenticate()`` uses the result if the account's hash is still the
    /// one checked, and checks again otherwise.
    func checkPasswordBeforeLocking(_ context: RequestContext, now: Int64) -> PasswordCheck? {
        guard case .password(let username, let password) = context.credential else { return nil }
        let parameters = configuration.parameters
        guard let (throttled, storedHash) = try? store.read({ db -> (Bool, String?) in
            (try Registry.passwordThrottled(db, username: username, source: context.sourceAddress.description, now: now, parameters: parameters),
             try AccountRow.fetch(db, username)?.passwordHash)
        }), !throttled else { return nil }
        guard let storedHash else {
            hasher.verifyAgainstNothing(password)
            return PasswordCheck(username: username, storedHash: nil, verified: false)
        }
        return PasswordCheck(username: username, storedHash: storedHash, verified: hasher.verify(password, against: storedHash))
    }

    /// Whether passwords for `username` from `source` are not checked for now (rule `auth.password-rate-limited`).
    static func passwordThrottled(_ db: Database, username: String, source: String, now: Int64, parameters: PolicyParameters) throws -> Bool {
        let since = now - parameters.passwordFailureWindow
        let fromSource = try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM password_failure WHERE source = ? AND at > ?"),
                                          arguments: [source, since]) ?? 0
        if fromSource >= parameters.passwordFailuresPerSource { return true }
        let forAccount = try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM password_failure WHERE account = ? AND at > ?"),
                                          arguments: [username, since]) ?? 0
        if forAccount >= parameters.passwordFailuresPerAccount { return true }
        let fromSourceForAccount = try Int.fetchOne(db.cachedStatement(sql: """
            SELECT count(*) FROM password_failure WHERE account = ? AND source = ? AND at > ?
            """), arguments: [username, source, since]) ?? 0
        return fromSourceForAccount >= parameters.passwordFailuresPerAccountFromSource
    }

    /// What a refused request leaves behind, in a transaction of its own (the request's was rolled back): its deliberate
    /// effects (a wrong code or password counted; for a password request refused for want of the emailed login code,
    /// a new code mailed) and its audit entry.
    static func recordRefusal(_ db: Database, scope: RequestScope, refusal: Refusal) throws {
        try db.inTransaction {
            for effect in scope.onRefused { try effect(db) }
            if case .denied(let d) = refusal, d.rule == .emailedLoginCode, !scope.context.secondFactor.isPresent, let account = scope.account {
                try Registry.sendMail(db, to: account, purpose: "login-code", subject: "Your npm login code", now: scope.now,
                                      lifetime: scope.parameters.emailCodeLifetime)
            }
            try Registry.appendAudit(db, scope: scope, refusal: refusal)
            return .commit
        }
    }

    static func appendAudit(_ db: Database, scope: RequestScope, refusal: Refusal?) throws {
        let outcome: String
        switch refusal { case nil: outcome = "allowed"; case .denied?: outcome = "denied"; case .invalid?: outcome = "invalid" }
        try db.cachedStatement(sql: """
            INSERT INTO audit (at, operation, actor, credential, source, target, outcome, rule, defense, message)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [scope.now, scope.operation.rawValue, scope.actorName ?? scope.oidcPackage.map { "oidc:\($0)" },
                             scope.credentialLabel, scope.context.sourceAddress.description, scope.target, outcome,
                             refusal?.rule.rawValue, refusal?.defense.rawValue, refusal?.message ?? (scope.notices.isEmpty ? nil : scope.notices.joined(separator: " "))])
    }

    /// Emails a fresh code to the account's address; the code is stored only as a digest plus, for the mailbox, its text.
    @discardableResult
    static func sendMail(_ db: Database, to account: AccountRow, purpose: String, subject: String, now: Int64, lifetime: Int64) throws -> String {
        let code = Registry.numericCode(digits: 8)
        try db.cachedStatement(sql: """
            INSERT INTO mail (address, account, purpose, subject, code_digest, code, sent, expires) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [account.email, account.name, purpose, subject, Digest.sha512Hex(code), code, now, now + lifetime])
        return code
    }

    /// Mails a notice with no code (an alert) to `address`.
    static func sendNotice(_ db: Database, to address: String, account: String, now: Int64, subject: String) throws {
        try db.cachedStatement(sql: "INSERT INTO mail (address, account, purpose, subject, sent) VALUES (?, ?, 'notice', ?, ?)")
            .execute(arguments: [address, account, subject, now])
    }

    static func numericCode(digits: Int) -> String {
        let bytes = SecureRandom.bytes(digits * 2)
        var out = ""
        var i = 0
        while out.count < digits {
            let b = bytes[i % bytes.count]; i += 1
            if b < 250 { out.append(Character(String(b % 10))) }
            if i > 4 * digits { out.append("0") }
        }
        return out
    }
}

extension Registry {
    /// What a caller is told when SQLite fails: the result code, never the statement or the file's path (they reach
    /// a participant's npm through the server).
    static func storageFailure(_ error: any Error) -> String {
        if let database = error as? DatabaseError {
            return "The registry's storage failed (SQLite result code \(database.extendedResultCode.rawValue))."
        }
        return "The registry's storage failed."
    }
}
