import DrillEngine
import DrillRegistry
import DrillReports

/// A small, fixed set of values for the golden files: built inline, never loaded from `scenarios/`, so
/// edits to the bundled scenarios do not change the goldens. The outcomes are hand-written, not replayed:
/// the reports must render whatever they are given.
enum Fixture {
    static let day: Int64 = (try! RegistryEra("2022-09-01")).startOfDay
    static func at(_ hour: Int64, _ minute: Int64, dayOffset: Int64 = 0) -> Int64 { day + dayOffset * 86_400 + hour * 3_600 + minute * 60 }

    // MARK: Scenarios

    static let phishing: Scenario = {
        var s = Scenario(
            id: "fixture-phish",
            title: "Fixture: a phished login & a stolen publish",
            date: try! RegistryEra("2022-09-01"),
            summary: """
            A maintainer types their password and one-time code into a look-alike login page; the proxy relays both
            to the registry, creates a token and publishes a version whose "postinstall" steals <tokens>.
            """,
            references: ["https://example.org/incident?a=1&b=2", "Vendor advisory, 1 Sep 2022"],
            techniques: ["T1566.002", "T1195.002"],
            steps: [
                Step(id: "phish", at: at(10, 0), actor: .attacker, action: .phish(account: "maint", origin: "https://npmjs-login.example", minutes: 30),
                     narrative: "A look-alike page asks for the password and the one-time code."),
                Step(id: "login", at: at(10, 2), actor: .attacker, action: .login(account: "maint"),
                     narrative: "The proxy logs in with what the maintainer typed."),
                Step(id: "create-token", at: at(10, 5), actor: .attacker,
                     action: .createToken(account: "maint", using: .step("login"), kind: .publish, readOnly: false, cidr: [], packages: [],
                                          bypassTwoFactor: false, lifetimeDays: nil),
                     narrative: "The attacker creates a publish token."),
                Step(id: "publish", at: at(10, 20), actor: .attacker,
                     action: .publish(package: "left-pad-ng", version: "2.0.1", using: .step("create-token"),
                                      release: Release(payload: .harvestTokens, installScripts: ["postinstall": "node steal.js"])),
                     narrative: "left-pad-ng@2.0.1 goes out with a postinstall that sends ~/.npmrc away."),
                Step(id: "installs", at: at(11, 0), actor: .consumers, action: .install(package: "left-pad-ng", version: nil, consumers: ["dev-a", "dev-b"]),
                     narrative: "Two developers install it."),
                Step(id: "takedown", at: at(13, 30), actor: .staff, action: .staffRemoveVersion(package: "left-pad-ng", version: "2.0.1"),
                     narrative: "Registry staff take the version down."),
            ],
            goals: [
                Goal(id: "malicious-release", kind: .publishMalicious, packages: ["left-pad-ng"], description: "A malicious left-pad-ng is published."),
                Goal(id: "tokens", kind: .harvestTokens, description: "Installers' tokens reach the attacker."),
            ],
            teaching: Teaching(
                whatHappened: "The version was live for 3 h 10 min; the registry revoked the tokens it had seen.",
                hints: ["Which factor can a proxy relay, and which can it not?", "Does auth-only ask for a code when a token is created?"],
                remediation: ["Use a security key.", "Require 2FA for token management."]),
            blastRadius: BlastRadiusInputs(hoursLive: 3.17, tokensExposed: 1200))
        s.blastRadius?.note = "Live 10:20-13:30 UTC."
        return s
    }()

    static let worm: Scenario = Scenario(
        id: "fixture-worm",
        title: "Fixture: a worm over two days",
        date: try! RegistryEra("2022-09-01"),
        summary: "A harvested CI token republishes the worm the next morning.",
        techniques: ["T1195.002"],
        steps: [
            Step(id: "steal-ci-token", at: at(22, 0), actor: .attacker, action: .stealToken(token: "ci-secret"),
                 narrative: "The worm reads the CI secret."),
            Step(id: "publish-with-ci-token", at: at(7, 30, dayOffset: 1), actor: .attacker,
                 action: .publish(package: "utils-x", version: "1.0.1", using: .token("ci-secret"), release: Release(payload: .worm)),
                 narrative: "It republishes itself with that token."),
        ],
        goals: [Goal(id: "spread", kind: .publishMalicious, packages: ["utils-x"], description: "The worm publishes a new version.")])

    // MARK: Profiles

    static let historical = Profile.historical
    static let authOnly = Profile(id: "auth-only", title: "2FA in auth-only mode",
                                  description: "Every account has a TOTP authenticator in auth-only mode.",
                                  era: nil, defenses: [.twoFactor(mode: .authOnly, factor: .totp)])
    static let securityKey = Profile(id: "security-key", title: "Security keys, auth-and-writes",
                                     description: "Every account's second factor is a security key.",
                                     era: nil, defenses: [.twoFactor(mode: .authAndWrites, factor: .securityKey)])
    static let granular = Profile(id: "granular-short-lived-tokens", title: "Granular, short-lived tokens",
                                  description: "Every token is granular and expires after 7 days.",
                                  era: try! RegistryEra("2025-12-10"), defenses: [.granularShortLivedTokens(lifetimeDays: 7), .minimumReleaseAge(hours: 24)])
    static let profiles = [historical, authOnly, securityKey, granular]

    // MARK: Outcomes

    static func step(_ s: Step, _ status: StepStatus, _ message: String, rule: String? = nil, defense: String? = nil, details: [String] = []) -> StepOutcome {
        let actor = switch s.actor {
        case .attacker: "attacker"
        case .consumers: "consumers"
        case .staff: "registry staff"
        case .account(let a): a
        }
        return StepOutcome(id: s.id, at: s.at, actor: actor, action: s.action.name, narrative: s.narrative, status: status, message: message,
                           rule: rule, defense: defense, details: details)
    }

    static var p: [Step] { phishing.steps }

    static let phishBlast = BlastRadius(
        versions: [VersionReach(package: "left-pad-ng", version: "2.0.1", weeklyDownloads: 1_500_000, hoursLive: 3.17, estimatedInstalls: 28_304)],
        tokensHarvested: 2, tokensExposedFigure: 1200,
        method: "estimate: weekly downloads × hours live ÷ 168; hours live from the replay's removal step, else the scenario's figure (3.17 h)")

    static let phishHistorical = RunOutcome(
        scenario: phishing.id, scenarioTitle: phishing.title, profile: "historical", era: "2022-09-01",
        steps: [
            step(p[0], .succeeded, "The maintainer typed their password and code into https://npmjs-login.example; the proxy holds them for 30 minutes."),
            step(p[1], .succeeded, "Logged in as maint."),
            step(p[2], .succeeded, "Created a publish token for maint."),
            step(p[3], .succeeded, "Published left-pad-ng@2.0.1."),
            step(p[4], .succeeded, "2 consumers installed left-pad-ng@2.0.1; its postinstall ran.", details: ["harvested token of dev-a", "harvested token of dev-b"]),
            step(p[5], .succeeded, "Removed left-pad-ng@2.0.1."),
        ],
        attackSucceeded: true, goalsReached: ["malicious-release", "tokens"], stoppedBy: nil, stoppedAtStep: nil, blastRadius: phishBlast)

    static let phishAuthOnly = RunOutcome(
        scenario: phishing.id, scenarioTitle: phishing.title, profile: "auth-only", era: "2022-09-01",
        steps: [
            step(p[0], .succeeded, "The maintainer typed their password and code into https://npmjs-login.example; the proxy holds them for 30 minutes."),
            step(p[1], .succeeded, "Logged in as maint.", details: ["retried with the relayed one-time code"]),
            step(p[2], .blocked, "Creating a token needs a one-time password (auth-only from 29 Aug 2022).", rule: "2fa.token-management", defense: "auth-only"),
            step(p[3], .skipped, "it needs the credential of step 'create-token', but step 'create-token' was blocked (2fa.token-management)"),
            step(p[4], .skipped, "no malicious version of left-pad-ng exists"),
            step(p[5], .notApplicable, "left-pad-ng@2.0.1 was never published"),
        ],
        attackSucceeded: false, goalsReached: [], stoppedBy: "auth-only", stoppedAtStep: "create-token")

    static let phishSecurityKey = RunOutcome(
        scenario: phishing.id, scenarioTitle: phishing.title, profile: "security-key", era: "2022-09-01",
        steps: [
            step(p[0], .succeeded, "The maintainer typed their password into https://npmjs-login.example; the key signed for that origin."),
            step(p[1], .blocked, "The security-key assertion was made for https://npmjs-login.example, not this registry.", rule: "security-key.wrong-origin",
                 defense: "security-key"),
            step(p[2], .skipped, "it needs the credential of step 'login', but step 'login' was blocked (security-key.wrong-origin)"),
            step(p[3], .skipped, "it needs the credential of step 'create-token', but step 'create-token' was skipped"),
            step(p[4], .skipped, "no malicious version of left-pad-ng exists"),
            step(p[5], .notApplicable, "left-pad-ng@2.0.1 was never published"),
        ],
        attackSucceeded: false, goalsReached: [], stoppedBy: "security-key", stoppedAtStep: "login")

    static let phishGranular = RunOutcome(
        scenario: phishing.id, scenarioTitle: phishing.title, profile: "granular-short-lived-tokens", era: "2025-12-10",
        steps: [
            step(p[0], .succeeded, "The maintainer typed their password and code into https://npmjs-login.example; the proxy holds them for 30 minutes."),
            step(p[1], .succeeded, "Logged in as maint (a 2-hour session)."),
            step(p[2], .succeeded, "Created a granular token for maint, expiring in 7 days."),
            step(p[3], .succeeded, "Published left-pad-ng@2.0.1."),
            step(p[4], .succeeded, "Consumers wait 24 hours before installing a new version: nothing installed yet.", rule: nil, defense: nil),
            step(p[5], .succeeded, "Removed left-pad-ng@2.0.1."),
        ],
        attackSucceeded: true, goalsReached: ["malicious-release"], stoppedBy: nil, stoppedAtStep: nil,
        blastRadius: BlastRadius(versions: [VersionReach(package: "left-pad-ng", version: "2.0.1", weeklyDownloads: 1_500_000, hoursLive: 3.17, estimatedInstalls: 0)],
                                 tokensHarvested: 0, tokensExposedFigure: nil,
                                 method: "estimate: weekly downloads × hours live ÷ 168, minus the first 24 hours a minimum release age holds back"))

    static var w: [Step] { worm.steps }

    static let wormHistorical = RunOutcome(
        scenario: worm.id, scenarioTitle: worm.title, profile: "historical", era: "2022-09-01",
        steps: [step(w[0], .succeeded, "The attacker holds token ci-secret."), step(w[1], .succeeded, "Published utils-x@1.0.1.")],
        attackSucceeded: true, goalsReached: ["spread"], stoppedBy: nil, stoppedAtStep: nil,
        blastRadius: BlastRadius(versions: [VersionReach(package: "utils-x", version: "1.0.1", weeklyDownloads: 0, hoursLive: nil, estimatedInstalls: nil)],
                                 tokensHarvested: 0, tokensExposedFigure: nil, method: "estimate: weekly downloads × hours live ÷ 168"))

    static let wormSecurityKey = RunOutcome(
        scenario: worm.id, scenarioTitle: worm.title, profile: "security-key", era: "2022-09-01",
        steps: [step(w[0], .succeeded, "The attacker holds token ci-secret."),
                step(w[1], .blocked, "This package requires a second factor for every write.", rule: "2fa.writes", defense: "auth-and-writes")],
        attackSucceeded: false, goalsReached: [], stoppedBy: "auth-and-writes", stoppedAtStep: "publish-with-ci-token")

    static let wormGranular = RunOutcome(
        scenario: worm.id, scenarioTitle: worm.title, profile: "granular-short-lived-tokens", era: "2025-12-10",
        steps: [step(w[0], .notApplicable, "token 'ci-secret' does not exist under this profile (trusted-publishing removed it)", defense: "trusted-publishing"),
                step(w[1], .skipped, "the attacker does not hold token 'ci-secret': step 'steal-ci-token' did not apply")],
        attackSucceeded: false, goalsReached: [], stoppedBy: "trusted-publishing", stoppedAtStep: "steal-ci-token")

    /// Two scenarios × four profiles, one run missing (worm under auth-only) to show an empty cell.
    static let matrix = MatrixReport(
        runs: [phishHistorical, phishAuthOnly, phishSecurityKey, phishGranular, wormHistorical, wormSecurityKey, wormGranular],
        scenarios: [phishing, worm], profiles: profiles)

    // MARK: Explain, diagnostics

    static let explanation = Explanation(
        scenario: phishing.id, scenarioTitle: phishing.title,
        verdicts: [
            DefenseVerdict(defense: "auth-only", title: "2FA, auth-only", stops: true, atStep: "create-token", rule: "2fa.token-management",
                           message: "Creating a token needs a one-time password (auth-only from 29 Aug 2022)."),
            DefenseVerdict(defense: "security-key", title: "Security keys (phishing-resistant 2FA)", stops: true, atStep: "login",
                           rule: "security-key.wrong-origin", message: "The security-key assertion was made for https://npmjs-login.example, not this registry."),
            DefenseVerdict(defense: "read-only-tokens", title: "Read-only tokens on developer machines", stops: false, atStep: nil, rule: nil, message: nil),
            DefenseVerdict(defense: "ignore-scripts", title: "Consumers ignore install scripts", stops: false, atStep: nil, rule: nil, message: nil),
        ],
        historicalSucceeded: true)

    static let diagnostics = [
        Diagnostic(file: "scenarios/b.yaml", line: 3, column: 5, code: .unknownKey, message: "unknown key 'acount'", hint: "did you mean 'account'?"),
        Diagnostic(file: "scenarios/a.yaml", line: 12, column: 9, severity: .warning, code: .neverRuns, message: "step 'x' is never used by a goal"),
        // A diagnostic made outside the loaders has no code; the JSON says null.
        Diagnostic(file: "scenarios/a.yaml", line: 4, column: 1, message: "a <step> needs an 'id' & an 'at'"),
    ]
}

extension Fixture {
    /// The worm's historical run with the reach a worm spread gives.
    static var wormSpread: RunOutcome {
        var run = wormHistorical
        run.blastRadius?.worm = WormReach(packages: ["utils-x", "utils-y"], maintainers: ["ci-bot", "maint"])
        return run
    }
}
