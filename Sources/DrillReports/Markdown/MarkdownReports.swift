import DrillEngine

/// Markdown for handouts: headings, tables, the teaching text. Every string from a scenario or profile file
/// is escaped (``Escape/markdown(_:)``), so a file cannot inject markup or raw HTML into a handout.
enum MarkdownReports {
    static func text(_ s: String) -> String { Escape.markdown(s) }
    static func code(_ s: String) -> String { Escape.code(s) }

    /// A table; cells are already Markdown.
    static func table(_ header: [String], _ rows: [[String]], rightAligned: Set<Int> = []) -> [String] {
        var out = ["| " + header.joined(separator: " | ") + " |"]
        out.append("|" + header.indices.map { rightAligned.contains($0) ? "---:" : "---" }.joined(separator: "|") + "|")
        for row in rows {
            let cells = header.indices.map { $0 < row.count ? (row[$0].isEmpty ? " " : row[$0]) : " " }
            out.append("| " + cells.joined(separator: " | ") + " |")
        }
        return out
    }

    static func finish(_ lines: [String]) -> String {
        var out: [String] = []
        for l in lines where !(l.isEmpty && (out.last?.isEmpty ?? true)) { out.append(l) }  // no double blank lines
        while out.last?.isEmpty == true { out.removeLast() }
        return out.joined(separator: "\n") + "\n"
    }

    static func cell(_ run: RunOutcome) -> String {
        if run.attackSucceeded { return "**SUCCEEDS**" }
        return run.stoppedAtStep.map { "stopped at " + code($0) } ?? "stopped"
    }

    static func verdict(_ run: RunOutcome, _ scenario: Scenario?) -> [String] {
        if run.attackSucceeded {
            return ["**The attack succeeds.** Goals reached:", ""] + run.goalsReached.map { "- " + text(Words.goal($0, scenario)) }
        }
        guard let step = run.stoppedAtStep else { return ["**Stopped:** the attack reached none of its goals."] }
        var s = "**Stopped** at step " + (Words.stepNumber(step, in: run).map { "\($0) " } ?? "") + "(" + code(step) + ")"
        if let d = run.stoppedBy { s += " by " + code(d) + (Words.defenseTitle(d).map { " (" + text($0) + ")" } ?? "") }
        if let rule = run.steps.first(where: { $0.id == step })?.rule { s += ", rule " + code(rule) }
        return [s + ". No goal reached."]
    }

    // MARK: Matrix

    static func matrix(_ m: MatrixReport, options: RenderOptions) -> String {
        let scenarios = m.scenarioIDs, profiles = m.profileIDs
        var out = ["# Defense matrix", ""]
        out.append(Fmt.plural(scenarios.count, "scenario") + " × " + Fmt.plural(profiles.count, "profile") + ". "
                   + (options.showOutcomes ? "A cell says where the profile stops the attack, or that the attack succeeds."
                      : "Outcomes are hidden: which profile stops which attack?"))
        out.append("")
        var header = ["Scenario"] + profiles.map(code)
        if options.showOutcomes { header.append("Stopped") }
        var rows: [[String]] = []
        for s in scenarios {
            let runs = profiles.map { m.run(s, $0) }
            var row = [code(s)] + runs.map { r in r.map { options.showOutcomes ? cell($0) : "?" } ?? "–" }
            if options.showOutcomes { row.append("\(runs.compactMap { $0 }.filter { !$0.attackSucceeded }.count)/\(runs.compactMap { $0 }.count)") }
            rows.append(row)
        }
        if options.showOutcomes {
            rows.append(["**Stops**"] + profiles.map { p in
                let runs = scenarios.compactMap { m.run($0, p) }
                return "\(runs.filter { !$0.attackSucceeded }.count)/\(runs.count)"
            } + [""])
        }
        out += table(header, rows, rightAligned: options.showOutcomes ? [header.count - 1] : [])
        out += ["", "## Profiles", ""]
        out += table(["Profile", "Title", "Era", "Defenses"], profiles.map { id in
            guard let p = m.profile(id) else { return [code(id), "", "", ""] }
            return [code(id), text(p.title), text(Words.profileEra(p)), text(p.defenses.isEmpty ? "none added" : p.defenses.map(Words.setting).joined(separator: "; "))]
        })
        for s in scenarios {
            let sc = m.scenario(s)
            out += ["", "## " + code(s) + (sc.map { ": " + text($0.title) } ?? ""), ""]
            if let sc, !sc.summary.isEmpty { out += [text(sc.summary), ""] }
            guard options.showOutcomes else { continue }
            let runs = profiles.compactMap { m.run(s, $0) }
            // A worm's reach per profile, where a worm went live under some profile.
            let worm = runs.contains { $0.blastRadius?.worm != nil }
            out += table(["Profile", "Verdict", "At step", "Rule", "Defense"] + (worm ? ["Worm reached"] : []), runs.map { r in
                let rule = r.steps.first { $0.id == r.stoppedAtStep && r.stoppedAtStep != nil }?.rule
                return [code(r.profile), r.attackSucceeded ? "**SUCCEEDS**" : "stopped", r.stoppedAtStep.map(code) ?? "–",
                        rule.map(code) ?? "–", r.stoppedBy.map(code) ?? "–"] + (worm ? [Words.wormReach(r) ?? "none"] : [])
            })
        }
        return finish(out)
    }

    // MARK: Runs

    static func runs(_ runs: [(RunOutcome, Profile?)], scenario s: Scenario, options: RenderOptions) -> String {
        var out = ["# " + text(s.title), ""]
        out.append("**Scenario:** " + code(s.id) + " · **Date:** " + s.date.date + (s.techniques.isEmpty ? "" : " · **Techniques:** " + s.techniques.map(text).joined(separator: ", ")))
        if !s.summary.isEmpty { out += ["", "> " + text(s.summary)] }
        if !s.references.isEmpty {
            out += ["", "**References**", ""]
            out += s.references.map { "- " + text($0) }
        }
        for (run, profile) in runs {
            out += ["", "## Profile " + code(run.profile) + (profile.map { ": " + text($0.title) } ?? ""), ""]
            if let profile, !profile.description.isEmpty { out += [text(profile.description), ""] }
            var facts = "**Era:** " + text(Words.era(run.era))
            if let profile, !profile.defenses.isEmpty { facts += " · **Defenses:** " + text(profile.defenses.map(Words.setting).joined(separator: "; ")) }
            out += [facts, ""]
            out += steps(run, options: options)
            if options.showOutcomes {
                out += ["", "### Verdict", ""] + verdict(run, s)
                out += ["", "### Blast radius" + (run.blastRadius?.isEstimate == true ? " (estimate)" : ""), ""] + blastRadius(run, s)
            } else {
                out += ["", "*Outcomes hidden: statuses, answers, verdict and blast radius are revealed later.*"]
            }
        }
        if runs.count > 1 && options.showOutcomes {
            out += ["", "## Summary", ""]
            out += table(["Profile", "Verdict", "Stopped by", "Rule"], runs.map { r, _ in
                let rule = r.steps.first { $0.id == r.stoppedAtStep && r.stoppedAtStep != nil }?.rule
                return [code(r.profile), cell(r), r.stoppedBy.map(code) ?? "–", rule.map(code) ?? "–"]
            })
        }
        out += teaching(s, options: options)
        return finish(out)
    }

    static func steps(_ run: RunOutcome, options: RenderOptions) -> [String] {
        let times = TimeStyle(run.steps.map(\.at))
        var header = ["#", "Time", "Step", "Actor", "Action"]
        if options.showOutcomes { header += ["Status", "Rule", "Defense"] }
        var out = table(header, run.steps.enumerated().map { i, st in
            var row = [String(i + 1), times.show(st.at), code(st.id), text(st.actor), code(st.action)]
            if options.showOutcomes {
                row += [st.status == .blocked ? "**blocked**" : Words.statusLabel(st.status), st.rule.map(code) ?? "", st.defense.map(code) ?? ""]
            }
            return row
        }, rightAligned: [0])
        out += ["", "*" + text(times.caption.prefix(1).uppercased() + times.caption.dropFirst()) + ".*", "", "### Step by step", ""]
        for (i, st) in run.steps.enumerated() {
            var head = "\(i + 1). **" + text(st.id) + "** (" + times.show(st.at) + ", " + text(st.actor) + ", " + code(st.action) + ")"
            if options.showOutcomes { head += ": " + (st.status == .blocked ? "**blocked**" : "*" + Words.statusLabel(st.status) + "*") }
            var lines: [String] = []
            if !st.narrative.isEmpty { lines.append(text(st.narrative)) }
            if options.showOutcomes {
                switch st.status {
                case .succeeded, .blocked: lines.append("Registry: " + text(st.message))
                case .skipped: lines.append("Skipped: " + text(st.message))
                case .notApplicable: lines.append("Not applicable: " + text(st.message))
                }
                if st.status == .blocked {
                    lines.append("Blocked by rule " + (st.rule.map(code) ?? "?") + (st.defense.map { ", defense " + code($0) } ?? ""))
                }
            }
            // The item's lines joined by hard line breaks, then its details as a nested list.
            out.append(head + (lines.isEmpty ? "" : "  "))
            for (j, l) in lines.enumerated() { out.append("   " + l + (j < lines.count - 1 ? "  " : "")) }
            if options.showOutcomes && !st.details.isEmpty {
                out.append("")
                out += st.details.map { "   - " + text($0) }
            }
            out.append("")
        }
        return out
    }

    static func blastRadius(_ run: RunOutcome, _ s: Scenario) -> [String] {
        guard let b = run.blastRadius else { return ["None: no malicious version went live and no tokens were harvested."] }
        var out: [String] = []
        if b.versions.isEmpty {
            out.append("No malicious version went live.")
        } else {
            out += table(["Malicious version", "Hours live", "Weekly downloads", "Est. installs"], b.versions.map { v in
                [v.label(naming: code), v.hoursLive.map(Fmt.decimal) ?? "unknown", Fmt.count(v.weeklyDownloads),
                 v.estimatedInstalls.map { "~" + Fmt.count($0) } ?? "unknown"]
            }, rightAligned: [1, 2, 3])
        }
        out.append("")
        var tokens = "Tokens harvested in this replay: \(b.tokensHarvested)"
        if let f = b.tokensExposedFigure { tokens += " (each simulated installer stands for many: the scenario's real-world figure is ~" + Fmt.count(f) + ")" }
        out += [tokens + "."]
        if let worm = b.worm { out += ["", text(Words.wormSentence(worm, capitalized: true)) + "."] }
        out += ["", "*Method:* " + text(b.method)]
        if let note = s.blastRadius?.note, !note.isEmpty { out += ["", "*Note:* " + text(note)] }
        return out
    }

    static func teaching(_ s: Scenario, options: RenderOptions) -> [String] {
        let t = s.teaching
        let revealed = options.showOutcomes
        guard !t.hints.isEmpty || (revealed && (!t.whatHappened.isEmpty || !t.remediation.isEmpty)) else { return [] }
        var out = ["", "## Teaching"]
        if !t.hints.isEmpty { out += ["", "### Hints", ""] + t.hints.enumerated().map { "\($0.offset + 1). " + text($0.element) } }
        if revealed && !t.whatHappened.isEmpty { out += ["", "### What happened", "", text(t.whatHappened)] }
        if revealed && !t.remediation.isEmpty { out += ["", "### Remediation", ""] + t.remediation.map { "- " + text($0) } }
        return out
    }

    // MARK: Compare, explain

    static func compare(_ runs: [RunOutcome], scenario s: Scenario, options: RenderOptions) -> String {
        var out = ["# Compare: " + text(s.title), "", "**Scenario:** " + code(s.id) + " · **Profiles:** " + runs.map { code($0.profile) }.joined(separator: ", "), ""]
        let ids = compareStepIDs(s, runs)
        let all = runs.flatMap(\.steps)
        let times = TimeStyle(all.map(\.at))
        var rows: [[String]] = ids.enumerated().map { i, id in
            let any = all.first { $0.id == id }
            return [String(i + 1), any.map { times.show($0.at) } ?? "", code(id)] + runs.map { r in
                guard let st = r.steps.first(where: { $0.id == id }) else { return "–" }
                guard options.showOutcomes else { return code(st.action) }
                switch st.status {
                case .blocked: return "**blocked** " + (st.rule.map(code) ?? "")
                case .notApplicable: return "n/a" + (st.defense.map { " " + code($0) } ?? "")
                case .skipped: return "skipped"
                case .succeeded: return "ok"
                }
            }
        }
        if options.showOutcomes {
            rows.append(["", "", "**Verdict**"] + runs.map(cell))
            rows.append(["", "", "**Stopped by**"] + runs.map { $0.stoppedBy.map(code) ?? "–" })
        }
        out += table(["#", "Time", "Step"] + runs.map { code($0.profile) }, rows, rightAligned: [0])
        out += ["", "*" + text(times.caption.prefix(1).uppercased() + times.caption.dropFirst()) + ".*"]
        if options.showOutcomes {
            out.append("")
            for r in runs { out.append("- " + code(r.profile) + ": " + text(Words.verdict(r))) }
        }
        return finish(out)
    }

    static func explain(_ e: Explanation, scenario s: Scenario, options: RenderOptions) -> String {
        var out = ["# Which single defense stops " + code(e.scenario) + "?", "", text(e.scenarioTitle), "",
                   "Each defense alone, added to the world as it happened: does it stop the attack, at which step, by which rule?", ""]
        guard options.showOutcomes else {
            out += table(["Defense", "Title"], e.verdicts.map { [code($0.defense), text($0.title)] })
            return finish(out)
        }
        out += ["As it happened, " + (e.historicalSucceeded ? "**the attack succeeds**." : "the attack is stopped."), ""]
        out += table(["Defense", "Title", "Stops it?", "At step", "Rule", "Registry's answer"], e.verdicts.map { v in
            [code(v.defense), text(v.title), v.stops ? "**yes**" : "no", v.stoppedAtStep.map(code) ?? "–", v.rule.map(code) ?? "–", v.message.map(text) ?? ""]
        })
        let stoppers = e.verdicts.filter(\.stops)
        out += ["", "\(stoppers.count) of \(e.verdicts.count) defenses stop it on their own" + (stoppers.isEmpty ? "." : ": " + stoppers.map { code($0.defense) }.joined(separator: ", ") + ".")]
        return finish(out)
    }

    // MARK: Diagnostics, catalogs

    static func diagnostics(_ ds: [Diagnostic]) -> String {
        let errors = ds.filter { $0.severity == .error }.count
        var out = ["# Validation", "", Fmt.plural(errors, "error") + ", " + Fmt.plural(ds.count - errors, "warning") + ".", ""]
        if !ds.isEmpty {
            out += table(["File", "Line", "Column", "Severity", "Message", "Fix"], ds.map { d in
                [code(d.file), String(d.line), String(d.column), d.severity == .error ? "**error**" : "warning", text(d.message), d.hint.map(text) ?? ""]
            }, rightAligned: [1, 2])
        }
        return finish(out)
    }

    static func catalog(_ doc: CatalogDocument) -> String {
        var out = ["# " + text(doc.title), ""]
        if !doc.intro.isEmpty { out += [text(doc.intro), ""] }
        for section in doc.sections {
            if doc.sections.count > 1 { out += ["## " + text(section.heading), ""] }
            if !section.intro.isEmpty { out += [text(section.intro), ""] }
            if section.entries.isEmpty { out += ["*None.*", ""]; continue }
            out += table(section.header.map { $0.prefix(1).uppercased() + $0.dropFirst() },
                         section.rows.map { row in [code(row[0])] + row.dropFirst().map(text) })
            out.append("")
        }
        return finish(out)
    }
}
