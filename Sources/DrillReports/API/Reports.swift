import DrillEngine
import DrillRegistry

/// Every report the tool prints, in every ``ReportFormat``.
///
/// The renderers are pure: they read the outcome values and the code's own catalogs and decide nothing.
/// Output is deterministic (no clock, no locale, no hash order), so golden files stay stable.
public enum Reports {
    /// The version of every JSON document's shape. Bumped when a field changes meaning or goes away;
    /// new fields may appear without a bump.
    public static let jsonSchemaVersion: Int = 1

    // MARK: Outcomes

    /// The defense matrix: each scenario under each profile, with where the attack was stopped.
    ///
    /// JSON: `{schemaVersion, kind: "matrix", scenarios, profiles, runs}`; each run has `scenario`, `profile`,
    /// `attackSucceeded`, `stoppedBy`, `stoppedAtStep` (explicit nulls) and `steps`.
    public static func matrix(_ m: MatrixReport, format: ReportFormat, options: RenderOptions) -> String {
        switch format {
        case .text: TextMatrixReport(m, options: options).render()
        case .markdown: MarkdownReports.matrix(m, options: options)
        case .json: JSONReports.matrix(m)
        case .html: HTMLReports.matrix(m, options: options)
        case .junit: JUnitReports.outcomes(m.orderedRuns, name: "regdrill matrix", scenarios: m.scenarios)
        }
    }

    /// The narrative of one replay: the scenario, each step (time, actor, action, story, status, the
    /// registry's answer, the rule and defense of a block, the reason for a skip, details), the verdict, the
    /// blast radius (an estimate, with its method and inputs) and the teaching text.
    public static func run(_ outcome: RunOutcome, scenario: Scenario, profile: Profile, format: ReportFormat, options: RenderOptions) -> String {
        runs([outcome], scenario: scenario, profiles: [profile], format: format, options: options)
    }

    /// One scenario replayed under several profiles, one narrative after the other (`run --profile A --profile B`).
    ///
    /// `profiles` supplies titles and descriptions; a run whose profile is not in it is still shown, by id.
    public static func runs(_ outcomes: [RunOutcome], scenario: Scenario, profiles: [Profile], format: ReportFormat, options: RenderOptions) -> String {
        let paired = outcomes.map { o in (o, profiles.first { $0.id == o.profile }) }
        switch format {
        case .text: return TextRunReport(scenario: scenario, runs: paired, options: options).render()
        case .markdown: return MarkdownReports.runs(paired, scenario: scenario, options: options)
        case .json: return JSONReports.runs(outcomes, scenario: scenario, profiles: profiles, kind: "run")
        case .html: return HTMLReports.runs(paired, scenario: scenario, options: options)
        case .junit: return JUnitReports.outcomes(outcomes, name: "regdrill run " + scenario.id, scenarios: [scenario])
        }
    }

    /// One scenario under several profiles, side by side: a row per step, a column per profile (status and
    /// rule), then the verdicts.
    public static func compare(_ outcomes: [RunOutcome], scenario: Scenario, format: ReportFormat, options: RenderOptions) -> String {
        switch format {
        case .text: TextCompareReport(outcomes, scenario: scenario, options: options).render()
        case .markdown: MarkdownReports.compare(outcomes, scenario: scenario, options: options)
        case .json: JSONReports.runs(outcomes, scenario: scenario, profiles: [], kind: "compare")
        case .html: HTMLReports.compare(outcomes, scenario: scenario, options: options)
        case .junit: JUnitReports.outcomes(outcomes, name: "regdrill compare " + scenario.id, scenarios: [scenario])
        }
    }

    /// Which single defenses stop a scenario, at which step, by which rule.
    ///
    /// JUnit: a test case per defense (`classname` the scenario, `name` the defense), failed when that
    /// defense alone does not stop the attack.
    public static func explain(_ e: Explanation, scenario: Scenario, format: ReportFormat, options: RenderOptions) -> String {
        switch format {
        case .text: TextExplainReport(e, scenario: scenario, options: options).render()
        case .markdown: MarkdownReports.explain(e, scenario: scenario, options: options)
        case .json: JSONReports.explain(e)
        case .html: HTMLReports.explain(e, scenario: scenario, options: options)
        case .junit: JUnitReports.explain(e)
        }
    }

    /// Several scenarios' explanations (`explain A B`). Text and Markdown: the single reports one after the other;
    /// HTML: one page; JSON: `{schemaVersion, kind: "explain-set", explanations}`, each an `explain` document's fields;
    /// JUnit: a suite per scenario. With one scenario it is exactly ``explain(_:scenario:format:options:)``, so
    /// `explain A` prints what it always printed.
    public static func explanations(_ items: [(Explanation, Scenario)], format: ReportFormat, options: RenderOptions) -> String {
        if items.count == 1 { return explain(items[0].0, scenario: items[0].1, format: format, options: options) }
        let es = items.map(\.0)
        switch format {
        case .text: return items.map { TextExplainReport($0.0, scenario: $0.1, options: options).render() }.joined(separator: "\n")
        case .markdown: return items.map { MarkdownReports.explain($0.0, scenario: $0.1, options: options) }.joined(separator: "\n")
        case .json: return JSONReports.explanations(es)
        case .html: return HTMLReports.explanations(es, options: options)
        case .junit: return JUnitReports.explanations(es)
        }
    }

    /// One step on its own, in text, for a facilitator revealing a replay step by step.
    ///
    /// With `options.showOutcomes` false it shows only what is about to happen; the time is shown with its date.
    public static func step(_ step: StepOutcome, index: Int, options: RenderOptions) -> String {
        let clean = TerminalSafe.clean(RunOutcome(scenario: "", scenarioTitle: "", profile: "", era: "", steps: [step], attackSucceeded: false,
                                                  goalsReached: [], stoppedBy: nil, stoppedAtStep: nil)).steps[0]
        let time = Timestamp.day(step.at) + " " + Timestamp.clock(step.at)
        return TextStep(step: clean, index: index, time: time, widths: StepWidths(single: clean, time: time, index: index), options: options)
            .lines().dropFirst().joined(separator: "\n") + "\n"
    }

    // MARK: Validation

    /// The problems `regdrill validate` found, sorted by file, line and column.
    ///
    /// Text is `file:line:column: severity: message` with `    fix: hint` below, the shape editors jump to, and
    /// has no trailing newline (the CLI appends its summary). JUnit has a test case per file, failed when the
    /// file has an error; `checkedFiles` adds a passing test case for each file with no problem at all.
    public static func diagnostics(_ ds: [Diagnostic], checkedFiles: [String] = [], format: ReportFormat) -> String {
        let sorted = sortedDiagnostics(ds)
        switch format {
        case .text: return sorted.map { Escape.terminal($0.description) }.joined(separator: "\n")
        case .markdown: return MarkdownReports.diagnostics(sorted)
        case .json: return JSONReports.diagnostics(sorted)
        case .html: return HTMLReports.diagnostics(sorted)
        case .junit: return JUnitReports.diagnostics(sorted, checkedFiles: checkedFiles)
        }
    }

    // MARK: Catalogs

    /// The defenses a profile can switch on, from `DefenseCatalog.entries`.
    public static func defenses(format: ReportFormat) -> String {
        catalog(Catalogs.defenses(), format: format, json: { JSONReports.defenses() })
    }

    /// The given profiles, in the order given.
    public static func profiles(_ ps: [Profile], format: ReportFormat) -> String {
        catalog(Catalogs.profiles(ps), format: format, json: { JSONReports.profiles(ps) })
    }

    /// The registry's rules (`Policy.allRules`, in checking order), the consumer-side rules, the era table
    /// (`RuleChange.allCases`) and the defenses the rules name: generated from the code, never written twice.
    public static func rules(format: ReportFormat) -> String {
        catalog(Catalogs.rules(), format: format, json: { JSONReports.rules() })
    }

    /// The scenarios, sorted by id.
    public static func scenarioList(_ ss: [Scenario], format: ReportFormat) -> String {
        catalog(Catalogs.scenarios(ss), format: format, json: { JSONReports.scenarios(ss) })
    }

    static func catalog(_ doc: CatalogDocument, format: ReportFormat, json: () -> String) -> String {
        switch format {
        case .text: TextCatalog(doc, style: TextStyle(color: false)).render()
        case .markdown: MarkdownReports.catalog(doc)
        case .json: json()
        case .html: HTMLReports.catalog(doc)
        case .junit: JUnitReports.catalog(doc)
        }
    }

    static func sortedDiagnostics(_ ds: [Diagnostic]) -> [Diagnostic] {
        ds.enumerated().sorted { a, b in
            let x = a.element, y = b.element
            if x.file != y.file { return x.file < y.file }
            if x.line != y.line { return x.line < y.line }
            if x.column != y.column { return x.column < y.column }
            return a.offset < b.offset
        }.map(\.element)
    }
}
