@testable import DrillEngine
import Foundation
import Testing

/// Hostile input: every case ends in one diagnostic, never a crash or a hang. The time limit is a guard
/// against hangs, not a performance assertion (the benchmark measures speed).
@Suite("Load limits: hostile files end in a diagnostic", .timeLimit(.minutes(1)))
final class LoadLimitsTests {
    /// The folders this test wrote its files in, removed when it ends.
    private var folders: [URL] = []

    deinit { for folder in folders { try? FileManager.default.removeItem(at: folder) } }

    /// The one diagnostic a hostile text yields.
    func only(_ text: String, limits: LoadLimits = .init(), sourceLocation: SourceLocation = #_sourceLocation) -> Diagnostic? {
        let diagnostics = scenarioDiagnostics(text, limits: limits)
        #expect(diagnostics.count == 1, "\(diagnostics.prefix(5))", sourceLocation: sourceLocation)
        return diagnostics.first
    }

    /// Writes `bytes` to a fresh temporary file and returns its path.
    func temporaryFile(_ bytes: [UInt8], name: String = "hostile.yaml") throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("regdrill-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        folders.append(dir)
        let url = dir.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    func loadDiagnostics(_ path: String) -> [Diagnostic] {
        do { return try ScenarioLoader.load(path: path).1 } catch { return error.diagnostics }
    }

    @Test("a text over maximumBytes")
    func tooLargeText() throws {
        let text = Doc.scenario() + "# " + String(repeating: "x", count: LoadLimits().maximumBytes) + "\n"
        let d = try #require(only(text))
        #expect(d.message.contains("limited to 1048576 bytes") && d.line == 1 && d.hint != nil)
    }

    @Test("a file over maximumBytes is not read past the limit")
    func tooLargeFile() throws {
        let path = try temporaryFile(Array(repeating: UInt8(ascii: "a"), count: 3 * LoadLimits().maximumBytes))
        let diagnostics = loadDiagnostics(path)
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.message.contains("limited to 1048576 bytes") == true)
    }

    @Test("an endless device is refused without being read")
    func endlessDevice() throws {
        try #require(FileManager.default.fileExists(atPath: "/dev/zero"))
        let diagnostics = loadDiagnostics("/dev/zero")
        #expect(diagnostics.count == 1)
        // Was read up to the size limit and refused for its size; only a regular file is read now (SourceFile.read).
        #expect(diagnostics.first?.message.contains("is a device, not a") == true, "\(diagnostics)")
    }

    @Test("a folder, a missing file")
    func notAFile() throws {
        let path = try temporaryFile([])
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        #expect(loadDiagnostics(folder).first?.message.contains("is a folder") == true)
        #expect(loadDiagnostics(folder + "/missing.yaml").first?.message.contains("there is no file") == true)
    }

    @Test("an empty file, a file of comments")
    func empty() throws {
        #expect(only("")?.message == "the file is empty")
        #expect(only("# nothing here\n\n")?.message == "the file is empty")
    }

    @Test("a billion laughs: aliases that expand exponentially")
    func billionLaughs() throws {
        var text = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for (previous, name) in zip("abcdefgh", "bcdefghi") {
            text += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 10).joined(separator: ", ") + "]\n"
        }
        let d = try #require(only(text))
        #expect(d.message.contains("expands to more than 200000 values"))
        #expect(d.hint?.contains("anchors and aliases") == true)
    }

    @Test("an alias to a large value used as a key (its hash would take hours)")
    func aliasAsKey() throws {
        var text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        for (previous, name) in zip("abcdefg", "bcdefgh") {
            text += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 10).joined(separator: ", ") + "]\n"
        }
        for keyed in ["? *h\n: 1\n", "*h : 1\n", "{ *h : 1 }: 2\n"] {
            let d = try #require(only(text + keyed))
            #expect(d.message.contains("a key must be a plain name") || d.message.contains("expands to more than"), "\(d)")
        }
        // Within the node budget, the key itself is refused.
        for keyed in ["? *a\n: 1\n", "*a : 1\n", "{ *a : 1 }: 2\n", "[x]: 1\n"] {
            let d = try #require(only("a: &a [x, y]\n" + keyed))
            #expect(d.message.hasPrefix("a key must be a plain name"), "\(d)")
        }
        // An alias to a scalar is a plain key.
        #expect(!scenarioDiagnostics("a: &k title\n*k : 1\n").contains { $0.message.contains("plain name") })
    }

    @Test("ordinary aliases within the budget load")
    func smallAliases() throws {
        let text = Doc.scenario(world: Doc.world.replacingOccurrences(of: "maintainers: [maintainer]", with: "maintainers: &owners [maintainer]")
            .replacingOccurrences(of: "maintainers: [dev]", with: "maintainers: *owners"))
        let (scenario, _) = try ScenarioLoader.parse(text, file: "inline.yaml")
        #expect(scenario.world.packages.map(\.maintainers) == [["maintainer"], ["maintainer"]])
    }

    @Test("10,000 opening brackets")
    func deepFlowNesting() throws {
        let m = MarkedText("id: x\nsteps: " + String(repeating: "[", count: 63) + "1️⃣" + String(repeating: "[", count: 10_000 - 63))
        let d = try #require(only(m.text))
        #expect(d.message == "nesting deeper than 64 levels")
        // libyaml's scanner reads ahead through the brackets and stops itself at its own limit (1,000 levels),
        // before the composer sees the 65th: the diagnostic then points where the nesting starts.
        #expect(d.line == 2 && [9, m.position("1️⃣").column].contains(d.column))
    }

    @Test("100 opening brackets: the composer stops at the 65th")
    func flowNestingPastTheLimit() throws {
        let m = MarkedText("id: x\nsteps: " + String(repeating: "[", count: 63) + "1️⃣" + String(repeating: "[", count: 37) + String(repeating: "]", count: 100))
        let d = try #require(only(m.text))
        #expect(d.message == "nesting deeper than 64 levels")
        #expect((d.line, d.column) == (m.position("1️⃣").line, m.position("1️⃣").column))
    }

    @Test("deep indentation of block mappings (1,400 levels, just under a megabyte)")
    func deepBlockMappings() throws {
        var text = ""
        for i in 0..<1_400 { text += String(repeating: " ", count: i) + "k:\n" }
        let d = try #require(only(text))
        #expect(d.message == "nesting deeper than 64 levels")
        #expect(d.line == 65)
    }

    @Test("compact nested lists on one line (500,000 levels)")
    func compactNestedLists() throws {
        let d = try #require(only(String(repeating: "- ", count: 500_000) + "x\n"))
        #expect(d.message == "nesting deeper than 64 levels")
        #expect(d.line == 1 && d.column == 129)
    }

    @Test("nesting through an alias counts what the alias repeats")
    func nestingThroughAliases() throws {
        let deep = String(repeating: "[", count: 40) + String(repeating: "]", count: 40)
        let d = try #require(only("a: &a " + deep + "\nb: " + String(repeating: "[", count: 30) + "*a" + String(repeating: "]", count: 30) + "\n"))
        #expect(d.message.hasPrefix("nesting deeper than 64 levels"))
    }

    @Test("64 levels are allowed; the scenario reader then reports what it expects instead")
    func nestingAtTheLimit() throws {
        let diagnostics = scenarioDiagnostics("steps: " + String(repeating: "[", count: 63) + String(repeating: "]", count: 63) + "\n")
        #expect(!diagnostics.isEmpty && !diagnostics.contains { $0.message.contains("nesting") })
    }

    @Test("NUL bytes in an otherwise valid file")
    func nulBytes() throws {
        let path = try temporaryFile(Array((Doc.scenario() + "title2: a\u{0}b\n").utf8))
        let diagnostics = loadDiagnostics(path)
        #expect(diagnostics.count == 1)
        let lines = Doc.scenario().split(separator: "\n", omittingEmptySubsequences: false).count
        #expect(diagnostics.first?.message.contains("control character (U+0)") == true)
        #expect(diagnostics.first?.line == lines && diagnostics.first?.column == 10)
    }

    @Test("invalid UTF-8")
    func invalidUTF8() throws {
        let path = try temporaryFile(Array("id: x\ntitle: caf".utf8) + [0xC3, 0x28] + Array("\n".utf8))
        let diagnostics = loadDiagnostics(path)
        #expect(diagnostics.count == 1)
        let d = try #require(diagnostics.first)
        #expect(d.message.contains("not UTF-8") && d.hint != nil)
        #expect((d.line, d.column) == (2, 11))
    }

    @Test("binary garbage")
    func binaryGarbage() throws {
        // A fixed pseudo-random byte stream (a linear congruential generator), so the test is repeatable.
        var state: UInt32 = 0x2545_F491
        let bytes = (0..<65_536).map { _ -> UInt8 in state = state &* 1_664_525 &+ 1_013_904_223; return UInt8(state >> 24) }
        let diagnostics = loadDiagnostics(try temporaryFile(bytes))
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.message.contains("UTF-8") == true || diagnostics.first?.message.contains("control character") == true)
    }

    @Test("C1 control characters and other text libyaml refuses")
    func libyamlReaderErrors() throws {
        let d = try #require(only("id: x\ntitle: a\u{9F}b\n"))
        #expect(d.message.contains("not valid YAML"))
        #expect(d.line == 2)
    }

    @Test("more steps than the limit: one diagnostic")
    func tooManySteps() throws {
        var limits = LoadLimits()
        limits.maximumSteps = 50
        var steps = ""
        for i in 0..<51 {
            steps += "  - { id: s\(i), at: 2018-07-12T09:30:00Z, action: reuse-breached-password, account: maintainer }\n"
        }
        let m = MarkedText(Doc.scenario(steps: "  1️⃣" + steps.dropFirst(2)))
        expect(scenarioDiagnostics(m.text, limits: limits), in: m, are: [Finding("1️⃣", "'steps' has 51 entries; at most 50", hint: "")])
    }

    @Test("more steps than the default limit, in a file under the size limit")
    func tooManyStepsByDefault() throws {
        let step = "  - { id: s, at: 2018-07-12T09:30:00Z, action: reuse-breached-password, account: maintainer }\n"
        let text = Doc.scenario(steps: String(repeating: step, count: LoadLimits().maximumSteps + 1))
        #expect(text.utf8.count < LoadLimits().maximumBytes)
        let diagnostics = scenarioDiagnostics(text)
        #expect(diagnostics.contains { $0.message.contains("'steps' has 1001 entries; at most 1000") })
    }

    @Test("more values than the node budget, without aliases")
    func tooManyValues() throws {
        var limits = LoadLimits()
        limits.maximumNodes = 1_000
        let d = try #require(only("techniques: [" + Array(repeating: "T1078", count: 2_000).joined(separator: ", ") + "]\n", limits: limits))
        #expect(d.message.contains("more than 1000 values"))
    }

    @Test("a very long single value")
    func longValue() throws {
        let m = MarkedText(Doc.scenario(extra: "teaching:\n  whatHappened: 1️⃣" + String(repeating: "y", count: 30_000) + "\n"))
        expect(scenarioDiagnostics(m.text), in: m, are: [Finding("1️⃣", "'whatHappened' is 30000 characters; at most 20000", hint: "")])
    }

    static let tags = ["!!python/object/apply:os.system [\"echo pwned\"]", "!!python/object:__main__.Exploit { cmd: id }",
                       "!ruby/object:Gem::Installer { i: x }", "!!binary aGVsbG8=", "!local-tag value", "!<tag:example.com,2024:thing> v",
                       "!!set { a, b }", "!!omap [ a: 1 ]"]

    @Test("custom tags are refused: loading never constructs objects or runs code", arguments: tags)
    func customTags(_ tagged: String) throws {
        let m = MarkedText(Doc.header().replacingOccurrences(of: "title: Inline test", with: "title: 1️⃣" + tagged))
        let d = try #require(only(m.text))
        #expect(d.message.contains("is not allowed: scenario files are plain data"))
        #expect((d.line, d.column) == (m.position("1️⃣").line, m.position("1️⃣").column))
        #expect(d.hint == "remove the tag")
    }

    @Test("the standard tags are plain data", arguments: ["!!str 2018", "!!int 7", "! quoted"])
    func standardTags(_ tagged: String) throws {
        let diagnostics = scenarioDiagnostics(Doc.scenario().replacingOccurrences(of: "title: Inline test", with: "title: " + tagged))
        #expect(diagnostics.isEmpty || diagnostics.allSatisfy { !$0.message.contains("tag") }, "\(diagnostics)")
    }

    @Test("two documents in one file")
    func twoDocuments() throws {
        let m = MarkedText(Doc.scenario() + "1️⃣---\nid: second\n")
        expect(scenarioDiagnostics(m.text), in: m, are: [Finding("1️⃣", "holds one YAML document", hint: "")])
    }

    @Test("YAML syntax errors name the place")
    func syntaxError() throws {
        let m = MarkedText("id: x\ntitle: \"unterminated\nsummary: s\n1️⃣")
        let d = try #require(only(m.text))
        #expect(d.message.hasPrefix("this is not valid YAML"))
        #expect(d.line == m.position("1️⃣").line)
    }

    /// Found by the loader fuzzer: libyaml starts a new line before the end of a file whose last line has no
    /// line break, so these errors pointed at a line past the end of the file.
    @Test("an error at the end of a file without a final line break points at the end of its last line",
          arguments: ["id: x\nsteps: [a, b1️⃣", "id: x\ntitle: [café1️⃣", "id: x\nera1️⃣", "id: x\nsteps:\n  - [[\n\t1️⃣", "steps: {a: 11️⃣"])
    func syntaxErrorAtTheEndOfTheLastLine(_ marked: String) throws {
        let m = MarkedText(marked)
        let d = try #require(only(m.text))
        #expect(d.message.hasPrefix("this is not valid YAML"))
        #expect((d.line, d.column) == (m.position("1️⃣").line, m.position("1️⃣").column), "\(d)")
    }

    /// Found by the coverage-guided profile fuzzer: a file of `---` alone (no line break) is an empty document, whose
    /// null value libyaml placed on the line after the last (kept as `fuzz-regressions/profiles/document-marker-only.yaml`).
    @Test("an empty document at the end of a file without a final line break points at the end of its last line",
          arguments: ["---1️⃣", "--- 1️⃣", "# a comment\n---1️⃣"])
    func emptyDocumentAtTheEndOfTheLastLine(_ marked: String) throws {
        let m = MarkedText(marked)
        let d = try #require(only(m.text))
        #expect(d.message.contains("not nothing (null)"))
        #expect((d.line, d.column) == (m.position("1️⃣").line, m.position("1️⃣").column), "\(d)")
    }

    @Test("did-you-mean hints: long words get none, far lengths cost nothing, and a file's hints share a budget")
    func suggestionBudget() {
        #expect(closest(to: "pasword", in: ["email", "password"]) == "password")
        #expect(closest(to: String(repeating: "w", count: 5_000), in: ["w", String(repeating: "w", count: 5_001)]) == nil)
        var budget = 100
        #expect(closest(to: "ab", in: [String(repeating: "x", count: 1_000)], budget: &budget) == nil)
        #expect(budget == 100, "a candidate of a far length is not measured")
        #expect(closest(to: "pasword", in: ["password"], budget: &budget) == "password")
        #expect(budget == 100 - 7 * 8)
        #expect(closest(to: "pasword", in: ["password"], budget: &budget) == nil, "the budget is spent")
    }

    /// Found by the coverage-guided fuzzer: two names equally close to a misspelt one, passed in a Set's order, gave
    /// one hint on a load and the other on the next (kept as `fuzz-regressions/tied-suggestions.yaml`).
    @Test("did-you-mean hints do not depend on the order of the candidates")
    func suggestionTiesAreStable() {
        let candidates = ["a'lice-utils", "alice-util)", "alice-utilz"]
        for order in [candidates, candidates.reversed(), [candidates[1], candidates[2], candidates[0]]] {
            #expect(closest(to: "alice-utils", in: order) == "a'lice-utils")
        }
    }

    @Test("a diagnostic quotes at most a bounded part of what the file says")
    func longValuesAreCutInMessages() throws {
        let name = String(repeating: "x", count: 5_000)
        let text = Doc.scenario(steps: """
              - id: s1
                at: 2018-07-12T09:30:00Z
                action: \(name)
                account: maintainer

            """)
        let diagnostics = scenarioDiagnostics(text)
        let d = try #require(diagnostics.first { $0.message.contains("unknown action") }, "\(diagnostics.map { $0.message.prefix(80) })")
        #expect(d.message.count < DiagnosticSink.maximumTextLength + 50)
        #expect(d.message.contains(" characters left out) … "), "\(d.message.prefix(60))")
        #expect(d.message.hasPrefix("unknown action 'xxx"), "what is wrong still reads first")
        #expect(diagnostics.allSatisfy { $0.message.count < DiagnosticSink.maximumTextLength + 50 })
    }
}
