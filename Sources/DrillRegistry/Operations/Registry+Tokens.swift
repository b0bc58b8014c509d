import DrillCrypto
import Foundation
import GRDB

extension Registry {
    /// Creates a token (`npm token create [--read-only] [--cidr=...]`, or a granular token on the website).
    ///
    /// The secret is returned once; the registry keeps only its sha512 digest (the token's `key`).
    /// From 13 Oct 2025 write tokens get a default lifetime of 7 days when none is asked for.
    public func createToken(_ context: RequestContext, request: TokenRequest, password: String? = nil) throws(Refusal) -> IssuedToken {
        try perform(.createToken, context, target: request.kind.rawValue) { scope in
            guard request.packages.count <= 50, request.scopes.count <= 50, request.cidrAllowlist.count <= 50 else {
                throw Refusal.invalid(.invalidArgument("A token names at most 50 packages, 50 scopes and 50 CIDR blocks."))
            }
            for name in request.packages {
                if let problem = PackageName.problem(with: name) { throw Refusal.invalid(.invalidPackageName(name, reason: problem)) }
            }
            for scopeName in request.scopes where !(scopeName.hasPrefix("@") && scopeName.count > 1 && !scopeName.contains("/")) {
                throw Refusal.invalid(.invalidArgument("Invalid scope '\(scopeName)': write it as @name."))
            }
            if let life = request.lifetime, life <= 0 { throw Refusal.invalid(.invalidArgument("A token's lifetime must be positive.")) }
            var live = 0
            if request.kind == .granular, let owner = scope.actorName {
                live = try Int.fetchOne(scope.db.cachedStatement(sql: """
                    SELECT count(*) FROM token WHERE owner = ? AND kind = 'granular' AND revoked IS NULL AND (expires IS NULL OR expires > ?)
                    """), arguments: [owner, scope.now]) ?? 0
            }
            try scope.decide(requestedToken: request, liveGranularTokens: live)
            if case .password = context.credential {} else { try scope.requirePassword(password) }
            let account = try scope.requireAccount()
            var lifetime = request.lifetime
            if lifetime == nil && request.permission.canWrite && era.has(.writeTokenLifetimes) {
                lifetime = configuration.parameters.writeTokenDefaultLifetime
            }
            return try Registry.insertToken(scope.db, owner: account.name, request: request, created: scope.now, expires: lifetime.map { scope.now + $0 })
        }
    }

    /// The caller's tokens (`npm token list`); login sessions are not listed, as on npmjs.
    public func listTokens(_ context: RequestContext) throws(Refusal) -> [TokenSummary] {
        try perform(.listTokens, context) { scope in
            try scope.decide()
            let account = try scope.requireAccount()
            return try Row.fetchAll(scope.db.cachedStatement(sql: """
                SELECT * FROM token WHERE owner = ? AND kind != 'session' AND revoked IS NULL ORDER BY created, key
                """), arguments: [account.name]).map { TokenRow($0).summary }
        }
    }

    /// Revokes one of the caller's tokens by its key (or a unique key prefix), or by the token itself (`npm token revoke`).
    ///
    /// The token stops working after the era's cache grace (``PolicyParameters/revokedTokenGrace(in:)``).
    public func revokeToken(_ context: RequestContext, keyOrToken: String) throws(Refusal) {
        try perform(.revokeToken, context, target: String(keyOrToken.prefix(8))) { scope in
            try scope.decide()
            let account = try scope.requireAccount()
            // An empty id would be a prefix of every key (and revoke the only token there is).
            guard !keyOrToken.isEmpty else { throw Refusal.invalid(.unknownToken(keyOrToken)) }
            let key: String
            if keyOrToken.hasPrefix("npm_") || (keyOrToken.count != 128 && !keyOrToken.allSatisfy(\.isHexDigit)) {
                key = TokenSecret.key(of: keyOrToken)
            } else {
                // A key prefix is hex digits, compared as text: with LIKE, `%` and `_` were wildcards (a 128-character
                // id of `_` matched any key).
                let prefix = keyOrToken.lowercased()
                guard prefix.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }) else {
                    throw Refusal.invalid(.unknownToken(String(keyOrToken.prefix(8))))
                }
                let matches = try String.fetchAll(scope.db.cachedStatement(sql: """
                    SELECT key FROM token WHERE owner = ? AND substr(key, 1, ?) = ? AND revoked IS NULL
                    """), arguments: [account.name, prefix.utf8.count, prefix])
                guard matches.count == 1 else {
                    throw Refusal.invalid(matches.isEmpty ? .unknownToken(keyOrToken) : .invalidArgument("Token id \(keyOrToken) is ambiguous."))
                }
                key = matches[0]
            }
            guard let row = try TokenRow.fetch(scope.db, key: key), row.owner == account.name, row.revoked == nil else {
                throw Refusal.invalid(.unknownToken(String(keyOrToken.prefix(8))))
            }
            try scope.db.cachedStatement(sql: "UPDATE token SET revoked = ? WHERE key = ?").execute(arguments: [scope.now, key])
        }
    }

    static func insertToken(_ db: Database, owner: String, request: TokenRequest, created: Int64, expires: Int64?) throws -> IssuedToken {
        let secret = TokenSecret.generate()
        let key = TokenSecret.key(of: secret)
        try db.cachedStatement(sql: """
            INSERT INTO token (key, prefix, owner, kind, permission, packages, scopes, cidr, bypass_2fa, description, created, expires)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [key, String(secret.prefix(6)), owner, request.kind.rawValue, request.permission.rawValue,
                             JSONList.encode(request.packages), JSONList.encode(request.scopes),
                             JSONList.encode(request.cidrAllowlist.map(\.description)), request.bypassTwoFactor,
                             request.description, created, expires])
        return IssuedToken(token: secret, summary: try TokenRow.fetch(db, key: key)!.summary)
    }
}
