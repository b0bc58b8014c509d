import Foundation
import Testing

/// The fuzz targets' replayer (`regdrill-libfuzzer` as an ordinary build makes it): it runs saved inputs through a
/// target, which is how a libFuzzer finding is reproduced, and the kept inputs still keep every invariant.
@Suite struct LibFuzzerReplayTests {
    static var replayer: String {
        URL(fileURLWithPath: CLI.binary).deletingLastPathComponent().appendingPathComponent("regdrill-libfuzzer").path
    }

    @Test(arguments: [
        ("request", "Tests/DrillServerTests/FuzzRegressions"),
        ("request", "Tests/DrillServerTests/Hostile/not-gzip"),
        ("scenario", "scenarios"),
        ("scenario", "Tests/DrillEngineTests/Fixtures/fuzz-regressions"),
        ("profile", "scenarios/profiles"),
        ("profile", "Tests/DrillEngineTests/Fixtures/fuzz-regressions/profiles"),
    ])
    func keptInputsKeepTheInvariants(target: String, folder: String) throws {
        let result = try CLI.run([target, CLI.repository + "/" + folder], executable: Self.replayer, timeout: 120)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("through \(target): 0 broke an invariant"))
    }

    @Test(arguments: [[], ["request"], ["nonsense", "scenarios"], ["request", "/no/such/file"]])
    func misuseIsExitTwo(arguments: [String]) throws {
        let result = try CLI.run(arguments, executable: Self.replayer)
        #expect(result.status == 2)
        #expect(result.stderr.contains("regdrill-libfuzzer"))
    }
}
