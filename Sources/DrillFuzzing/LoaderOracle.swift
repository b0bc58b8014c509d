import DrillEngine
import Foundation

/// Loads one file with the scenario or profile loader and checks what must hold for every input, beyond
/// "it did not crash": a refused file says why and where, loading is deterministic, and no input is slow.
public struct LoaderOracle: Sendable {
    /// The most one load may take. A guard against inputs that make the loader slow, not a benchmark: far above
    /// the usual few milliseconds, so a busy machine does not report false failures.
    public var timeLimit: Duration

    public init(timeLimit: Duration = .seconds(2)) { self.timeLimit = timeLimit }

    /// What one load gave and which invariants it broke (none, normally).
    public struct Verdict: Sendable {
        public var loaded: Bool
        public var diagnostics: [Diagnostic]
        public var duration: Duration
        public var violations: [String]
    }

    /// The outcome of a load, comparable between two loads of the same file.
    private struct Outcome: Equatable {
        var loaded: Bool
        var diagnostics: [Diagnostic]
        /// The loaded scenario or profile, written out field by field (the model types are not Equatable).
        var model: String
    }

    /// Loads `bytes`, the contents of the file at `path` (through the loaders' bytes entry, which reads them as a file
    /// on disk is read, so nothing touches the disk per input), and checks the invariants.
    public func check(path: String, bytes: [UInt8], kind: FuzzSeed.Kind) -> Verdict {
        let clock = ContinuousClock()
        var first: Outcome!
        let duration = clock.measure { first = load(path, bytes, kind) }
        let second = load(path, bytes, kind)
        var violations: [String] = []
        if duration > timeLimit { violations.append("loading took \(duration), over the \(timeLimit) limit") }
        if first != second { violations.append("two loads of the same file differ: \(first.diagnostics.count) and \(second.diagnostics.count) diagnostics") }
        if !first.loaded && !first.diagnostics.contains(where: { $0.severity == .error }) {
            violations.append("the file was refused without an error diagnostic")
        }
        violations += Self.diagnosticProblems(first.diagnostics, path: path, bytes: bytes)
        return Verdict(loaded: first.loaded, diagnostics: first.diagnostics, duration: duration, violations: violations)
    }

    /// What is wrong with the diagnostics of a file: each must name the file, have a message and point into the
    /// file (line 1 column 1 stands for the whole file; the line after the last line break is where the end is).
    public static func diagnosticProblems(_ diagnostics: [Diagnostic], path: String, bytes: [UInt8]) -> [String] {
        let lineCount = lineBreaks(bytes) + 1
        var problems: [String] = []
        for d in diagnostics {
            let name = "diagnostic \(d.line):\(d.column) '\(d.message.prefix(80))'"
            if d.file != path { problems.append("\(name) names the file \(d.file)") }
            if d.message.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { problems.append("\(name) has no message") }
            if let hint = d.hint, hint.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { problems.append("\(name) has an empty hint") }
            if !(1...lineCount).contains(d.line) { problems.append("\(name) is at line \(d.line); the file has \(lineCount) lines") }
            if d.column < 1 { problems.append("\(name) is at column \(d.column)") }
        }
        return problems
    }

    /// Line breaks as YAML counts them (and libyaml's positions with them): LF, CR LF, a lone CR, NEL, LS and PS.
    /// The loader's own counters count LF only, which is never more.
    static func lineBreaks(_ bytes: [UInt8]) -> Int {
        var count = 0, i = 0
        while i < bytes.count {
            switch bytes[i] {
            case 0x0A: count += 1
            case 0x0D:
                count += 1
                if i + 1 < bytes.count && bytes[i + 1] == 0x0A { i += 1 }
            case 0xC2 where i + 1 < bytes.count && bytes[i + 1] == 0x85: count += 1; i += 1
            case 0xE2 where i + 2 < bytes.count && bytes[i + 1] == 0x80 && (bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9): count += 1; i += 2
            default: break
            }
            i += 1
        }
        return count
    }

    private func load(_ path: String, _ bytes: [UInt8], _ kind: FuzzSeed.Kind) -> Outcome {
        do throws(ValidationFailure) {
            switch kind {
            case .scenario:
                let (scenario, warnings) = try ScenarioLoader.load(bytes: bytes, file: path)
                var model = ""
                dump(scenario, to: &model)
                return Outcome(loaded: true, diagnostics: warnings, model: model)
            case .profile:
                let profile = try ProfileLoader.load(bytes: bytes, file: path)
                var model = ""
                dump(profile, to: &model)
                return Outcome(loaded: true, diagnostics: [], model: model)
            }
        } catch {
            return Outcome(loaded: false, diagnostics: error.diagnostics, model: "")
        }
    }
}
