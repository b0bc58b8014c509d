import DrillRegistry
import Hummingbird

/// Profile, 2FA and tokens (npm-protocol.md §2 rows 7-11, §4, §6).
extension ServerCore {
    // MARK: Profile

    static func profileObject(_ p: AccountProfile) -> [String: JSONValue] {
        let tfa: JSONValue
        if p.twoFactorMode != .disabled {
            tfa = ["mode": .string(p.twoFactorMode.rawValue), "pending": false]
        } else if p.twoFactorPending {
            tfa = ["pending": true]
        } else {
            tfa = false
        }
        return [
            "name": .string(p.name), "email": .string(p.email), "email_verified": false, "tfa": tfa,
            "created": .string(Timestamp.iso8601(p.created, milliseconds: true)), "updated": .string(Timestamp.iso8601(p.updated, milliseconds: true)),
            "cidr_whitelist": .null, "fullname": "", "homepage": "", "freenode": "", "twitter": "", "github": "",
        ]
    }

    func profile(_ request: Request, _ context: DrillRequestContext) async throws -> Response {
        let ctx = try registryRequest(request, context)
        let profile = try await call { registry throws(Refusal) in try registry.profile(ctx) }
        return Reply.json(.object(Self.profileObject(profile)))
    }

    /// `POST /-/npm/v1/user`: the 2FA state machine (otpauth URI, then recovery codes; null on a mode
    /// change), password and email changes. Fields the registry does not keep are refused, not pretended.
    func updateProfile(_ request: Request, _ context: DrillRequestContext) async throws -> Response {
        // Which change it is, the body says; every one needs the account, and only a too-large body is judged before.
        let body = try await jsonObject(request, context, for: .changeEmail)
        let ctx = try registryRequest(request, context)

        if let tfa = body["tfa"] {
            if let codes = tfa.arrayValue {
                guard let code = codes.first?.stringValue, codes.allSatisfy({ $0.stringValue != nil }) else {
                    throw BadInput.badRequest("\"tfa\" must be an array of one-time codes, like [\"123456\"].")
                }
                let recovery = try await call { registry throws(Refusal) in try registry.confirmTwoFactor(ctx, code: code) }
                return Reply.json(["tfa": .array(recovery.map(JSONValue.string))])
            }
            guard let change = tfa.objectValue, let mode = change["mode"]?.stringValue else {
                throw BadInput.badRequest("\"tfa\" must be {\"mode\": \"auth-only\"|\"auth-and-writes\"|\"disable\", \"password\": \"...\"} or an array of codes.")
            }
            let password = change["password"]?.stringValue
            if mode == "disable" {
                try await call { registry throws(Refusal) in try registry.disableTwoFactor(ctx, password: password) }
                return Reply.json(["tfa": false])
            }
            guard let wanted = TwoFactorMode(rawValue: mode), wanted != .disabled else {
                throw BadInput.badRequest("Unknown 2FA mode '\(mode.prefix(40))': use auth-only, auth-and-writes or disable.")
            }
            let result = try await call { registry throws(Refusal) in try registry.enableTwoFactor(ctx, mode: wanted, password: password) }
            switch result {
            case .pendingConfirmation(let enrolment): return Reply.json(["tfa": .string(enrolment.otpauthURI)])
            case .modeChanged: return Reply.json(["tfa": .null])
            }
        }

        // Ordinary profile fields: npm copies every writable key, with empty values as null.
        for key in ["fullname", "homepage", "freenode", "twitter", "github"] {
            if let v = body[key], !v.isNull, v.stringValue != "" {
                throw BadInput.badRequest("This simulated registry does not keep '\(key)'; only email and password can be set.")
            }
        }
        let current = try await call { registry throws(Refusal) in try registry.profile(ctx) }
        if let pw = body["password"], !pw.isNull {
            guard let old = pw["old"]?.stringValue, let new = pw["new"]?.stringValue else {
                throw BadInput.badRequest("\"password\" must be {\"old\": \"...\", \"new\": \"...\"}.")
            }
            try await call { registry throws(Refusal) in try registry.changePassword(ctx, old: old, new: new) }
        }
        if let e = body["email"], !e.isNull {
            guard let email = e.stringValue else { throw BadInput.badRequest("\"email\" must be a string.") }
            if email != current.email {
                try await call { registry throws(Refusal) in try registry.changeEmail(ctx, to: email) }
            }
        }
        let after = try await read { try $0.account(current.name) } ?? current
        return Reply.json(.object(Self.profileObject(after)))
    }

    // MARK: Tokens

    static func tokenObject(_ t: TokenSummary, fullToken: String? = nil) -> JSONValue {
        [
            "token": .string(fullToken ?? String(t.prefix.prefix(6))),
            "key": .string(t.key),
            "cidr_whitelist": t.cidrAllowlist.isEmpty ? .null : .array(t.cidrAllowlist.map(JSONValue.string)),
            "readonly": .bool(t.readOnly),
            "automation": .bool(t.kind == .automation),
            "created": .string(Timestamp.iso8601(t.created, milliseconds: true)),
            "updated": .string(Timestamp.iso8601(t.created, milliseconds: true)),
        ]
    }

    func listTokens(_ request: Request, _ context: DrillRequestContext) async throws -> Response {
        let ctx = try registryRequest(request, context)
        let tokens = try await call { registry throws(Refusal) in try registry.listTokens(ctx) }
        return Reply.json(["objects": .array(tokens.map { Self.tokenObject($0) }), "total": .number(Double(tokens.count)), "urls": [:]])
    }

    /// `POST /-/npm/v1/tokens` `{"password", "readonly", "cidr_whitelist"}`: a classic token (npm 10 can make no other kind).
    func createToken(_ request: Request, _ context: DrillRequestContext) async throws -> Response {
        let body = try await jsonObject(request, context, for: .createToken)
        let ctx = try registryRequest(request, context)
        if let r = body["readonly"], !r.isNull, r.boolValue == nil { throw BadInput.badRequest("\"readonly\" must be true or false.") }
        let readOnly = body["readonly"]?.boolValue ?? false
        var blocks: [CIDRBlock] = []
        if let list = body["cidr_whitelist"], !list.isNull {
            guard let items = list.arrayValue else { throw BadInput.badRequest("\"cidr_whitelist\" must be an array of IPv4 CIDR blocks.") }
            for item in items {
                guard let text = item.stringValue else { throw BadInput.badRequest("\"cidr_whitelist\" must hold strings like \"10.0.0.0/8\".") }
                do { blocks.append(try CIDRBlock(text)) } catch { throw BadInput.badRequest(error.description) }
            }
        }
        let password = body["password"]?.stringValue
        let tokenRequest = TokenRequest(kind: readOnly ? .readOnly : .publish, cidrAllowlist: blocks)
        let issued = try await call { registry throws(Refusal) in try registry.createToken(ctx, request: tokenRequest, password: password) }
        return Reply.json(Self.tokenObject(issued.summary, fullToken: issued.token), status: .created)
    }

    /// `DELETE /-/npm/v1/tokens/token/<key or token>`.
    func revokeToken(_ keyOrToken: String, _ request: Request, _ context: DrillRequestContext) async throws -> Response {
        let ctx = try registryRequest(request, context)
        try await call { registry throws(Refusal) in try registry.revokeToken(ctx, keyOrToken: keyOrToken) }
        return Reply.noContent()
    }
}
