import DrillEngine

/// One scenario under several profiles, side by side: a row per step, a column per profile.
struct TextCompareReport {
    let scenario: Scenario
    let runs: [RunOutcome]
    let options: RenderOptions
    var style: TextStyle { TextStyle(color: options.color) }

    init(_ runs: [RunOutcome], scenario: Scenario, options: RenderOptions) {
        self.scenario = TerminalSafe.clean(scenario)
        self.runs = runs.map(TerminalSafe.clean)
        self.options = options
    }

    /// Step ids in the scenario's order, then any a run has that the scenario does not list.
    var stepIDs: [String] { compareStepIDs(scenario, runs) }

    func render() -> String {
        var out = [style.paint("COMPARE", .heading) + "  " + scenario.id + ": " + scenario.title]
        let ids = stepIDs
        let allSteps = runs.flatMap(\.steps)
        let times = TimeStyle(allSteps.map(\.at))
        out.append(style.paint(times.caption + "; a cell is the step's status under that profile, with the rule of a block", .muted))
        out.append("")
        var columns: [TextGrid.Column] = [.init(header: "#", minWidth: 2, alignRight: true), .init(header: "time", minWidth: 5),
                                          .init(header: "step", maxWidth: 28, minWidth: 12)]
        columns += runs.map { .init(header: $0.profile, maxWidth: 34, minWidth: 10) }
        var grid = TextGrid(columns)
        for (i, id) in ids.enumerated() {
            let any = allSteps.first { $0.id == id }
            var row: [TextGrid.Cell] = [.init(String(i + 1)), .init(any.map { times.show($0.at) } ?? ""), .init(id)]
            for run in runs {
                guard let step = run.steps.first(where: { $0.id == id }) else { row.append(.init("-", .muted)); continue }
                row.append(options.showOutcomes ? .init(Words.compareCell(step), Words.tone(step.status)) : .init(step.action, .muted))
            }
            grid.add(row)
        }
        if options.showOutcomes {
            grid.rulesBefore = [grid.rows.count]
            grid.add([.init(""), .init(""), .init("VERDICT")] + runs.map { .init(Words.cell($0), $0.attackSucceeded ? .bad : .good) })
            grid.add([.init(""), .init(""), .init("stopped by")] + runs.map { .init($0.stoppedBy ?? "-") })
        }
        out += grid.render(style)
        if options.showOutcomes {
            out.append("")
            for run in runs {
                out += TextLayout.wrap(Words.verdict(run), indent: "    ", firstIndent: "  " + run.profile + ": ")
                    .enumerated().map { $0.offset == 0 ? style.paint($0.element, run.attackSucceeded ? .bad : .good) : $0.element }
            }
        }
        return out.joined(separator: "\n") + "\n"
    }
}
