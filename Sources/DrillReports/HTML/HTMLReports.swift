import DrillRegistry
import DrillEngine

/// The HTML pages. Every string from a scenario or profile file goes through ``Escape/html(_:)``.
enum HTMLReports {
    static func h(_ s: String) -> String { Escape.html(s) }
    static func code(_ s: String) -> String { "<code>" + Escape.html(s) + "</code>" }
    static func runAnchor(_ r: RunOutcome) -> String { Escape.anchor("run", r.scenario, r.profile) }

    static func cellClass(_ r: RunOutcome) -> String { r.attackSucceeded ? "succeeds" : "stopped" }

    // MARK: Matrix

    static func matrix(_ m: MatrixReport, options: RenderOptions) -> String {
        let scenarios = m.scenarioIDs, profiles = m.profileIDs
        var body = ["<h1>Defense matrix</h1>",
                    "<p class=\"meta\">" + h(Fmt.plural(scenarios.count, "scenario") + " × " + Fmt.plural(profiles.count, "profile")) + "</p>"]
        if options.showOutcomes {
            body.append("<p class=\"legend\"><span class=\"stopped\">stop@STEP</span>the profile stops the attack at that step "
                        + "<span class=\"succeeds\">SUCCEEDS</span>the attack reaches a goal</p>")
        } else {
            body.append("<p class=\"muted\">Outcomes hidden: which profile stops which attack?</p>")
        }
        var header = "<tr><th class=\"scenario\">Scenario</th>" + profiles.map { p in
            "<th title=\"" + h(m.profile(p)?.title ?? p) + "\">" + h(p) + "</th>"
        }.joined()
        if options.showOutcomes { header += "<th>Stopped</th>" }
        var rows: [String] = []
        for s in scenarios {
            var row = HTMLPage.td("<a href=\"#" + Escape.anchor("scenario", s) + "\">" + code(s) + "</a>", "scenario")
            var stopped = 0, ran = 0
            for p in profiles {
                guard let r = m.run(s, p) else { row += HTMLPage.td("–", "missing"); continue }
                ran += 1
                if !r.attackSucceeded { stopped += 1 }
                if options.showOutcomes {
                    row += HTMLPage.td("<a href=\"#" + runAnchor(r) + "\">" + h(Words.cell(r)) + "</a>", cellClass(r))
                } else {
                    row += HTMLPage.td("?", "hidden")
                }
            }
            if options.showOutcomes { row += HTMLPage.td("\(stopped)/\(ran)", "num") }
            rows.append(row)
        }
        if options.showOutcomes {
            rows.append(HTMLPage.td("<strong>Stops</strong>", "scenario") + profiles.map { p in
                let runs = scenarios.compactMap { m.run($0, p) }
                return HTMLPage.td("\(runs.filter { !$0.attackSucceeded }.count)/\(runs.count)", "num")
            }.joined() + HTMLPage.td(""))
        }
        body += ["<table class=\"matrix\">", "<thead>" + header + "</tr></thead>", "<tbody>"] + rows.map { "<tr>" + $0 + "</tr>" } + ["</tbody>", "</table>"]
        body += ["<h2>Profiles</h2>"]
        body += HTMLPage.table(["Profile", "Title", "Era", "Defenses"], profiles.map { id in
            guard let p = m.profile(id) else { return HTMLPage.td(code(id)) + HTMLPage.td("") + HTMLPage.td("") + HTMLPage.td("") }
            return HTMLPage.td(code(id)) + HTMLPage.td(h(p.title)) + HTMLPage.td(h(Words.profileEra(p)))
                + HTMLPage.td(h(p.defenses.isEmpty ? "none added" : p.defenses.map(Words.setting).joined(separator: "; ")))
        })
        for s in scenarios {
            let sc = m.scenario(s)
            body.append("<section id=\"" + Escape.anchor("scenario", s) + "\">")
            body.append("<h2>" + code(s) + (sc.map { ": " + h($0.title) } ?? "") + "</h2>")
            if let sc, !sc.summary.isEmpty { body.append("<p class=\"summary\">" + h(Fmt.oneLine(sc.summary)) + "</p>") }
            for p in profiles {
                guard let r = m.run(s, p) else { continue }
                let label = options.showOutcomes ? " <span class=\"badge " + (r.attackSucceeded ? "attack-succeeds" : "attack-stopped") + "\">" + h(Words.cell(r)) + "</span>" : ""
                body.append("<details id=\"" + runAnchor(r) + "\">")
                body.append("<summary>" + code(p) + (m.profile(p).map { " " + h($0.title) } ?? "") + label + "</summary>")
                body += timeline(r, options: options)
                if options.showOutcomes { body += verdict(r, sc) }
                body.append("</details>")
            }
            body.append("</section>")
        }
        return HTMLPage.render(title: "regdrill: defense matrix", body: body)
    }

    // MARK: Runs

    static func runs(_ runs: [(RunOutcome, Profile?)], scenario s: Scenario, options: RenderOptions) -> String {
        var body = ["<h1>" + h(s.title) + "</h1>",
                    "<p class=\"meta\">" + code(s.id) + " · " + h(s.date.date)
                        + (s.techniques.isEmpty ? "" : " · techniques: " + s.techniques.map(h).joined(separator: ", ")) + "</p>"]
        if !s.summary.isEmpty { body.append("<p class=\"summary\">" + h(Fmt.oneLine(s.summary)) + "</p>") }
        if !s.references.isEmpty {
            body.append("<h3>References</h3>")
            body.append("<ul>" + s.references.map { "<li>" + h($0) + "</li>" }.joined() + "</ul>")
        }
        for (r, p) in runs {
            body.append("<section id=\"" + runAnchor(r) + "\">")
            body.append("<h2>Profile " + code(r.profile) + (p.map { ": " + h($0.title) } ?? "") + "</h2>")
            if let p, !p.description.isEmpty { body.append("<p>" + h(Fmt.oneLine(p.description)) + "</p>") }
            var facts = "<p class=\"meta\">Era " + h(Words.era(r.era))
            if let p, !p.defenses.isEmpty { facts += " · defenses: " + h(p.defenses.map(Words.setting).joined(separator: "; ")) }
            body.append(facts + "</p>")
            body.append("<h3>Steps</h3>")
            body += timeline(r, options: options)
            if options.showOutcomes {
                body.append("<h3>Verdict</h3>")
                body += verdict(r, s)
                body += blastRadius(r, s)
            } else {
                body.append("<p class=\"muted\">Outcomes hidden: statuses, answers, verdict and blast radius are revealed later.</p>")
            }
            body.append("</section>")
        }
        if runs.count > 1 && options.showOutcomes {
            body.append("<h2>Summary</h2>")
            body += HTMLPage.table(["Profile", "Verdict", "Stopped by", "Rule"], runs.map { r, _ in
                let rule = r.steps.first { $0.id == r.stoppedAtStep && r.stoppedAtStep != nil }?.rule
                return HTMLPage.td("<a href=\"#" + runAnchor(r) + "\">" + code(r.profile) + "</a>") + HTMLPage.td(h(Words.cell(r)), cellClass(r))
                    + HTMLPage.td(r.stoppedBy.map(code) ?? "–") + HTMLPage.td(rule.map(code) ?? "–")
            })
        }
        body += teaching(s, options: options)
        return HTMLPage.render(title: "regdrill: " + s.id, body: body)
    }

    static func timeline(_ r: RunOutcome, options: RenderOptions) -> [String] {
        let times = TimeStyle(r.steps.map(\.at))
        var out = ["<p class=\"muted\">" + h(times.caption) + "</p>", "<ol class=\"timeline\">"]
        for (i, st) in r.steps.enumerated() {
            let cls = options.showOutcomes ? " " + st.status.rawValue : ""
            out.append("<li class=\"step" + cls + "\">")
            var head = "<div class=\"step-head\"><span class=\"n\">\(i + 1)</span><time datetime=\"" + Timestamp.iso8601(st.at) + "\">"
                + h(times.show(st.at)) + "</time>" + code(st.id) + " <span class=\"muted\">" + h(st.actor) + " · " + h(st.action) + "</span>"
            if options.showOutcomes { head += "<span class=\"badge " + st.status.rawValue + "\">" + h(Words.statusLabel(st.status)) + "</span>" }
            out.append(head + "</div>")
            if !st.narrative.isEmpty { out.append("<p>" + h(Fmt.oneLine(st.narrative)) + "</p>") }
            if options.showOutcomes {
                let label = switch st.status {
                case .succeeded, .blocked: "Registry"
                case .skipped: "Skipped"
                case .notApplicable: "Not applicable"
                }
                out.append("<p><strong>" + label + ":</strong> " + h(st.message) + "</p>")
                if st.status == .blocked || st.defense != nil {
                    var by = "<p>" + (st.status == .blocked ? "Blocked by rule " + (st.rule.map(code) ?? "?") : "")
                    if let d = st.defense {
                        by += (st.status == .blocked ? ", defense " : "Defense ") + code(d) + (Words.defenseTitle(d).map { " (" + h($0) + ")" } ?? "")
                    }
                    out.append(by + "</p>")
                }
                if !st.details.isEmpty { out.append("<ul>" + st.details.map { "<li>" + h($0) + "</li>" }.joined() + "</ul>") }
            }
            out.append("</li>")
        }
        out.append("</ol>")
        return out
    }

    static func verdict(_ r: RunOutcome, _ s: Scenario?) -> [String] {
        if r.attackSucceeded {
            return ["<div class=\"verdict succeeds\"><strong>The attack succeeds.</strong> Goals reached:<ul>"
                    + r.goalsReached.map { "<li>" + h(Words.goal($0, s)) + "</li>" }.joined() + "</ul></div>"]
        }
        return ["<div class=\"verdict stopped\">" + h(Words.verdict(r)) + "</div>"]
    }

    static func blastRadius(_ r: RunOutcome, _ s: Scenario) -> [String] {
        guard let b = r.blastRadius else {
            return ["<h3>Blast radius</h3>", "<p>None: no malicious version went live and no tokens were harvested.</p>"]
        }
        var out = ["<h3>Blast radius" + (b.isEstimate ? "<span class=\"estimate\">estimate</span>" : "") + "</h3>"]
        if b.versions.isEmpty {
            out.append("<p>No malicious version went live.</p>")
        } else {
            out += HTMLPage.table(["Malicious version", "Hours live", "Weekly downloads", "Est. installs"], b.versions.map { v in
                HTMLPage.td(v.label(naming: code)) + HTMLPage.td(v.hoursLive.map(Fmt.decimal) ?? "unknown", "num")
                    + HTMLPage.td(Fmt.count(v.weeklyDownloads), "num") + HTMLPage.td(v.estimatedInstalls.map { "~" + Fmt.count($0) } ?? "unknown", "num")
            })
        }
        var tokens = "Tokens harvested in this replay: \(b.tokensHarvested)"
        if let f = b.tokensExposedFigure { tokens += " (each simulated installer stands for many: the scenario's real-world figure is ~" + Fmt.count(f) + ")" }
        out.append("<p>" + h(tokens) + ".</p>")
        if let worm = b.worm { out.append("<p>" + h(Words.wormSentence(worm, capitalized: true)) + ".</p>") }
        out.append("<p class=\"muted\">Method: " + h(b.method) + "</p>")
        if let note = s.blastRadius?.note, !note.isEmpty { out.append("<p class=\"muted\">Note: " + h(note) + "</p>") }
        return out
    }

    static func teaching(_ s: Scenario, options: RenderOptions) -> [String] {
        let t = s.teaching
        let revealed = options.showOutcomes
        guard !t.hints.isEmpty || (revealed && (!t.whatHappened.isEmpty || !t.remediation.isEmpty)) else { return [] }
        var out = ["<h2>Teaching</h2>"]
        if !t.hints.isEmpty { out += ["<h3>Hints</h3>", "<ol>" + t.hints.map { "<li>" + h($0) + "</li>" }.joined() + "</ol>"] }
        if revealed && !t.whatHappened.isEmpty { out += ["<h3>What happened</h3>", "<p>" + h(Fmt.oneLine(t.whatHappened)) + "</p>"] }
        if revealed && !t.remediation.isEmpty { out += ["<h3>Remediation</h3>", "<ul>" + t.remediation.map { "<li>" + h($0) + "</li>" }.joined() + "</ul>"] }
        return out
    }

    // MARK: Compare, explain

    static func compare(_ runs: [RunOutcome], scenario s: Scenario, options: RenderOptions) -> String {
        var body = ["<h1>Compare: " + h(s.title) + "</h1>",
                    "<p class=\"meta\">" + code(s.id) + " · profiles: " + runs.map { code($0.profile) }.joined(separator: ", ") + "</p>"]
        let ids = compareStepIDs(s, runs)
        let all = runs.flatMap(\.steps)
        let times = TimeStyle(all.map(\.at))
        body.append("<p class=\"muted\">" + h(times.caption) + "</p>")
        var rows: [String] = ids.enumerated().map { i, id in
            let any = all.first { $0.id == id }
            return HTMLPage.td(String(i + 1), "num") + HTMLPage.td(h(any.map { times.show($0.at) } ?? "")) + HTMLPage.td(code(id)) + runs.map { r in
                guard let st = r.steps.first(where: { $0.id == id }) else { return HTMLPage.td("–", "missing") }
                guard options.showOutcomes else { return HTMLPage.td(h(st.action), "hidden") }
                let cls = st.status == .blocked ? "stopped" : (st.status == .succeeded ? nil : "missing")
                var cell = "<span class=\"badge " + st.status.rawValue + "\">" + h(Words.statusLabel(st.status)) + "</span>"
                if let rule = st.rule { cell += " " + code(rule) } else if st.status == .notApplicable, let d = st.defense { cell += " " + code(d) }
                return HTMLPage.td(cell, cls)
            }.joined()
        }
        if options.showOutcomes {
            rows.append(HTMLPage.td("") + HTMLPage.td("") + HTMLPage.td("<strong>Verdict</strong>") + runs.map { HTMLPage.td(h(Words.cell($0)), cellClass($0)) }.joined())
            rows.append(HTMLPage.td("") + HTMLPage.td("") + HTMLPage.td("<strong>Stopped by</strong>") + runs.map { HTMLPage.td($0.stoppedBy.map(code) ?? "–") }.joined())
        }
        body += HTMLPage.table(["#", "Time", "Step"] + runs.map(\.profile), rows)
        if options.showOutcomes { body.append("<ul>" + runs.map { "<li>" + code($0.profile) + ": " + h(Words.verdict($0)) + "</li>" }.joined() + "</ul>") }
        return HTMLPage.render(title: "regdrill: compare " + s.id, body: body)
    }

    static func explain(_ e: Explanation, scenario s: Scenario, options: RenderOptions) -> String {
        HTMLPage.render(title: "regdrill: explain " + e.scenario, body: explainBody(e, options: options))
    }

    /// Several scenarios' explanations on one page, one after the other.
    static func explanations(_ es: [Explanation], options: RenderOptions) -> String {
        HTMLPage.render(title: "regdrill: explain " + es.map(\.scenario).joined(separator: ", "), body: es.flatMap { explainBody($0, options: options) })
    }

    static func explainBody(_ e: Explanation, options: RenderOptions) -> [String] {
        var body = ["<h1>Which single defense stops " + code(e.scenario) + "?</h1>", "<p class=\"meta\">" + h(e.scenarioTitle) + "</p>",
                    "<p>Each defense alone, added to the world as it happened: does it stop the attack, at which step, by which rule?</p>"]
        if options.showOutcomes {
            body.append("<p>As it happened, " + (e.historicalSucceeded ? "<strong>the attack succeeds</strong>." : "the attack is stopped.") + "</p>")
            body += HTMLPage.table(["Defense", "Title", "Stops it?", "At step", "Rule", "Registry's answer"], e.verdicts.map { v in
                HTMLPage.td(code(v.defense)) + HTMLPage.td(h(v.title)) + HTMLPage.td(v.stops ? "yes" : "no", v.stops ? "stopped" : "succeeds")
                    + HTMLPage.td(v.stoppedAtStep.map(code) ?? "–") + HTMLPage.td(v.rule.map(code) ?? "–") + HTMLPage.td(h(v.message ?? ""))
            })
            let stoppers = e.verdicts.filter(\.stops)
            body.append("<p>" + h("\(stoppers.count) of \(e.verdicts.count) defenses stop it on their own") + (stoppers.isEmpty ? "." : ": " + stoppers.map { code($0.defense) }.joined(separator: ", ") + ".") + "</p>")
        } else {
            body += HTMLPage.table(["Defense", "Title"], e.verdicts.map { HTMLPage.td(code($0.defense)) + HTMLPage.td(h($0.title)) })
        }
        return body
    }

    // MARK: Diagnostics, catalogs

    static func diagnostics(_ ds: [Diagnostic]) -> String {
        let errors = ds.filter { $0.severity == .error }.count
        var body = ["<h1>Validation</h1>", "<p>" + h(Fmt.plural(errors, "error") + ", " + Fmt.plural(ds.count - errors, "warning")) + "</p>"]
        if !ds.isEmpty {
            body += HTMLPage.table(["File", "Line", "Column", "Severity", "Message", "Fix"], ds.map { d in
                HTMLPage.td(code(d.file)) + HTMLPage.td(String(d.line), "num") + HTMLPage.td(String(d.column), "num")
                    + HTMLPage.td(h(d.severity.rawValue), d.severity == .error ? "succeeds" : nil) + HTMLPage.td(h(d.message)) + HTMLPage.td(h(d.hint ?? ""))
            })
        }
        return HTMLPage.render(title: "regdrill: validation", body: body)
    }

    static func catalog(_ doc: CatalogDocument) -> String {
        var body = ["<h1>" + h(doc.title) + "</h1>"]
        if !doc.intro.isEmpty { body.append("<p>" + h(doc.intro) + "</p>") }
        for section in doc.sections {
            if doc.sections.count > 1 { body.append("<h2>" + h(section.heading) + "</h2>") }
            if !section.intro.isEmpty { body.append("<p class=\"muted\">" + h(section.intro) + "</p>") }
            if section.entries.isEmpty { body.append("<p class=\"muted\">None.</p>"); continue }
            body += HTMLPage.table(section.header, section.rows.map { row in
                HTMLPage.td("<span id=\"" + Escape.anchor(section.heading, row[0]) + "\">" + code(row[0]) + "</span>") + row.dropFirst().map { HTMLPage.td(h($0)) }.joined()
            })
        }
        return HTMLPage.render(title: "regdrill: " + doc.title.lowercased(), body: body)
    }
}
