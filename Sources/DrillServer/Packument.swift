import DrillCrypto
import DrillRegistry

/// The package document npm reads (`GET /<name>`): versions with their manifests, dist-tags,
/// maintainers, times and a `_rev` that changes on every write (npm-protocol.md §2 row 13, §5).
enum Packument {
    /// `<revision>-<digest>`: the registry bumps `revision` on every write; the digest also covers the
    /// creation time, so a package deleted and published again never repeats an old `_rev`.
    static func revision(_ record: PackageRecord) -> String {
        "\(record.revision)-" + String(Digest.sha512Hex("\(record.name)\n\(record.created)\n\(record.revision)\n\(record.modified)").prefix(32))
    }

    /// The tarball's file name as npmjs names it: the bare name (without the scope), a dash, the version.
    static func tarballFile(package: String, version: String) -> String {
        let bare = package.split(separator: "/").last.map(String.init) ?? package
        return "\(bare)-\(version).tgz"
    }

    /// The server's own tarball URL (npmjs uses `/@scope/name/-/name-1.0.0.tgz` for scoped packages).
    static func tarballURL(baseURL: String, package: String, version: String) -> String {
        "\(baseURL)/\(package)/-/\(tarballFile(package: package, version: version))"
    }

    /// The version a tarball file name stands for, or nil when the name does not belong to `package`.
    static func version(fromFile file: String, package: String) -> String? {
        let bare = package.split(separator: "/").last.map(String.init) ?? package
        guard file.hasPrefix(bare + "-"), file.hasSuffix(".tgz") else { return nil }
        let version = String(file.dropFirst(bare.count + 1).dropLast(4))
        return SemanticVersion(version) != nil ? version : nil
    }

    static func document(_ record: PackageRecord, baseURL: String, emails: [String: String]) -> JSONValue {
        var versions: [String: JSONValue] = [:]
        var time: [String: JSONValue] = [
            "created": .string(Timestamp.iso8601(record.created, milliseconds: true)),
            "modified": .string(Timestamp.iso8601(record.modified, milliseconds: true)),
        ]
        for v in record.versions {
            versions[v.version] = manifest(v, package: record.name, baseURL: baseURL, emails: emails)
            time[v.version] = .string(Timestamp.iso8601(v.publishedAt, milliseconds: true))
        }
        var doc: [String: JSONValue] = [
            "_id": .string(record.name),
            "name": .string(record.name),
            "_rev": .string(revision(record)),
            "dist-tags": .object(record.distTags.mapValues(JSONValue.string)),
            "versions": .object(versions),
            "time": .object(time),
            "maintainers": .array(record.maintainers.map { person($0, emails) }),
        ]
        if let latest = record.distTags["latest"], let m = versions[latest] {
            for key in ["description", "readme", "license", "homepage", "repository", "keywords"] {
                if let value = m[key] { doc[key] = value }
            }
        }
        return .object(doc)
    }

    /// A version's manifest as published, with the registry's own facts on top: id, dist, deprecation.
    static func manifest(_ v: VersionRecord, package: String, baseURL: String, emails: [String: String]) -> JSONValue {
        var m: JSONValue = v.manifestJSON.flatMap(JSONValue.parse).flatMap { $0.objectValue != nil ? $0 : nil }
            ?? ["scripts": .object(v.installScripts.mapValues(JSONValue.string))]
        m["name"] = .string(package)
        m["version"] = .string(v.version)
        m["_id"] = .string("\(package)@\(v.version)")
        var dist: JSONValue = m["dist"]?.objectValue != nil ? m["dist"]! : [:]
        dist["integrity"] = .string(v.integrity)
        dist["shasum"] = .string(v.shasum)
        dist["tarball"] = .string(tarballURL(baseURL: baseURL, package: package, version: v.version))
        dist["unpackedSize"] = nil
        m["dist"] = dist
        m["deprecated"] = v.deprecated.map(JSONValue.string)
        m["_npmUser"] = person(v.publishedBy, emails)
        if let p = v.provenance {
            m["_drillProvenance"] = ["repository": .string(p.repository), "workflow": .string(p.workflow)]
        }
        return m
    }

    static func person(_ name: String, _ emails: [String: String]) -> JSONValue {
        var p: JSONValue = ["name": .string(name)]
        if let e = emails[name] { p["email"] = .string(e) }
        return p
    }
}
