import DrillEngine
import DrillRegistry
import Testing

/// A worm that spreads through the dependency graph (issue 23): each machine installs what its projects depend on, an
/// infected dependency reaches every machine that installs a dependent, and the report counts the packages and
/// maintainers reached under each profile.
@Suite("A worm spreads along the dependency graph")
struct WormGraphTests {
    /// Patient zero's `seed` carries the worm; dev-b's laptop installs it; dev-c's project is app-c, which depends on
    /// dev-b's lib-b; dev-d installs only tool-d. Every maintainer keeps an automation token in the environment.
    static func scenario(cInstalls: String = "[app-c]") -> String {
        """
        id: worm-graph
        title: A worm along dependency edges
        date: 2025-09-15
        summary: The worm reaches the machines whose projects depend on what it infected.
        world:
          accounts:
            - { name: pz, email: pz@pz.example }
            - { name: dev-b, email: b@b.example }
            - { name: dev-c, email: c@c.example }
            - { name: dev-d, email: d@d.example }
          machines:
            - { id: pz-laptop, owner: pz, tokens: [{ id: pz-token, kind: automation, location: environment }], installs: [] }
            - { id: b-laptop, owner: dev-b, tokens: [{ id: b-token, kind: automation, location: environment }], installs: [seed] }
            - { id: c-laptop, owner: dev-c, tokens: [{ id: c-token, kind: automation, location: environment }], installs: \(cInstalls) }
            - { id: d-laptop, owner: dev-d, tokens: [{ id: d-token, kind: automation, location: environment }], installs: [tool-d] }
          packages:
            - { name: seed, maintainers: [pz], versions: [1.0.0] }
            - { name: lib-b, maintainers: [dev-b], versions: [2.0.0] }
            - { name: app-c, maintainers: [dev-c], versions: [3.0.0], dependencies: [lib-b] }
            - { name: tool-d, maintainers: [dev-d], versions: [4.0.0] }
        steps:
          - id: steal
            at: 2025-09-15T10:00:00Z
            action: steal-token
            token: pz-token
          - id: seed
            at: 2025-09-15T10:10:00Z
            action: publish
            package: seed
            version: 1.0.1
            using: token:pz-token
            payload: worm
          - id: first-install
            at: 2025-09-15T11:00:00Z
            actor: consumers
            action: install
            package: seed
            consumers: [dev-b]
          - id: spread
            at: 2025-09-15T11:05:00Z
            action: worm-spread
            generations: 3
        goals:
          - { id: spread, kind: publish-malicious, packages: [lib-b, app-c, tool-d] }

        """
    }

    @Test("the worm reaches a machine through a dependency of what it installs, and no machine that installs nothing infected")
    func followsTheGraph() throws {
        let outcome = try Replays.run(try Replays.scenario(Self.scenario()))
        #expect(outcome.verdicts == ["steal: succeeded", "seed: succeeded", "first-install: succeeded", "spread: succeeded"])
        #expect(outcome.blastRadius?.worm == WormReach(packages: ["seed", "lib-b", "app-c"], maintainers: ["dev-b", "dev-c", "pz"]))
        #expect(outcome.step("spread")?.details.contains("installs of lib-b@2.0.1 harvest c-token (dev-c)") == true)

        // dev-c's project no longer depends on lib-b: the worm stops at lib-b.
        let apart = try Replays.run(try Replays.scenario(Self.scenario(cInstalls: "[tool-d]")))
        #expect(apart.blastRadius?.worm == WormReach(packages: ["seed", "lib-b"], maintainers: ["dev-b", "pz"]))
    }

    @Test("the reach is counted per profile: a defense that stops the first install keeps the worm in its seed")
    func perProfile() throws {
        let scenario = try Replays.scenario(Self.scenario())
        let ignoring = try Replays.run(scenario, Replays.ignoreScripts)
        #expect(ignoring.blastRadius?.worm == WormReach(packages: ["seed"], maintainers: ["pz"]))
        let refusing = try Replays.run(scenario, try Replays.profile("disallow-tokens", .disallowTokens))
        #expect(refusing.blastRadius?.worm == nil)
    }

    @Test("a machine installs packages of the world")
    func validation() {
        let errors = scenarioDiagnostics(Self.scenario(cInstalls: "[app-cc]")).filter { $0.severity == .error }
        #expect(errors.map(\.message) == ["machine 'c-laptop' installs 'app-cc', which is not in this world"])
        #expect(errors.first?.hint == "did you mean 'app-c'?")
    }
}
