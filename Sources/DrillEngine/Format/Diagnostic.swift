/// One problem found in a scenario or profile file, with where it is and what to write instead.
public struct Diagnostic: Sendable, Equatable, Codable, CustomStringConvertible {
    public enum Severity: String, Sendable, Codable { case error, warning }

    public var file: String
    public var line: Int
    public var column: Int
    public var severity: Severity
    /// What kind of problem it is, for editors and CI to act on (nil only for diagnostics made outside the loaders).
    public var code: DiagnosticCode?
    public var message: String
    /// What to write instead, when there is a clear fix.
    public var hint: String?

    public init(file: String, line: Int, column: Int, severity: Severity = .error, code: DiagnosticCode? = nil, message: String, hint: String? = nil) {
        self.file = file; self.line = line; self.column = column; self.severity = severity; self.code = code; self.message = message; self.hint = hint
    }

    /// `file:line:column: error: message (hint)`, the shape compilers use, so editors can jump to it.
    public var description: String {
        var s = "\(file):\(line):\(column): \(severity.rawValue): \(message)"
        if let hint { s += "\n    fix: \(hint)" }
        return s
    }
}

/// What kind of problem a diagnostic reports: a stable name that editors and CI can act on, whatever the message says.
/// `regdrill validate --format json` gives it with each diagnostic; docs/format.md lists them.
public enum DiagnosticCode: String, Sendable, Codable, CaseIterable {
    // The file
    case fileUnreadable = "file-unreadable"
    case fileTooLarge = "file-too-large"
    case notText = "not-text"
    case emptyFile = "empty-file"
    case yamlSyntax = "yaml-syntax"
    case yamlLimit = "yaml-limit"
    // The shape
    case notMapping = "not-a-mapping"
    case duplicateKey = "duplicate-key"
    case missingKey = "missing-key"
    case unknownKey = "unknown-key"
    case wrongType = "wrong-type"
    case outOfRange = "out-of-range"
    case unknownWord = "unknown-word"
    case invalidValue = "invalid-value"
    case emptyList = "empty-list"
    // The meaning
    case unknownReference = "unknown-reference"
    case duplicateID = "duplicate-id"
    case timeOrder = "time-order"
    case neverRuns = "never-runs"
    case versionExists = "version-exists"
    case newPackage = "new-package"
    case anachronism = "anachronism"
    // The command line
    case unknownName = "unknown-name"

    public var meaning: String {
        switch self {
        case .fileUnreadable: "the file cannot be opened or read, or is not a regular file"
        case .fileTooLarge: "the file is over the size limit"
        case .notText: "the file is not UTF-8 text, or holds a control character"
        case .emptyFile: "the file holds nothing"
        case .yamlSyntax: "the text is not the YAML the loaders take: a syntax error, a second document, a key that is not plain, a tag, an alias without its anchor"
        case .yamlLimit: "the document nests too deep or expands to too many values"
        case .notMapping: "a mapping of keys to values is expected here"
        case .duplicateKey: "a key appears twice in one object"
        case .missingKey: "a required key is absent"
        case .unknownKey: "the object does not take this key (the hint names the nearest one it takes)"
        case .wrongType: "the value is of the wrong type: text, a number, true or false, a list"
        case .outOfRange: "a number, a length or a count is beyond its limits"
        case .unknownWord: "the word is not one of those the key takes: an action, a defense, a kind, a credential"
        case .invalidValue: "the value is malformed: an id, a date or time, an address, a package name, a version, a block"
        case .emptyList: "a list that needs an entry has none"
        case .unknownReference: "the name refers to nothing this file declares (an account, a package, a token, a step, a machine, a mail domain)"
        case .duplicateID: "two entries share one id"
        case .timeOrder: "a step happens before the step above it"
        case .neverRuns: "a step can never run or never succeed, whatever the defenses: what it needs is not there at that point"
        case .versionExists: "a step publishes a version the world already has"
        case .newPackage: "a step publishes a package the world does not have, without newPackage: true (warning)"
        case .anachronism: "a world element did not exist on the scenario's date (warning)"
        case .unknownName: "the command line names no bundled scenario or profile"
        }
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

    func error(_ code: DiagnosticCode, _ at: SourcePosition, _ message: String, hint: String? = nil) {
        diagnostics.append(Diagnostic(file: file, line: at.line, column: at.column, code: code, message: Self.bounded(message), hint: hint.map(Self.bounded)))
    }
    func warning(_ code: DiagnosticCode, _ at: SourcePosition, _ message: String, hint: String? = nil) {
        diagnostics.append(Diagnostic(file: file, line: at.line, column: at.column, severity: .warning, code: code, message: Self.bounded(message),
                                      hint: hint.map(Self.bounded)))
    }

    /// The longest message or hint kept whole. Messages quote what the file says; a hostile file can say a value of
    /// a megabyte a thousand times, and its report should not be a gigabyte.
    static let maximumTextLength = 1_000

    /// `text`, or its beginning and its end with the middle left out: a message ends with what is wrong
    /// ("... is not an account of this world"), and a long quoted value is what sits in the middle.
    static func bounded(_ text: String) -> String {
        guard text.utf8.count > maximumTextLength, text.count > maximumTextLength else { return text }
        let half = maximumTextLength / 2
        return text.prefix(half) + " … (\(text.count - 2 * half) characters left out) … " + text.suffix(half)
    }
    /// Edit-distance work left for this file's "did you mean" hints (see ``closest(to:in:budget:)``): far more than
    /// an ordinary file needs, a fraction of a second in a release build.
    private var suggestionBudget = 20_000_000

    /// The closest candidate to `word` for a hint, while this file's suggestion budget lasts.
    func closest(to word: String, in candidates: [String]) -> String? {
        DrillEngine.closest(to: word, in: candidates, budget: &suggestionBudget)
    }

    /// The hint for a name that names nothing: "did you mean '<closest>'?", else `otherwise`.
    func didYouMean(_ word: String, in candidates: [String], otherwise: @autoclosure () -> String) -> String {
        closest(to: word, in: candidates).map { "did you mean '\($0)'?" } ?? otherwise()
    }

    var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
    var errorCount: Int { diagnostics.count { $0.severity == .error } }
}

/// The closest candidate to `word` within a small edit distance, for "did you mean" hints.
func closest(to word: String, in candidates: [String]) -> String? {
    var unlimited = Int.max
    return closest(to: word, in: candidates, budget: &unlimited)
}

/// The closest candidate to `word`, spending at most `budget` cells of edit-distance tables (nil once it is spent).
/// Of candidates equally close, the first in code-point order: the answer does not depend on the candidates' order.
///
/// A table costs the product of the two lengths. A hostile file can ask for thousands of suggestions (a thousand
/// steps naming a thousand different unknown accounts, or one 20,000-character name repeated in every step
/// through an alias) and took minutes; so a word longer than any name in a scenario gets no suggestion, a
/// candidate whose length differs by more than the limit is not measured (its distance is at least that
/// difference), and what is left is paid from the file's budget.
func closest(to word: String, in candidates: [String], budget: inout Int) -> String? {
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
    // The byte count first: it costs nothing, where counting characters walks the whole word.
    guard word.utf8.count <= closestMaximumLength * 4 else { return nil }
    let w = Array(word.lowercased())
    guard w.count <= closestMaximumLength else { return nil }
    let limit = max(2, word.count / 3)
    var best: (candidate: String, distance: Int)?
    for candidate in candidates {
        let c = Array(candidate.lowercased())
        guard abs(c.count - w.count) <= limit else { continue }
        let cost = max(1, w.count * c.count)
        guard budget >= cost else { return nil }
        budget -= cost
        let d = distance(w, c)
        // Ties go to the candidate first in code-point order, so the hint is the same whatever order the candidates
        // come in (most callers pass a Set's elements, whose order differs between runs and between two sets of the
        // same names: the coverage-guided fuzzer found one file whose hint changed from one load to the next).
        if d <= limit, best == nil || d < best!.distance || (d == best!.distance && candidate.unicodeScalars.lexicographicallyPrecedes(best!.candidate.unicodeScalars)) {
            best = (candidate, d)
        }
    }
    return best?.candidate
}

/// The longest word ``closest(to:in:budget:)`` suggests a correction for: ids and names are at most 100 characters.
let closestMaximumLength = 200
