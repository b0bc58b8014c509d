import DrillCrypto
import Foundation
import GRDB

/// A version waiting to be promoted: uploaded, unseen by installs, until a maintainer approves it with 2FA.
public struct StagedVersionRecord: Sendable, Equatable, Codable {
    public var package: String
    public var version: String
    public var distTag: String
    public var integrity: String
    public var installScripts: [String: String]
    public var stagedAt: Int64
    public var stagedBy: String
}

/// Staged publishing (npm, 20 May 2026): a token or a trusted publisher uploads a version that stays staged until a
/// maintainer promotes it with an interactive 2FA approval.
extension Registry {
    /// The version a package staged before it had any: public, so that the name is held while its first real version
    /// waits (npm's staged publishing docs, from about Sep 2026).
    public static let stagePlaceholderVersion = "0.0.0-stage"

    /// Stages one version (`npm stage publish`). Until about Sep 2026 only an existing package can be staged; from
    /// then a new package is created with the public placeholder ``stagePlaceholderVersion``.
    @discardableResult
    public func stage(_ context: RequestContext, _ request: PublishRequest) throws(Refusal) -> StagedVersionRecord {
        try perform(.stagePublish, context, target: "\(request.package)@\(request.version)") { scope in
            let integrity = try validateRelease(request)
            let fact = try scope.packageFact(request.package)
            try scope.decide(package: fact)
            try Registry.requireFreshVersion(scope.db, package: request.package, version: request.version)
            if !fact.exists {
                try Registry.createPackageIfNew(scope, request.package)
                let tarball = Registry.syntheticTarball(package: request.package, version: Registry.stagePlaceholderVersion, installScripts: [:])
                let placeholder = PublishRequest(package: request.package, version: Registry.stagePlaceholderVersion, tarball: tarball)
                try Registry.insertVersion(scope.db, placeholder, integrity: Registry.integrity(of: tarball), at: scope.now, by: scope.publisherName)
                try scope.db.cachedStatement(sql: "INSERT OR REPLACE INTO dist_tag (package, tag, version) VALUES (?, 'latest', ?)")
                    .execute(arguments: [request.package, Registry.stagePlaceholderVersion])
            }
            try scope.db.cachedStatement(sql: """
                INSERT INTO staged_version (package, version, dist_tag, integrity, shasum, size, tarball, install_scripts,
                                            provenance_repository, provenance_workflow, staged_at, staged_by, manifest, dependencies)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [request.package, request.version, request.distTag, integrity, Digest.sha1Hex(bytes: request.tarball),
                                 request.tarball.count, Data(request.tarball), JSONList.encodeMap(request.installScripts),
                                 request.provenance?.repository, request.provenance?.workflow, scope.now, scope.publisherName, request.manifestJSON,
                                 JSONList.encode(request.dependencies)])
            try Registry.touch(scope.db, request.package, now: scope.now)
            return try Registry.stagedVersions(scope.db, request.package).first { $0.version == request.version }!
        }
    }

    /// Promotes a staged version: it goes live under the tag it was staged with. The policy asks for the account's
    /// second factor with this request, whatever the credential.
    @discardableResult
    public func promoteStaged(_ context: RequestContext, package: String, version: String) throws(Refusal) -> VersionRecord {
        try perform(.promoteStaged, context, target: "\(package)@\(version)") { scope in
            try scope.decide(package: try scope.packageFact(package))
            guard let staged = try Row.fetchOne(scope.db.cachedStatement(sql: "SELECT * FROM staged_version WHERE package = ? AND version = ?"),
                                                arguments: [package, version]) else {
                throw Refusal.invalid(.unknownVersion(package: package, version: version))
            }
            try scope.db.cachedStatement(sql: """
                INSERT INTO version (package, version, integrity, shasum, size, tarball, install_scripts, provenance_repository,
                                     provenance_workflow, published_at, published_by, manifest)
                SELECT package, version, integrity, shasum, size, tarball, install_scripts, provenance_repository,
                       provenance_workflow, ?, staged_by, manifest FROM staged_version WHERE package = ? AND version = ?
                """).execute(arguments: [scope.now, package, version])
            try Registry.recordDependencies(scope.db, package: package, version: version, on: JSONList.decode(staged["dependencies"]))
            try scope.db.cachedStatement(sql: "DELETE FROM staged_version WHERE package = ? AND version = ?").execute(arguments: [package, version])
            try Registry.setTag(scope.db, package: package, tag: staged["dist_tag"] as String, version: version)
            try Registry.touch(scope.db, package, now: scope.now)
            return try Registry.versionRecord(scope.db, package, version)!
        }
    }

    /// The package's staged versions, oldest first (for reports and tests).
    public func stagedVersions(of package: String) throws -> [StagedVersionRecord] {
        try store.read { db in try Registry.stagedVersions(db, package) }
    }

    static func stagedVersions(_ db: Database, _ package: String) throws -> [StagedVersionRecord] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM staged_version WHERE package = ? ORDER BY staged_at, version"), arguments: [package]).map {
            StagedVersionRecord(package: $0["package"], version: $0["version"], distTag: $0["dist_tag"], integrity: $0["integrity"],
                                installScripts: JSONList.decodeMap($0["install_scripts"]), stagedAt: $0["staged_at"], stagedBy: $0["staged_by"])
        }
    }
}
