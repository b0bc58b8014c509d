import DrillCrypto
import Foundation
import GRDB

extension Registry {
    /// Publishes one version (`npm publish`). A new package is created with the publisher as its only maintainer.
    ///
    /// - Throws: ``Refusal/invalid(_:)`` for a bad name or version, a version that exists or existed, a tarball
    ///   over the limit, or an integrity string that does not match the bytes; ``Refusal/denied(_:)`` from the policy.
    @discardableResult
    public func publish(_ context: RequestContext, _ request: PublishRequest) throws(Refusal) -> VersionRecord {
        try perform(.publish, context, target: "\(request.package)@\(request.version)") { scope in
            let integrity = try validateRelease(request)
            try scope.decide(package: try scope.packageFact(request.package), declaresDualUse: request.declaresDualUse)
            try Registry.requireFreshVersion(scope.db, package: request.package, version: request.version)
            try Registry.createPackageIfNew(scope, request.package)
            try Registry.insertVersion(scope.db, request, integrity: integrity, at: scope.now, by: scope.publisherName)
            try Registry.setTag(scope.db, package: request.package, tag: request.distTag, version: request.version)
            try Registry.touch(scope.db, request.package, now: scope.now)
            return try Registry.versionRecord(scope.db, request.package, request.version)!
        }
    }

    /// Checks what a release carries before anyone is asked: name, version, tag, sizes and integrity. Returns the
    /// integrity the registry computed from the bytes.
    func validateRelease(_ request: PublishRequest) throws -> String {
        try Registry.validateName(request.package)
        guard SemanticVersion(request.version) != nil else { throw Refusal.invalid(.invalidVersion(request.version)) }
        try Registry.validateTag(request.distTag)
        guard request.tarball.count <= configuration.maximumTarballBytes else {
            throw Refusal.invalid(.tooLarge(what: "tarball", size: request.tarball.count, limit: configuration.maximumTarballBytes))
        }
        guard request.installScripts.count <= 16, (request.manifestJSON?.utf8.count ?? 0) <= 1_048_576 else {
            throw Refusal.invalid(.tooLarge(what: "manifest", size: request.manifestJSON?.utf8.count ?? 0, limit: 1_048_576))
        }
        let integrity = Registry.integrity(of: request.tarball)
        if let claimed = request.integrity {
            guard claimed.hasPrefix("sha512-") else { throw Refusal.invalid(.malformedIntegrity(claimed)) }
            guard ConstantTime.equals(Array(claimed.utf8), Array(integrity.utf8)) else {
                throw Refusal.invalid(.integrityMismatch(expected: claimed, actual: integrity))
            }
        }
        return integrity
    }

    /// Refuses a version number the package has, had, or has staged. Build metadata does not make a new version
    /// (semver: 1.0.0+rebuild is 1.0.0), so it is ignored when comparing.
    ///
    /// Asked of each table as a range of its (package, version) key: the core itself, or any version that starts with
    /// the core and "+" ("+" is U+002B and "," U+002C, so those sort between `core+` and `core,`). Reading every version
    /// of the package instead made a publish cost grow with the package's history (3 ms at 5,000 versions).
    static func requireFreshVersion(_ db: Database, package: String, version: String) throws {
        let core = version.split(separator: "+", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? version
        for table in ["version", "retired_version", "staged_version"] {
            let taken = try Bool.fetchOne(db.cachedStatement(sql: """
                SELECT EXISTS (SELECT 1 FROM \(table) WHERE package = ?1 AND (version = ?2 OR (version >= ?2 || '+' AND version < ?2 || ',')))
                """), arguments: [package, core]) ?? false
            if taken { throw Refusal.invalid(.versionExists(package: package, version: version)) }
        }
    }

    /// Creates the package on its first release, with the actor as its only maintainer and the era's default setting.
    static func createPackageIfNew(_ scope: RequestScope, _ package: String) throws {
        guard try Int.fetchOne(scope.db.cachedStatement(sql: "SELECT count(*) FROM package WHERE name = ?"), arguments: [package])! == 0 else { return }
        try scope.db.cachedStatement(sql: "INSERT INTO package (name, created, modified, policy) VALUES (?, ?, ?, ?)")
            .execute(arguments: [package, scope.now, scope.now, PublishingPolicy.newPackageDefault(in: scope.era).rawValue])
        if let account = scope.account {
            try scope.db.cachedStatement(sql: "INSERT INTO maintainer (package, account) VALUES (?, ?)").execute(arguments: [package, account.name])
        }
    }

    static func insertVersion(_ db: Database, _ request: PublishRequest, integrity: String, at now: Int64, by publisher: String) throws {
        try db.cachedStatement(sql: """
            INSERT INTO version (package, version, integrity, shasum, size, tarball, install_scripts, provenance_repository,
                                 provenance_workflow, published_at, published_by, manifest)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [request.package, request.version, integrity, Digest.sha1Hex(bytes: request.tarball), request.tarball.count,
                             Data(request.tarball), JSONList.encodeMap(request.installScripts), request.provenance?.repository,
                             request.provenance?.workflow, now, publisher, request.manifestJSON])
        try recordDependencies(db, package: request.package, version: request.version, on: request.dependencies)
    }

    /// Records what a version depends on (the unpublish policy reads these edges).
    static func recordDependencies(_ db: Database, package: String, version: String, on targets: [String]) throws {
        for target in Set(targets) where target != package {
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO dependency (package, version, depends_on) VALUES (?, ?, ?)")
                .execute(arguments: [package, version, target])
        }
    }

    /// Unpublishes one version, or the whole package when `version` is nil (`npm unpublish`), under the era's policy.
    public func unpublish(_ context: RequestContext, package: String, version: String?) throws(Refusal) {
        try perform(.unpublish, context, target: version.map { "\(package)@\($0)" } ?? package) { scope in
            let versions = try String.fetchAll(scope.db.cachedStatement(sql: "SELECT version FROM version WHERE package = ?"), arguments: [package])
            if let version, !versions.contains(version), try scope.packageFact(package).exists {
                throw Refusal.invalid(.unknownVersion(package: package, version: version))
            }
            try scope.decide(package: try scope.unpublishFact(package, version: version))
            let targets = version.map { [$0] } ?? versions
            if version == nil || targets.count == versions.count {
                try Registry.removePackage(scope.db, package, reason: "unpublished by \(scope.actorName ?? "?")", now: scope.now)
            } else {
                for v in targets {
                    try Registry.retireVersion(scope.db, package: package, version: v, reason: "unpublished by \(scope.actorName ?? "?")", now: scope.now)
                }
                try Registry.touch(scope.db, package, now: scope.now)
            }
        }
    }

    /// Removes a whole package: its versions are retired (their numbers are never published again), and its name is
    /// held for 24 hours (rule `unpublish.name-held`).
    static func removePackage(_ db: Database, _ package: String, reason: String, now: Int64) throws {
        for v in try String.fetchAll(db.cachedStatement(sql: "SELECT version FROM version WHERE package = ?"), arguments: [package]) {
            try retireVersion(db, package: package, version: v, reason: reason, now: now)
        }
        try db.cachedStatement(sql: "DELETE FROM package WHERE name = ?").execute(arguments: [package])
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO unpublished_package (name, at) VALUES (?, ?)").execute(arguments: [package, now])
    }

    /// Marks versions deprecated with a message (`npm deprecate`); an empty message removes the mark.
    public func deprecate(_ context: RequestContext, package: String, version: String?, message: String) throws(Refusal) {
        try perform(.deprecate, context, target: package) { scope in
            guard message.utf8.count <= 1024 else { throw Refusal.invalid(.tooLarge(what: "deprecation message", size: message.utf8.count, limit: 1024)) }
            try scope.decide(package: try scope.packageFact(package))
            if let version {
                guard try Registry.versionRecord(scope.db, package, version) != nil else { throw Refusal.invalid(.unknownVersion(package: package, version: version)) }
                try scope.db.cachedStatement(sql: "UPDATE version SET deprecated = ? WHERE package = ? AND version = ?").execute(arguments: [message.isEmpty ? nil : message, package, version])
            } else {
                try scope.db.cachedStatement(sql: "UPDATE version SET deprecated = ? WHERE package = ?").execute(arguments: [message.isEmpty ? nil : message, package])
            }
            try Registry.touch(scope.db, package, now: scope.now)
        }
    }

    /// Points a dist-tag at a version (`npm dist-tag add`).
    public func setDistTag(_ context: RequestContext, package: String, tag: String, version: String) throws(Refusal) {
        try perform(.setDistTag, context, target: "\(package)@\(tag)") { scope in
            try Registry.validateTag(tag)
            try scope.decide(package: try scope.packageFact(package, tag: tag))
            guard try Registry.versionRecord(scope.db, package, version) != nil else { throw Refusal.invalid(.unknownVersion(package: package, version: version)) }
            try Registry.setTag(scope.db, package: package, tag: tag, version: version)
            try Registry.touch(scope.db, package, now: scope.now)
        }
    }

    /// Removes a dist-tag (`npm dist-tag rm`); `latest` cannot be removed.
    public func removeDistTag(_ context: RequestContext, package: String, tag: String) throws(Refusal) {
        try perform(.removeDistTag, context, target: "\(package)@\(tag)") { scope in
            try scope.decide(package: try scope.packageFact(package, tag: tag))
            guard tag != "latest" else { throw Refusal.invalid(.invalidDistTag("latest cannot be removed")) }
            try scope.db.cachedStatement(sql: "DELETE FROM dist_tag WHERE package = ? AND tag = ?").execute(arguments: [package, tag])
            guard scope.db.changesCount > 0 else { throw Refusal.invalid(.invalidArgument("\(package) has no dist-tag '\(tag)'.")) }
            try Registry.touch(scope.db, package, now: scope.now)
        }
    }

    /// Adds a maintainer (`npm owner add`).
    public func addOwner(_ context: RequestContext, package: String, user: String) throws(Refusal) {
        try perform(.addOwner, context, target: "\(package) +\(user)") { scope in
            try scope.decide(package: try scope.packageFact(package))
            guard try AccountRow.fetch(scope.db, user) != nil else { throw Refusal.invalid(.unknownAccount(user)) }
            try scope.db.cachedStatement(sql: "INSERT OR IGNORE INTO maintainer (package, account) VALUES (?, ?)").execute(arguments: [package, user])
            try Registry.touch(scope.db, package, now: scope.now)
        }
    }

    /// Removes a maintainer (`npm owner rm`); the last one cannot be removed.
    public func removeOwner(_ context: RequestContext, package: String, user: String) throws(Refusal) {
        try perform(.removeOwner, context, target: "\(package) -\(user)") { scope in
            try scope.decide(package: try scope.packageFact(package))
            let owners = try String.fetchAll(scope.db.cachedStatement(sql: "SELECT account FROM maintainer WHERE package = ?"), arguments: [package])
            guard owners.contains(user) else { throw Refusal.invalid(.invalidArgument("\(user) is not a maintainer of \(package).")) }
            guard owners.count > 1 else { throw Refusal.invalid(.lastOwner(package)) }
            try scope.db.cachedStatement(sql: "DELETE FROM maintainer WHERE package = ? AND account = ?").execute(arguments: [package, user])
            try Registry.touch(scope.db, package, now: scope.now)
        }
    }

    /// Changes the package's publishing setting (`npm access set mfa=none|automation|publish`).
    public func setPublishingPolicy(_ context: RequestContext, package: String, policy: PublishingPolicy) throws(Refusal) {
        try perform(.changePublishingPolicy, context, target: "\(package) \(policy.rawValue)") { scope in
            try scope.decide(package: try scope.packageFact(package), requestedPolicy: policy)
            try scope.db.cachedStatement(sql: "UPDATE package SET policy = ? WHERE name = ?").execute(arguments: [policy.rawValue, package])
            try Registry.touch(scope.db, package, now: scope.now)
        }
    }

    /// Sets or clears the package's visibility (`npm access set status=public|private`).
    public func setAccess(_ context: RequestContext, package: String, isPublic: Bool) throws(Refusal) {
        try perform(.setAccess, context, target: package) { scope in
            try scope.decide(package: try scope.packageFact(package))
            try scope.db.cachedStatement(sql: "UPDATE package SET is_public = ? WHERE name = ?").execute(arguments: [isPublic, package])
            try Registry.touch(scope.db, package, now: scope.now)
        }
    }

    /// Makes `publisher` the package's only trusted publisher, or with nil removes them all.
    public func setTrustedPublisher(_ context: RequestContext, package: String, publisher: TrustedPublisher?) throws(Refusal) {
        try perform(.setTrustedPublisher, context, target: package) { scope in
            let existing = try Registry.trustedPublishers(scope.db, package)
            try scope.decide(package: try scope.packageFact(package),
                             trustedPublisherChange: TrustedPublisherChange(adding: publisher?.provider, connectionsAfter: publisher == nil ? 0 : 1,
                                                                            addsStageOnly: publisher.map { !$0.actions.contains(.publish) } ?? false,
                                                                            editsExisting: publisher != nil && !existing.isEmpty && existing != [publisher!]))
            try scope.db.cachedStatement(sql: "DELETE FROM trusted_publisher WHERE package = ?").execute(arguments: [package])
            if let publisher { try Registry.insertTrustedPublisher(scope.db, package: package, publisher) }
            try Registry.touch(scope.db, package, now: scope.now)
        }
    }

    /// Adds a trusted publisher beside the package's others (`npm trust`): one per package until about 3 Sep 2026,
    /// up to ten from then.
    public func addTrustedPublisher(_ context: RequestContext, package: String, publisher: TrustedPublisher) throws(Refusal) {
        try perform(.setTrustedPublisher, context, target: "\(package) +\(publisher.provider.rawValue):\(publisher.repository)") { scope in
            let existing = try Registry.trustedPublishers(scope.db, package)
            try scope.decide(package: try scope.packageFact(package),
                             trustedPublisherChange: TrustedPublisherChange(adding: publisher.provider, connectionsAfter: existing.count + 1,
                                                                            addsStageOnly: !publisher.actions.contains(.publish)))
            guard !existing.contains(where: { $0.isSameConnection(as: publisher) }) else {
                throw Refusal.invalid(.invalidArgument("\(package) already trusts \(publisher.repository)'s \(publisher.workflow)."))
            }
            try Registry.insertTrustedPublisher(scope.db, package: package, publisher)
            try Registry.touch(scope.db, package, now: scope.now)
        }
    }

    /// Removes one trusted publisher of the package.
    public func removeTrustedPublisher(_ context: RequestContext, package: String, publisher: TrustedPublisher) throws(Refusal) {
        try perform(.setTrustedPublisher, context, target: "\(package) -\(publisher.provider.rawValue):\(publisher.repository)") { scope in
            let existing = try Registry.trustedPublishers(scope.db, package)
            try scope.decide(package: try scope.packageFact(package),
                             trustedPublisherChange: TrustedPublisherChange(adding: nil, connectionsAfter: max(existing.count - 1, 0)))
            guard existing.contains(where: { $0.isSameConnection(as: publisher) }) else {
                throw Refusal.invalid(.invalidArgument("\(package) does not trust \(publisher.repository)'s \(publisher.workflow)."))
            }
            try scope.db.cachedStatement(sql: """
                DELETE FROM trusted_publisher WHERE package = ? AND provider = ? AND repository = ? AND workflow = ? AND environment IS ?
                """).execute(arguments: [package, publisher.provider.rawValue, publisher.repository, publisher.workflow, publisher.environment])
            try Registry.touch(scope.db, package, now: scope.now)
        }
    }

    /// The package's trusted publishers, oldest first.
    static func trustedPublishers(_ db: Database, _ package: String) throws -> [TrustedPublisher] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM trusted_publisher WHERE package = ? ORDER BY seq"), arguments: [package]).map {
            TrustedPublisher(provider: CIProvider(rawValue: $0["provider"]) ?? .githubActions, repository: $0["repository"],
                             workflow: $0["workflow"], environment: $0["environment"], actions: TrustedAction.decode($0["actions"]))
        }
    }

    static func insertTrustedPublisher(_ db: Database, package: String, _ publisher: TrustedPublisher) throws {
        try db.cachedStatement(sql: """
            INSERT INTO trusted_publisher (package, seq, provider, repository, workflow, environment, actions)
            VALUES (?, (SELECT coalesce(max(seq), 0) + 1 FROM trusted_publisher WHERE package = ?), ?, ?, ?, ?, ?)
            """).execute(arguments: [package, package, publisher.provider.rawValue, publisher.repository, publisher.workflow, publisher.environment,
                             TrustedAction.encode(publisher.actions)])
    }

    /// Exchanges a CI workflow's identity for a short-lived, single-use publishing credential.
    ///
    /// The registry checks the claimed repository and workflow against the package's trusted publisher;
    /// whoever runs code in that workflow (including an attacker on a compromised runner) gets a credential.
    public func exchangeOIDCIdentity(package: String, repository: String, workflow: String) throws(Refusal) -> String {
        try exchangeOIDCIdentity(package: package, identity: TrustedPublisher(repository: repository, workflow: workflow))
    }

    /// Exchanges a CI run's full identity (provider, repository, workflow, environment) for a publishing credential:
    /// one of the package's trusted publishers must accept it (``TrustedPublisher/accepts(_:)``).
    public func exchangeOIDCIdentity(package: String, identity: TrustedPublisher) throws(Refusal) -> String {
        let now = clock.now()
        do {
            return try store.writeWithoutTransaction { db in
                try db.inTransaction {
                    guard try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM package WHERE name = ?)"), arguments: [package]) == true else {
                        throw Refusal.invalid(.unknownPackage(package))
                    }
                    guard try Registry.trustedPublishers(db, package).contains(where: { $0.accepts(identity) }) else {
                        let denial = Rule.catalog.first { $0.id == .oidcPublishOnly }!
                            .denial(for: RequestFacts(operation: .publish, era: era, now: now,
                                                      authentication: .oidc(OIDCFact(known: true, expired: false, used: false, boundPackage: package, matchesTrustedPublisher: false))))
                        throw Refusal.denied(denial)
                    }
                    return .commit
                }
                let secret = "oidc_" + Hex.encode(SecureRandom.bytes(24))
                try db.cachedStatement(sql: """
                    INSERT INTO oidc_credential (key, package, provider, repository, workflow, environment, created, expires)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """).execute(arguments: [Digest.sha512Hex(secret), package, identity.provider.rawValue, identity.repository, identity.workflow,
                                     identity.environment, now, now + configuration.parameters.oidcCredentialLifetime])
                return secret
            }
        } catch let r as Refusal { throw r } catch { throw .invalid(.storageFailed(Registry.storageFailure(error))) }
    }

    /// Judges a read of a package document by the credential that came with it: a revoked, expired, retired or
    /// CIDR-limited token is refused for reads as for writes. Anonymous reads of public packages need no decision.
    public func authorizeRead(_ context: RequestContext, package: String) throws(Refusal) {
        try perform(.readPackage, context, target: package) { scope in try scope.decide() }
    }

    /// The package document (`npm view`), or nil when there is no such package.
    public func package(_ name: String) throws -> PackageRecord? {
        try store.read { db in try Registry.packageRecord(db, name) }
    }

    /// The packages a version depends on (its package.json `dependencies`), sorted.
    public func dependencies(of package: String, version: String) throws -> [String] {
        try store.read { db in
            try String.fetchAll(db.cachedStatement(sql: "SELECT depends_on FROM dependency WHERE package = ? AND version = ? ORDER BY depends_on"),
                                arguments: [package, version])
        }
    }

    /// The names of all packages, sorted.
    public func packageNames() throws -> [String] {
        try store.read { db in try String.fetchAll(db.cachedStatement(sql: "SELECT name FROM package ORDER BY name")) }
    }

    /// Downloads a version's tarball (`npm install`), counting the download.
    public func download(_ context: RequestContext, package: String, version: String) throws(Refusal) -> [UInt8] {
        try perform(.download, context, target: "\(package)@\(version)") { scope in
            if context.credential != .none { try scope.decide() }
            guard let data = try Data.fetchOne(scope.db.cachedStatement(sql: "SELECT tarball FROM version WHERE package = ? AND version = ?"), arguments: [package, version]) else {
                throw Refusal.invalid(.unknownVersion(package: package, version: version))
            }
            try scope.db.cachedStatement(sql: "UPDATE version SET downloads = downloads + 1 WHERE package = ? AND version = ?").execute(arguments: [package, version])
            return [UInt8](data)
        }
    }

    /// The version a dist-tag points at.
    public func resolve(package: String, tag: String = "latest") throws -> String? {
        try store.read { db in try String.fetchOne(db.cachedStatement(sql: "SELECT version FROM dist_tag WHERE package = ? AND tag = ?"), arguments: [package, tag]) }
    }

    // MARK: Helpers

    /// `sha512-<base64>` as npm computes `dist.integrity`.
    public static func integrity(of tarball: [UInt8]) -> String {
        "sha512-" + Data(Digest.hash(tarball, algorithm: .sha512)).base64EncodedString()
    }

    static func validateName(_ name: String) throws {
        if let problem = PackageName.problem(with: name) { throw Refusal.invalid(.invalidPackageName(name, reason: problem)) }
    }

    /// A dist-tag cannot be empty, hold spaces, slashes or '%', or look like a version or range (npm refuses `1.x`).
    static func validateTag(_ tag: String) throws {
        let looksLikeVersion = tag.first.map { $0.isNumber } == true
            || (tag.first == "v" && tag.dropFirst().first.map { $0.isNumber } == true)
        guard !tag.isEmpty, tag.count <= 128, !looksLikeVersion,
              !tag.contains(where: { $0.isWhitespace || "/%<>=^~|*".contains($0) })
        else { throw Refusal.invalid(.invalidDistTag(tag)) }
    }

    /// The most dist-tags a package holds. Tags were unbounded: one maintainer could give a package millions, and every
    /// packument read would carry them all [I: npm publishes no figure].
    public static let maximumDistTags = 100

    /// Points `tag` at `version`; a tag the package does not have yet is refused once it has ``maximumDistTags``.
    static func setTag(_ db: Database, package: String, tag: String, version: String) throws {
        // One read of the package's tags: how many, and whether `tag` is among them.
        let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT count(*) AS tags, coalesce(max(tag = ?), 0) AS has FROM dist_tag WHERE package = ?"),
                                   arguments: [tag, package])
        let count: Int = row?["tags"] ?? 0
        let exists: Bool = row?["has"] ?? false
        if !exists, count >= maximumDistTags {
            throw Refusal.invalid(.tooMany(what: "dist-tags on \(package)", count: count + 1, limit: maximumDistTags))
        }
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO dist_tag (package, tag, version) VALUES (?, ?, ?)").execute(arguments: [package, tag, version])
    }

    static func touch(_ db: Database, _ package: String, now: Int64) throws {
        try db.cachedStatement(sql: "UPDATE package SET modified = ?, revision = revision + 1 WHERE name = ?").execute(arguments: [now, package])
    }

    static func retireVersion(_ db: Database, package: String, version: String, reason: String, now: Int64) throws {
        try db.cachedStatement(sql: "DELETE FROM version WHERE package = ? AND version = ?").execute(arguments: [package, version])
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO retired_version (package, version, at, reason) VALUES (?, ?, ?, ?)").execute(arguments: [package, version, now, reason])
        // latest moves to the highest remaining version, as npm does.
        if try String.fetchOne(db.cachedStatement(sql: "SELECT version FROM dist_tag WHERE package = ? AND tag = 'latest'"), arguments: [package]) == nil {
            let remaining = try String.fetchAll(db.cachedStatement(sql: "SELECT version FROM version WHERE package = ?"), arguments: [package])
            if let highest = remaining.compactMap(SemanticVersion.init).filter({ $0.prerelease.isEmpty }).max() ?? remaining.compactMap(SemanticVersion.init).max() {
                try db.cachedStatement(sql: "INSERT INTO dist_tag (package, tag, version) VALUES (?, 'latest', ?)").execute(arguments: [package, highest.description])
            }
        }
    }

    static func versionRecord(_ db: Database, _ package: String, _ version: String) throws -> VersionRecord? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM version WHERE package = ? AND version = ?"), arguments: [package, version]).map(versionRecord)
    }

    static func versionRecord(_ row: Row) -> VersionRecord {
        let repo: String? = row["provenance_repository"]
        let workflow: String? = row["provenance_workflow"]
        return VersionRecord(version: row["version"], integrity: row["integrity"], shasum: row["shasum"], size: row["size"],
                             installScripts: JSONList.decodeMap(row["install_scripts"]),
                             provenance: repo.flatMap { r in workflow.map { Provenance(repository: r, workflow: $0) } },
                             publishedAt: row["published_at"], publishedBy: row["published_by"], deprecated: row["deprecated"],
                             manifestJSON: row["manifest"])
    }

    static func packageRecord(_ db: Database, _ name: String) throws -> PackageRecord? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM package WHERE name = ?"), arguments: [name]) else { return nil }
        let versions = try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM version WHERE package = ?"), arguments: [name]).map(versionRecord)
            .sorted { (SemanticVersion($0.version) ?? SemanticVersion("0.0.0")!) < (SemanticVersion($1.version) ?? SemanticVersion("0.0.0")!) }
        var tags: [String: String] = [:]
        for r in try Row.fetchAll(db.cachedStatement(sql: "SELECT tag, version FROM dist_tag WHERE package = ?"), arguments: [name]) { tags[r["tag"]] = r["version"] }
        return PackageRecord(name: name, created: row["created"], modified: row["modified"], revision: row["revision"],
                             publishingPolicy: PublishingPolicy(rawValue: row["policy"]) ?? .twoFactorNotRequired,
                             trustedPublishers: try trustedPublishers(db, name),
                             maintainers: try String.fetchAll(db.cachedStatement(sql: "SELECT account FROM maintainer WHERE package = ? ORDER BY account"), arguments: [name]),
                             distTags: tags, versions: versions, isPublic: row["is_public"], weeklyDownloads: row["weekly_downloads"])
    }
}
