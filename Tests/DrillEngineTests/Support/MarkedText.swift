@testable import DrillEngine
import Testing

/// Inline input with markers where a finding is expected, as swift-format's rule tests write them.
///
/// A marker (`1️⃣` … `9️⃣`) is removed from the text and its 1-based line and column are remembered: the
/// column of the character that followed it. Test inputs are ASCII apart from the markers, so columns
/// count characters, as libyaml's do.
struct MarkedText {
    static let markerCharacters: [Character] = ["1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣", "7️⃣", "8️⃣", "9️⃣"]

    let text: String
    let markers: [String: SourcePosition]

    init(_ marked: String) {
        var text = ""
        var markers: [String: SourcePosition] = [:]
        var line = 1, column = 1
        for ch in marked {
            if MarkedText.markerCharacters.contains(ch) {
                precondition(markers[String(ch)] == nil, "marker \(ch) used twice")
                markers[String(ch)] = SourcePosition(line: line, column: column)
                continue
            }
            text.append(ch)
            if ch == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        self.text = text
        self.markers = markers
    }

    func position(_ marker: String) -> SourcePosition {
        guard let p = markers[marker] else { preconditionFailure("no marker \(marker) in the text") }
        return p
    }
}

/// One expected diagnostic: where (a marker), what the message contains, and optionally what the hint contains.
struct Finding: CustomStringConvertible {
    var marker: String
    var message: String
    /// A substring of the hint; `""` asserts only that a hint is present.
    var hint: String?
    var severity: Diagnostic.Severity

    init(_ marker: String, _ message: String, hint: String? = nil, severity: Diagnostic.Severity = .error) {
        self.marker = marker; self.message = message; self.hint = hint; self.severity = severity
    }

    var description: String { "\(marker) \(severity.rawValue): …\(message)…" + (hint.map { " (hint …\($0)…)" } ?? "") }
}

/// Every diagnostic of a scenario text: errors (thrown together) or the warnings of a scenario that loaded.
func scenarioDiagnostics(_ text: String, file: String = "inline.yaml", limits: LoadLimits = .init()) -> [Diagnostic] {
    do {
        return try ScenarioLoader.parse(text, file: file, limits: limits).1
    } catch {
        return error.diagnostics
    }
}

func profileDiagnostics(_ text: String, file: String = "profile.yaml") -> [Diagnostic] {
    do {
        _ = try ProfileLoader.parse(text, file: file)
        return []
    } catch {
        return error.diagnostics
    }
}

/// Asserts that `diagnostics` are exactly `expected`: same count, each at its marker's line and column,
/// with the message (and hint) containing the expected text.
func expect(_ diagnostics: [Diagnostic], in marked: MarkedText, are expected: [Finding],
            sourceLocation: SourceLocation = #_sourceLocation) {
    var remaining = diagnostics
    for finding in expected {
        let at = marked.position(finding.marker)
        let index = remaining.firstIndex { d in
            d.line == at.line && d.column == at.column && d.severity == finding.severity && d.message.contains(finding.message)
                && (finding.hint.map { h in d.hint.map { h.isEmpty || $0.contains(h) } ?? false } ?? true)
        }
        if let index {
            remaining.remove(at: index)
        } else {
            let near = diagnostics.filter { $0.line == at.line }.map(\.description)
            Issue.record("expected \(finding) at \(at.line):\(at.column); diagnostics on that line: \(near.isEmpty ? "none" : near.joined(separator: " | "))",
                         sourceLocation: sourceLocation)
        }
    }
    for d in remaining {
        Issue.record("unexpected diagnostic \(d)", sourceLocation: sourceLocation)
    }
}

/// Loads `marked` as a scenario and asserts its diagnostics are exactly `expected`.
func expectScenario(_ marked: String, _ expected: [Finding], limits: LoadLimits = .init(), sourceLocation: SourceLocation = #_sourceLocation) {
    let m = MarkedText(marked)
    expect(scenarioDiagnostics(m.text, limits: limits), in: m, are: expected, sourceLocation: sourceLocation)
}

func expectProfile(_ marked: String, _ expected: [Finding], sourceLocation: SourceLocation = #_sourceLocation) {
    let m = MarkedText(marked)
    expect(profileDiagnostics(m.text), in: m, are: expected, sourceLocation: sourceLocation)
}
