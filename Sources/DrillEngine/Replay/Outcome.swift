/// What happened to one step in one replay.
public enum StepStatus: String, Sendable, Codable, CaseIterable {
    /// The registry allowed it (or, for an acquisition, the attacker got what they came for).
    case succeeded
    /// The registry (or a consumer-side control) refused it: `rule` and `defense` say why.
    case blocked
    /// It could not run because something it needs never came: an earlier step was blocked or skipped.
    case skipped
    /// Under this profile the thing it acts on does not exist (a token that trusted publishing removed).
    case notApplicable = "not-applicable"
}

public struct StepOutcome: Sendable, Codable, Equatable {
    public var id: String
    public var action: String
    public var actor: String
    public var at: Int64
    public var status: StepStatus
    public var rule: String?
    public var defense: String?
    /// The registry's answer, or the reason for a skip.
    public var message: String
    public var narrative: String
    /// Further facts: tokens harvested, versions published by a worm, retries with a second factor.
    public var details: [String]
}

/// One malicious version's reach, as an estimate from the scenario's figures.
public struct VersionReach: Sendable, Codable, Equatable {
    public var package: String
    public var version: String
    public var hoursLive: Double?
    public var weeklyDownloads: Int
    /// weeklyDownloads × hours live ÷ 168, less the hours a minimum release age holds it back; nil when hours are unknown.
    public var estimatedInstalls: Int?
    /// For a release with no code of its own that brings a malicious version through its dependencies (axios 1.14.1
    /// and plain-crypto-js 4.2.1, 2026): that version, as `package@version`.
    public var carries: String? = nil

    /// The version as a report names it: `package@version`, and what it brings when it carries another.
    public var label: String { label(naming: { $0 }) }

    /// ``label`` with each `package@version` set as a format sets a name (Markdown's and HTML's code).
    public func label(naming name: (String) -> String) -> String {
        name(package + "@" + version) + (carries.map { ", which brings " + name($0) } ?? "")
    }
}

public struct BlastRadius: Sendable, Codable, Equatable {
    public var versions: [VersionReach]
    /// Tokens the replay's attacker harvested (each simulated consumer stands for many).
    public var tokensHarvested: Int
    /// The real-world figure of exposed tokens the scenario gives, when the harvest happened in the replay.
    public var tokensExposedFigure: Int?
    public var isEstimate: Bool
    /// How the estimate was computed, with its inputs.
    public var method: String
    /// How far a worm spread: present when a version carrying one went live.
    public var worm: WormReach? = nil
}

/// The packages a worm reached and their maintainers (issue 23: the count a report gives per profile).
public struct WormReach: Sendable, Codable, Equatable {
    /// Packages with a live version that carries the worm, in the order it reached them.
    public var packages: [String]
    /// The maintainers of those packages, sorted.
    public var maintainers: [String]

    public init(packages: [String], maintainers: [String]) { self.packages = packages; self.maintainers = maintainers }
}

/// The verdict of one scenario under one profile.
public struct RunOutcome: Sendable, Codable, Equatable {
    public var scenario: String
    public var scenarioTitle: String
    public var profile: String
    public var era: String
    public var attackSucceeded: Bool
    public var goalsReached: [String]
    public var stoppedBy: String?
    public var stoppedAtStep: String?
    public var steps: [StepOutcome]
    public var blastRadius: BlastRadius?
}

/// Which single defense stops a scenario, and where.
public struct DefenseVerdict: Sendable, Codable, Equatable {
    public var defense: String
    public var title: String
    public var stops: Bool
    public var stoppedAtStep: String?
    public var rule: String?
    public var message: String?
}

public struct Explanation: Sendable, Codable, Equatable {
    public var scenario: String
    public var scenarioTitle: String
    public var historicalSucceeded: Bool
    public var verdicts: [DefenseVerdict]
}
