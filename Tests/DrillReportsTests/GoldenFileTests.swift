import DrillEngine
import DrillReports
import Foundation
import Testing

/// Every report in every format, rendered from ``Fixture`` and compared with the files in `Golden/`.
///
/// To accept a deliberate change of output, regenerate the files and review the diff before committing:
///
///     UPDATE_GOLDEN=1 swift test --scratch-path .build-rep --filter DrillReportsTests
///
/// With `UPDATE_GOLDEN=1` each test writes its file into the source tree (next to this file) instead of
/// comparing; the copy bundled as a test resource is refreshed on the next build.
@Suite struct GoldenFileTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let render: @Sendable () -> String
        var testDescription: String { name }
    }

    static let plain = RenderOptions()
    static let hidden = RenderOptions(showOutcomes: false)

    static let cases: [Case] = ReportFormat.allCases.flatMap { f -> [Case] in
        let ext = f.fileExtension
        return [
            Case(name: "matrix.\(ext)") { Reports.matrix(Fixture.matrix, format: f, options: plain) },
            Case(name: "run.\(ext)") { Reports.run(Fixture.phishAuthOnly, scenario: Fixture.phishing, profile: Fixture.authOnly, format: f, options: plain) },
            Case(name: "runs.\(ext)") {
                Reports.runs([Fixture.phishHistorical, Fixture.phishSecurityKey, Fixture.phishGranular], scenario: Fixture.phishing,
                             profiles: Fixture.profiles, format: f, options: plain)
            },
            Case(name: "compare.\(ext)") {
                Reports.compare([Fixture.phishHistorical, Fixture.phishAuthOnly, Fixture.phishSecurityKey, Fixture.phishGranular],
                                scenario: Fixture.phishing, format: f, options: plain)
            },
            Case(name: "explain.\(ext)") { Reports.explain(Fixture.explanation, scenario: Fixture.phishing, format: f, options: plain) },
            Case(name: "diagnostics.\(ext)") { Reports.diagnostics(Fixture.diagnostics, checkedFiles: ["scenarios/c.yaml"], format: f) },
            Case(name: "profiles.\(ext)") { Reports.profiles(Fixture.profiles, format: f) },
            Case(name: "scenarios.\(ext)") { Reports.scenarioList([Fixture.worm, Fixture.phishing], format: f) },
        ]
    } + [
        Case(name: "matrix-hidden.txt") { Reports.matrix(Fixture.matrix, format: .text, options: hidden) },
        Case(name: "run-hidden.txt") { Reports.run(Fixture.phishAuthOnly, scenario: Fixture.phishing, profile: Fixture.authOnly, format: .text, options: hidden) },
        Case(name: "run-two-days.txt") { Reports.run(Fixture.wormGranular, scenario: Fixture.worm, profile: Fixture.granular, format: .text, options: plain) },
        Case(name: "step.txt") {
            Reports.step(Fixture.phishAuthOnly.steps[2], index: 3, options: plain) + "\n"
                + Reports.step(Fixture.phishAuthOnly.steps[2], index: 3, options: hidden)
        },
    ]

    @Test(arguments: cases)
    func matchesGolden(_ c: Case) throws {
        try Golden.check(c.name, c.render())
    }
}

enum Golden {
    /// The `Golden` folder in the source tree (where `UPDATE_GOLDEN=1` writes).
    static let sourceDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    static func check(_ name: String, _ actual: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try actual.write(to: sourceDirectory.appendingPathComponent(name), atomically: true, encoding: .utf8)
            return
        }
        guard let folder = Bundle.module.url(forResource: "Golden", withExtension: nil),
              let expected = try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
        else {
            Issue.record("no golden file \(name): run UPDATE_GOLDEN=1 swift test --filter DrillReportsTests, then review it", sourceLocation: sourceLocation)
            return
        }
        guard expected != actual else { return }
        let e = expected.components(separatedBy: "\n"), a = actual.components(separatedBy: "\n")
        let i = (0..<min(e.count, a.count)).first { e[$0] != a[$0] } ?? min(e.count, a.count)
        Issue.record("""
            \(name) differs from its golden file at line \(i + 1):
              expected: \(i < e.count ? e[i] : "<end of file>")
              actual:   \(i < a.count ? a[i] : "<end of file>")
            (if the change is intended: UPDATE_GOLDEN=1 swift test --filter DrillReportsTests, then review the diff)
            """, sourceLocation: sourceLocation)
    }
}
