import DrillEngine

/// Copies of the values with every string from a scenario file made safe for a terminal: a control
/// character (an ANSI escape sequence planted in a narrative) is shown as `?` instead of being obeyed.
/// Only the text format needs this; the markup formats escape instead.
enum TerminalSafe {
    static func clean(_ s: String) -> String { Escape.terminal(s) }

    static func clean(_ run: RunOutcome) -> RunOutcome {
        var r = run
        r.scenario = clean(r.scenario); r.scenarioTitle = clean(r.scenarioTitle); r.profile = clean(r.profile); r.era = clean(r.era)
        r.goalsReached = r.goalsReached.map(clean)
        r.stoppedBy = r.stoppedBy.map(clean); r.stoppedAtStep = r.stoppedAtStep.map(clean)
        r.steps = r.steps.map { s in
            var s = s
            s.id = clean(s.id); s.action = clean(s.action); s.actor = clean(s.actor); s.rule = s.rule.map(clean)
            s.defense = s.defense.map(clean); s.message = clean(s.message); s.narrative = clean(s.narrative); s.details = s.details.map(clean)
            return s
        }
        if var b = r.blastRadius {
            b.method = clean(b.method)
            b.versions = b.versions.map { v in var v = v; v.package = clean(v.package); v.version = clean(v.version); v.carries = v.carries.map(clean); return v }
            b.worm = b.worm.map { WormReach(packages: $0.packages.map(clean), maintainers: $0.maintainers.map(clean)) }
            r.blastRadius = b
        }
        return r
    }

    static func clean(_ scenario: Scenario) -> Scenario {
        var s = scenario
        s.id = clean(s.id); s.title = clean(s.title); s.summary = clean(s.summary)
        s.references = s.references.map(clean); s.techniques = s.techniques.map(clean)
        s.goals = s.goals.map { g in var g = g; g.id = clean(g.id); g.description = clean(g.description); return g }
        s.teaching.hints = s.teaching.hints.map(clean); s.teaching.whatHappened = clean(s.teaching.whatHappened)
        s.teaching.remediation = s.teaching.remediation.map(clean)
        if var b = s.blastRadius {
            b.note = b.note.map(clean)
            s.blastRadius = b
        }
        return s
    }

    static func clean(_ p: Profile) -> Profile {
        var p = p
        p.id = clean(p.id); p.title = clean(p.title); p.description = clean(p.description)
        return p
    }

    static func clean(_ e: Explanation) -> Explanation {
        var e = e
        e.scenario = clean(e.scenario); e.scenarioTitle = clean(e.scenarioTitle)
        e.verdicts = e.verdicts.map { v in
            var v = v
            v.defense = clean(v.defense); v.title = clean(v.title); v.stoppedAtStep = v.stoppedAtStep.map(clean)
            v.rule = v.rule.map(clean); v.message = v.message.map(clean)
            return v
        }
        return e
    }
}
