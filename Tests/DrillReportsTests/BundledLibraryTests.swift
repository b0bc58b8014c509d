import DrillEngine
import DrillReports
import Foundation
import Testing

/// The reports over the real bundled scenarios, replayed. Nothing here is compared with a golden file
/// (other people edit those scenarios); it checks that every format renders and agrees with the outcomes.
/// `REGDRILL_PRINT_MATRIX=1` prints the text matrix.
@Suite struct BundledLibraryTests {
    static let library: ScenarioLibrary? = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let dir = root.appendingPathComponent("scenarios").path
        return FileManager.default.fileExists(atPath: dir + "/profiles") ? ScenarioLibrary(directory: dir) : nil
    }()

    @Test(.enabled(if: library != nil, "the scenarios folder is not next to the tests"))
    func everyFormatRendersTheBundledMatrix() throws {
        let lib = try #require(Self.library)
        let scenarios = try lib.scenarios(), profiles = try lib.profiles()
        var runs: [RunOutcome] = []
        for s in scenarios { for p in profiles { runs.append(try ReplayEngine.run(s, profile: p)) } }
        let m = MatrixReport(runs: runs, scenarios: scenarios, profiles: profiles)
        let text = Reports.matrix(m, format: .text, options: RenderOptions())
        if ProcessInfo.processInfo.environment["REGDRILL_PRINT_MATRIX"] == "1" {
            print(text)
            print(Reports.run(runs[2], scenario: scenarios[0], profile: profiles[2], format: .text, options: RenderOptions()))
            print(Reports.compare(Array(runs.prefix(4)), scenario: scenarios[0], format: .text, options: RenderOptions()))
        }
        for line in text.split(separator: "\n") { #expect(line.count <= 160, "line too wide: \(line)") }
        let json = try #require(try JSONSerialization.jsonObject(with: Data(Reports.matrix(m, format: .json, options: RenderOptions()).utf8)) as? [String: Any])
        #expect((json["runs"] as? [Any])?.count == runs.count)
        let junit = Reports.matrix(m, format: .junit, options: RenderOptions())
        #expect(junit.components(separatedBy: "<failure ").count - 1 == runs.filter(\.attackSucceeded).count)
        for f in ReportFormat.allCases { #expect(!Reports.matrix(m, format: f, options: RenderOptions()).isEmpty) }
    }
}
