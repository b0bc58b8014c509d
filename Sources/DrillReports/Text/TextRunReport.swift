import DrillEngine

/// The narrative of a replay for a terminal: the scenario, then each step with what the registry answered,
/// the verdict, the blast radius and the lessons.
struct TextRunReport {
    let scenario: Scenario
    let runs: [(RunOutcome, Profile?)]
    let options: RenderOptions
    var style: TextStyle { TextStyle(color: options.color) }

    init(scenario: Scenario, runs: [(RunOutcome, Profile?)], options: RenderOptions) {
        self.scenario = TerminalSafe.clean(scenario)
        self.runs = runs.map { (TerminalSafe.clean($0.0), $0.1.map(TerminalSafe.clean)) }
        self.options = options
    }

    func render() -> String {
        var out = header()
        for (run, profile) in runs {
            out.append("")
            out += section(run, profile)
        }
        if runs.count > 1 && options.showOutcomes {
            out.append("")
            out += summary()
        }
        out += teaching()
        return out.joined(separator: "\n") + "\n"
    }

    // MARK: Header

    func header() -> [String] {
        var out = [style.paint(scenario.title, .heading), TextLayout.rule(min(max(scenario.title.count, 20), TextLayout.proseWidth), "=")]
        out.append(field("Scenario", scenario.id + " (" + scenario.date.date + ")"))
        if !scenario.techniques.isEmpty {
            out += TextLayout.wrap(scenario.techniques.joined(separator: ", "), indent: String(repeating: " ", count: 12),
                                   firstIndent: "Techniques  ")
        }
        if !scenario.summary.isEmpty {
            out.append("")
            out += TextLayout.wrap(scenario.summary, indent: "  ")
        }
        if !scenario.references.isEmpty {
            out.append("")
            out.append(style.paint("References", .heading))
            for r in scenario.references { out += TextLayout.wrap(r, indent: "    ", firstIndent: "  - ") }
        }
        return out
    }

    func field(_ label: String, _ value: String) -> String {
        TextLayout.pad(label, 10) + "  " + value
    }

    // MARK: One run

    func section(_ run: RunOutcome, _ profile: Profile?) -> [String] {
        var out: [String] = []
        let title = "PROFILE " + run.profile + (profile.map { ": " + $0.title } ?? "")
        out.append(style.paint(title, .heading))
        out.append(TextLayout.rule(min(title.count, TextLayout.proseWidth)))
        if let profile, !profile.description.isEmpty { out += TextLayout.wrap(profile.description, indent: "  ") }
        if let profile, !profile.defenses.isEmpty {
            out += TextLayout.wrap(profile.defenses.map(Words.setting).joined(separator: "; "), indent: String(repeating: " ", count: 12),
                                   firstIndent: field("Defenses", ""))
        }
        out.append(field("Era", Words.era(run.era)))
        out.append("")
        let times = TimeStyle(run.steps.map(\.at))
        out.append(style.paint("Steps", .heading) + style.paint(" (" + times.caption + ")", .muted))
        let widths = StepWidths(run.steps, times: times)
        for (i, step) in run.steps.enumerated() {
            out += TextStep(step: step, index: i + 1, time: times.show(step.at), widths: widths, options: options).lines()
        }
        if options.showOutcomes {
            out.append("")
            out += verdict(run)
            out.append("")
            out += blastRadius(run)
        } else {
            out.append("")
            out.append(style.paint("(outcomes hidden: statuses, answers, verdict and blast radius are revealed later)", .muted))
        }
        return out
    }

    func verdict(_ run: RunOutcome) -> [String] {
        let indent = String(repeating: " ", count: 10)
        var out: [String] = []
        if run.attackSucceeded {
            out.append(TextLayout.pad("VERDICT", 10) + style.paint("ATTACK SUCCEEDS", .bad))
            for g in run.goalsReached { out += TextLayout.wrap(Words.goal(g, scenario), indent: indent + "  ", firstIndent: indent + "- ") }
        } else {
            let headline = run.stoppedAtStep.map { s in
                "STOPPED at step " + (Words.stepNumber(s, in: run).map { "\($0) " } ?? "") + "(" + s + ")"
            } ?? "STOPPED: no goal reached"
            out.append(TextLayout.pad("VERDICT", 10) + style.paint(headline, .good))
            if let d = run.stoppedBy {
                out += TextLayout.wrap("by " + d + (Words.defenseTitle(d).map { ": " + $0 } ?? ""), indent: indent + "  ", firstIndent: indent)
            }
            if let rule = run.steps.first(where: { $0.id == run.stoppedAtStep })?.rule { out.append(indent + "rule " + rule) }
            out.append(indent + "goals reached: none")
        }
        return out
    }

    func blastRadius(_ run: RunOutcome) -> [String] {
        guard let b = run.blastRadius else {
            return [style.paint("BLAST RADIUS", .heading) + "  none: no malicious version went live and no tokens were harvested"]
        }
        var out = [style.paint("BLAST RADIUS", .heading) + (b.isEstimate ? style.paint(" (estimate)", .note) : "")]
        if b.versions.isEmpty {
            out.append("  no malicious version went live")
        } else {
            var grid = TextGrid([
                .init(header: "malicious version"), .init(header: "hours live", alignRight: true),
                .init(header: "weekly downloads", alignRight: true), .init(header: "est. installs", alignRight: true),
            ])
            for v in b.versions {
                grid.add([.init(v.label), .init(v.hoursLive.map(Fmt.decimal) ?? "unknown"),
                          .init(Fmt.count(v.weeklyDownloads)), .init(v.estimatedInstalls.map { "~" + Fmt.count($0) } ?? "unknown")])
            }
            grid.maxTotal = 100
            out += grid.render(style)
        }
        var tokens = "tokens harvested in this replay: \(b.tokensHarvested)"
        if let figure = b.tokensExposedFigure { tokens += " (each simulated installer stands for many: the scenario's real-world figure is ~" + Fmt.count(figure) + ")" }
        out += TextLayout.wrap(tokens, indent: "    ", firstIndent: "  ")
        if let worm = b.worm { out += TextLayout.wrap(Words.wormSentence(worm), indent: "    ", firstIndent: "  ") }
        out += TextLayout.wrap("method: " + b.method, indent: "    ", firstIndent: "  ")
        if let note = scenario.blastRadius?.note, !note.isEmpty { out += TextLayout.wrap("note: " + note, indent: "    ", firstIndent: "  ") }
        return out
    }

    // MARK: Several runs, teaching

    func summary() -> [String] {
        var out = [style.paint("SUMMARY", .heading)]
        var grid = TextGrid([.init(header: "profile"), .init(header: "verdict"), .init(header: "stopped by"), .init(header: "rule")])
        for (run, _) in runs {
            let rule = run.steps.first { $0.id == run.stoppedAtStep }?.rule
            grid.add([.init(run.profile), .init(Words.cell(run), run.attackSucceeded ? .bad : .good), .init(run.stoppedBy ?? "-"), .init(rule ?? "-")])
        }
        out += grid.render(style)
        return out
    }

    func teaching() -> [String] {
        let t = scenario.teaching
        var out: [String] = []
        let revealed = options.showOutcomes
        guard !t.hints.isEmpty || (revealed && (!t.whatHappened.isEmpty || !t.remediation.isEmpty)) else { return out }
        out.append("")
        out.append(style.paint("TEACHING", .heading))
        if !t.hints.isEmpty {
            out.append("  Hints")
            for (i, h) in t.hints.enumerated() { out += TextLayout.wrap(h, indent: "        ", firstIndent: "    " + TextLayout.padLeft("\(i + 1).", 3) + " ") }
        }
        if revealed && !t.whatHappened.isEmpty {
            out.append("  What happened")
            out += TextLayout.wrap(t.whatHappened, indent: "    ")
        }
        if revealed && !t.remediation.isEmpty {
            out.append("  Remediation")
            for r in t.remediation { out += TextLayout.wrap(r, indent: "      ", firstIndent: "    - ") }
        }
        return out
    }
}

/// Column widths shared by the step lines of one run, so they line up.
struct StepWidths {
    var id = 0, time = 0, actor = 0, action = 0, index = 2

    init(_ steps: [StepOutcome], times: TimeStyle) {
        for s in steps {
            id = max(id, s.id.count); actor = max(actor, s.actor.count); action = max(action, s.action.count)
            time = max(time, times.show(s.at).count)
        }
        index = max(2, String(steps.count).count)
    }

    init(single s: StepOutcome, time: String, index: Int) {
        id = s.id.count; actor = s.actor.count; action = s.action.count; self.time = time.count; self.index = max(2, String(index).count)
    }
}

/// One step: a line with number, time, id, actor, action and status; then the story and what the registry did.
struct TextStep {
    let step: StepOutcome
    let index: Int
    let time: String
    let widths: StepWidths
    let options: RenderOptions
    var style: TextStyle { TextStyle(color: options.color) }

    func lines() -> [String] {
        let indent = String(repeating: " ", count: 2 + widths.index + 2)
        var head = "  " + TextLayout.padLeft(String(index), widths.index) + "  " + TextLayout.pad(time, widths.time) + "  "
            + style.paint(TextLayout.pad(step.id, widths.id), .heading) + "  " + TextLayout.pad(step.actor, widths.actor) + "  "
            + TextLayout.pad(step.action, widths.action)
        if options.showOutcomes {
            head += "  " + style.paint(Words.statusWord(step.status), Words.tone(step.status) ?? .heading)
        } else {
            while head.last == " " { head.removeLast() }
        }
        var out = ["", head]
        out += TextLayout.wrap(step.narrative, indent: indent)
        guard options.showOutcomes else { return out }
        switch step.status {
        case .succeeded:
            out += TextLayout.wrap(step.message, indent: indent + "  ", firstIndent: indent + "registry: ")
        case .blocked:
            out += TextLayout.wrap(step.message, indent: indent + "  ", firstIndent: indent + "registry: ")
            var by = "blocked by rule " + (step.rule ?? "?")
            if let d = step.defense { by += ", defense " + d + (Words.defenseTitle(d).map { " (" + $0 + ")" } ?? "") }
            out += TextLayout.wrap(by, indent: indent + "  ", firstIndent: indent).map { style.paint($0, .good) }
        case .skipped:
            out += TextLayout.wrap(step.message, indent: indent + "  ", firstIndent: indent + "skipped: ")
        case .notApplicable:
            var text = step.message
            if let d = step.defense { text += " [defense " + d + "]" }
            out += TextLayout.wrap(text, indent: indent + "  ", firstIndent: indent + "not applicable: ")
        }
        for d in step.details { out += TextLayout.wrap(d, indent: indent + "  ", firstIndent: indent + "+ ") }
        return out
    }
}
