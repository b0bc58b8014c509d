import DrillEngine

/// The defense matrix for a terminal or projector: scenarios down, profiles across, then the legend and how
/// each stop happened.
///
/// The grid takes the most readable layout that fits ``TextLayout/gridWidth`` columns without cutting
/// anything: cells naming the step (`stop@login`) under profile names; else cells numbering the step
/// (`stop@2`, the list below names it); else profile numbers as headers (the legend names them). Only if
/// even that is too wide are cells cut.
struct TextMatrixReport {
    let matrix: MatrixReport
    let options: RenderOptions
    var style: TextStyle { TextStyle(color: options.color) }

    enum StepStyle { case name, number }
    enum HeaderStyle { case names, numbers }

    init(_ m: MatrixReport, options: RenderOptions) {
        self.matrix = MatrixReport(runs: m.runs.map(TerminalSafe.clean), scenarios: m.scenarios.map(TerminalSafe.clean),
                                   profiles: m.profiles.map(TerminalSafe.clean))
        self.options = options
    }

    var scenarios: [String] { matrix.scenarioIDs }
    var profiles: [String] { matrix.profileIDs }

    func render() -> String {
        let layouts: [(StepStyle, HeaderStyle)] = [(.name, .names), (.number, .names), (.number, .numbers)]
        let chosen = layouts.first { grid($0.0, $0.1).fitsWithoutCutting } ?? (.number, .numbers)
        var out = [style.paint("DEFENSE MATRIX", .heading) + "  " + Fmt.plural(scenarios.count, "scenario") + " x " + Fmt.plural(profiles.count, "profile")]
        if options.showOutcomes {
            let stop = chosen.0 == .name ? "stop@STEP" : "stop@N"
            let meaning = chosen.0 == .name ? "the profile stops the attack at that step." : "the profile stops the attack at step N (named below)."
            out.append(style.paint(stop, .good) + ": " + meaning + "  " + style.paint("SUCCEEDS", .bad) + ": the attack reaches a goal.")
        } else {
            out.append(style.paint("(outcomes hidden: which profile stops which attack?)", .muted))
        }
        out.append("")
        out += grid(chosen.0, chosen.1).render(style)
        out.append("")
        out += legend(numbered: chosen.1 == .numbers)
        if options.showOutcomes { out += stops() }
        return out.joined(separator: "\n") + "\n"
    }

    func cell(_ run: RunOutcome, _ steps: StepStyle) -> String {
        guard steps == .number, !run.attackSucceeded, let id = run.stoppedAtStep, let n = Words.stepNumber(id, in: run) else { return Words.cell(run) }
        return "stop@\(n)"
    }

    func grid(_ steps: StepStyle, _ headers: HeaderStyle) -> TextGrid {
        var columns: [TextGrid.Column] = [.init(header: "scenario", maxWidth: 40, minWidth: 16)]
        columns += profiles.enumerated().map { i, p in .init(header: headers == .names ? p : String(i + 1), maxWidth: 30, minWidth: 6) }
        if options.showOutcomes { columns.append(.init(header: "stopped", minWidth: 7, alignRight: true)) }
        var grid = TextGrid(columns)
        for s in scenarios {
            var row: [TextGrid.Cell] = [.init(s)]
            var stopped = 0, ran = 0
            for p in profiles {
                guard let run = matrix.run(s, p) else { row.append(.init("-", .muted)); continue }
                ran += 1
                if !run.attackSucceeded { stopped += 1 }
                row.append(options.showOutcomes ? .init(cell(run, steps), run.attackSucceeded ? .bad : .good) : .init("?", .muted))
            }
            if options.showOutcomes { row.append(.init("\(stopped)/\(ran)")) }
            grid.add(row)
        }
        if options.showOutcomes && !scenarios.isEmpty {
            var row: [TextGrid.Cell] = [.init("stops")]
            for p in profiles {
                let runs = scenarios.compactMap { matrix.run($0, p) }
                let stops = runs.filter { !$0.attackSucceeded }.count
                row.append(.init("\(stops)/\(runs.count)", runs.isEmpty ? .muted : (stops == runs.count ? .good : nil)))
            }
            grid.rulesBefore = [grid.rows.count]
            grid.add(row)
        }
        return grid
    }

    func legend(numbered: Bool) -> [String] {
        var out = [style.paint("Profiles", .heading)]
        let width = profiles.map(\.count).max() ?? 0
        let numberWidth = String(profiles.count).count
        for (i, p) in profiles.enumerated() {
            let number = numbered ? TextLayout.padLeft(String(i + 1), numberWidth) + "  " : ""
            let lead = "  " + number + TextLayout.pad(p, width) + "  "
            let title = matrix.profile(p)?.title ?? ""
            out += title.isEmpty ? [lead.trimmingTrailingSpace]
                : TextLayout.wrap(title, width: 120, indent: String(repeating: " ", count: lead.count), firstIndent: lead)
        }
        return out
    }

    /// Each scenario's stops, grouped: one line per (step, rule, defense) with the profiles that stop it there.
    func stops() -> [String] {
        var out: [String] = []
        for s in scenarios {
            let runs = profiles.compactMap { matrix.run(s, $0) }
            var groups: [(key: [String], order: Int, profiles: [String])] = []
            for run in runs where !run.attackSucceeded {
                let rule = run.steps.first { $0.id == run.stoppedAtStep }?.rule
                let step = run.stoppedAtStep.map { id in (Words.stepNumber(id, in: run).map { "\($0) " } ?? "") + id } ?? "-"
                let key = [step, rule ?? "-", run.stoppedBy ?? "-"]
                if let i = groups.firstIndex(where: { $0.key == key }) {
                    groups[i].profiles.append(run.profile)
                } else {
                    groups.append((key, Words.stepNumber(run.stoppedAtStep, in: run) ?? Int.max, [run.profile]))
                }
            }
            // Earliest stop first; ties keep the profile order.
            groups = groups.enumerated().sorted { ($0.element.order, $0.offset) < ($1.element.order, $1.offset) }.map(\.element)
            out.append("")
            out.append(style.paint("How " + s + " is stopped", .heading))
            if groups.isEmpty {
                out.append("  " + style.paint("no profile stops it", .bad))
                continue
            }
            var grid = TextGrid([.init(header: "at step"), .init(header: "rule"), .init(header: "defense"), .init(header: "profiles", maxWidth: 80)])
            for g in groups { grid.add([.init(g.key[0]), .init(g.key[1]), .init(g.key[2], .good), .init(g.profiles.joined(separator: ", "))]) }
            out += grid.render(style)
            let succeeding = runs.filter(\.attackSucceeded).map(\.profile)
            if !succeeding.isEmpty {
                var lines = TextLayout.wrap(succeeding.joined(separator: ", "), width: 120, indent: "                  ",
                                            firstIndent: "  succeeds under  ")
                lines[0] = "  " + style.paint("succeeds", .bad) + String(lines[0].dropFirst(10))
                out += lines
            }
            // Where a worm went live: how far it spread, with the profiles under which it spread that far.
            var reaches: [(reach: String, profiles: [String])] = []
            for run in runs {
                guard let reach = Words.wormReach(run) else { continue }
                if let i = reaches.firstIndex(where: { $0.reach == reach }) { reaches[i].profiles.append(run.profile) } else { reaches.append((reach, [run.profile])) }
            }
            for (i, r) in reaches.enumerated() {
                out += TextLayout.wrap(r.reach + " under " + r.profiles.joined(separator: ", "), width: 120, indent: "                  ",
                                       firstIndent: i == 0 ? "  worm reached    " : "                  ")
            }
        }
        return out
    }
}
