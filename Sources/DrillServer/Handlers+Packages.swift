import DrillCrypto
import DrillRegistry
import Foundation
import Hummingbird
import NIOCore

/// Packuments, publish, tarballs, unpublish, deprecate and owners (npm-protocol.md §2 rows 12-18, §5).
extension ServerCore {
    // MARK: Reading

    func packument(_ name: String, _ request: Request, _ context: DrillRequestContext) async throws -> Response {
        // A credential that came along is judged (npm sends the token of the npmrc on reads too); anonymous reads are not.
        if request.headers[.authorization] != nil {
            let ctx = try registryRequest(request, context)
            try await call { registry throws(Refusal) in try registry.authorizeRead(ctx, package: name) }
        }
        let base = baseURL(request)
        // Documents are rendered once per state of the store: any write to it makes the next GET render afresh.
        let generation = registry.store.generation
        if let cached = packuments.lookup(name: name, baseURL: base, generation: generation) {
            return Reply.json(encoded: cached)
        }
        guard let record = try await loadRecord(name) else {
            return Reply.error(.notFound, "Not found: package \(name) is not in this registry.")
        }
        let emails = try await emails(record.maintainers + record.versions.map(\.publishedBy))
        let bytes = ByteBuffer(bytes: Packument.document(record, baseURL: base, emails: emails).encoded())
        packuments.store(name: name, baseURL: base, generation: generation, bytes: bytes)
        return Reply.json(encoded: bytes)
    }

    func tarball(_ name: String, file: String, _ request: Request, _ context: DrillRequestContext) async throws -> Response {
        guard let version = Packument.version(fromFile: file, package: name) else {
            // The file name is not echoed: whatever was pasted into the path (a token, say) stays out of answers and logs.
            throw BadInput.notFound("That file is not a tarball of \(name): expected \(Packument.tarballFile(package: name, version: "<version>")).")
        }
        let ctx = try registryRequest(request, context)
        let bytes = try await call { registry throws(Refusal) in try registry.download(ctx, package: name, version: version) }
        return Reply.bytes(bytes, contentType: "application/octet-stream")
    }

    // MARK: Publish and document updates

    /// `PUT /<name>`: a publish (one version and its base64 tarball in `_attachments`), or, without
    /// attachments, the whole document sent back by `npm deprecate`.
    func putPackage(_ name: String, rev: String?, _ request: Request, _ context: DrillRequestContext) async throws -> Response {
        // An anonymous or large document has its credential judged before it is read, as a publish (a new version, the
        // common case) or, with a revision in the path, an unpublish: any other change would get the same refusal.
        let body = try await jsonObject(request, context, for: rev == nil ? .publish : .unpublish, target: name,
                                        limit: configuration.maximumDocumentBytes)
        if let id = try Self.optionalString(body["_id"], "_id"), id != name {
            throw BadInput.badRequest("The document's _id '\(id.prefix(100))' does not match the package in the path '\(name)'.")
        }
        if let bodyName = try Self.optionalString(body["name"], "name"), bodyName != name {
            throw BadInput.badRequest("The document's name '\(bodyName.prefix(100))' does not match the package in the path '\(name)'.")
        }
        let ctx = try registryRequest(request, context)
        if rev == nil, let attachments = body["_attachments"], !attachments.isNull {
            return try await publish(name, body: body, ctx: ctx, request: request)
        }
        if rev == nil, body["_rev"]?.stringValue == nil {
            throw BadInput.badRequest("A publish needs \"_attachments\" with the tarball; a document update needs the current \"_rev\".")
        }
        return try await updateDocument(name, body: body, rev: rev ?? body["_rev"]?.stringValue, allowUnpublish: rev != nil, ctx: ctx)
    }

    func publish(_ name: String, body: [String: JSONValue], ctx: RegistryRequest, request: Request) async throws -> Response {
        guard let versions = body["versions"]?.objectValue, versions.count == 1, let only = versions.first else {
            throw BadInput.badRequest("A publish must carry exactly one version in \"versions\".")
        }
        let (version, manifestValue) = (only.key, only.value)
        guard var manifest = manifestValue.objectValue else { throw BadInput.badRequest("versions[\"\(version.prefix(60))\"] must be an object (the package.json).") }
        if let v = try Self.optionalString(manifest["version"], "versions[\"\(version.prefix(60))\"].version"), v != version {
            throw BadInput.badRequest("versions[\"\(version.prefix(60))\"] says its version is '\(v.prefix(60))'.")
        }
        if let n = try Self.optionalString(manifest["name"], "versions[\"\(version.prefix(60))\"].name"), n != name {
            throw BadInput.badRequest("versions[\"\(version.prefix(60))\"] says its name is '\(n.prefix(100))', not '\(name)'.")
        }
        guard let attachments = body["_attachments"]?.objectValue else { throw BadInput.badRequest("\"_attachments\" must be an object.") }
        // npm sends exactly one attachment, named <name>-<version>.tgz; any other name (../../x.tgz) or an extra file is refused.
        let expectedFile = "\(name)-\(version).tgz"
        guard attachments.count == 1, let attachment = attachments[expectedFile]?.objectValue else {
            throw BadInput.badRequest("\"_attachments\" must hold exactly one tarball, named \(expectedFile.prefix(300)) (found \(attachments.count) attachment\(attachments.count == 1 ? "" : "s")).")
        }
        guard let data = attachment["data"]?.stringValue, let decoded = Data(base64Encoded: data) else {
            throw BadInput.badRequest("The tarball attachment's \"data\" must be base64.")
        }
        let tarball = [UInt8](decoded)
        if let claimed = attachment["length"], !claimed.isNull {
            // Compared as a Double: a claimed length like 1e300 fits no integer.
            guard let length = claimed.numberValue else { throw BadInput.badRequest("The tarball attachment's \"length\" must be a number.") }
            if length != Double(tarball.count) {
                let shown = Int(exactly: length).map(String.init) ?? "\(length)"
                throw BadInput.badRequest("The tarball attachment says its length is \(shown) bytes, but its data decodes to \(tarball.count).")
            }
        }
        if let problem = GzipMember.problem(tarball) {
            throw BadInput.badRequest("The tarball is not a gzipped tar (.tgz), which is what npm publishes: \(problem).")
        }
        let dist = manifest["dist"]?.objectValue ?? [:]
        let integrity = try Self.optionalString(dist["integrity"], "dist.integrity")
        if let shasum = try Self.optionalString(dist["shasum"], "dist.shasum"), shasum.lowercased() != Digest.sha1Hex(bytes: tarball) {
            throw BadInput.badRequest("The tarball's shasum does not match: the manifest says \(shasum.prefix(40)), the bytes hash to \(Digest.sha1Hex(bytes: tarball)).")
        }
        let tags = body["dist-tags"]?.objectValue ?? [:]
        guard tags.count <= 1 else { throw BadInput.badRequest("A publish sets one dist-tag (npm publish --tag); found \(tags.count).") }
        var tag = "latest"
        if let first = tags.first {
            let (t, target) = (first.key, first.value)
            guard target.stringValue == version else { throw BadInput.badRequest("dist-tags[\"\(t.prefix(60))\"] must point at the version published, \(version.prefix(60)).") }
            tag = t
        }
        var scripts: [String: String] = [:]
        for key in ["preinstall", "install", "postinstall"] {
            if let s = manifest["scripts"]?[key]?.stringValue { scripts[key] = s }
        }
        // The registry sets the tarball URL and the integrity it computed itself; the rest of the manifest is kept as sent.
        var keptDist = dist
        keptDist["tarball"] = nil
        manifest["dist"] = .object(keptDist)
        let publish = PublishRequest(package: name, version: version, tarball: tarball, integrity: integrity,
                                     installScripts: scripts, distTag: tag, manifestJSON: JSONValue.object(manifest).jsonText,
                                     declaresDualUse: manifest["contentPolicy"]?.stringValue == "dual-use",
                                     dependencies: Array((manifest["dependencies"]?.objectValue ?? [:]).keys.prefix(1_000)))
        let existedBefore = try await loadRecord(name) != nil
        try await call { registry throws(Refusal) in _ = try registry.publish(ctx, publish) }

        // `npm publish --access` on a new package sets its visibility (npmjs ignores it for existing packages).
        if !existedBefore, let access = body["access"]?.stringValue, access == "restricted" || access == "public" {
            try await call { registry throws(Refusal) in try registry.setAccess(ctx, package: name, isPublic: access == "public") }
        }
        let after = try await loadRecord(name)
        return Reply.json(["ok": true, "id": .string(name), "rev": .optional(after.map(Packument.revision))], status: .created)
    }

    /// A field that may be absent or null but, when present, must be a string: a number or object in its place is
    /// refused rather than skipped (skipping would let `"integrity": 0` bypass the integrity check).
    static func optionalString(_ value: JSONValue?, _ field: String) throws(BadInput) -> String? {
        guard let value, !value.isNull else { return nil }
        guard let s = value.stringValue else { throw BadInput.badRequest("\"\(field)\" must be a string.") }
        return s
    }

    /// A whole-document PUT: versions left out are unpublished (only on `/-rev/`, as `npm unpublish` does),
    /// changed `deprecated` fields deprecate, changed `maintainers` add or remove owners.
    func updateDocument(_ name: String, body: [String: JSONValue], rev: String?, allowUnpublish: Bool, ctx: RegistryRequest) async throws -> Response {
        let record = try await requireRecord(name)
        let current = Packument.revision(record)
        if let rev, rev != current {
            return Reply.error(.conflict, "Document update conflict: \(name) is at revision \(current), not \(rev.prefix(60)); fetch it again.")
        }
        let known = Dictionary(uniqueKeysWithValues: record.versions.map { ($0.version, $0) })
        var removed: [String] = []
        var deprecations: [(String, String)] = []
        if let versions = body["versions"] {
            guard let sent = versions.objectValue else { throw BadInput.badRequest("\"versions\" must be an object.") }
            if let new = sent.keys.first(where: { known[$0] == nil }) {
                throw BadInput.badRequest("Version \(new.prefix(60)) is not published; publish new versions with PUT /\(name) and their tarball.")
            }
            removed = record.versions.map(\.version).filter { sent[$0] == nil }
            if !removed.isEmpty && !allowUnpublish {
                throw BadInput.badRequest("To unpublish versions, PUT /\(name)/-rev/<rev> as npm unpublish does.")
            }
            for (v, manifest) in sent.sorted(by: { $0.key < $1.key }) {
                guard let m = manifest.objectValue else { throw BadInput.badRequest("versions[\"\(v.prefix(60))\"] must be an object.") }
                let wanted: String?
                switch m["deprecated"] {
                case nil, .null?: wanted = nil
                case .string(let s)?: wanted = s.isEmpty ? nil : s
                default: throw BadInput.badRequest("versions[\"\(v.prefix(60))\"].deprecated must be a string.")
                }
                if wanted != known[v]?.deprecated { deprecations.append((v, wanted ?? "")) }
            }
        }
        var added: [String] = [], dropped: [String] = []
        if let maintainers = body["maintainers"] {
            guard let list = maintainers.arrayValue else { throw BadInput.badRequest("\"maintainers\" must be an array of {name, email}.") }
            var names: [String] = []
            for m in list {
                guard let n = m["name"]?.stringValue ?? m.stringValue, !n.isEmpty else {
                    throw BadInput.badRequest("Each maintainer must have a \"name\".")
                }
                names.append(n)
            }
            added = names.filter { !record.maintainers.contains($0) }
            dropped = record.maintainers.filter { !names.contains($0) }
        }
        // One registry operation per change, each judged and audited on its own, in npm's order.
        for v in removed.sorted() {
            try await call { registry throws(Refusal) in try registry.unpublish(ctx, package: name, version: v) }
        }
        if removed.count < record.versions.count {
            for (v, message) in deprecations {
                try await call { registry throws(Refusal) in try registry.deprecate(ctx, package: name, version: v, message: message) }
            }
            for user in added {
                try await call { registry throws(Refusal) in try registry.addOwner(ctx, package: name, user: user) }
            }
            for user in dropped {
                try await call { registry throws(Refusal) in try registry.removeOwner(ctx, package: name, user: user) }
            }
        }
        let after = try await loadRecord(name)
        // npm's registry answers a document update with "success": true as well; Yarn 1 (`yarn owner add`) reports a
        // failure without it, after the change was made.
        return Reply.json(["ok": true, "success": true, "id": .string(name), "rev": .optional(after.map(Packument.revision))], status: .created)
    }

    // MARK: Unpublish

    /// `DELETE /<name>/-rev/<rev>`: the whole package.
    func unpublishPackage(_ name: String, rev: String, _ request: Request, _ context: DrillRequestContext) async throws -> Response {
        let record = try await requireRecord(name)
        let current = Packument.revision(record)
        guard rev == current else {
            return Reply.error(.conflict, "Document update conflict: \(name) is at revision \(current), not \(rev); fetch it again.")
        }
        let ctx = try registryRequest(request, context)
        try await call { registry throws(Refusal) in try registry.unpublish(ctx, package: name, version: nil) }
        return Reply.json(["ok": true])
    }

    /// `DELETE /<name>/-/<file>/-rev/<rev>`: npm's second step of unpublishing a version (its PUT already removed it).
    func deleteTarball(_ name: String, file: String, rev: String, _ request: Request, _ context: DrillRequestContext) async throws -> Response {
        guard let version = Packument.version(fromFile: file, package: name) else {
            throw BadInput.notFound("That file is not a tarball of \(name).")
        }
        let record = try await requireRecord(name)
        guard record.versions.contains(where: { $0.version == version }) else { return Reply.json(["ok": true]) }
        let current = Packument.revision(record)
        guard rev == current else {
            return Reply.error(.conflict, "Document update conflict: \(name) is at revision \(current), not \(rev); fetch it again.")
        }
        let ctx = try registryRequest(request, context)
        try await call { registry throws(Refusal) in try registry.unpublish(ctx, package: name, version: version) }
        return Reply.json(["ok": true])
    }
}
