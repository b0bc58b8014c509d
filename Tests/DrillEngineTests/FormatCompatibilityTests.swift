import DrillEngine
import Foundation
import Testing

/// A file that validates today keeps validating, with the same meaning. `Fixtures/format-1/` freezes the format as it
/// was when it was first declared in code (issue 22): one scenario per action, each in the reference's world, written
/// then and never regenerated; `verdicts.txt` holds what each replay gave, under the rules as they happened and under
/// auth-and-writes. When a verdict moves, the change must be a rule's, and its commit names the rule and the source.
@Suite("Format compatibility: files of format 1 load and replay as they did")
struct FormatCompatibilityTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/format-1").path

    static func files() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".yaml") }.sorted()
    }

    static let authAndWrites = Profile(id: "auth-and-writes", title: "", description: "", era: nil, defenses: [.twoFactor(mode: .authAndWrites, factor: .totp)])

    /// Each file's load (errors and warnings) and its step verdicts under two profiles, one line per step.
    static func verdicts() throws -> String {
        var out = ""
        for name in try files() {
            let path = folder + "/" + name
            do {
                let (scenario, warnings) = try ScenarioLoader.load(path: path)
                out += "\(name): loads, \(warnings.count) warning(s)\n"
                for profile in [Profile.historical, authAndWrites] {
                    for step in try ReplayEngine.run(scenario, profile: profile).steps {
                        out += "  \(profile.id) \(step.id) \(step.action): \(step.status.rawValue)\(step.rule.map { " (\($0))" } ?? "")\n"
                    }
                }
            } catch let failure as ValidationFailure {
                out += "\(name): refused: \(failure.diagnostics.map(\.message))\n"
            }
        }
        return out
    }

    @Test("every action's file of format 1 loads, and replays to the verdicts it gave")
    func sameVerdicts() throws {
        let names = try Self.files()
        if ProcessInfo.processInfo.environment["FREEZE_FORMAT_1"] == "1" {
            // Run once, when the format was first declared; the files are never rewritten after.
            for kind in ActionKind.allCases where !names.contains("\(kind.rawValue).yaml") {
                try FormatReference.exampleScenario(kind).write(toFile: Self.folder + "/\(kind.rawValue).yaml", atomically: true, encoding: .utf8)
            }
            try Self.verdicts().write(toFile: Self.folder + "/verdicts.txt", atomically: true, encoding: .utf8)
        }
        #expect(names.count >= 31, "one file per action of format 1")
        let pinned = try String(contentsOfFile: Self.folder + "/verdicts.txt", encoding: .utf8)
        let now = try Self.verdicts()
        #expect(!now.contains("refused"), "\(now)")
        #expect(now == pinned, "a file of format 1 loads or replays differently now:\n\(now)")
    }
}
