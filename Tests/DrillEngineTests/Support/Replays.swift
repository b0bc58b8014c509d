@testable import DrillEngine
import DrillRegistry
import Testing

/// Loading and replaying small inline scenarios.
enum Replays {
    static func scenario(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Scenario {
        do {
            return try ScenarioLoader.parse(text, file: "inline.yaml").0
        } catch {
            Issue.record("the scenario does not load:\n\(error)", sourceLocation: sourceLocation)
            throw error
        }
    }

    static func profile(_ id: String, _ defenses: DefenseSetting..., era: String? = nil) throws -> Profile {
        Profile(id: id, title: id, description: "", era: try era.map { try RegistryEra($0) }, defenses: defenses)
    }

    static let authOnly = Profile(id: "auth-only", title: "", description: "", era: nil, defenses: [.twoFactor(mode: .authOnly, factor: .totp)])
    static let securityKey = Profile(id: "security-key", title: "", description: "", era: nil, defenses: [.twoFactor(mode: .authAndWrites, factor: .securityKey)])
    static let trustedPublishing = Profile(id: "trusted-publishing", title: "", description: "", era: nil, defenses: [.trustedPublishing])
    static let ignoreScripts = Profile(id: "ignore-scripts", title: "", description: "", era: nil, defenses: [.ignoreScripts])
    static let minimumReleaseAge = Profile(id: "minimum-release-age", title: "", description: "", era: nil, defenses: [.minimumReleaseAge(hours: 24)])

    static func run(_ scenario: Scenario, _ profile: Profile = .historical) throws -> RunOutcome {
        try ReplayEngine.run(scenario, profile: profile)
    }
}

extension RunOutcome {
    /// The outcome of step `id` (a test failure when there is none).
    func step(_ id: String, sourceLocation: SourceLocation = #_sourceLocation) -> StepOutcome? {
        let found = steps.first { $0.id == id }
        if found == nil { Issue.record("no step '\(id)' in the outcome", sourceLocation: sourceLocation) }
        return found
    }

    /// `id: status` for every step, to compare verdicts at a glance.
    var verdicts: [String] { steps.map { "\($0.id): \($0.status.rawValue)\($0.rule.map { " (\($0))" } ?? "")" } }
}
