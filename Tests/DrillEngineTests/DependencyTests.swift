import DrillEngine
import DrillRegistry
import Testing

/// Dependencies between the world's packages (issue 23): installing a dependent installs the malicious version it
/// pulls in, and npm's unpublish policy keeps a package others depend on.
@Suite("Dependencies between packages")
struct DependencyTests {
    /// `app` (maintained by dev) depends on `mid`, which depends on `leaf`, maintained by `maintainer`, whose password
    /// the attacker knows. `deps` replaces the edges.
    static func scenario(date: String = "2018-07-12", appDependsOn: String = "[mid]", midDependsOn: String = "[leaf]", steps: String) -> String {
        """
        id: dependencies
        title: A malicious dependency
        date: \(date)
        summary: A dependency's malicious release reaches those who install its dependents.
        world:
          accounts:
            - { name: maintainer, email: maintainer@maint.example }
            - { name: dev, email: dev@dev.example }
          machines:
            - id: dev-laptop
              owner: dev
              tokens:
                - { id: dev-npmrc, kind: publish }
          packages:
            - { name: leaf, maintainers: [maintainer], versions: [1.0.0] }
            - { name: mid, maintainers: [maintainer], versions: [2.0.0], dependencies: \(midDependsOn) }
            - { name: app, maintainers: [dev], versions: [3.0.0], dependencies: \(appDependsOn) }
        attacker:
          knowsPasswords: [maintainer]
        steps:
          - id: login
            at: \(date)T09:00:00Z
            action: login
            account: maintainer
          - id: publish
            at: \(date)T09:10:00Z
            action: publish
            package: leaf
            version: 1.0.1
            using: step:login
            payload: harvest-tokens

        """ + steps + """
        goals:
          - { id: tokens, kind: harvest-tokens }

        """
    }

    static let install = """
          - id: install
            at: 2018-07-12T12:00:00Z
            actor: consumers
            action: install
            package: app
            consumers: [dev]

        """

    @Test("installing a package installs the malicious release of a package it depends on, transitively")
    func installPullsInDependency() throws {
        let outcome = try Replays.run(try Replays.scenario(Self.scenario(steps: Self.install)))
        #expect(outcome.verdicts == ["login: succeeded", "publish: succeeded", "install: succeeded"])
        #expect(outcome.step("install")?.message == "1 consumer installs app, which pulls in leaf@1.0.1; its postinstall sends 1 npm token to the attacker.")
        #expect(outcome.step("install")?.details == ["harvested dev-npmrc (dev)"])
        #expect(outcome.attackSucceeded)

        // Without the edge nothing malicious comes with app.
        let apart = try Replays.run(try Replays.scenario(Self.scenario(appDependsOn: "[]", steps: Self.install)))
        #expect(apart.step("install")?.status == .skipped)
        #expect(apart.step("install")?.message == "No malicious version of app to install.")
        #expect(!apart.attackSucceeded)
    }

    /// The attacker's release of leaf adds a dependency on a malicious package of their own (as axios 1.14.1 added
    /// plain-crypto-js in 2026); leaf's own code is clean.
    static func injected(dependencies: String?) -> String {
        scenario(steps: install).replacingOccurrences(of: """
            package: leaf
            version: 1.0.1
            using: step:login
            payload: harvest-tokens

        """, with: """
            package: evil-dep
            version: 4.2.1
            using: step:login
            payload: harvest-tokens
            newPackage: true
          - id: release
            at: 2018-07-12T09:20:00Z
            action: publish
            package: leaf
            version: 1.0.1
            using: step:login
            payload: none

        """ + (dependencies.map { "    dependencies: \($0)\n" } ?? ""))
    }

    @Test("a release that adds a malicious dependency brings it to every install of its dependents")
    func injectedDependency() throws {
        let outcome = try Replays.run(try Replays.scenario(Self.injected(dependencies: "[evil-dep]")))
        #expect(outcome.verdicts == ["login: succeeded", "publish: succeeded", "release: succeeded", "install: succeeded"])
        #expect(outcome.step("install")?.message == "1 consumer installs app, which pulls in evil-dep@4.2.1; its postinstall sends 1 npm token to the attacker.")
        // Without the added dependency, leaf's release brings nothing malicious.
        let clean = try Replays.run(try Replays.scenario(Self.injected(dependencies: nil)))
        #expect(clean.step("install")?.status == .skipped)
        // A dependency the world does not have at that step is refused where it is named.
        let errors = scenarioDiagnostics(Self.injected(dependencies: "[evil-dpe]")).filter { $0.severity == .error }
        #expect(errors.map(\.message) == ["leaf@1.0.1 depends on 'evil-dpe', which is not in this world at this step"])
        #expect(errors.first?.hint == "did you mean 'evil-dep'?")
    }

    /// axios 1.14.1 (2026) had no code of its own that did harm: it added plain-crypto-js, whose postinstall did. Such a
    /// release counts as a malicious publish of its own package, and its reach is its own package's.
    @Test("a clean release that brings a malicious dependency is a malicious publish of its package, with its own reach")
    func injectedDependencyCountsForItsPackage() throws {
        let goal = "  - { id: tokens, kind: harvest-tokens }\n"
        let text = Self.injected(dependencies: "[evil-dep]").replacingOccurrences(of: goal, with: goal + "  - { id: leaf, kind: publish-malicious, packages: [leaf] }\n")
            .replacingOccurrences(of: "{ name: leaf, maintainers: [maintainer], versions: [1.0.0] }", with: "{ name: leaf, maintainers: [maintainer], versions: [1.0.0], weeklyDownloads: 1680 }")
        let outcome = try Replays.run(try Replays.scenario(text))
        #expect(outcome.step("release")?.message == "Published leaf@1.0.1, which brings the malicious evil-dep@4.2.1 through its dependencies.")
        #expect(outcome.goalsReached == ["tokens", "leaf"])
        let reach = outcome.blastRadius?.versions.map(\.label)
        #expect(reach == ["evil-dep@4.2.1", "leaf@1.0.1, which brings evil-dep@4.2.1"])
        #expect(outcome.blastRadius?.versions.last?.weeklyDownloads == 1680)
        // Without the added dependency leaf's release is clean: the goal on leaf is not reached.
        let clean = try Replays.run(try Replays.scenario(text.replacingOccurrences(of: "    dependencies: [evil-dep]\n", with: "")))
        #expect(clean.step("release")?.message == "Published leaf@1.0.1.")
        #expect(clean.goalsReached == [])
    }

    @Test("the install-script defenses judge the dependency's postinstall")
    func defensesJudgeTheDependency() throws {
        let outcome = try Replays.run(try Replays.scenario(Self.scenario(steps: Self.install)), Replays.ignoreScripts)
        #expect(outcome.verdicts.last == "install: blocked (consumer.ignore-scripts)")
        #expect(outcome.step("install")?.message == "Consumers install with --ignore-scripts: the postinstall of leaf@1.0.1, which mid depends on, never runs.")
        let aged = try Replays.run(try Replays.scenario(Self.scenario(steps: Self.install)), Replays.minimumReleaseAge)
        #expect(aged.verdicts.last == "install: blocked (consumer.minimum-release-age)")
    }

    static func unpublish(at time: String) -> String {
        """
          - id: unpublish
            at: \(time)
            action: unpublish
            package: leaf
            version: 1.0.1
            using: step:login

        """
    }

    /// unpublish.has-dependents: from 29 Jun 2018 a version is unpublished within 72 hours only "as long as no other
    /// packages in the npm Public Registry depend on it" (npm/policies 04acfa2); before then, within 24 hours, with no
    /// such condition.
    @Test("from 29 Jun 2018 a package that others depend on cannot be unpublished, even within the window")
    func unpublishReadsTheEdges() throws {
        for (date, midDependsOn, expected) in [
            ("2018-06-28", "[leaf]", "unpublish: succeeded"),
            ("2018-06-29", "[leaf]", "unpublish: blocked (unpublish.has-dependents)"),
            ("2018-06-29", "[]", "unpublish: succeeded"),
        ] {
            let text = Self.scenario(date: date, midDependsOn: midDependsOn, steps: Self.unpublish(at: "\(date)T10:00:00Z"))
            let outcome = try Replays.run(try Replays.scenario(text))
            #expect(outcome.verdicts.last == expected, "\(date) mid depends on \(midDependsOn)")
        }
    }

    @Test("a dependency must be a package of the world, and not the package itself")
    func validation() {
        for (deps, message, hint) in [
            ("[lief]", "package 'mid' depends on 'lief', which is not in this world", "did you mean 'leaf'?"),
            ("[mid]", "package 'mid' depends on itself", "remove it from its own dependencies"),
        ] {
            let errors = scenarioDiagnostics(Self.scenario(midDependsOn: deps, steps: Self.install)).filter { $0.severity == .error }
            #expect(errors.map(\.message) == [message])
            #expect(errors.first?.hint == hint)
        }
    }
}
