@testable import DrillEngine
import Testing

/// One validation case: a scenario with markers where findings are expected.
struct ValidationCase: Sendable, CustomTestStringConvertible {
    var name: String
    var text: String
    var findings: [FindingSpec]
    var testDescription: String { name }
}

/// A Sendable description of a ``Finding`` (marker, message substring, hint substring, severity).
struct FindingSpec: Sendable {
    var marker: String, message: String, hint: String?, warning: Bool
    init(_ marker: String, _ message: String, hint: String? = nil, warning: Bool = false) {
        self.marker = marker; self.message = message; self.hint = hint; self.warning = warning
    }
    var finding: Finding { Finding(marker, message, hint: hint, severity: warning ? .warning : .error) }
}

@Suite("Scenario validation: every mistake, where it is, what to write instead")
struct ScenarioValidationTests {
    @Test("the baseline document is valid")
    func baselineIsValid() throws {
        let (scenario, warnings) = try ScenarioLoader.parse(Doc.scenario(), file: "inline.yaml")
        #expect(warnings.isEmpty)
        #expect(scenario.steps.map(\.id) == ["breach", "login", "publish"])
    }

    // MARK: Unknown keys, wrong types, missing keys

    static let shapeCases: [ValidationCase] = [
        ValidationCase(name: "unknown top-level key, near a known one", text: Doc.scenario(extra: "1️⃣titel: typo\n"),
                       findings: [FindingSpec("1️⃣", "unknown key 'titel' in the scenario", hint: "did you mean 'title'?")]),
        ValidationCase(name: "unknown top-level key, far from every known one", text: Doc.scenario(extra: "1️⃣zzzzzzzzzzzz: 1\n"),
                       findings: [FindingSpec("1️⃣", "unknown key 'zzzzzzzzzzzz'", hint: "known keys here:")]),
        ValidationCase(name: "unknown key in a step", text: Doc.scenario(steps: """
              - id: breach
                at: 2018-07-12T09:30:00Z
                action: reuse-breached-password
                account: maintainer
                1️⃣narative: typo

            """), findings: [FindingSpec("1️⃣", "unknown key 'narative' in a step", hint: "did you mean 'narrative'?")]),
        ValidationCase(name: "a misspelled required key is one mistake, reported once", text: Doc.scenario(steps: """
              - id: breach
                at: 2018-07-12T09:30:00Z
                action: reuse-breached-password
                1️⃣acount: maintainer

            """), findings: [FindingSpec("1️⃣", "unknown key 'acount' in a step", hint: "did you mean 'account'?")]),
        ValidationCase(name: "unknown key in an account", text: Doc.scenario(world: Doc.world.replacingOccurrences(
            of: "      passwordReused: true", with: "      1️⃣passwordReuse: true")),
                       findings: [FindingSpec("1️⃣", "unknown key 'passwordReuse' in an account", hint: "did you mean 'passwordReused'?")]),
        ValidationCase(name: "unknown key inside a flow mapping", text: Doc.scenario(world: Doc.world.replacingOccurrences(
            of: "{ id: dev-npmrc, kind: publish }", with: "{ id: dev-npmrc, 1️⃣knd: publish }")),
                       findings: [FindingSpec("1️⃣", "unknown key 'knd' in a token", hint: "did you mean 'kind'?")]),
        ValidationCase(name: "unknown action", text: Doc.scenario(steps: """
              - id: breach
                at: 2018-07-12T09:30:00Z
                action: 1️⃣reuse-breached-pasword
                account: maintainer

            """), findings: [FindingSpec("1️⃣", "unknown action 'reuse-breached-pasword'", hint: "did you mean 'reuse-breached-password'?")]),
        ValidationCase(name: "unknown enum value", text: Doc.scenario(world: Doc.world.replacingOccurrences(
            of: "{ id: dev-npmrc, kind: publish }", with: "{ id: dev-npmrc, kind: 1️⃣automaton }")),
                       findings: [FindingSpec("1️⃣", "'automaton' is not a valid kind", hint: "write 'automation'")]),
        ValidationCase(name: "text where a list of mappings belongs", text: Doc.scenario(steps: "  1️⃣just a sentence\n"),
                       findings: [FindingSpec("1️⃣", "'steps' in the scenario must be a list", hint: "")]),
        ValidationCase(name: "a list where text belongs", text: Doc.header().replacingOccurrences(of: "title: Inline test", with: "title: 1️⃣[a, b]")
                       + Doc.world + "steps:\n" + Doc.steps + Doc.goals,
                       findings: [FindingSpec("1️⃣", "'title' in the scenario must be text, not a list", hint: "")]),
        ValidationCase(name: "a word where a number belongs", text: Doc.scenario(world: Doc.world.replacingOccurrences(
            of: "weeklyDownloads: 16800", with: "weeklyDownloads: 1️⃣lots")),
                       findings: [FindingSpec("1️⃣", "'weeklyDownloads' in a package must be a whole number", hint: "write a number from 0")]),
        ValidationCase(name: "a quoted number is text, not a number", text: Doc.scenario(world: Doc.world.replacingOccurrences(
            of: "weeklyDownloads: 16800", with: "weeklyDownloads: 1️⃣\"16800\"")),
                       findings: [FindingSpec("1️⃣", "must be a whole number", hint: "")]),
        ValidationCase(name: "yes is not a boolean here", text: Doc.scenario(world: Doc.world.replacingOccurrences(
            of: "passwordReused: true", with: "passwordReused: 1️⃣yes")),
                       findings: [FindingSpec("1️⃣", "'passwordReused' in an account must be true or false", hint: "true or false")]),
        ValidationCase(name: "a mapping where a step belongs", text: Doc.scenario(steps: "  - 1️⃣just text\n"),
                       findings: [FindingSpec("1️⃣", "a step must be a mapping of keys to values, not a scalar", hint: "")]),
        ValidationCase(name: "missing required top-level keys", text: "1️⃣id: x\ndate: 2018-07-12\nsummary: s\n" + Doc.world + "steps:\n" + Doc.steps,
                       findings: [FindingSpec("1️⃣", "the scenario is missing 'title'", hint: ""),
                                  FindingSpec("1️⃣", "the scenario is missing 'goals'", hint: "")]),
        ValidationCase(name: "a step without its action", text: Doc.scenario(steps: """
              - 1️⃣id: breach
                at: 2018-07-12T09:30:00Z
                account: maintainer

            """), findings: [FindingSpec("1️⃣", "a step is missing 'action'", hint: "reuse-breached-password")]),
        ValidationCase(name: "a step without an action-specific key", text: Doc.scenario(steps: Doc.steps.replacingOccurrences(
            of: "    package: widget\n", with: "")).replacingOccurrences(of: "  - id: publish", with: "  - 1️⃣id: publish"),
                       findings: [FindingSpec("1️⃣", "a step is missing 'package'", hint: "")]),
        ValidationCase(name: "the same key twice in one mapping", text: Doc.scenario(steps: """
              - id: breach
                at: 2018-07-12T09:30:00Z
                action: reuse-breached-password
                account: maintainer
                1️⃣account: maintainer

            """), findings: [FindingSpec("1️⃣", "'account' appears twice in a step (first at line", hint: "keep one")]),
    ]

    @Test("shape: unknown keys, wrong types, missing keys", arguments: shapeCases)
    func shape(_ c: ValidationCase) {
        expectScenario(c.text, c.findings.map(\.finding))
    }
}

extension ScenarioValidationTests {
    // MARK: Dangling references

    static let referenceCases: [ValidationCase] = [
        ValidationCase(name: "a maintainer who is no account", text: Doc.scenario(world: Doc.world.replacingOccurrences(
            of: "maintainers: [maintainer]", with: "maintainers: [1️⃣maintaner]")),
                       findings: [FindingSpec("1️⃣", "maintainer 'maintaner' is not an account of this world", hint: "did you mean 'maintainer'?")]),
        ValidationCase(name: "a machine owner who is no account", text: Doc.scenario(world: Doc.world.replacingOccurrences(
            of: "      owner: dev\n", with: "      owner: 1️⃣devv\n")),
                       findings: [FindingSpec("1️⃣", "the machine's owner 'devv' is not an account", hint: "did you mean 'dev'?")]),
        ValidationCase(name: "a step's account that does not exist", text: Doc.scenario(steps: """
              - id: breach
                at: 2018-07-12T09:30:00Z
                action: reuse-breached-password
                account: 1️⃣maintainr

            """), findings: [FindingSpec("1️⃣", "the account 'maintainr' is not an account of this world", hint: "did you mean 'maintainer'?")]),
        ValidationCase(name: "a token that does not exist", text: Doc.scenario(steps: """
              - id: steal
                at: 2018-07-12T09:30:00Z
                action: steal-token
                token: 1️⃣ci-tokn

            """), findings: [FindingSpec("1️⃣", "there is no token 'ci-tokn' to steal", hint: "did you mean 'ci-token'?")]),
        ValidationCase(name: "a package that does not exist", text: Doc.scenario(steps: Doc.steps + """
              - id: tag
                at: 2018-07-12T09:45:00Z
                action: dist-tag
                package: 1️⃣widgt
                version: 1.0.1
                using: step:login

            """), findings: [FindingSpec("1️⃣", "package 'widgt' is not in this world", hint: "did you mean 'widget'?")]),
        ValidationCase(name: "a step id that does not exist", text: Doc.scenario(steps: Doc.steps.replacingOccurrences(
            of: "using: step:login", with: "using: 1️⃣step:logn")),
                       findings: [FindingSpec("1️⃣", "uses 'step:logn', which is no step of this scenario", hint: "did you mean 'step:login'?")]),
        ValidationCase(name: "a machine that does not exist", text: Doc.scenario(steps: """
              - id: mint
                at: 2018-07-12T09:30:00Z
                action: mint-oidc
                package: widget
                machine: 1️⃣cii

            """), findings: [FindingSpec("1️⃣", "there is no machine 'cii'", hint: "did you mean 'ci'?")]),
        ValidationCase(name: "a mail domain that does not exist", text: Doc.scenario(steps: """
              - id: buy
                at: 2018-07-12T09:30:00Z
                action: buy-expired-domain
                domain: 1️⃣maint.exampel

            """), findings: [FindingSpec("1️⃣", "mail domain 'maint.exampel' is not in world.mailDomains", hint: "did you mean 'maint.example'?")]),
        ValidationCase(name: "a consumer who is no account", text: Doc.scenario(steps: Doc.steps + """
              - id: installs
                at: 2018-07-12T10:00:00Z
                actor: consumers
                action: install
                package: widget
                consumers: [dev, 1️⃣carol]

            """), findings: [FindingSpec("1️⃣", "the consumer 'carol' is not an account of this world", hint: "add an account named 'carol'")]),
        ValidationCase(name: "an attacker who starts with tokens and passwords that do not exist", text: Doc.scenario(attacker: """
            attacker:
              knowsPasswords: [1️⃣maintainr]
              holdsTokens: [2️⃣ci-tokn]

            """), findings: [FindingSpec("1️⃣", "'maintainr' is not an account of this world", hint: "did you mean 'maintainer'?"),
                             FindingSpec("2️⃣", "attacker.holdsTokens names 'ci-tokn', which is no token of this world", hint: "did you mean 'ci-token'?")]),
        ValidationCase(name: "a goal naming a package nobody publishes", text: Doc.scenario(goals: """
            goals:
              - { id: g, kind: publish-malicious, packages: [widget, 1️⃣gadget] }

            """), findings: [FindingSpec("1️⃣", "the goal names package 'gadget', which is neither in the world nor published", hint: "")]),
    ]

    @Test("dangling references point at the reference", arguments: referenceCases)
    func references(_ c: ValidationCase) {
        expectScenario(c.text, c.findings.map(\.finding))
    }

    // MARK: Steps that can never run

    static let impossibleCases: [ValidationCase] = [
        ValidationCase(name: "using a step that comes later", text: Doc.scenario(steps: """
              - id: breach
                at: 2018-07-12T09:30:00Z
                action: reuse-breached-password
                account: maintainer
              - id: publish
                at: 2018-07-12T09:40:00Z
                action: publish
                package: widget
                version: 1.0.1
                using: 1️⃣step:login
              - id: login
                at: 2018-07-12T09:45:00Z
                action: login
                account: maintainer

            """), findings: [FindingSpec("1️⃣", "step 'publish' can never run: it uses step 'login', which comes later", hint: "move 'login' above")]),
        ValidationCase(name: "a step that uses its own credential", text: Doc.scenario(steps: """
              - id: breach
                at: 2018-07-12T09:30:00Z
                action: reuse-breached-password
                account: maintainer
              - id: publish
                at: 2018-07-12T09:40:00Z
                action: publish
                package: widget
                version: 1.0.1
                using: 1️⃣step:publish

            """), findings: [FindingSpec("1️⃣", "step 'publish' can never run: it uses its own credential (step:publish)", hint: "earlier login, create-token or steal-session")]),
        ValidationCase(name: "logging in with a password the attacker never acquired", text: Doc.scenario(steps: """
              - 1️⃣id: login
                at: 2018-07-12T09:35:00Z
                action: login
                account: dev

            """), findings: [FindingSpec("1️⃣", "step 'login' can never run: the attacker has no password for 'dev'", hint: "acquire it first")]),
        ValidationCase(name: "using a token that was never stolen", text: Doc.scenario(steps: """
              - id: publish
                at: 2018-07-12T09:40:00Z
                action: publish
                package: widget
                version: 1.0.1
                using: 1️⃣token:ci-token

            """), findings: [FindingSpec("1️⃣", "the attacker does not hold token 'ci-token'", hint: "steal it first")]),
        ValidationCase(name: "resetting a password without the mail domain", text: Doc.scenario(steps: """
              - 1️⃣id: reset
                at: 2018-07-12T09:30:00Z
                action: reset-password
                account: maintainer

            """), findings: [FindingSpec("1️⃣", "the attacker does not control maint.example", hint: "add a buy-expired-domain step for maint.example")]),
        ValidationCase(name: "buying a domain before it lapses", text: Doc.scenario(steps: """
              - 1️⃣id: buy
                at: 2017-12-31T09:30:00Z
                action: buy-expired-domain
                domain: maint.example

            """), findings: [FindingSpec("1️⃣", "'maint.example' has not expired at this time", hint: "expires")]),
        ValidationCase(name: "reusing the breached password of an account that does not reuse it", text: Doc.scenario(steps: """
              - 1️⃣id: breach
                at: 2018-07-12T09:30:00Z
                action: reuse-breached-password
                account: dev

            """), findings: [FindingSpec("1️⃣", "'dev' does not reuse its password", hint: "passwordReused: true")]),
        ValidationCase(name: "a worm without a prior harvest", text: Doc.scenario(steps: """
              - 1️⃣id: worm
                at: 2018-07-12T09:30:00Z
                action: worm-spread

            """), findings: [FindingSpec("1️⃣", "step 'worm' can never run: no earlier step harvests tokens", hint: "install")]),
        ValidationCase(name: "a worm after a harvesting publish that nobody installs", text: Doc.scenario(steps: Doc.steps + """
              - 1️⃣id: worm
                at: 2018-07-12T10:30:00Z
                action: worm-spread

            """), findings: [FindingSpec("1️⃣", "no earlier step harvests tokens", hint: "install")]),
        ValidationCase(name: "harvested tokens before any harvest, although the attacker holds a token", text: Doc.scenario(
            attacker: "attacker:\n  holdsTokens: [ci-token]\n", steps: """
              - id: publish
                at: 2018-07-12T09:40:00Z
                action: publish
                package: widget
                version: 1.0.1
                using: 1️⃣harvested

            """), findings: [FindingSpec("1️⃣", "no earlier step harvests tokens", hint: "install")]),
        ValidationCase(name: "publishing with an OIDC credential nobody minted", text: Doc.scenario(steps: """
              - id: publish
                at: 2018-07-12T09:40:00Z
                action: publish-oidc
                package: widget
                version: 1.0.1
                mintedBy: 1️⃣mint

            """), findings: [FindingSpec("1️⃣", "'mintedBy' must name an earlier mint-oidc step", hint: "")]),
        ValidationCase(name: "a credential from a step that yields none", text: Doc.scenario(steps: Doc.steps.replacingOccurrences(
            of: "using: step:login", with: "using: 1️⃣step:breach")),
                       findings: [FindingSpec("1️⃣", "step 'breach' (reuse-breached-password) yields no credential", hint: "login, create-token or steal-session")]),
    ]

    @Test("steps that can never run", arguments: impossibleCases)
    func impossible(_ c: ValidationCase) {
        expectScenario(c.text, c.findings.map(\.finding))
    }

    // MARK: Duplicates, order, ranges, formats

    static let valueCases: [ValidationCase] = [
        ValidationCase(name: "two steps with one id", text: Doc.scenario(steps: Doc.steps.replacingOccurrences(
            of: "  - id: publish", with: "  - id: 1️⃣login")),
                       findings: [FindingSpec("1️⃣", "duplicate step id 'login' (first at line", hint: "give each step its own id")]),
        ValidationCase(name: "two accounts with one name", text: Doc.scenario(world: Doc.world.replacingOccurrences(
            of: "    - name: dev\n", with: "    - name: 1️⃣maintainer\n").replacingOccurrences(of: "owner: dev", with: "owner: maintainer")
            .replacingOccurrences(of: "maintainers: [dev]", with: "maintainers: [maintainer]")),
                       findings: [FindingSpec("1️⃣", "duplicate account id 'maintainer'", hint: "")]),
        ValidationCase(name: "two packages with one name", text: Doc.scenario(world: Doc.world.replacingOccurrences(
            of: "{ name: dev-lib,", with: "{ name: 1️⃣widget,")),
                       findings: [FindingSpec("1️⃣", "duplicate package id 'widget'", hint: "")]),
        ValidationCase(name: "two tokens with one id on different machines", text: Doc.scenario(world: Doc.world.replacingOccurrences(
            of: "{ id: ci-token,", with: "{ id: 1️⃣dev-npmrc,")),
                       findings: [FindingSpec("1️⃣", "duplicate token id 'dev-npmrc'", hint: "")]),
        ValidationCase(name: "two mail domains with one name", text: Doc.scenario(world: Doc.world + """
                - { domain: 1️⃣maint.example }

            """.replacingOccurrences(of: "\n\n", with: "\n")),
                       findings: [FindingSpec("1️⃣", "duplicate mail domain id 'maint.example'", hint: "")]),
        ValidationCase(name: "a step earlier than the one above it", text: Doc.scenario(steps: Doc.steps.replacingOccurrences(
            of: "at: 2018-07-12T09:40:00Z", with: "at: 1️⃣2018-07-12T09:20:00Z")),
                       findings: [FindingSpec("1️⃣", "step 'publish' happens before the step above it", hint: "order steps by their 'at' time")]),
        ValidationCase(name: "a time before 2010", text: Doc.scenario(steps: Doc.steps.replacingOccurrences(
            of: "at: 2018-07-12T09:30:00Z", with: "at: 1️⃣2009-07-12T09:30:00Z")),
                       findings: [FindingSpec("1️⃣", "is outside the years 2010 to 2100", hint: "")]),
        ValidationCase(name: "a time after 2100", text: Doc.scenario(steps: Doc.steps.replacingOccurrences(
            of: "at: 2018-07-12T09:40:00Z", with: "at: 1️⃣99999-07-12T09:40:00Z")),
                       findings: [FindingSpec("1️⃣", "is outside the years 2010 to 2100", hint: "")]),
        ValidationCase(name: "a time that is no time", text: Doc.scenario(steps: Doc.steps.replacingOccurrences(
            of: "at: 2018-07-12T09:40:00Z", with: "at: 1️⃣yesterday")),
                       findings: [FindingSpec("1️⃣", "'yesterday' is not a time", hint: "2018-07-12T09:49:00Z")]),
        ValidationCase(name: "a date that is no day", text: Doc.scenario(date: "1️⃣2018-02-30"),
                       findings: [FindingSpec("1️⃣", "'2018-02-30' is not an era", hint: "")]),
        ValidationCase(name: "a version that is no semantic version, in the world", text: Doc.scenario(world: Doc.world.replacingOccurrences(
            of: "versions: [1.0.0]", with: "versions: [1.0.0, 1️⃣1.0]")),
                       findings: [FindingSpec("1️⃣", "'1.0' is not a semantic version", hint: "1.2.3")]),
        ValidationCase(name: "a version that is no semantic version, in a step", text: Doc.scenario(steps: Doc.steps.replacingOccurrences(
            of: "version: 1.0.1", with: "version: 1️⃣v1.0.1")),
                       findings: [FindingSpec("1️⃣", "'v1.0.1' is not a semantic version", hint: "1.2.3")]),
        ValidationCase(name: "publishing over an existing version", text: Doc.scenario(steps: Doc.steps.replacingOccurrences(
            of: "version: 1.0.1", with: "version: 1️⃣1.0.0")),
                       findings: [FindingSpec("1️⃣", "widget@1.0.0 already exists", hint: "publish a new version")]),
        ValidationCase(name: "an invalid package name in the world", text: Doc.scenario(world: Doc.world.replacingOccurrences(
            of: "{ name: dev-lib,", with: "{ name: 1️⃣Dev-Lib,")),
                       findings: [FindingSpec("1️⃣", "invalid package name 'Dev-Lib'", hint: "lowercase")]),
        ValidationCase(name: "an invalid package name in a publish step", text: Doc.scenario(steps: Doc.steps + """
              - id: publish-other
                at: 2018-07-12T09:50:00Z
                action: publish
                package: 1️⃣"@scope/"
                version: 1.0.0
                using: step:login

            """), findings: [FindingSpec("1️⃣", "invalid package name '@scope/'", hint: "@scope/name")]),
        ValidationCase(name: "a CIDR block that is not one", text: Doc.scenario(steps: Doc.steps + """
              - id: token
                at: 2018-07-12T09:50:00Z
                action: create-token
                account: maintainer
                using: step:login
                cidr: [10.0.0.0/8, 1️⃣10.0.0.0/33]

            """), findings: [FindingSpec("1️⃣", "'10.0.0.0/33' is not a CIDR block", hint: "198.51.100.0/24")]),
        ValidationCase(name: "a technique id that is not one", text: Doc.scenario(extra: "techniques: [T1078, 1️⃣T10780, 2️⃣ATT&CK]\n"),
                       findings: [FindingSpec("1️⃣", "'T10780' is not a technique id", hint: "T1078"),
                                  FindingSpec("2️⃣", "'ATT&CK' is not a technique id", hint: "AV-602")]),
        ValidationCase(name: "an address that is no IP address", text: Doc.scenario(world: Doc.world.replacingOccurrences(
            of: "address: 198.51.100.21", with: "address: 1️⃣198.51.100.256")),
                       findings: [FindingSpec("1️⃣", "'198.51.100.256' is not an IP address", hint: "198.51.100.7")]),
        ValidationCase(name: "a number out of range", text: Doc.scenario(steps: """
              - id: phish
                at: 2018-07-12T09:30:00Z
                action: phish
                account: maintainer
                minutes: 1️⃣100000

            """), findings: [FindingSpec("1️⃣", "'minutes' is 100000; it must be from 1 to 1440", hint: "")]),
        ValidationCase(name: "a number too large for any integer", text: Doc.scenario(world: Doc.world.replacingOccurrences(
            of: "weeklyDownloads: 16800", with: "weeklyDownloads: 1️⃣99999999999999999999999999999999")),
                       findings: [FindingSpec("1️⃣", "'weeklyDownloads' in a package must be a whole number", hint: "")]),
        ValidationCase(name: "a figure too large for any double", text: Doc.scenario(extra: "blastRadius:\n  hoursLive: 1️⃣1e999\n"),
                       findings: [FindingSpec("1️⃣", "'hoursLive' in 'blastRadius' must be a number", hint: "")]),
        ValidationCase(name: "an invalid scenario id", text: Doc.scenario(id: "1️⃣My Incident"),
                       findings: [FindingSpec("1️⃣", "'My Incident' is not a valid id", hint: "lowercase")]),
    ]

    @Test("duplicates, time order, ranges and formats", arguments: valueCases)
    func values(_ c: ValidationCase) {
        expectScenario(c.text, c.findings.map(\.finding))
    }
}

extension ScenarioValidationTests {
    @Test("five different mistakes in one file: five diagnostics in one run")
    func fiveMistakesAtOnce() {
        let marked = Doc.header() + """
        world:
          accounts:
            - name: maintainer
              email: maintainer@maint.example
              passwordReused: true
              1️⃣twoFactr: disabled
            - name: dev
          packages:
            - name: widget
              maintainers: [maintainer, 2️⃣mallory]
              versions: [1.0.0]
        steps:
          - id: breach
            at: 2018-07-12T09:30:00Z
            action: reuse-breached-password
            account: maintainer
          - id: login
            at: 3️⃣2018-07-12T09:20:00Z
            action: login
            account: maintainer
          - id: publish
            at: 2018-07-12T09:40:00Z
            action: publish
            package: widget
            version: 4️⃣1.0
            using: 5️⃣step:logon
        goals:
          - { id: g, kind: publish-malicious, packages: [widget] }

        """
        let m = MarkedText(marked)
        let diagnostics = scenarioDiagnostics(m.text)
        #expect(diagnostics.count == 5)
        expect(diagnostics, in: m, are: [
            Finding("1️⃣", "unknown key 'twoFactr' in an account", hint: "did you mean 'twoFactor'?"),
            Finding("2️⃣", "maintainer 'mallory' is not an account of this world", hint: "add an account named 'mallory'"),
            Finding("3️⃣", "step 'login' happens before the step above it", hint: "order steps"),
            Finding("4️⃣", "'1.0' is not a semantic version", hint: "1.2.3"),
            Finding("5️⃣", "uses 'step:logon', which is no step of this scenario", hint: "did you mean 'step:login'?"),
        ])
        // Every diagnostic names the file and says what to write instead.
        #expect(diagnostics.allSatisfy { $0.file == "inline.yaml" && $0.hint != nil && $0.severity == .error })
        #expect(diagnostics.map(\.description).allSatisfy { $0.hasPrefix("inline.yaml:") && $0.contains("\n    fix: ") })
    }

    @Test("a warning does not stop a scenario from loading")
    func warningsComeBackWithTheScenario() throws {
        let m = MarkedText(Doc.scenario(steps: Doc.steps + """
              - id: token
                at: 2018-07-12T09:50:00Z
                action: create-token
                account: maintainer
                using: step:login
                packages: [widget, 1️⃣other-thing]

            """))
        let (scenario, warnings) = try ScenarioLoader.parse(m.text, file: "inline.yaml")
        #expect(scenario.steps.count == 4)
        expect(warnings, in: m, are: [Finding("1️⃣", "the token names package 'other-thing'", severity: .warning)])
    }

    @Test("the bundled scenarios validate without a diagnostic")
    func bundledScenariosAreClean() throws {
        let library = try #require(ProjectScenarios.library)
        let paths = library.scenarioPaths()
        #expect(!paths.isEmpty)
        for path in paths {
            let (_, warnings) = try ScenarioLoader.load(path: path)
            #expect(warnings.isEmpty, "\(path): \(warnings)")
        }
    }
}

extension ScenarioValidationTests {
    @Test("tokens harvested by an install are the attacker's to use, as in the replay")
    func harvestedTokensAreHeld() throws {
        let text = Doc.scenario(steps: Doc.steps + """
              - id: installs
                at: 2018-07-12T10:00:00Z
                actor: consumers
                action: install
                package: widget
                consumers: [dev]
              - id: publish-dev
                at: 2018-07-12T10:10:00Z
                action: publish
                package: dev-lib
                version: 0.1.1
                using: token:dev-npmrc
              - id: worm
                at: 2018-07-12T10:20:00Z
                action: worm-spread

            """)
        #expect(scenarioDiagnostics(text).isEmpty)
    }
}

extension ScenarioValidationTests {
    @Test("a duplicate key does not hide the file's other problems")
    func duplicateKeyAmongOthers() {
        expectScenario(Doc.scenario(steps: """
              - id: breach
                at: 2018-07-12T09:30:00Z
                action: reuse-breached-password
                account: maintainer
                1️⃣at: 2018-07-12T09:31:00Z
              - id: token
                at: 2018-07-12T09:35:00Z
                action: create-token
                account: maintainer
                using: 2️⃣pasword

            """, extra: "3️⃣teachng: {}\n"), [
            Finding("1️⃣", "'at' appears twice in a step (first at line", hint: "keep one"),
            Finding("2️⃣", "'pasword' is not a credential", hint: "did you mean 'password'?"),
            Finding("3️⃣", "unknown key 'teachng' in the scenario", hint: "did you mean 'teaching'?"),
        ])
    }
}
