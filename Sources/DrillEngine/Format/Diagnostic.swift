/// One problem found in a scenario or profile file, with where it is and what to write instead.
public struct Diagnostic: Sendable, Equatable, Codable, CustomStringConvertible {
    public enum Severity: String, Sendable, Codable { case error, warning }

    public var file: String
    public var line: Int
    public var column: Int
    public var severity: Severity
    public var message: String
    /// What to write instead, when there is a clear fix.
    public var hint: String?

    public init(file: String, line: Int, column: Int, severity: Severity = .error, message: String, hint: String? = nil) {
        self.file = file; self.line = line; self.column = column; self.severity = severity; self.message = message; self.hint = hint
    }

    /// `file:line:column: error: message (hint)`, the shape compilers use, so editors can jump to it.
    public var description: String {
        var s = "\(file):\(line):\(column): \(severity.rawValue): \(message)"
        if let hint { s += "\n    fix: \(hint)" }
        return s
    }
}

/// A position in a source file (1-based).
public struct SourcePosition: Sendable, Equatable, Codable {
    public var line: Int
    public var column: Int
    public init(line: Int, column: Int) { self.line = line; self.column = column }
    public static let start = SourcePosition(line: 1, column: 1)
}

/// Thrown when a file has errors: every diagnostic of the file, collected in one pass.
public struct ValidationFailure: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]
    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

/// Collects diagnostics for one file.
final class DiagnosticSink {
    let file: String
    private(set) var diagnostics: [Diagnostic] = []
    init(file: String) { self.file = file }

    func error(_ at: SourcePosition, _ message: String, hint: String? = nil) {
        diagnostics.append(Diagnostic(file: file, line: at.line, column: at.column, message: message, hint: hint))
    }
    func warning(_ at: SourcePosition, _ message: String, hint: String? = nil) {
        diagnostics.append(Diagnostic(file: file, line: at.line, column: at.column, severity: .warning, message: message, hint: hint))
    }
    var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
    var errorCount: Int { diagnostics.count { $0.severity == .error } }
}

/// The closest candidate to `word` within a small edit distance, for "did you mean" hints.
func closest(to word: String, in candidates: [String]) -> String? {
    func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for (i, ca) in a.enumerated() {
            var current = [i + 1]
            for (j, cb) in b.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (ca == cb ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }
    let w = Array(word.lowercased())
    let scored = candidates.map { ($0, distance(w, Array($0.lowercased()))) }.sorted { $0.1 < $1.1 }
    guard let best = scored.first, best.1 <= max(2, word.count / 3) else { return nil }
    return best.0
}
