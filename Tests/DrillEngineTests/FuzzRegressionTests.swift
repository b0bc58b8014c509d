@testable import DrillEngine
import DrillFuzzing
import Foundation
import Testing

/// Inputs the loader fuzzer found breaking an invariant, checked in as found (Fixtures/fuzz-regressions; a file
/// under `profiles/` is a profile). Each must now be refused with diagnostics that keep every invariant of
/// ``LoaderOracle``: inside the file, with a message, the same on a second load.
@Suite("Fuzz regressions: inputs the fuzzer found", .timeLimit(.minutes(1)))
struct FuzzRegressionTests {
    static let folder: String = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent("fuzz-regressions").path
    static let files = (try? HostileCorpus.files(folder: folder).filter { $0.hasSuffix(".yaml") }) ?? []

    @Test("the regression inputs are there")
    func present() {
        #expect(Self.files.count >= 2, "\(Self.files)")
    }

    @Test("refused with diagnostics that keep the invariants", arguments: files)
    func regression(_ file: String) throws {
        let path = Self.folder + "/" + file
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let verdict = LoaderOracle(timeLimit: .seconds(20)).check(path: path, bytes: bytes, kind: file.hasPrefix("profiles/") ? .profile : .scenario)
        #expect(!verdict.loaded)
        #expect(!verdict.diagnostics.isEmpty)
        #expect(verdict.violations == [], "\(verdict.diagnostics.map(\.description))")
    }
}
