import DrillEngine

/// Which single defenses, each added alone to the world as it happened, stop a scenario, where and how.
struct TextExplainReport {
    let explanation: Explanation
    let scenario: Scenario
    let options: RenderOptions
    var style: TextStyle { TextStyle(color: options.color) }

    init(_ e: Explanation, scenario: Scenario, options: RenderOptions) {
        self.explanation = TerminalSafe.clean(e)
        self.scenario = TerminalSafe.clean(scenario)
        self.options = options
    }

    func render() -> String {
        let e = explanation
        var out = [style.paint("EXPLAIN", .heading) + "  " + e.scenario + ": " + e.scenarioTitle]
        out += TextLayout.wrap("Each defense alone, added to the world as it happened: does it stop the attack, at which step, by which rule?")
            .map { style.paint($0, .muted) }
        out.append("")
        guard options.showOutcomes else {
            out.append("Which of these defenses stop it on its own?")
            for v in e.verdicts { out.append("  " + TextLayout.pad(v.defense, 28) + "  " + v.title) }
            return out.joined(separator: "\n") + "\n"
        }
        out.append("As it happened: " + (e.historicalSucceeded ? style.paint("the attack SUCCEEDS", .bad) : style.paint("the attack is stopped", .good)))
        out.append("")
        var grid = TextGrid([.init(header: "defense", maxWidth: 30), .init(header: "stops it?"), .init(header: "at step", maxWidth: 30),
                             .init(header: "rule", maxWidth: 34)])
        for v in e.verdicts {
            grid.add([.init(v.defense), v.stops ? .init("yes", .good) : .init("no", .bad), .init(v.stoppedAtStep ?? "-"), .init(v.rule ?? "-")])
        }
        out += grid.render(style)
        let stoppers = e.verdicts.filter(\.stops)
        out.append("")
        out += TextLayout.wrap("\(stoppers.count) of \(e.verdicts.count) defenses stop it on their own" + (stoppers.isEmpty ? "." : ": " + stoppers.map(\.defense).joined(separator: ", ") + "."))
        if !stoppers.isEmpty {
            out.append("")
            out.append(style.paint("What the registry said", .heading))
            for v in stoppers {
                let place = v.stoppedAtStep.map { " at " + $0 } ?? ""
                out += TextLayout.wrap(v.defense + place + ": " + (v.message ?? "(no message)"), indent: "    ", firstIndent: "  - ")
            }
        }
        return out.joined(separator: "\n") + "\n"
    }
}
