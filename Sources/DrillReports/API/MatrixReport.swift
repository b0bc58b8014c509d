import DrillEngine

/// The defense matrix: every scenario under every profile.
///
/// Rows follow the order of `scenarios`, columns the order of `profiles` (the CLI passes the standard
/// order). A run whose scenario or profile is not listed still appears, after the listed ones, sorted by id.
public struct MatrixReport: Sendable {
    public var runs: [RunOutcome]
    public var scenarios: [Scenario]
    public var profiles: [Profile]

    public init(runs: [RunOutcome], scenarios: [Scenario], profiles: [Profile]) {
        self.runs = runs
        self.scenarios = scenarios
        self.profiles = profiles
    }

    /// Scenario ids in row order.
    var scenarioIDs: [String] {
        ordered(scenarios.map(\.id), extra: runs.map(\.scenario))
    }

    /// Profile ids in column order.
    var profileIDs: [String] {
        ordered(profiles.map(\.id), extra: runs.map(\.profile))
    }

    func run(_ scenario: String, _ profile: String) -> RunOutcome? {
        runs.first { $0.scenario == scenario && $0.profile == profile }
    }

    func scenario(_ id: String) -> Scenario? { scenarios.first { $0.id == id } }
    func profile(_ id: String) -> Profile? { profiles.first { $0.id == id } }

    /// Runs in row-then-column order.
    var orderedRuns: [RunOutcome] {
        scenarioIDs.flatMap { s in profileIDs.compactMap { p in run(s, p) } }
    }
}

/// `given` without duplicates, then the ids of `extra` that are not in it, sorted.
func ordered(_ given: [String], extra: [String]) -> [String] {
    var seen = Set<String>()
    var result: [String] = []
    for id in given where seen.insert(id).inserted { result.append(id) }
    for id in Set(extra).subtracting(seen).sorted() { result.append(id) }
    return result
}

/// The rows of a side-by-side comparison: the scenario's steps in order, then any step a run has that the
/// scenario does not list (in the order the runs have them).
func compareStepIDs(_ scenario: Scenario, _ runs: [RunOutcome]) -> [String] {
    var ids = scenario.steps.map(\.id)
    for run in runs { for s in run.steps where !ids.contains(s.id) { ids.append(s.id) } }
    return ids
}
