import DrillEngine
import DrillRegistry

/// The words every format uses for the same facts, so a text report, a handout and a web page say the same.
enum Words {
    /// How far a run's worm spread, `5 packages, 4 maintainers`; nil when no version carrying a worm went live.
    static func wormReach(_ run: RunOutcome) -> String? {
        run.blastRadius?.worm.map { Fmt.plural($0.packages.count, "package") + ", " + Fmt.plural($0.maintainers.count, "maintainer") }
    }

    /// The blast radius's sentence on a worm: `the worm reached 2 packages (a, b) of 2 maintainers (x, y)`, or starting
    /// `The` where it opens a paragraph.
    static func wormSentence(_ w: WormReach, capitalized: Bool = false) -> String {
        (capitalized ? "The" : "the") + " worm reached " + Fmt.plural(w.packages.count, "package") + " (" + w.packages.joined(separator: ", ") + ") of "
            + Fmt.plural(w.maintainers.count, "maintainer") + " (" + w.maintainers.joined(separator: ", ") + ")"
    }

    /// `SUCCEEDED`, `BLOCKED`, `SKIPPED`, `N/A`: the status column of the text format.
    static func statusWord(_ s: StepStatus) -> String {
        switch s {
        case .succeeded: "SUCCEEDED"
        case .blocked: "BLOCKED"
        case .skipped: "SKIPPED"
        case .notApplicable: "N/A"
        }
    }

    /// `succeeded`, `blocked`, `skipped`, `not applicable`.
    static func statusLabel(_ s: StepStatus) -> String {
        switch s {
        case .succeeded: "succeeded"
        case .blocked: "blocked"
        case .skipped: "skipped"
        case .notApplicable: "not applicable"
        }
    }

    static func tone(_ s: StepStatus) -> TextStyle.Tone? {
        switch s {
        case .succeeded: nil
        case .blocked: .good
        case .skipped, .notApplicable: .muted
        }
    }

    /// A matrix cell: `stop@login` when stopped at a step, `stopped` when no goal was reached without a
    /// blocking step, `SUCCEEDS` when a goal was reached.
    static func cell(_ run: RunOutcome) -> String {
        if run.attackSucceeded { return "SUCCEEDS" }
        return run.stoppedAtStep.map { "stop@" + $0 } ?? "stopped"
    }

    /// What a step line says after its status: the rule (and defense) of a block, the defense of a step
    /// that does not apply.
    static func compareCell(_ step: StepOutcome) -> String {
        switch step.status {
        case .blocked: "BLOCKED " + (step.rule ?? step.defense ?? "")
        case .notApplicable: "n/a" + (step.defense.map { " " + $0 } ?? "")
        case .skipped: "skipped"
        case .succeeded: "ok"
        }
    }

    /// 1-based position of a step in its run.
    static func stepNumber(_ id: String?, in run: RunOutcome) -> Int? {
        guard let id, let i = run.steps.firstIndex(where: { $0.id == id }) else { return nil }
        return i + 1
    }

    /// "Stopped at step 2 (login) by auth-only, rule 2fa.login." or "The attack succeeds: ...".
    static func verdict(_ run: RunOutcome) -> String {
        if run.attackSucceeded {
            return "The attack succeeds: " + Fmt.plural(run.goalsReached.count, "goal") + " reached (" + run.goalsReached.joined(separator: ", ") + ")."
        }
        guard let step = run.stoppedAtStep else { return "Stopped: the attack reached none of its goals." }
        var s = "Stopped at step " + (stepNumber(step, in: run).map { "\($0) " } ?? "") + "(" + step + ")"
        if let d = run.stoppedBy { s += " by " + d }
        if let rule = run.steps.first(where: { $0.id == step })?.rule { s += ", rule " + rule }
        return s + "."
    }

    /// The title of a defense id: from the defense catalog, else the registry's own defense list.
    static func defenseTitle(_ id: String) -> String? {
        if let e = DefenseCatalog.entry(id) { return e.title }
        return DefenseID(rawValue: id)?.summary
    }

    /// `2018-07-12 (latest rule change: 2fa-modes, 2017-10-05)`.
    static func era(_ era: String) -> String {
        guard let e = try? RegistryEra(era) else { return era }
        guard let latest = e.changesInForce.last else { return era + " (before every rule change this simulator knows)" }
        return era + " (latest rule change: " + latest.rawValue + ", " + latest.effective.date + ")"
    }

    /// The rule changes in force in an era, oldest first.
    static func changes(_ era: String) -> [RuleChange] {
        (try? RegistryEra(era))?.changesInForce ?? []
    }

    /// A goal id with its description, when the scenario gives it.
    static func goal(_ id: String, _ scenario: Scenario?) -> String {
        guard let d = scenario?.goals.first(where: { $0.id == id })?.description, !d.isEmpty else { return id }
        return id + ": " + Fmt.oneLine(d)
    }

    /// `mode: auth-and-writes, factor: totp` for a profile's defense setting.
    static func parameters(_ d: DefenseSetting) -> String {
        switch d {
        case .twoFactor(let mode, let factor): "mode: \(mode.rawValue), factor: \(factor.rawValue)"
        case .readOnlyTokens, .disallowTokens, .trustedPublishing, .ignoreScripts, .stageOnlyTokens: ""
        case .cidrTokens(let prefix): "prefix: \(prefix)"
        case .granularShortLivedTokens(let days): "lifetimeDays: \(days)"
        case .minimumReleaseAge(let hours): "hours: \(hours)"
        case .npmClient(let major, let allowed): "version: \(major)" + (allowed.isEmpty ? "" : ", allowScripts: " + allowed.joined(separator: ", "))
        }
    }

    static func setting(_ d: DefenseSetting) -> String {
        let p = parameters(d)
        return p.isEmpty ? d.id : d.id + " (" + p + ")"
    }

    /// `the scenario's date` when a profile has no era of its own.
    static func profileEra(_ p: Profile) -> String { p.era?.date ?? "the scenario's date" }

    /// What a rule's kind means, for the catalog.
    static func ruleKind(_ r: Rule) -> String {
        if Rule.secondFactorFailures.contains(where: { $0.id == r.id }) { return "second-factor failure" }
        switch r.kind {
        case .refuses: return "refuses"
        case .needsSecondFactor: return "asks for a second factor"
        }
    }
}
