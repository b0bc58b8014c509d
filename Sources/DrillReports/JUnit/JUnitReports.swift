import DrillRegistry
import DrillEngine

/// JUnit XML, so CI can treat "profile P stops scenario S" as a test: a test case per scenario × profile
/// (`classname` the scenario id, `name` the profile id), failed where the attack succeeds, with the steps in
/// `system-out`. Times are 0: the replay is not a timing test, and stable output keeps golden files stable.
enum JUnitReports {
    static func x(_ s: String) -> String { Escape.xml(s) }
    static func attr(_ s: String) -> String { Escape.xml(s, attribute: true) }

    struct Case {
        var classname: String
        var name: String
        var failure: (message: String, type: String, body: String)?
        var out: String
    }

    static func document(name: String, suites: [(name: String, cases: [Case])]) -> String {
        let tests = suites.map(\.cases.count).reduce(0, +)
        let failures = suites.map { $0.cases.filter { $0.failure != nil }.count }.reduce(0, +)
        var out = ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                   "<testsuites name=\"\(attr(name))\" tests=\"\(tests)\" failures=\"\(failures)\" errors=\"0\" time=\"0\">"]
        for suite in suites {
            let f = suite.cases.filter { $0.failure != nil }.count
            out.append("  <testsuite name=\"\(attr(suite.name))\" tests=\"\(suite.cases.count)\" failures=\"\(f)\" errors=\"0\" skipped=\"0\" time=\"0\">")
            for c in suite.cases {
                let open = "    <testcase classname=\"\(attr(c.classname))\" name=\"\(attr(c.name))\" time=\"0\""
                guard c.failure != nil || !c.out.isEmpty else { out.append(open + "/>"); continue }
                out.append(open + ">")
                if let failure = c.failure {
                    out.append("      <failure message=\"\(attr(failure.message))\" type=\"\(attr(failure.type))\">" + x(failure.body) + "</failure>")
                }
                if !c.out.isEmpty { out.append("      <system-out>" + x(c.out) + "</system-out>") }
                out.append("    </testcase>")
            }
            out.append("  </testsuite>")
        }
        out.append("</testsuites>")
        return out.joined(separator: "\n") + "\n"
    }

    // MARK: Outcomes

    /// One suite per scenario (in first-seen order), a case per run.
    static func outcomes(_ runs: [RunOutcome], name: String, scenarios: [Scenario]) -> String {
        let ids = ordered(runs.map(\.scenario), extra: [])
        let suites = ids.map { id in
            (name: id, cases: runs.filter { $0.scenario == id }.map { runCase($0, scenarios.first { $0.id == id }) })
        }
        return document(name: name, suites: suites)
    }

    static func runCase(_ r: RunOutcome, _ s: Scenario?) -> Case {
        var failure: (String, String, String)?
        if r.attackSucceeded {
            let message = "profile \(r.profile) does not stop \(r.scenario): " + Fmt.plural(r.goalsReached.count, "goal") + " reached ("
                + r.goalsReached.joined(separator: ", ") + ")"
            failure = (message, "AttackSucceeded", r.goalsReached.map { Words.goal($0, s) }.joined(separator: "\n"))
        }
        return Case(classname: r.scenario, name: r.profile, failure: failure, out: stepLog(r))
    }

    /// The steps as plain lines, then the verdict.
    static func stepLog(_ r: RunOutcome) -> String {
        var lines = ["scenario \(r.scenario), profile \(r.profile), era \(r.era)"]
        for (i, st) in r.steps.enumerated() {
            var line = "\(i + 1). \(Timestamp.iso8601(st.at)) \(st.id) [\(st.actor): \(st.action)] \(Words.statusWord(st.status))"
            if let rule = st.rule { line += " rule=\(rule)" }
            if let d = st.defense { line += " defense=\(d)" }
            lines.append(line)
            if !st.message.isEmpty { lines.append("   " + Fmt.oneLine(st.message)) }
            lines += st.details.map { "   + " + Fmt.oneLine($0) }
        }
        lines.append("verdict: " + Words.verdict(r))
        return lines.joined(separator: "\n")
    }

    static func explain(_ e: Explanation) -> String {
        document(name: "regdrill explain " + e.scenario, suites: [(name: e.scenario, cases: explainCases(e))])
    }

    /// Several scenarios' explanations: a suite per scenario.
    static func explanations(_ es: [Explanation]) -> String {
        document(name: "regdrill explain", suites: es.map { (name: $0.scenario, cases: explainCases($0)) })
    }

    static func explainCases(_ e: Explanation) -> [Case] {
        e.verdicts.map { v -> Case in
            var c = Case(classname: e.scenario, name: v.defense, failure: nil, out: "")
            if v.stops {
                c.out = "\(v.defense) alone stops \(e.scenario)" + (v.stoppedAtStep.map { " at step \($0)" } ?? "") + (v.rule.map { ", rule \($0)" } ?? "")
                    + (v.message.map { "\n" + $0 } ?? "")
            } else {
                c.failure = ("\(v.defense) alone does not stop \(e.scenario)", "AttackSucceeded", v.title)
            }
            return c
        }
    }

    // MARK: Diagnostics, catalogs

    /// A case per file: failed when the file has an error; warnings go to `system-out`.
    static func diagnostics(_ ds: [Diagnostic], checkedFiles: [String]) -> String {
        let files = ordered(ds.map(\.file).sorted(), extra: checkedFiles)
        let cases = files.map { file -> Case in
            let mine = ds.filter { $0.file == file }
            let errors = mine.filter { $0.severity == .error }
            var c = Case(classname: "regdrill.validate", name: file, failure: nil, out: "")
            if !errors.isEmpty {
                c.failure = (Fmt.plural(errors.count, "error") + ": " + Fmt.oneLine(errors[0].message), "ValidationError",
                             errors.map(\.description).joined(separator: "\n"))
            }
            let warnings = mine.filter { $0.severity == .warning }
            c.out = warnings.map(\.description).joined(separator: "\n")
            return c
        }
        return document(name: "regdrill validate", suites: [(name: "validate", cases: cases)])
    }

    /// A catalog as passing cases, one per entry, with its text in `system-out` (a CI artefact, not a test).
    static func catalog(_ doc: CatalogDocument) -> String {
        document(name: "regdrill " + doc.title.lowercased(), suites: doc.sections.map { section in
            (name: section.heading, cases: section.entries.map { e in
                Case(classname: section.heading, name: e.id, failure: nil,
                     out: ([e.title, e.text] + e.fields.map { $0.label + ": " + $0.value }).filter { !$0.isEmpty }.joined(separator: "\n"))
            })
        })
    }
}
