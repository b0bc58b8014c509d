import DrillEngine
import DrillFuzzing
import Foundation
import Testing

/// A short run of the loader fuzzer inside the test suite: the same mutations and invariants as
/// `regdrill-fuzz` (scripts/fuzz-loader.sh runs it for minutes), a few hundred inputs from a fixed seed, so
/// every `swift test` repeats the same inputs. The time limit guards against hangs.
@Suite("Loader fuzzing: mutated bundled files keep the loaders' invariants", .timeLimit(.minutes(1)))
struct LoaderFuzzTests {
    static func seeds() throws -> [FuzzSeed] { try FuzzSeed.bundled(in: ProjectScenarios.directory) }

    static func scratch() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("regdrill-fuzz-\(UUID().uuidString)").path
    }

    @Test("400 mutated inputs break no invariant")
    func shortRun() throws {
        let seeds = try Self.seeds()
        #expect(seeds.contains { $0.kind == .scenario } && seeds.contains { $0.kind == .profile })
        let directory = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Inputs up to 64 KB keep the run to seconds in a debug build; the long runs go past the byte limit.
        var session = try FuzzSession(seeds: seeds, seed: 2_026, inFlightDirectory: directory, oracle: LoaderOracle(timeLimit: .seconds(20)),
                                      maximumSize: 65_536)
        for _ in 0..<400 { try session.runOne() }
        for failure in session.failures.prefix(3) {
            let input = String(decoding: failure.input.prefix(1_000), as: UTF8.self)
            Issue.record("\(failure.seedName) with \(failure.mutations.map(\.rawValue)): \(failure.violations)\n\(input)")
        }
        #expect(session.failureCount == 0)
        #expect(session.executions == 400)
        // The run reaches both sides: inputs that still load and inputs that are refused.
        #expect(session.loaded > 0 && session.loaded < session.executions, "\(session.loaded) of \(session.executions) loaded")
        #expect(Mutation.allCases.allSatisfy { session.mutationCounts[$0, default: 0] > 0 }, "\(session.mutationCounts)")
        // The input is removed once it has been loaded: only a crash leaves one behind.
        #expect(!FileManager.default.fileExists(atPath: FuzzSession.inFlightPath(directory, .scenario)))
        #expect(!FileManager.default.fileExists(atPath: FuzzSession.inFlightPath(directory, .profile)))
    }

    @Test("the same seed gives the same inputs")
    func deterministic() throws {
        let seeds = try Self.seeds()
        let mutator = Mutator(donors: seeds.map(\.bytes))
        var a = SplitMix64(seed: 7), b = SplitMix64(seed: 7), c = SplitMix64(seed: 8)
        let first = (0..<50).map { i in mutator.mutate(seeds[i % seeds.count].bytes, using: &a).bytes }
        let again = (0..<50).map { i in mutator.mutate(seeds[i % seeds.count].bytes, using: &b).bytes }
        let other = (0..<50).map { i in mutator.mutate(seeds[i % seeds.count].bytes, using: &c).bytes }
        #expect(first == again)
        #expect(first != other)
    }

    @Test("each structure-aware mutation changes what it aims at")
    func structureAwareMutations() throws {
        let tutorial = try #require(try Self.seeds().first { $0.name == "tutorial.yaml" })
        let mutator = Mutator(donors: [tutorial.bytes])
        var rng = SplitMix64(seed: 1)
        func text(_ m: Mutation) -> String { String(decoding: mutator.apply(m, to: tutorial.bytes, using: &rng), as: UTF8.self) }
        #expect(text(.aliasBomb).contains("lol1: &lol1 [*lol0"))
        let aliased = text(.anchorAndAlias)
        #expect(aliased.contains(": &a") && aliased.contains("*a"))
        #expect(text(.stepCycle) != String(decoding: tutorial.bytes, as: UTF8.self))
        #expect(String(validating: mutator.apply(.invalidUTF8, to: tutorial.bytes, using: &rng), as: UTF8.self) == nil)
        #expect(text(.timeOutOfRange) != String(decoding: tutorial.bytes, as: UTF8.self))
    }

    @Test("the oracle reports a diagnostic outside the file, without a message, or naming another file")
    func oracleCatchesBrokenDiagnostics() {
        let bytes = Array("a: 1\nb: 2\n".utf8)  // three lines: the end of the file is line 3
        let good = Diagnostic(file: "f.yaml", line: 3, column: 1, message: "m", hint: "h")
        #expect(LoaderOracle.diagnosticProblems([good], path: "f.yaml", bytes: bytes) == [])
        let broken = [Diagnostic(file: "f.yaml", line: 4, column: 1, message: "past the end"),
                      Diagnostic(file: "f.yaml", line: 0, column: 1, message: "line zero"),
                      Diagnostic(file: "f.yaml", line: 1, column: 0, message: "column zero"),
                      Diagnostic(file: "f.yaml", line: 1, column: 1, message: " \n"),
                      Diagnostic(file: "f.yaml", line: 1, column: 1, message: "m", hint: ""),
                      Diagnostic(file: "other.yaml", line: 1, column: 1, message: "m")]
        for d in broken {
            #expect(LoaderOracle.diagnosticProblems([d], path: "f.yaml", bytes: bytes).count == 1, "\(d)")
        }
    }

    @Test("the oracle reports a load over its time limit")
    func oracleTimeLimit() throws {
        let directory = Self.scratch()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let tutorial = try #require(try Self.seeds().first { $0.name == "tutorial.yaml" })
        let path = directory + "/tutorial.yaml"
        try Data(tutorial.bytes).write(to: URL(fileURLWithPath: path))
        let verdict = LoaderOracle(timeLimit: .zero).check(path: path, bytes: tutorial.bytes, kind: .scenario)
        #expect(verdict.loaded)
        #expect(verdict.violations.count == 1 && verdict.violations[0].contains("over the"), "\(verdict.violations)")
        #expect(LoaderOracle().check(path: path, bytes: tutorial.bytes, kind: .scenario).violations == [])
    }
}
