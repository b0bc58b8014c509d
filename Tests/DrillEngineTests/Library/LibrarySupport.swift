import DrillEngine
import Foundation
import Testing

/// The bundled scenario library, found from this file's place in the checkout, and the pinned verdicts.
///
/// Each pin-test file replays one bundled scenario under every standard profile and compares the
/// verdict the registry's policy produced with the one written down there, together with the reason.
/// A change of rules, engine or scenario that moves a verdict fails the pin, and the comment next to
/// it says what the old verdict rested on.
enum BundledLibrary {
    /// `<checkout>/scenarios`: this file lives in `<checkout>/Tests/DrillEngineTests/Library/`.
    static let directory: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Library
        .deletingLastPathComponent()  // DrillEngineTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // the checkout
        .appendingPathComponent("scenarios").path

    static let library = ScenarioLibrary(directory: directory)

    /// Loads a bundled scenario strictly (once per test process); a warning is as bad as an error for a bundled file.
    static func scenario(_ id: String) throws -> Scenario {
        try scenarios.value(for: id) {
            let (scenario, warnings) = try ScenarioLoader.load(path: directory + "/" + id + ".yaml")
            #expect(warnings.isEmpty, "\(id).yaml has warnings: \(warnings.map(\.description))")
            return scenario
        }
    }

    static func profile(_ id: String) throws -> Profile {
        try library.profile(id)
    }

    /// The outcome of `scenarioID` under `profileID`, replayed once per test process (pins and step checks share it).
    static func outcome(_ scenarioID: String, _ profileID: String) throws -> RunOutcome {
        try outcomes.value(for: scenarioID + " " + profileID) {
            try ReplayEngine.run(try scenario(scenarioID), profile: try profile(profileID))
        }
    }

    private static let scenarios = Cache<Scenario>()
    private static let outcomes = Cache<RunOutcome>()
}

/// Loading and replaying are deterministic in what the pins check, so each file is loaded and each
/// (scenario, profile) pair replayed once per process, and shared by the tests. Guarded by a lock.
private final class Cache<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String: Value] = [:]

    func value(for key: String, _ make: () throws -> Value) throws -> Value {
        lock.lock()
        if let hit = stored[key] { lock.unlock(); return hit }
        lock.unlock()
        let made = try make()
        lock.lock(); stored[key] = made; lock.unlock()
        return made
    }
}

/// What a replay under one profile must come to.
enum PinnedVerdict: Sendable, CustomStringConvertible {
    /// The attacker reaches at least one goal.
    case succeeds
    /// No goal is reached; `by` is the defense of the first refusal (or the one that removed what the step needed), `at` its step.
    case stopped(by: String, at: String)

    var description: String {
        switch self {
        case .succeeds: "succeeds"
        case .stopped(let by, let at): "stopped by \(by) at \(at)"
        }
    }
}

/// Replays `scenarioID` under `profileID` and checks the verdict; on a mismatch the message lists every step's outcome.
func expectVerdict(_ scenarioID: String, _ profileID: String, _ pins: [String: PinnedVerdict],
                   sourceLocation: SourceLocation = #_sourceLocation) throws {
    let pinned = try #require(pins[profileID], "no verdict pinned for profile \(profileID)", sourceLocation: sourceLocation)
    let outcome = try BundledLibrary.outcome(scenarioID, profileID)
    let actual: PinnedVerdict = outcome.attackSucceeded
        ? .succeeds : .stopped(by: outcome.stoppedBy ?? "-", at: outcome.stoppedAtStep ?? "-")
    let trace = outcome.steps.map { "  \($0.id): \($0.status.rawValue)\($0.rule.map { " [\($0)]" } ?? "") \($0.message)" }
        .joined(separator: "\n")
    #expect(actual.description == pinned.description,
            "\(scenarioID) under \(profileID): expected \(pinned), got \(actual)\n\(trace)", sourceLocation: sourceLocation)
}

/// Every standard profile has a pinned verdict, and no pin names a profile that does not exist.
func expectEveryStandardProfilePinned(_ pins: [String: PinnedVerdict], sourceLocation: SourceLocation = #_sourceLocation) throws {
    let bundled = Set(try BundledLibrary.library.profiles().map(\.id))
    #expect(Set(pins.keys) == Set(Profile.standardOrder), sourceLocation: sourceLocation)
    #expect(bundled.isSuperset(of: Profile.standardOrder), "bundled profiles: \(bundled.sorted())", sourceLocation: sourceLocation)
}

/// Replays `scenarioID` under `profileID` and checks exactly which goals were reached.
func expectGoals(_ scenarioID: String, _ profileID: String, _ goals: Set<String>,
                 sourceLocation: SourceLocation = #_sourceLocation) throws {
    let outcome = try BundledLibrary.outcome(scenarioID, profileID)
    #expect(Set(outcome.goalsReached) == goals, "\(scenarioID) under \(profileID)", sourceLocation: sourceLocation)
}

/// Replays `scenarioID` under `profileID` and returns the outcome of one step, for pins on a step's details.
func stepOutcome(_ scenarioID: String, _ profileID: String, step: String) throws -> StepOutcome {
    let outcome = try BundledLibrary.outcome(scenarioID, profileID)
    return try #require(outcome.steps.first { $0.id == step }, "no step \(step) in \(scenarioID)")
}
