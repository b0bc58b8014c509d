import DrillEngine
import DrillRegistry

/// The catalogs, built from the code's own tables: `DefenseCatalog.entries`, `Policy.allRules`,
/// `RuleChange.allCases`, `DefenseCatalog.consumerRules`, `DefenseID.allCases`, and the loaded profiles and
/// scenarios. Nothing here is written twice.
enum Catalogs {
    static func defenses() -> CatalogDocument {
        CatalogDocument(
            title: "Defenses",
            intro: "Each defense is one mechanism a profile can switch on; `regdrill explain` adds each alone to a scenario's world as it happened.",
            sections: [CatalogDocument.Section(heading: "Defenses", textLabel: "what it is", entries: DefenseCatalog.entries.map { e in
                CatalogDocument.Entry(id: e.id, title: e.title, text: e.whatItIs, fields: [
                    ("rules", e.rules.map(\.rawValue).joined(separator: ", ")), ("parameters", e.parameters), ("source", e.source),
                ])
            })])
    }

    static func profiles(_ ps: [Profile]) -> CatalogDocument {
        CatalogDocument(
            title: "Profiles",
            intro: "A profile is a named set of defenses with parameters, replayed against every scenario in the matrix.",
            sections: [CatalogDocument.Section(heading: "Profiles", entries: ps.map { p in
                CatalogDocument.Entry(id: p.id, title: p.title, text: p.description, fields: [
                    ("era", Words.profileEra(p)),
                    ("defenses", p.defenses.isEmpty ? "none added" : p.defenses.map(Words.setting).joined(separator: "; ")),
                ])
            })])
    }

    static func rules() -> CatalogDocument {
        let registry = Policy.allRules.map { r in
            CatalogDocument.Entry(id: r.id.rawValue, text: r.checks, fields: [
                ("kind", Words.ruleKind(r)), ("defense", r.catalogDefense), ("response", r.response.rawValue), ("source", r.source),
            ])
        }
        let around = RuleID.checksAroundThePolicy.map { c in
            CatalogDocument.Entry(id: c.id.rawValue, text: c.checks, fields: [("response", c.response.rawValue)])
        }
        let consumer = DefenseCatalog.consumerRules.map { r in
            CatalogDocument.Entry(id: r.id.rawValue, text: r.checks, fields: [("defense", r.defense)])
        }
        let eras = RuleChange.allCases.map { c in
            CatalogDocument.Entry(id: c.rawValue, title: c.effective.date + (c.isAnnounced ? " (announced)" : ""), text: c.summary, fields: [("source", c.source)])
        }
        let defenses = DefenseID.allCases.map { d in
            CatalogDocument.Entry(id: d.rawValue, text: d.summary, fields: [("chosen", d.isChosenDefense ? "yes" : "no (ordinary check)")])
        }
        return CatalogDocument(
            title: "Rules",
            intro: "Every decision of the simulated registry comes from these rules; a refusal names its rule and defense.",
            sections: [
                CatalogDocument.Section(heading: "Registry rules",
                                        intro: "In the order the policy checks them; the first that refuses decides. Second-factor failures report a bad code or key instead of the rule that asked for it.",
                                        textLabel: "checks", entries: registry),
                CatalogDocument.Section(heading: "Checks around the policy",
                                        intro: "Malformed or impossible requests, a failed store and requests the HTTP parser refuses (defense input-validation), and a replay's unreadable mail (access-control).",
                                        textLabel: "checks", entries: around),
                CatalogDocument.Section(heading: "Consumer-side rules",
                                        intro: "Applied by the replay engine to installs, not by the registry.", textLabel: "checks", entries: consumer),
                CatalogDocument.Section(heading: "Rule changes by era",
                                        intro: "A scenario replayed as it happened uses the rules of its date; a profile can name another era.",
                                        textLabel: "change", entries: eras),
                CatalogDocument.Section(heading: "Defenses named by the rules", textLabel: "summary", entries: defenses),
            ])
    }

    static func scenarios(_ ss: [Scenario]) -> CatalogDocument {
        let sorted = ss.sorted { $0.id < $1.id }
        return CatalogDocument(
            title: "Scenarios",
            intro: "",
            sections: [CatalogDocument.Section(heading: "Scenarios", textLabel: "summary", layout: .grid, entries: sorted.map { s in
                CatalogDocument.Entry(id: s.id, title: s.title, text: Fmt.oneLine(s.summary), fields: [
                    ("date", s.date.date), ("steps", String(s.steps.count)), ("techniques", s.techniques.joined(separator: ", ")),
                ])
            })])
    }
}
