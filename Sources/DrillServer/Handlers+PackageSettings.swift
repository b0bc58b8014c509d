import DrillRegistry
import Hummingbird

/// Dist-tags, access and publishing settings, collaborators (npm-protocol.md §2 rows 19-23).
extension ServerCore {
    func distTags(_ name: String) async throws -> Response {
        let record = try await requireRecord(name)
        return Reply.json(.object(record.distTags.mapValues(JSONValue.string)))
    }

    /// `PUT /-/package/<name>/dist-tags/<tag>` with the version as a bare JSON string.
    func setDistTag(_ name: String, tag: String, _ request: Request, _ context: DrillRequestContext) async throws -> Response {
        guard let version = try await json(request, context, for: .setDistTag, target: name).stringValue else {
            throw BadInput.badRequest("The body must be the version as a JSON string, like \"1.0.0\".")
        }
        let ctx = try registryRequest(request, context)
        try await call { registry throws(Refusal) in try registry.setDistTag(ctx, package: name, tag: tag, version: version) }
        return Reply.json(["ok": true])
    }

    func removeDistTag(_ name: String, tag: String, _ request: Request, _ context: DrillRequestContext) async throws -> Response {
        let ctx = try registryRequest(request, context)
        try await call { registry throws(Refusal) in try registry.removeDistTag(ctx, package: name, tag: tag) }
        return Reply.json(["ok": true])
    }

    /// `POST /-/package/<name>/access`: `npm access set mfa=...` and `status=...`.
    ///
    /// mfa=none `{"publish_requires_tfa":false}` is "2FA not required"; mfa=automation (`true` + overrides `true`)
    /// is "2FA or an automation token"; mfa=publish (`true` + overrides `false`) is "2FA and disallow tokens".
    func setAccess(_ name: String, _ request: Request, _ context: DrillRequestContext) async throws -> Response {
        let body = try await jsonObject(request, context, for: .setAccess, target: name)
        var policy: PublishingPolicy?
        if let requires = body["publish_requires_tfa"] {
            guard let r = requires.boolValue else { throw BadInput.badRequest("\"publish_requires_tfa\" must be true or false.") }
            if let o = body["automation_token_overrides_tfa"], !o.isNull, o.boolValue == nil {
                throw BadInput.badRequest("\"automation_token_overrides_tfa\" must be true or false.")
            }
            let overrides = body["automation_token_overrides_tfa"]?.boolValue ?? false
            policy = !r ? .twoFactorNotRequired : (overrides ? .twoFactorOrToken : .twoFactorAndDisallowTokens)
        }
        var isPublic: Bool?
        if let access = body["access"], !access.isNull {
            switch access.stringValue {
            case "public"?: isPublic = true
            case "restricted"?, "private"?: isPublic = false
            default: throw BadInput.badRequest("\"access\" must be \"public\" or \"restricted\".")
            }
        }
        guard policy != nil || isPublic != nil else {
            throw BadInput.badRequest("Send {\"publish_requires_tfa\": bool, \"automation_token_overrides_tfa\": bool} or {\"access\": \"public\"|\"restricted\"}.")
        }
        let ctx = try registryRequest(request, context)
        if let policy {
            try await call { registry throws(Refusal) in try registry.setPublishingPolicy(ctx, package: name, policy: policy) }
        }
        if let isPublic {
            try await call { registry throws(Refusal) in try registry.setAccess(ctx, package: name, isPublic: isPublic) }
        }
        return Reply.json(["ok": true])
    }

    func visibility(_ name: String) async throws -> Response {
        let record = try await requireRecord(name)
        return Reply.json(["public": .bool(record.isPublic)])
    }

    func collaborators(_ name: String) async throws -> Response {
        let record = try await requireRecord(name)
        return Reply.json(.object(Dictionary(uniqueKeysWithValues: record.maintainers.map { ($0, JSONValue.string("write")) })))
    }

    /// `GET /-/user/<name>/package`: the packages the user maintains.
    func userPackages(_ user: String) async throws -> Response {
        let packages: [String] = try await read { registry in
            guard try registry.account(user) != nil else { return [] }
            return try registry.packageNames().filter { try registry.package($0)?.maintainers.contains(user) == true }
        }
        return Reply.json(.object(Dictionary(uniqueKeysWithValues: packages.map { ($0, JSONValue.string("write")) })))
    }
}
