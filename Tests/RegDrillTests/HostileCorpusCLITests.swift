import DrillFuzzing
import Foundation
import Testing

/// `regdrill validate` on every file of the hostile corpus (Tests/DrillEngineTests/Fixtures/hostile): what a
/// facilitator sees when handed a hostile file. Each must end with the invalid-input exit code, a diagnostic
/// naming the file, and bounded memory. The time limit guards against hangs; it is not a performance assertion.
@Suite("Hostile corpus through the command line", .timeLimit(.minutes(2)))
struct HostileCorpusCLITests {
    static let folder = CLI.repository + "/Tests/DrillEngineTests/Fixtures/hostile"
    static let entries = (try? HostileCorpus.entries(folder: folder)) ?? []

    /// Far above what validating any file takes (the loader reads at most 1 MB and composes at most 200,000
    /// values); a file that made the loader expand aliases or read a whole 10 MB file would cross it.
    static let memoryBound = 512 * 1_048_576

    @Test("the corpus is there to run")
    func corpusIsListed() throws {
        #expect(Self.entries.count >= 20, "read \(Self.entries.count) entries from \(Self.folder)/README.md")
    }

    @Test("validate exits 2 with a diagnostic naming the file, in bounded memory", arguments: entries)
    func validate(_ entry: HostileCorpusEntry) throws {
        let scratch = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let path = try entry.materialize(corpus: Self.folder, scratch: scratch)
        let (r, memory) = try CLI.runMeasuringMemory(["validate", path])
        let sampled = memory.sampledPeak.map { "\($0 / 1_048_576) MB" } ?? "not sampled"
        print("regdrill validate \(entry.file): exit \(r.status), peak RSS \(sampled) (at most \(memory.upperBound / 1_048_576) MB)")
        #expect(r.status == 2, "\(r.stdout)\(r.stderr)")
        let diagnostic = r.stdout.split(separator: "\n").first { $0.hasPrefix("\(path):\(entry.expectedLine):") && $0.contains(entry.expectedMessage) }
        #expect(diagnostic != nil, "expected \(path):\(entry.expectedLine): … \(entry.expectedMessage); got:\n\(r.stdout.prefix(2_000))")
        #expect(r.stdout.contains("1 file(s) checked"))
        #expect(memory.upperBound > 0 && memory.upperBound < Self.memoryBound, "peak RSS at most \(memory.upperBound) bytes")
        #expect((memory.sampledPeak ?? 0) <= memory.upperBound)
    }
}
