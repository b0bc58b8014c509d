/// A package's publishing setting ("Publishing access" on npmjs.com; `npm access set mfa=...`).
public enum PublishingPolicy: String, Sendable, Codable, CaseIterable {
    /// 2FA not required (`mfa=none`).
    case twoFactorNotRequired = "2fa-not-required"
    /// Require 2FA or an automation token / bypass-2FA granular token (`mfa=automation`).
    case twoFactorOrToken = "2fa-or-token"
    /// Require 2FA and disallow tokens: only an interactive publish with a second factor, or trusted publishing (`mfa=publish`).
    case twoFactorAndDisallowTokens = "2fa-disallow-tokens"

    /// The setting a package gets when its first version is published: from 9 Dec 2025 "2FA will be enabled by default
    /// in the package settings" (GitHub changelog 2025-12-09), before that none.
    public static func newPackageDefault(in era: RegistryEra) -> PublishingPolicy {
        era.has(.classicTokensRevoked) ? .twoFactorOrToken : .twoFactorNotRequired
    }
}

/// The CI systems whose OIDC identities npm accepts for trusted publishing.
public enum CIProvider: String, Sendable, Codable, CaseIterable {
    case githubActions = "github-actions"
    case gitlab
    case circleci

    /// The rule change from which npm accepts it: GitHub Actions and GitLab from trusted publishing's start (31 Jul
    /// 2025), CircleCI from 4 Mar 2026.
    public var acceptedFrom: RuleChange { self == .circleci ? .circleCITrustedPublishing : .trustedPublishing }
}

/// What a trusted publisher's credentials may do (`npm trust --allow-publish`, `--allow-stage-publish`, from 20 May 2026).
public enum TrustedAction: String, Sendable, Codable, CaseIterable, Comparable {
    case publish
    case stage
    public static func < (a: TrustedAction, b: TrustedAction) -> Bool { a.rawValue < b.rawValue }

    /// The stored form: the actions' names, sorted, comma-separated.
    static func encode(_ actions: Set<TrustedAction>) -> String { actions.sorted().map(\.rawValue).joined(separator: ",") }
    static func decode(_ text: String) -> Set<TrustedAction> { Set(text.split(separator: ",").compactMap { TrustedAction(rawValue: String($0)) }) }
}

/// One of a package's trusted publishers: the CI workflow allowed to mint short-lived OIDC credentials. When it names
/// an environment, only a run in that environment gets one ("all of them checked").
public struct TrustedPublisher: Sendable, Equatable, Codable {
    public var provider: CIProvider
    public var repository: String
    public var workflow: String
    public var environment: String?
    /// What its credentials may do; both unless the configuration is stage-only (or publish-only).
    public var actions: Set<TrustedAction>
    public init(provider: CIProvider = .githubActions, repository: String, workflow: String, environment: String? = nil,
                actions: Set<TrustedAction> = [.publish, .stage]) {
        self.provider = provider; self.repository = repository; self.workflow = workflow; self.environment = environment
        self.actions = actions
    }

    /// Whether `other` is the same connection (provider, repository, workflow, environment), whatever its actions.
    public func isSameConnection(as other: TrustedPublisher) -> Bool {
        provider == other.provider && repository == other.repository && workflow == other.workflow && environment == other.environment
    }

    /// Whether a CI run with this identity is this publisher: same provider, repository and workflow, and the
    /// configured environment when there is one.
    public func accepts(_ identity: TrustedPublisher) -> Bool {
        provider == identity.provider && repository == identity.repository && workflow == identity.workflow
            && (environment.map { $0 == identity.environment } ?? true)
    }
}

/// Where a version came from, when it was published with provenance.
public struct Provenance: Sendable, Equatable, Codable {
    public var repository: String
    public var workflow: String
    public init(repository: String, workflow: String) { self.repository = repository; self.workflow = workflow }
}

/// What a publish carries.
public struct PublishRequest: Sendable, Equatable {
    public var package: String
    public var version: String
    public var tarball: [UInt8]
    /// `sha512-<base64>` as npm computes it; the registry recomputes and refuses a mismatch.
    public var integrity: String?
    /// Install scripts (`preinstall`, `install`, `postinstall`) of the version's package.json.
    public var installScripts: [String: String]
    public var distTag: String
    public var provenance: Provenance?
    /// The version's package.json as sent (kept verbatim for the packument), JSON text.
    public var manifestJSON: String?
    /// Whether the version declares dual-use content (package.json `"contentPolicy": "dual-use"`, with a DISCLOSURE
    /// file; GitHub changelog 2026-07-28).
    public var declaresDualUse: Bool
    /// The packages the version depends on (the names in its package.json `dependencies`).
    public var dependencies: [String]

    public init(package: String, version: String, tarball: [UInt8], integrity: String? = nil,
                installScripts: [String: String] = [:], distTag: String = "latest", provenance: Provenance? = nil, manifestJSON: String? = nil,
                declaresDualUse: Bool = false, dependencies: [String] = []) {
        self.package = package; self.version = version; self.tarball = tarball; self.integrity = integrity
        self.installScripts = installScripts; self.distTag = distTag; self.provenance = provenance; self.manifestJSON = manifestJSON
        self.declaresDualUse = declaresDualUse; self.dependencies = dependencies
    }
}

public struct VersionRecord: Sendable, Equatable, Codable {
    public var version: String
    public var integrity: String
    public var shasum: String
    public var size: Int
    public var installScripts: [String: String]
    public var provenance: Provenance?
    public var publishedAt: Int64
    public var publishedBy: String
    public var deprecated: String?
    public var manifestJSON: String?
}

/// A package as read from the registry.
public struct PackageRecord: Sendable, Equatable, Codable {
    public var name: String
    public var created: Int64
    public var modified: Int64
    public var revision: Int
    public var publishingPolicy: PublishingPolicy
    /// Its trusted publishers, oldest first: at most one until about 3 Sep 2026, up to ten from then.
    public var trustedPublishers: [TrustedPublisher]
    public var maintainers: [String]
    public var distTags: [String: String]
    public var versions: [VersionRecord]
    public var isPublic: Bool
    public var weeklyDownloads: Int

    /// The first trusted publisher, if any (most packages have one at most).
    public var trustedPublisher: TrustedPublisher? { trustedPublishers.first }
}
