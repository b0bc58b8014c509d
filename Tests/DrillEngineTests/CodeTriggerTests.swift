import DrillEngine
import DrillRegistry
import Testing

/// Where malicious code runs (issue 23): at install, from a lifecycle script, or on import, with no script at all.
/// The install-script defenses (--ignore-scripts, npm 12's default) stop the first and not the second.
@Suite("Code triggers: a payload that runs at install, or on import")
struct CodeTriggerTests {
    static func scenario(runs: String?) throws -> Scenario {
        let steps = Doc.steps.replacingOccurrences(of: "    payload: harvest-tokens\n", with: "    payload: harvest-tokens\n" + (runs.map { "    runs: \($0)\n" } ?? "")) + """
          - id: install
            at: 2018-07-12T10:00:00Z
            actor: consumers
            action: install
            package: widget
            consumers: [dev]

        """
        return try Replays.scenario(Doc.scenario(steps: steps, goals: "goals:\n  - { id: tokens, kind: harvest-tokens }\n"))
    }

    static let npmTwelve = Profile(id: "npm-client", title: "", description: "", era: nil, defenses: [.npmClient(major: 12, allowScripts: [])])

    @Test("the install-script defenses stop a payload that runs at install", arguments: [Replays.ignoreScripts, npmTwelve])
    func atInstall(_ profile: Profile) throws {
        for runs in [nil, "install"] {
            let outcome = try Replays.run(try Self.scenario(runs: runs), profile)
            #expect(outcome.step("install")?.status == .blocked, "\(profile.id), runs: \(runs ?? "absent")")
            #expect(outcome.goalsReached.isEmpty)
        }
    }

    /// A miner or a RAT harvests nothing, but it runs from the same postinstall: the defenses stop it just the same
    /// (before, such a payload was reported as running whatever the consumers' install options).
    @Test("they stop a payload that harvests nothing as well", arguments: [Replays.ignoreScripts, npmTwelve])
    func malwareAtInstall(_ profile: Profile) throws {
        let scenario = try Replays.scenario(Doc.scenario(steps: Doc.steps.replacingOccurrences(of: "payload: harvest-tokens", with: "payload: malware") + """
          - id: install
            at: 2018-07-12T10:00:00Z
            actor: consumers
            action: install
            package: widget
            consumers: [dev]

        """))
        #expect(try Replays.run(scenario).step("install")?.message == "1 consumer installs widget@1.0.1; its payload runs on their machines.")
        #expect(try Replays.run(scenario, profile).step("install")?.status == .blocked, "\(profile.id)")
    }

    @Test("they do not stop one that runs on import: it harvests all the same", arguments: [Replays.ignoreScripts, npmTwelve])
    func onImport(_ profile: Profile) throws {
        let outcome = try Replays.run(try Self.scenario(runs: "import"), profile)
        #expect(outcome.step("install")?.status == .succeeded, "\(profile.id)")
        #expect(outcome.step("install")?.details.contains("harvested dev-npmrc (dev)") == true)
        #expect(outcome.goalsReached == ["tokens"])
    }

    @Test("as it happened, both harvest; the version on import carries no install script")
    func historical() throws {
        for runs in ["install", "import"] {
            let outcome = try Replays.run(try Self.scenario(runs: runs))
            #expect(outcome.goalsReached == ["tokens"], "runs: \(runs)")
            #expect(outcome.step("publish")?.message.contains(runs == "install" ? "install script" : "when it is imported") == true)
        }
    }

    @Test("explain: ignore-scripts stops the install-time payload, not the import-time one")
    func explain() throws {
        let atInstall = try ReplayEngine.explain(try Self.scenario(runs: "install"))
        let onImport = try ReplayEngine.explain(try Self.scenario(runs: "import"))
        #expect(atInstall.verdicts.first { $0.defense == "ignore-scripts" }?.stops == true)
        #expect(onImport.verdicts.first { $0.defense == "ignore-scripts" }?.stops == false)
        #expect(onImport.verdicts.first { $0.defense == "npm-client" }?.stops == false)
    }

    @Test("an unknown trigger is refused with the words it takes")
    func unknownTrigger() {
        let errors = scenarioDiagnostics(Doc.scenario(steps: Doc.steps.replacingOccurrences(of: "    payload: harvest-tokens\n", with: "    payload: harvest-tokens\n    runs: require\n")))
        #expect(errors.map(\.message) == ["'require' is not a valid runs"])
    }
}
