import DrillEngine
import DrillRegistry
import DrillReports
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

private let esc = "\u{1B}["

@Suite struct ColourTests {
    /// A worm's reach (issue 23) is in every format of a run's report, and absent where no worm went live.
    @Test func wormReachIsReportedInEveryFormat() {
        let sentence = "reached 2 packages (utils-x, utils-y) of 2 maintainers (ci-bot, maint)"
        for format in [ReportFormat.text, .markdown, .html] {
            let page = Reports.run(Fixture.wormSpread, scenario: Fixture.worm, profile: Fixture.historical, format: format, options: RenderOptions())
            #expect(page.replacingOccurrences(of: "\n    ", with: " ").contains(sentence), "\(format)")
            let without = Reports.run(Fixture.wormHistorical, scenario: Fixture.worm, profile: Fixture.historical, format: format, options: RenderOptions())
            #expect(!without.contains("the worm reached") && !without.contains("The worm reached"), "\(format)")
        }
        // The matrix says how far the worm reached under each profile (text: grouped; Markdown: a column).
        let matrix = MatrixReport(runs: [Fixture.wormSpread, Fixture.wormSecurityKey, Fixture.wormGranular], scenarios: [Fixture.worm], profiles: Fixture.profiles)
        #expect(Reports.matrix(matrix, format: .text, options: RenderOptions()).contains("  worm reached    2 packages, 2 maintainers under historical"))
        let table = Reports.matrix(matrix, format: .markdown, options: RenderOptions())
        #expect(table.contains("| Worm reached |") && table.contains("| 2 packages, 2 maintainers |") && table.contains("| none |"))
        #expect(!Reports.matrix(Fixture.matrix, format: .text, options: RenderOptions()).contains("worm reached"))
        let json = Reports.run(Fixture.wormSpread, scenario: Fixture.worm, profile: Fixture.historical, format: .json, options: RenderOptions())
        #expect(json.contains("\"maintainers\" : [") || json.contains("\"maintainers\":["))
        #expect(json.contains("utils-y"))
    }

    @Test func textHasColourOnlyWhenAsked() {
        let outputs: [(String, String)] = [
            (Reports.matrix(Fixture.matrix, format: .text, options: RenderOptions(color: false)),
             Reports.matrix(Fixture.matrix, format: .text, options: RenderOptions(color: true))),
            (Reports.run(Fixture.phishAuthOnly, scenario: Fixture.phishing, profile: Fixture.authOnly, format: .text, options: RenderOptions(color: false)),
             Reports.run(Fixture.phishAuthOnly, scenario: Fixture.phishing, profile: Fixture.authOnly, format: .text, options: RenderOptions(color: true))),
            (Reports.compare([Fixture.phishHistorical, Fixture.phishAuthOnly], scenario: Fixture.phishing, format: .text, options: RenderOptions(color: false)),
             Reports.compare([Fixture.phishHistorical, Fixture.phishAuthOnly], scenario: Fixture.phishing, format: .text, options: RenderOptions(color: true))),
            (Reports.explain(Fixture.explanation, scenario: Fixture.phishing, format: .text, options: RenderOptions(color: false)),
             Reports.explain(Fixture.explanation, scenario: Fixture.phishing, format: .text, options: RenderOptions(color: true))),
        ]
        for (plain, coloured) in outputs {
            #expect(!plain.contains(esc))
            #expect(coloured.contains(esc + "1;32m"))  // green: stopped or blocked
            // Colour changes nothing but the escape codes: the columns stay where they were.
            #expect(stripANSI(coloured) == plain)
        }
        let matrix = Reports.matrix(Fixture.matrix, format: .text, options: RenderOptions(color: true))
        #expect(matrix.contains(esc + "1;31mSUCCEEDS" + esc + "0m"))
        #expect(matrix.contains(esc + "1;32mstop@login" + esc + "0m"))
    }

    @Test func machineAndMarkupFormatsNeverCarryColour() {
        for f in ReportFormat.allCases where f != .text {
            #expect(!Reports.matrix(Fixture.matrix, format: f, options: RenderOptions(color: true)).contains(esc))
            #expect(!Reports.run(Fixture.phishAuthOnly, scenario: Fixture.phishing, profile: Fixture.authOnly, format: f,
                                 options: RenderOptions(color: true)).contains(esc))
        }
    }

    @Test func controlCharactersFromAScenarioFileAreNotSentToTheTerminal() {
        var run = Fixture.phishAuthOnly
        run.steps[0].narrative = "clear the screen \u{1B}[2J and ring \u{07}"
        let text = Reports.run(run, scenario: Fixture.phishing, profile: Fixture.authOnly, format: .text, options: RenderOptions(color: false))
        #expect(!text.contains("\u{1B}"))
        #expect(!text.contains("\u{07}"))
        // Shown by code, as everywhere untrusted text reaches a terminal (UntrustedText.terminal).
        #expect(text.contains("clear the screen \\u{1B}[2J and ring \\u{7}"), "\(text)")
        // C1 controls (CSI as one byte) and bidirectional overrides too.
        run.steps[0].narrative = "csi \u{9B}31m osc \u{9D}0;x\u{9C} rlo \u{202E}txt.exe"
        let more = Reports.run(run, scenario: Fixture.phishing, profile: Fixture.authOnly, format: .text, options: RenderOptions(color: false))
        #expect(!more.unicodeScalars.contains { [0x9B, 0x9C, 0x9D, 0x202E].contains($0.value) })
        #expect(more.contains("\\u{202E}txt.exe"))
    }
}

func stripANSI(_ s: String) -> String {
    s.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
}

/// The page without its stylesheet (whose class names are the status words).
func withoutStyle(_ s: String) -> String {
    s.replacingOccurrences(of: "<style>[\\s\\S]*</style>", with: "", options: .regularExpression)
}

@Suite struct RevealModeTests {
    static let hidden = RenderOptions(showOutcomes: false)

    @Test func hiddenRunShowsTheStoryButNoOutcome() {
        for f in [ReportFormat.text, .markdown, .html] {
            let out = withoutStyle(Reports.run(Fixture.phishAuthOnly, scenario: Fixture.phishing, profile: Fixture.authOnly, format: f, options: Self.hidden))
            #expect(out.contains("The proxy logs in with what the maintainer typed."), "\(f)")
            #expect(out.contains("Which factor can a proxy relay"), "\(f): hints stay")
            for secret in ["BLOCKED", "blocked", "SKIPPED", "skipped", "SUCCEEDED", "2fa.token-management", "Creating a token needs",
                           "Stopped", "STOPPED", "Blast radius", "BLAST", "Use a security key.", "The version was live for"] {
                #expect(!out.contains(secret), "\(f) reveals '\(secret)'")
            }
        }
    }

    @Test func hiddenMatrixCompareAndExplainRevealNothing() {
        for f in [ReportFormat.text, .markdown, .html] {
            let outputs = [
                Reports.matrix(Fixture.matrix, format: f, options: Self.hidden),
                Reports.compare([Fixture.phishHistorical, Fixture.phishAuthOnly], scenario: Fixture.phishing, format: f, options: Self.hidden),
                Reports.explain(Fixture.explanation, scenario: Fixture.phishing, format: f, options: Self.hidden),
            ]
            for out in outputs.map(withoutStyle) {
                for secret in ["SUCCEEDS", "stop@", "stopped at", "blocked", "BLOCKED", "2fa.token-management", "security-key.wrong-origin"] {
                    #expect(!out.contains(secret), "\(f) reveals '\(secret)'")
                }
            }
        }
    }

    @Test func hiddenStepShowsOnlyWhatIsAboutToHappen() {
        let step = Fixture.phishAuthOnly.steps[2]
        let hidden = Reports.step(step, index: 3, options: Self.hidden)
        let shown = Reports.step(step, index: 3, options: RenderOptions())
        #expect(hidden.contains("create-token") && hidden.contains("The attacker creates a publish token."))
        #expect(!hidden.contains("BLOCKED") && !hidden.contains("2fa.token-management"))
        #expect(shown.contains("BLOCKED") && shown.contains("2fa.token-management") && shown.contains("2022-09-01 10:05"))
    }
}

@Suite struct JSONTests {
    func parse(_ s: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(s.utf8)) as? [String: Any])
    }

    @Test func matrixHasTheRequiredKeysWithExplicitNulls() throws {
        let json = try parse(Reports.matrix(Fixture.matrix, format: .json, options: RenderOptions()))
        #expect(json["schemaVersion"] as? Int == Reports.jsonSchemaVersion)
        #expect(Reports.jsonSchemaVersion == 1)
        let runs = try #require(json["runs"] as? [[String: Any]])
        #expect(runs.count == Fixture.matrix.runs.count)
        for run in runs {
            for key in ["scenario", "profile", "attackSucceeded", "stoppedBy", "stoppedAtStep", "steps", "era", "goalsReached", "blastRadius"] {
                #expect(run.keys.contains(key), "run lacks \(key)")
            }
            #expect(run["attackSucceeded"] is Bool)
            let steps = try #require(run["steps"] as? [[String: Any]])
            for step in steps {
                for key in ["id", "action", "status", "rule", "defense", "message", "actor", "at", "details"] {
                    #expect(step.keys.contains(key), "step lacks \(key)")
                }
                #expect(StepStatus(rawValue: step["status"] as? String ?? "") != nil)
            }
        }
        let historical = try #require(runs.first { $0["scenario"] as? String == "fixture-phish" && $0["profile"] as? String == "historical" })
        #expect(historical["stoppedBy"] is NSNull)
        #expect(historical["stoppedAtStep"] is NSNull)
        #expect(historical["attackSucceeded"] as? Bool == true)
        let firstStep = try #require((historical["steps"] as? [[String: Any]])?.first)
        #expect(firstStep["rule"] is NSNull && firstStep["defense"] is NSNull)
        #expect(firstStep["at"] as? String == "2022-09-01T10:00:00Z")
        let secKey = try #require(runs.first { $0["scenario"] as? String == "fixture-phish" && $0["profile"] as? String == "security-key" })
        #expect(secKey["stoppedBy"] as? String == "security-key")
        #expect(secKey["stoppedAtStep"] as? String == "login")
        #expect(secKey["blastRadius"] is NSNull)
    }

    @Test func everyJSONDocumentIsVersionedAndParses() throws {
        let docs = [
            Reports.run(Fixture.phishAuthOnly, scenario: Fixture.phishing, profile: Fixture.authOnly, format: .json, options: RenderOptions()),
            Reports.runs([Fixture.phishHistorical], scenario: Fixture.phishing, profiles: Fixture.profiles, format: .json, options: RenderOptions()),
            Reports.compare([Fixture.phishHistorical, Fixture.phishAuthOnly], scenario: Fixture.phishing, format: .json, options: RenderOptions()),
            Reports.explain(Fixture.explanation, scenario: Fixture.phishing, format: .json, options: RenderOptions()),
            Reports.diagnostics(Fixture.diagnostics, format: .json),
            Reports.defenses(format: .json), Reports.profiles(Fixture.profiles, format: .json), Reports.rules(format: .json),
            Reports.scenarioList([Fixture.phishing], format: .json),
        ]
        for d in docs {
            let json = try parse(d)
            #expect(json["schemaVersion"] as? Int == 1)
            #expect(json["kind"] is String)
        }
    }

    @Test func diagnosticsCarryPositionsAndExplicitNullHints() throws {
        let json = try parse(Reports.diagnostics(Fixture.diagnostics, format: .json))
        let ds = try #require(json["diagnostics"] as? [[String: Any]])
        #expect(ds.map { "\($0["file"]!):\($0["line"]!)" } == ["scenarios/a.yaml:4", "scenarios/a.yaml:12", "scenarios/b.yaml:3"])
        #expect(ds[1]["hint"] is NSNull)
        #expect(json["errors"] as? Int == 2 && json["warnings"] as? Int == 1)
    }

    /// `explain A B`: one JSON document of kind `explain-set` holding each scenario's explain fields; one scenario
    /// alone is exactly the single report, so `explain A` prints what it always did.
    @Test func severalExplanationsMakeOneDocument() throws {
        var other = Fixture.explanation
        other.scenario = "second"
        let pair = [(Fixture.explanation, Fixture.phishing), (other, Fixture.phishing)]
        let json = try parse(Reports.explanations(pair, format: .json, options: RenderOptions()))
        #expect(json["kind"] as? String == "explain-set" && json["schemaVersion"] as? Int == 1)
        let items = try #require(json["explanations"] as? [[String: Any]])
        #expect(items.map { $0["scenario"] as? String } == [Fixture.explanation.scenario, "second"])
        #expect((items[1]["verdicts"] as? [[String: Any]])?.count == 4 && items[0]["kind"] == nil)
        for format in ReportFormat.allCases {
            #expect(Reports.explanations([pair[0]], format: format, options: RenderOptions())
                    == Reports.explain(Fixture.explanation, scenario: Fixture.phishing, format: format, options: RenderOptions()))
        }
        let junit = ElementCounter.count(Reports.explanations(pair, format: .junit, options: RenderOptions()))
        #expect(junit.counts["testsuite"] == 2 && junit.counts["testcase"] == 8)
        let html = Reports.explanations(pair, format: .html, options: RenderOptions())
        #expect(html.components(separatedBy: "<html").count == 2 && html.components(separatedBy: "<h1>").count == 3)
    }

    @Test func explainHasEveryVerdict() throws {
        let json = try parse(Reports.explain(Fixture.explanation, scenario: Fixture.phishing, format: .json, options: RenderOptions()))
        let vs = try #require(json["verdicts"] as? [[String: Any]])
        #expect(vs.count == 4)
        #expect(vs[2]["stoppedAtStep"] is NSNull && vs[2]["rule"] is NSNull && vs[2]["stops"] as? Bool == false)
    }
}

@Suite struct EscapingTests {
    static var hostile: (Scenario, RunOutcome) {
        var s = Fixture.phishing
        s.title = "Pwn <script>alert('title')</script>"
        s.summary = "summary <img src=x onerror=alert(1)> & more"
        s.teaching.hints = ["<script>alert('hint')</script>"]
        var r = Fixture.phishAuthOnly
        r.steps[0].narrative = "<script>alert(\"narrative\")</script>"
        r.steps[1].message = "answer </li><script>x</script>"
        r.steps[1].details = ["detail <b>&</b>"]
        return (s, r)
    }

    @Test func htmlEscapesEveryStringFromAScenarioFile() {
        let (s, r) = Self.hostile
        let profile = Profile(id: "p\"><script>", title: "<script>t</script>", description: "d", era: nil, defenses: [])
        var rp = r
        rp.profile = profile.id
        let pages = [
            Reports.run(rp, scenario: s, profile: profile, format: .html, options: RenderOptions()),
            Reports.matrix(MatrixReport(runs: [rp], scenarios: [s], profiles: [profile]), format: .html, options: RenderOptions()),
            Reports.compare([rp], scenario: s, format: .html, options: RenderOptions()),
            Reports.profiles([profile], format: .html),
            Reports.scenarioList([s], format: .html),
            Reports.diagnostics([Diagnostic(file: "<script>.yaml", line: 1, column: 1, message: "<script>")], format: .html),
        ]
        for page in pages {
            #expect(!page.contains("<script"), "unescaped script tag")
            #expect(!page.contains("<img"))
        }
        #expect(pages[1].contains("p&quot;&gt;&lt;script&gt;"))  // an attribute-breaking profile id stays inside its attribute
        #expect(pages[0].contains("&lt;script&gt;alert(&quot;narrative&quot;)&lt;/script&gt;"))
        #expect(pages[0].contains("detail &lt;b&gt;&amp;&lt;/b&gt;"))
    }

    @Test func htmlIsOneSelfContainedPage() {
        let page = Reports.matrix(Fixture.matrix, format: .html, options: RenderOptions())
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        #expect(page.contains("<style>"))
        for external in ["<script", "<link", "src=", "http://", "@import", "url("] {
            #expect(!page.contains(external), "page refers to \(external)")
        }
        #expect(page.contains("class=\"stopped\"") && page.contains("class=\"succeeds\""))
    }

    @Test func markdownNeutralisesMarkupFromAScenarioFile() {
        let (s, r) = Self.hostile
        let md = Reports.run(r, scenario: s, profile: Fixture.authOnly, format: .markdown, options: RenderOptions())
        #expect(!md.contains("<script"))
        #expect(md.contains("&lt;script&gt;"))
    }

    @Test func junitIsWellFormedXMLEvenWithHostileText() throws {
        let (s, r) = Self.hostile
        var hostileRun = Fixture.phishHistorical
        hostileRun.steps[0].message = "a & b < c > d \"e\" 'f' \u{01} ]]>"
        hostileRun.profile = "pro\"file&<>"
        let docs = [
            Reports.matrix(MatrixReport(runs: [r, hostileRun], scenarios: [s], profiles: []), format: .junit, options: RenderOptions()),
            Reports.diagnostics([Diagnostic(file: "a&b.yaml", line: 1, column: 1, message: "<bad> & \"worse\"", hint: "'fix'")], format: .junit),
            Reports.explain(Fixture.explanation, scenario: s, format: .junit, options: RenderOptions()),
            Reports.rules(format: .junit), Reports.defenses(format: .junit),
        ]
        for d in docs { #expect(try wellFormed(d), "not well-formed XML:\n\(d)") }
    }
}

/// Parses `xml` with Foundation's XML parser; true when it is well-formed.
func wellFormed(_ xml: String) throws -> Bool {
    let parser = XMLParser(data: Data(xml.utf8))
    return parser.parse()
}

/// Counts elements by name.
final class ElementCounter: NSObject, XMLParserDelegate {
    var counts: [String: Int] = [:]
    var attributes: [String: [[String: String]]] = [:]
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes a: [String: String] = [:]) {
        counts[name, default: 0] += 1
        attributes[name, default: []].append(a)
    }

    static func count(_ xml: String) -> ElementCounter {
        let c = ElementCounter()
        let p = XMLParser(data: Data(xml.utf8))
        p.delegate = c
        _ = p.parse()
        return c
    }
}

@Suite struct JUnitTests {
    @Test func failuresAreTheRunsWhereTheAttackSucceeds() {
        let xml = Reports.matrix(Fixture.matrix, format: .junit, options: RenderOptions())
        let c = ElementCounter.count(xml)
        let succeeded = Fixture.matrix.runs.filter(\.attackSucceeded)
        #expect(c.counts["testcase"] == Fixture.matrix.runs.count)
        #expect(c.counts["failure"] == succeeded.count)
        #expect(c.counts["system-out"] == Fixture.matrix.runs.count)
        let cases = c.attributes["testcase"] ?? []
        #expect(cases.contains { $0["classname"] == "fixture-phish" && $0["name"] == "security-key" })
        let top = c.attributes["testsuites"]?.first
        #expect(top?["tests"] == String(Fixture.matrix.runs.count))
        #expect(top?["failures"] == String(succeeded.count))
    }

    @Test func validationHasACasePerFileFailingOnErrors() {
        let xml = Reports.diagnostics(Fixture.diagnostics, checkedFiles: ["scenarios/c.yaml", "scenarios/a.yaml"], format: .junit)
        let c = ElementCounter.count(xml)
        #expect(c.counts["testcase"] == 3)
        #expect(c.counts["failure"] == 2)
    }

    @Test func explainFailsTheDefensesThatDoNotStopIt() {
        let c = ElementCounter.count(Reports.explain(Fixture.explanation, scenario: Fixture.phishing, format: .junit, options: RenderOptions()))
        #expect(c.counts["testcase"] == 4)
        #expect(c.counts["failure"] == 2)
    }
}

@Suite struct CatalogTests {
    @Test func rulesCatalogListsEveryRuleIdAndRuleChange() {
        for f in [ReportFormat.text, .markdown, .html, .json] {
            let out = Reports.rules(format: f)
            // Every id anything can emit: the policy's rules, the checks around it, the engine's.
            for id in RuleID.allCases { #expect(out.contains(id.rawValue), "\(f) lacks rule \(id)") }
            for c in RuleChange.allCases { #expect(out.contains(c.rawValue) && out.contains(c.effective.date), "\(f) lacks \(c.rawValue)") }
        }
    }

    @Test func everyRuleIdIsDescribedOnceInTheCatalogsTables() {
        // Each id has one home: the policy's rule table, the checks around the policy, or the consumer-side rules.
        let homes = Policy.allRules.map(\.id) + RuleID.checksAroundThePolicy.map(\.id) + DefenseCatalog.consumerRules.map(\.id)
        #expect(homes.count == Set(homes).count, "an id is described twice")
        #expect(Set(homes) == Set(RuleID.allCases), "missing: \(Set(RuleID.allCases).subtracting(homes).sorted())")
    }

    @Test func rulesAreListedInCheckingOrder() throws {
        let json = try #require(try JSONSerialization.jsonObject(with: Data(Reports.rules(format: .json).utf8)) as? [String: Any])
        let ids = (json["rules"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
        #expect(ids == Policy.allRules.map(\.id.rawValue))
    }

    @Test func defensesCatalogComesFromTheDefenseCatalog() {
        for f in ReportFormat.allCases {
            let out = Reports.defenses(format: f)
            for e in DefenseCatalog.entries { #expect(out.contains(e.id), "\(f) lacks \(e.id)") }
        }
        let text = Reports.defenses(format: .text)
        for e in DefenseCatalog.entries { #expect(text.contains(e.title)) }
    }

    @Test func outputIsDeterministic() {
        for f in ReportFormat.allCases {
            #expect(Reports.matrix(Fixture.matrix, format: f, options: RenderOptions()) == Reports.matrix(Fixture.matrix, format: f, options: RenderOptions()))
            #expect(Reports.rules(format: f) == Reports.rules(format: f))
        }
    }
}

@Suite struct TextLayoutTests {
    @Test func matrixStaysUnder160Columns() {
        // Eleven profiles with long names and long step ids.
        let ids = ["historical", "no-2fa", "auth-only", "auth-and-writes", "security-key", "read-only-tokens", "cidr-tokens",
                   "granular-short-lived-tokens", "disallow-tokens", "trusted-publishing", "npm-2025-12"]
        let profiles = ids.map { Profile(id: $0, title: $0, description: "", era: nil, defenses: []) }
        var runs: [RunOutcome] = []
        for (i, p) in ids.enumerated() {
            var r = Fixture.phishSecurityKey
            r.profile = p
            r.stoppedAtStep = i % 2 == 0 ? "publish-with-a-very-long-step-identifier" : "login"
            r.attackSucceeded = i % 3 == 0
            runs.append(r)
        }
        let text = Reports.matrix(MatrixReport(runs: runs, scenarios: [Fixture.phishing], profiles: profiles), format: .text, options: RenderOptions())
        for line in text.split(separator: "\n") { #expect(line.count <= 160, "too wide (\(line.count)): \(line)") }
        // The list under the grid is not cut.
        #expect(text.contains("publish-with-a-very-long-step-identifier"))
    }

    @Test func diagnosticsTextIsTheCompilerShape() {
        let text = Reports.diagnostics(Fixture.diagnostics, format: .text)
        #expect(text == """
            scenarios/a.yaml:4:1: error: a <step> needs an 'id' & an 'at'
            scenarios/a.yaml:12:9: warning: step 'x' is never used by a goal
            scenarios/b.yaml:3:5: error: unknown key 'acount'
                fix: did you mean 'account'?
            """)
        #expect(Reports.diagnostics([], format: .text) == "")
    }
}
