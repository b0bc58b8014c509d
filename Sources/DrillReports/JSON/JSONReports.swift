import DrillEngine
import DrillRegistry

/// The JSON documents. Every one has `schemaVersion` and `kind`; absent values are explicit `null`s.
enum JSONReports {
    static func document(_ kind: String, _ fields: [String: JSONValue]) -> String {
        var all = fields
        all["schemaVersion"] = .int(Reports.jsonSchemaVersion)
        all["kind"] = .string(kind)
        return JSONValue.object(all).rendered()
    }

    // MARK: Outcomes

    static func matrix(_ m: MatrixReport) -> String {
        let runs = m.orderedRuns
        return document("matrix", [
            "scenarios": .array(m.scenarioIDs.map { id in
                let s = m.scenario(id)
                return .object(["id": .string(id), "title": JSONValue(s?.title), "date": JSONValue(s?.date.date)])
            }),
            "profiles": .array(m.profileIDs.map { id in m.profile(id).map(profile) ?? .object(["id": .string(id)]) }),
            "runs": .array(runs.map(run)),
            "summary": .object([
                "runs": .int(runs.count),
                "attacksSucceeded": .int(runs.filter(\.attackSucceeded).count),
                "attacksStopped": .int(runs.filter { !$0.attackSucceeded }.count),
            ]),
        ])
    }

    static func runs(_ outcomes: [RunOutcome], scenario s: Scenario, profiles ps: [Profile], kind: String) -> String {
        var fields: [String: JSONValue] = ["scenario": scenario(s), "runs": .array(outcomes.map(run))]
        if kind == "run" {
            // The profiles the runs used, once each, in run order (compare has only the ids in its runs).
            let used = outcomes.compactMap { o in ps.first { $0.id == o.profile } }
            fields["profiles"] = .array(ordered(used.map(\.id), extra: []).compactMap { id in used.first { $0.id == id } }.map(profile))
        }
        return document(kind, fields)
    }

    static func run(_ r: RunOutcome) -> JSONValue {
        .object([
            "scenario": .string(r.scenario),
            "scenarioTitle": .string(r.scenarioTitle),
            "profile": .string(r.profile),
            "era": .string(r.era),
            "attackSucceeded": .bool(r.attackSucceeded),
            "goalsReached": JSONValue(r.goalsReached),
            "stoppedBy": JSONValue(r.stoppedBy),
            "stoppedAtStep": JSONValue(r.stoppedAtStep),
            "stoppedByRule": JSONValue(r.steps.first { $0.id == r.stoppedAtStep && r.stoppedAtStep != nil }?.rule),
            "verdict": .string(Words.verdict(r)),
            "blastRadius": r.blastRadius.map(blastRadius) ?? .null,
            "steps": .array(r.steps.enumerated().map { step($0.element, index: $0.offset + 1) }),
        ])
    }

    static func step(_ s: StepOutcome, index: Int) -> JSONValue {
        .object([
            "index": .int(index),
            "id": .string(s.id),
            "action": .string(s.action),
            "actor": .string(s.actor),
            "at": .string(Timestamp.iso8601(s.at)),
            "status": .string(s.status.rawValue),
            "rule": JSONValue(s.rule),
            "defense": JSONValue(s.defense),
            "message": .string(s.message),
            "narrative": .string(s.narrative),
            "details": JSONValue(s.details),
        ])
    }

    static func blastRadius(_ b: BlastRadius) -> JSONValue {
        .object([
            "isEstimate": .bool(b.isEstimate),
            "method": .string(b.method),
            "tokensHarvested": .int(b.tokensHarvested),
            "tokensExposedFigure": JSONValue(b.tokensExposedFigure),
            "versions": .array(b.versions.map { v in
                .object([
                    "package": .string(v.package), "version": .string(v.version), "hoursLive": JSONValue(v.hoursLive),
                    "weeklyDownloads": .int(v.weeklyDownloads), "estimatedInstalls": JSONValue(v.estimatedInstalls),
                    // Added in schema version 1 (null unless the release brings a malicious dependency).
                    "carries": JSONValue(v.carries),
                ])
            }),
            // Added in schema version 1 (null unless a version carrying a worm went live): readers that do not know it
            // are unaffected.
            "worm": b.worm.map { w in
                .object(["packages": .array(w.packages.map(JSONValue.string)), "maintainers": .array(w.maintainers.map(JSONValue.string))])
            } ?? .null,
        ])
    }

    static func explain(_ e: Explanation) -> String {
        document("explain", explainFields(e))
    }

    /// Several scenarios' explanations: `{schemaVersion, kind: "explain-set", explanations}`, each explanation the
    /// fields of a single `explain` document (without `schemaVersion` and `kind`).
    static func explanations(_ es: [Explanation]) -> String {
        document("explain-set", ["explanations": .array(es.map { .object(explainFields($0)) })])
    }

    static func explainFields(_ e: Explanation) -> [String: JSONValue] {
        [
            "scenario": .string(e.scenario),
            "scenarioTitle": .string(e.scenarioTitle),
            "historicalSucceeded": .bool(e.historicalSucceeded),
            "verdicts": .array(e.verdicts.map { v in
                .object([
                    "defense": .string(v.defense), "title": .string(v.title), "stops": .bool(v.stops),
                    "stoppedAtStep": JSONValue(v.stoppedAtStep), "rule": JSONValue(v.rule), "message": JSONValue(v.message),
                ])
            }),
        ]
    }

    // MARK: Scenario and profile descriptions

    static func scenario(_ s: Scenario) -> JSONValue {
        .object([
            "id": .string(s.id),
            "title": .string(s.title),
            "date": .string(s.date.date),
            "summary": .string(Fmt.oneLine(s.summary)),
            "references": JSONValue(s.references),
            "techniques": JSONValue(s.techniques),
            "goals": .array(s.goals.map { g in
                .object(["id": .string(g.id), "kind": .string(g.kind.rawValue), "description": .string(g.description),
                         "packages": JSONValue(g.packages), "account": JSONValue(g.account)])
            }),
            "teaching": .object([
                "hints": JSONValue(s.teaching.hints),
                "whatHappened": .string(Fmt.oneLine(s.teaching.whatHappened)),
                "remediation": JSONValue(s.teaching.remediation),
            ]),
            "blastRadiusInputs": s.blastRadius.map { b in
                .object(["hoursLive": JSONValue(b.hoursLive), "tokensExposed": JSONValue(b.tokensExposed), "note": JSONValue(b.note)])
            } ?? .null,
        ])
    }

    static func profile(_ p: Profile) -> JSONValue {
        .object([
            "id": .string(p.id),
            "title": .string(p.title),
            "description": .string(Fmt.oneLine(p.description)),
            "era": JSONValue(p.era?.date),
            "defenses": .array(p.defenses.map(setting)),
        ])
    }

    static func setting(_ d: DefenseSetting) -> JSONValue {
        let parameters: [String: JSONValue] = switch d {
        case .twoFactor(let mode, let factor): ["mode": .string(mode.rawValue), "factor": .string(factor.rawValue)]
        case .readOnlyTokens, .disallowTokens, .trustedPublishing, .ignoreScripts, .stageOnlyTokens: [:]
        case .cidrTokens(let prefix): ["prefix": .int(prefix)]
        case .granularShortLivedTokens(let days): ["lifetimeDays": .int(days)]
        case .minimumReleaseAge(let hours): ["hours": .int(hours)]
        case .npmClient(let major, let allowed): ["version": .int(major), "allowScripts": .array(allowed.map(JSONValue.string))]
        }
        return .object(["id": .string(d.id), "parameters": .object(parameters)])
    }

    // MARK: Validation and catalogs

    static func diagnostics(_ ds: [Diagnostic]) -> String {
        document("diagnostics", [
            "errors": .int(ds.filter { $0.severity == .error }.count),
            "warnings": .int(ds.filter { $0.severity == .warning }.count),
            "diagnostics": .array(ds.map { d in
                .object(["file": .string(d.file), "line": .int(d.line), "column": .int(d.column), "severity": .string(d.severity.rawValue),
                         "code": JSONValue(d.code?.rawValue), "message": .string(d.message), "hint": JSONValue(d.hint)])
            }),
        ])
    }

    static func defenses() -> String {
        document("defenses", ["defenses": .array(DefenseCatalog.entries.map { e in
            .object(["id": .string(e.id), "title": .string(e.title), "whatItIs": .string(e.whatItIs), "rules": JSONValue(e.rules.map(\.rawValue)),
                     "parameters": .string(e.parameters), "source": .string(e.source), "setting": setting(e.setting)])
        })])
    }

    static func profiles(_ ps: [Profile]) -> String {
        document("profiles", ["profiles": .array(ps.map(profile))])
    }

    static func rules() -> String {
        document("rules", [
            "rules": .array(Policy.allRules.enumerated().map { i, r in
                .object(["order": .int(i + 1), "id": .string(r.id.rawValue), "kind": .string(Words.ruleKind(r)), "checks": .string(r.checks),
                         "defense": .string(r.catalogDefense), "response": .string(r.response.rawValue), "source": .string(r.source)])
            }),
            "checksAroundThePolicy": .array(RuleID.checksAroundThePolicy.map { c in
                .object(["id": .string(c.id.rawValue), "checks": .string(c.checks), "response": .string(c.response.rawValue)])
            }),
            "consumerRules": .array(DefenseCatalog.consumerRules.map { r in
                .object(["id": .string(r.id.rawValue), "defense": .string(r.defense), "checks": .string(r.checks)])
            }),
            "ruleChanges": .array(RuleChange.allCases.map { c in
                .object(["id": .string(c.rawValue), "effective": .string(c.effective.date), "announced": .bool(c.isAnnounced),
                         "summary": .string(c.summary), "source": .string(c.source)])
            }),
            "defenses": .array(DefenseID.allCases.map { d in
                .object(["id": .string(d.rawValue), "summary": .string(d.summary), "chosen": .bool(d.isChosenDefense)])
            }),
        ])
    }

    static func scenarios(_ ss: [Scenario]) -> String {
        document("scenarios", ["scenarios": .array(ss.sorted { $0.id < $1.id }.map { s in
            .object(["id": .string(s.id), "title": .string(s.title), "date": .string(s.date.date), "summary": .string(Fmt.oneLine(s.summary)),
                     "references": JSONValue(s.references), "techniques": JSONValue(s.techniques), "steps": .int(s.steps.count),
                     "goals": JSONValue(s.goals.map(\.id)), "file": .string(s.file)])
        })])
    }
}
