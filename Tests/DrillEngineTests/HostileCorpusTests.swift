@testable import DrillEngine
import DrillFuzzing
import Foundation
import Testing

/// The checked-in corpus of hostile files (Fixtures/hostile), loaded in process: each ends in the diagnostic
/// its README names, at the line it names, and every diagnostic it yields points into the file with a message.
/// LoadLimitsTests builds hostile texts inline to test each limit; this suite keeps the files themselves, so
/// the command line suite and anyone reproducing a report run exactly the same bytes.
/// The time limit guards against hangs; it is not a performance assertion.
@Suite("Hostile corpus: every file ends in its diagnostic", .timeLimit(.minutes(1)))
struct HostileCorpusTests {
    static let folder: String = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent("hostile").path
    static let entries = (try? HostileCorpus.entries(folder: folder)) ?? []

    /// What the hardening issue asks the corpus to cover, as words of the README's kind column.
    static let requiredKinds = ["alias bomb", "deep nesting", "10 MB", "binary garbage", "wrong encoding", "cyclic step references",
                                "a million steps", "huge numbers", "times out of range", "slow hints"]

    @Test("the README lists every file of the folder, and only those")
    func readmeMatchesTheFolder() throws {
        let listed = try HostileCorpus.entries(folder: Self.folder).map(\.file).sorted()
        #expect(!listed.isEmpty)
        #expect(listed == (try HostileCorpus.files(folder: Self.folder)))
        #expect(Set(listed).count == listed.count, "a file listed twice")
    }

    @Test("the corpus covers every kind of hostile input the hardening issue names", arguments: requiredKinds)
    func coversKind(_ kind: String) {
        #expect(Self.entries.contains { $0.kind.contains(kind) }, "no corpus file of kind '\(kind)'")
    }

    @Test("the file is refused with its diagnostic", arguments: entries)
    func refused(_ entry: HostileCorpusEntry) throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("regdrill-hostile-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let path = try entry.materialize(corpus: Self.folder, scratch: scratch)
        let diagnostics: [Diagnostic]
        do throws(ValidationFailure) {
            if entry.isProfile { _ = try ProfileLoader.load(path: path) } else { _ = try ScenarioLoader.load(path: path) }
            Issue.record("\(entry.file) loaded; it should have been refused")
            return
        } catch {
            diagnostics = error.diagnostics
        }
        let expected = diagnostics.first { $0.message.contains(entry.expectedMessage) }
        #expect(expected != nil, "no diagnostic contains '\(entry.expectedMessage)': \(diagnostics.prefix(5).map(\.description))")
        #expect(expected?.line == entry.expectedLine, "\(expected?.description ?? "")")
        #expect(expected?.severity == .error && expected?.hint != nil, "a hostile file gets an error with what to do instead")
        // Every diagnostic, not only the expected one: in the file, with a message.
        let bytes = [UInt8](FileManager.default.contents(atPath: path) ?? Data())
        #expect(LoaderOracle.diagnosticProblems(diagnostics, path: path, bytes: bytes) == [])
        // At most one diagnostic per step and a few more: a hostile file does not multiply them (an alias bomb
        // is one diagnostic, not one per value it repeats).
        #expect(diagnostics.count <= LoadLimits().maximumSteps + 10, "\(diagnostics.count) diagnostics")
    }
}
