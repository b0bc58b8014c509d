import DrillEngine
import DrillRegistry
import Testing

/// Open logins on machines and their theft (issue 23): what a stolen login is worth follows the era's rules for what a
/// login yields.
@Suite("Sessions: an open login stolen from a machine")
struct SessionTests {
    /// The maintainer's laptop with an open login started at `started`; the attacker takes it at `stealAt` and then
    /// runs `then` (steps using `step:steal`).
    static func scenario(date: String, started: String, skipped: Bool = false, stealAt: String, then: String) -> String {
        let laptop = """
            - id: maint-laptop
              owner: maintainer
              address: 198.51.100.30
              sessions:
                - { id: maint-login, started: \(started)\(skipped ? ", skipped2fa: true" : "") }
          packages:

        """
        return Doc.scenario(date: date, world: Doc.world.replacingOccurrences(of: "  packages:\n", with: laptop), steps: """
          - id: steal
            at: \(stealAt)
            action: steal-session
            session: maint-login

        """ + then, goals: "goals:\n  - { id: malicious, kind: publish-malicious, packages: [widget] }\n")
    }

    static func publish(at: String) -> String {
        """
          - id: publish
            at: \(at)
            action: publish
            package: widget
            version: 1.0.1
            using: step:steal

        """
    }

    static func changeEmail(at: String) -> String {
        """
          - id: email
            at: \(at)
            action: change-email
            account: maintainer
            email: attacker@evil.example
            using: step:steal

        """
    }

    static func run(_ date: String, started: String = "08:00", skipped: Bool = false, steal: String = "09:00", then: String,
                    _ profile: Profile = .historical) throws -> RunOutcome {
        let text = scenario(date: date, started: "\(date)T\(started):00Z", skipped: skipped, stealAt: "\(date)T\(steal):00Z", then: then)
        return try Replays.run(try Replays.scenario(text), profile)
    }

    /// The maintainer has no 2FA here, so only the login's lifetime decides an email change.
    @Test("before 9 Dec 2025 a stolen login is a token that never expires; from then a session that ends 2 hours after the login")
    func lifetime() throws {
        for (date, at, expected) in [
            ("2025-12-08", "13:00", "email: succeeded"),
            ("2025-12-10", "09:59", "email: succeeded"),
            ("2025-12-10", "10:01", "email: blocked (session.expired)"),
        ] {
            let outcome = try Self.run(date, then: Self.changeEmail(at: "\(date)T\(at):00Z"))
            #expect(outcome.verdicts == ["steal: succeeded", expected], "\(date) \(at)")
        }
        let expired = try Self.run("2025-12-10", then: Self.changeEmail(at: "2025-12-10T10:01:00Z"))
        #expect(expired.step("email")?.defense == "short-login-sessions")
        #expect(expired.step("steal")?.message.contains("a login session, which the registry ends at 2025-12-10T10:00:00Z") == true)
        let classic = try Self.run("2025-12-08", then: Self.changeEmail(at: "2025-12-08T13:00:00Z"))
        #expect(classic.step("steal")?.message.contains("a publish token that never expires") == true)
    }

    @Test("from 9 Dec 2025 a stolen session publishes only with a second factor; the token a login left before then publishes without")
    func publishingStepUp() throws {
        // package.requires-two-factor: from 9 Dec 2025 a publish with a login session needs the second factor ("During
        // these sessions, 2FA is enforced for publishing operations", GitHub changelog 2025-12-09), which this
        // maintainer, without 2FA, cannot give.
        for (date, expected) in [("2025-12-08", "publish: succeeded"), ("2025-12-10", "publish: blocked (package.requires-two-factor)")] {
            let outcome = try Self.run(date, then: Self.publish(at: "\(date)T09:10:00Z"))
            #expect(outcome.verdicts == ["steal: succeeded", expected], "\(date)")
            #expect(outcome.attackSucceeded == (expected == "publish: succeeded"))
        }
    }

    /// The holder ticked "skip 2FA for the next 5 minutes" at the login's prompt (npm/documentation 90be62d0, 11 Feb 2026).
    @Test("from 11 Feb 2026 a session stolen within five minutes of a login that skipped 2FA publishes without a code")
    func skippedSecondFactor() throws {
        for (date, skipped, at, expected) in [
            ("2026-02-10", true, "08:03", "publish: blocked (2fa.package-publishing)"),
            ("2026-02-11", true, "08:03", "publish: succeeded"),
            ("2026-02-11", true, "08:06", "publish: blocked (2fa.package-publishing)"),
            ("2026-02-11", false, "08:03", "publish: blocked (2fa.package-publishing)"),
        ] {
            let outcome = try Self.run(date, skipped: skipped, steal: "08:02", then: Self.publish(at: "\(date)T\(at):00Z"), Replays.authOnly)
            #expect(outcome.verdicts == ["steal: succeeded", expected], "\(date) skipped \(skipped) at \(at)")
        }
        // An account without 2FA never saw the prompt: the box does nothing, and the era's rule that publishing needs
        // 2FA stands.
        let without = try Self.run("2026-02-11", skipped: true, steal: "08:02", then: Self.publish(at: "2026-02-11T08:03:00Z"))
        #expect(without.step("publish")?.status == .blocked)
    }

    /// A developer's stored npm login (~/.npmrc) read by a harvesting install script: the attacker's stolen granular
    /// token publishes widget with the harvester, dev installs it, and the harvest is then used to publish dev's package.
    static func storedLogin(date: String, location: String) -> String {
        """
        id: stored-login
        title: A harvested stored login
        date: \(date)
        summary: An install script reads npm's stored login.
        world:
          accounts:
            - { name: maintainer, email: maintainer@maint.example }
            - { name: dev, email: dev@dev.example }
          machines:
            - id: maint-laptop
              owner: maintainer
              tokens: [{ id: maint-token, kind: granular, bypass2fa: true }]
            - id: dev-laptop
              owner: dev
              installs: [widget]
              sessions: [{ id: dev-login, started: \(date)T08:30:00Z, location: \(location) }]
          packages:
            - { name: widget, maintainers: [maintainer], versions: [1.0.0] }
            - { name: dev-lib, maintainers: [dev], versions: [0.1.0] }
        steps:
          - id: steal
            at: \(date)T09:00:00Z
            action: steal-token
            token: maint-token
          - id: seed
            at: \(date)T09:10:00Z
            action: publish
            package: widget
            version: 1.0.1
            using: token:maint-token
            payload: harvest-tokens
          - id: install
            at: \(date)T09:20:00Z
            actor: consumers
            action: install
            package: widget
            consumers: [dev]
          - id: spread
            at: \(date)T09:30:00Z
            action: publish
            package: dev-lib
            version: 0.1.1
            using: harvested
        goals:
          - { id: dev-lib, kind: publish-malicious, packages: [dev-lib] }

        """
    }

    /// From 9 Dec 2025 `npm login` stores a 2-hour session that publishes only with a second factor (GitHub changelog
    /// 2025-12-09): harvested, it is worth nothing for publishing; before, the token it stored published as it was.
    @Test("a harvesting install takes npm's stored login; from 9 Dec 2025 that login publishes nothing without a second factor")
    func harvestedStoredLogin() throws {
        let before = try Replays.run(try Replays.scenario(Self.storedLogin(date: "2025-12-08", location: "npmrc")))
        #expect(before.step("install")?.details == ["harvested dev-login (dev's stored login)"])
        #expect(before.verdicts.last == "spread: succeeded")
        let after = try Replays.run(try Replays.scenario(Self.storedLogin(date: "2025-12-10", location: "npmrc")))
        #expect(after.step("install")?.details == ["harvested dev-login (dev's stored login)"])
        #expect(after.verdicts.last == "spread: blocked (package.requires-two-factor)")
        // A publish with harvested credentials is the step's release, as any other publish: here code that runs on import.
        let onImport = try Replays.run(try Replays.scenario(Self.storedLogin(date: "2025-12-08", location: "npmrc")
            .replacingOccurrences(of: "    using: harvested\n", with: "    using: harvested\n    payload: harvest-tokens\n    runs: import\n")))
        #expect(onImport.step("spread")?.message == "Published dev-lib@0.1.1 with harvest-tokens code that runs when it is imported.")
        // A browser's session is an info-stealer's to take, not an install script's: the file says so where it uses it.
        let browser = scenarioDiagnostics(Self.storedLogin(date: "2025-12-08", location: "browser")).filter { $0.severity == .error }
        #expect(browser.map(\.message) == ["step 'spread' can never run: no earlier step harvests tokens"])
    }

    /// `regdrill serve --scenario` seeds the world at the present: a login keeps its distance from the scenario's start.
    @Test("a registry that starts elsewhere (the live server's present) moves a login's start with it")
    func seededElsewhere() throws {
        let scenario = try Replays.scenario(Self.scenario(date: "2026-03-02", started: "2026-03-02T08:00:00Z", stealAt: "2026-03-02T09:00:00Z",
                                                          then: Self.publish(at: "2026-03-02T09:10:00Z")))
        // The replay's world starts a day before the first step: 2026-03-01T09:00:00Z, 23 hours before the login.
        let present = try #require(Timestamp.parse("2026-12-07T12:00:00Z"))
        let registry = try Registry(configuration: RegistryConfiguration(era: scenario.date, passwordCost: .bulkSimulation), clock: ManualClock(present))
        let world = try PreparedWorld.seed(scenario, profile: .historical, into: registry, start: present)
        #expect(world.sessions["maint-login"]?.expires == present + 23 * 3_600 + 7_200)
        // A replay's own world starts where the scenario does: the login is where the file puts it.
        let replayed = try PreparedWorld.prepare(scenario, profile: .historical)
        #expect(replayed.sessions["maint-login"]?.expires == (try #require(Timestamp.parse("2026-03-02T10:00:00Z"))))
    }

    @Test("a session is checked where it is declared and where it is stolen")
    func validation() {
        let text = Self.scenario(date: "2026-03-02", started: "2026-03-02T08:00:00Z", stealAt: "2026-03-02T09:00:00Z", then: Self.publish(at: "2026-03-02T09:10:00Z"))
        #expect(scenarioDiagnostics(text).filter { $0.severity == .error }.isEmpty)
        for (from, to, message) in [
            ("session: maint-login", "session: maint-logn", "there is no session 'maint-logn' to steal"),
            ("started: 2026-03-02T08:00:00Z", "started: 2026-03-02T09:30:00Z", "session 'maint-login' starts after the first step; the world is as it was before it"),
            ("{ id: maint-login,", "{ id: maint-login, account: maintainr,", "the session's account 'maintainr' is not an account of this world"),
            ("{ id: maint-login, started: 2026-03-02T08:00:00Z }", "{ id: maint-login, started: 2026-03-02T08:00:00Z }\n        - { id: maint-login, started: 2026-03-02T07:00:00Z }",
             "duplicate session id 'maint-login' (first at line 29)"),
            ("using: step:steal", "using: step:nothing", "step 'publish' uses 'step:nothing', which is no step of this scenario"),
        ] {
            let broken = text.replacingOccurrences(of: from, with: to)
            #expect(broken != text, "\(from)")
            let errors = scenarioDiagnostics(broken).filter { $0.severity == .error }
            #expect(errors.map(\.message) == [message], "\(from)")
        }
        let hint = scenarioDiagnostics(text.replacingOccurrences(of: "session: maint-login", with: "session: maint-logn")).first?.hint
        #expect(hint == "did you mean 'maint-login'?")
    }
}
