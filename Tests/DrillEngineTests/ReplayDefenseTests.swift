@testable import DrillEngine
import DrillRegistry
import Testing

/// A maintainer with TOTP in auth-and-writes mode is phished through a real-time relay (npmjs.help, Sep 2025).
let phishingScenario = Doc.header(id: "phish", date: "2025-09-08") + """
    world:
      accounts:
        - { name: qix, email: qix@qix.example, twoFactor: auth-and-writes, factor: totp }
      packages:
        - { name: chalkish, maintainers: [qix], versions: [5.6.0], weeklyDownloads: 1000000 }
    steps:
      - id: phish
        at: 2025-09-08T09:30:00Z
        action: phish
        account: qix
        origin: https://npmjs.help
        minutes: 30
      - id: login
        at: 2025-09-08T09:35:00Z
        action: login
        account: qix
      - id: publish
        at: 2025-09-08T09:40:00Z
        action: publish
        package: chalkish
        version: 5.6.1
        using: step:login
        payload: malware
    goals:
      - { id: malicious-chalkish, kind: publish-malicious, packages: [chalkish] }

    """

/// An account without 2FA in 2023, when npm emails a login code; its mail domain lapsed in January.
func emailedCodeScenario(buysDomain: Bool) -> String {
    Doc.header(id: "lapsed-domain", date: "2023-05-01") + """
    world:
      accounts:
        - { name: oldmaint, email: oldmaint@lapsed.example }
      packages:
        - { name: oldpkg, maintainers: [oldmaint], versions: [1.0.0] }
      mailDomains:
        - { domain: lapsed.example, expires: 2023-01-01T00:00:00Z }
    attacker:
      knowsPasswords: [oldmaint]
    steps:

    """ + (buysDomain ? """
      - id: buy
        at: 2023-05-01T09:00:00Z
        action: buy-expired-domain
        domain: lapsed.example

    """ : "") + """
      - id: login
        at: 2023-05-01T09:30:00Z
        action: login
        account: oldmaint
    goals:
      - { id: taken-over, kind: take-over-account, account: oldmaint }

    """
}

@Suite("Replay: phishing relays, emailed codes, consumer controls")
struct ReplayDefenseTests {
    @Test("a relayed TOTP code gets the attacker in, and again for the publish")
    func totpRelayed() throws {
        let outcome = try Replays.run(Replays.scenario(phishingScenario))
        #expect(outcome.verdicts == ["phish: succeeded", "login: succeeded", "publish: succeeded"])
        #expect(outcome.step("login")?.details.contains { $0.contains("types a fresh code into the phishing page; the attacker relays it") } == true)
        #expect(outcome.step("publish")?.details.contains { $0.contains("the attacker relays it") } == true)
        #expect(outcome.attackSucceeded)
    }

    @Test("a relayed security-key assertion is bound to the phishing origin: security-key.wrong-origin")
    func securityKeyNotRelayable() throws {
        let outcome = try Replays.run(Replays.scenario(phishingScenario), Replays.securityKey)
        #expect(outcome.verdicts == ["phish: succeeded", "login: blocked (security-key.wrong-origin)", "publish: skipped"])
        let login = try #require(outcome.step("login"))
        #expect(login.defense == "security-key")
        #expect(login.details.contains { $0.contains("security key on https://npmjs.help") })
        #expect(outcome.stoppedAtStep == "login" && outcome.stoppedBy == "security-key")
    }

    @Test("the relay ends: a login after the phishing window has no code to give")
    func relayWindow() throws {
        let late = phishingScenario.replacingOccurrences(of: "at: 2025-09-08T09:35:00Z", with: "at: 2025-09-08T10:35:00Z")
            .replacingOccurrences(of: "at: 2025-09-08T09:40:00Z", with: "at: 2025-09-08T10:40:00Z")
        let outcome = try Replays.run(Replays.scenario(late))
        #expect(outcome.verdicts == ["phish: succeeded", "login: blocked (2fa.login)", "publish: skipped"])
    }

    @Test("2022+: the attacker who bought the lapsed mail domain reads the emailed login code")
    func emailedCodeWithDomain() throws {
        let outcome = try Replays.run(Replays.scenario(emailedCodeScenario(buysDomain: true)))
        #expect(outcome.verdicts == ["buy: succeeded", "login: succeeded"])
        #expect(outcome.step("login")?.details.contains { $0.contains("emailed to lapsed.example, which the attacker controls") } == true)
        #expect(outcome.goalsReached == ["taken-over"])
    }

    @Test("2022+: without the mail domain, the emailed login code stops the attacker")
    func emailedCodeWithoutDomain() throws {
        let outcome = try Replays.run(Replays.scenario(emailedCodeScenario(buysDomain: false)))
        #expect(outcome.verdicts == ["login: blocked (login.emailed-code)"])
        #expect(outcome.step("login")?.defense == "emailed-login-code")
        #expect(outcome.step("login")?.details.contains { $0.contains("which the attacker cannot read") } == true)
        #expect(!outcome.attackSucceeded && outcome.stoppedAtStep == "login" && outcome.stoppedBy == "emailed-login-code")
    }

    @Test("before Mar 2022 there is no emailed code: the password alone gets in")
    func noEmailedCodeBefore2022() throws {
        let outcome = try Replays.run(Replays.scenario(emailedCodeScenario(buysDomain: false)), Replays.profile("2021", era: "2021-06-01"))
        #expect(outcome.verdicts == ["login: succeeded"])
    }

    @Test("a password reset through the bought domain, then a login that reads the emailed code")
    func resetThroughBoughtDomain() throws {
        let text = emailedCodeScenario(buysDomain: true).replacingOccurrences(of: "attacker:\n  knowsPasswords: [oldmaint]\n", with: "")
            .replacingOccurrences(of: "  - id: login\n", with: """
              - id: reset
                at: 2023-05-01T09:10:00Z
                action: reset-password
                account: oldmaint
              - id: login

            """)
        let outcome = try Replays.run(Replays.scenario(text))
        #expect(outcome.verdicts == ["buy: succeeded", "reset: succeeded", "login: succeeded"])
    }

    @Test("owners read their own mail, also when they share a mail provider")
    func ownersShareAMailDomain() throws {
        let text = Doc.header(id: "shared-mail", date: "2023-05-01") + """
            world:
              accounts:
                - { name: alice, email: alice@mail.example }
                - { name: bob, email: bob@mail.example }
              packages:
                - { name: alice-lib, maintainers: [alice], versions: [1.0.0] }
            steps:
              - { id: alice-login, at: 2023-05-01T09:00:00Z, actor: alice, action: login, account: alice }
              - { id: bob-login, at: 2023-05-01T09:05:00Z, actor: bob, action: login, account: bob }
            goals:
              - { id: g, kind: take-over-account, account: alice }

            """
        let outcome = try Replays.run(Replays.scenario(text))
        #expect(outcome.verdicts == ["alice-login: succeeded", "bob-login: succeeded"])
        #expect(outcome.step("alice-login")?.details.contains { $0.contains("which the owner controls") } == true)
        // Owners logging in take nothing over.
        #expect(!outcome.attackSucceeded)
    }

    /// Publish a harvesting version; consumers install it 20 minutes later; the only goal is the harvest.
    static let harvestOnly = breachScenario.components(separatedBy: "goals:\n")[0] + "goals:\n  - { id: tokens-stolen, kind: harvest-tokens }\n"

    @Test("consumers that ignore install scripts: the harvest is blocked")
    func ignoreScripts() throws {
        let outcome = try Replays.run(Replays.scenario(Self.harvestOnly), Replays.ignoreScripts)
        let installs = try #require(outcome.step("installs"))
        #expect(installs.status == .blocked && installs.rule == "consumer.ignore-scripts" && installs.defense == "ignore-scripts")
        #expect(!outcome.attackSucceeded && outcome.stoppedAtStep == "installs" && outcome.stoppedBy == "ignore-scripts")
        #expect(outcome.blastRadius?.tokensHarvested == 0)
    }

    @Test("consumers that wait 24 hours for new versions: the harvest is blocked")
    func minimumReleaseAge() throws {
        let outcome = try Replays.run(Replays.scenario(Self.harvestOnly), Replays.minimumReleaseAge)
        let installs = try #require(outcome.step("installs"))
        #expect(installs.status == .blocked && installs.rule == "consumer.minimum-release-age" && installs.defense == "minimum-release-age")
        #expect(installs.message.contains("20 minutes old"))
        #expect(!outcome.attackSucceeded && outcome.stoppedBy == "minimum-release-age")
    }

    @Test("a version older than the minimum release age is installed")
    func minimumReleaseAgePassed() throws {
        let late = Self.harvestOnly.replacingOccurrences(of: "at: 2018-07-12T10:09:00Z", with: "at: 2018-07-13T10:09:00Z")
        let outcome = try Replays.run(Replays.scenario(late), Replays.minimumReleaseAge)
        #expect(outcome.step("installs")?.status == .succeeded)
        #expect(outcome.attackSucceeded)
    }

    @Test("consumer rules are engine rules in the catalog")
    func consumerRulesCatalogued() {
        #expect(DefenseCatalog.consumerRules.map(\.id) == [.consumerIgnoreScripts, .consumerMinimumReleaseAge, .consumerScriptsNotAllowed])
    }

    /// Issue 20, point 14: npm 12 (8 Jul 2026) runs no dependency install scripts the project did not allow.
    @Test("consumers on npm 12: the harvest is blocked; on npm 11, or with the package allowed, it runs", arguments: [
        (12, [String](), true), (11, [], false), (12, ["widget"], false), (13, ["other"], true),
    ])
    func npmClient(_ major: Int, _ allowed: [String], _ blocked: Bool) throws {
        let profile = try Replays.profile("npm-\(major)", .npmClient(major: major, allowScripts: allowed))
        let outcome = try Replays.run(Replays.scenario(Self.harvestOnly), profile)
        let installs = try #require(outcome.step("installs"))
        if blocked {
            #expect(installs.status == .blocked && installs.rule == "consumer.scripts-not-allowed" && installs.defense == "npm-client")
            #expect(outcome.stoppedBy == "npm-client" && outcome.blastRadius?.tokensHarvested == 0)
        } else {
            #expect(installs.status == .succeeded, "\(outcome.verdicts)")
            #expect(outcome.attackSucceeded)
        }
    }

    @Test("a scenario names each machine's npm: only the machines before npm 12 are harvested")
    func npmClientPerMachine() throws {
        // dev's laptop runs npm 12; a second developer's runs npm 10.
        let eveLaptop = "    - id: eve-laptop\n      owner: eve\n      address: 198.51.100.22\n      npmClient: 10\n      tokens:\n        - { id: eve-npmrc, kind: publish }\n"
        let text = Self.harvestOnly
            .replacingOccurrences(of: "      address: 198.51.100.21\n", with: "      address: 198.51.100.21\n      npmClient: 12\n")
            .replacingOccurrences(of: "    - name: dev\n      email: dev@dev.example\n",
                                  with: "    - name: dev\n      email: dev@dev.example\n    - name: eve\n      email: eve@dev.example\n")
            .replacingOccurrences(of: "  packages:\n", with: eveLaptop + "  packages:\n")
            .replacingOccurrences(of: "consumers: [dev]", with: "consumers: [dev, eve]")
        #expect(text.contains("npmClient: 12") && text.contains("name: eve"), "the shared world changed shape")
        let mixed = try Replays.run(Replays.scenario(text))
        let installs = try #require(mixed.step("installs"))
        #expect(installs.status == .succeeded, "\(mixed.verdicts)")
        #expect(installs.details.contains("harvested eve-npmrc (eve)"), "\(installs.details)")
        #expect(installs.details.contains { $0.contains("dev-laptop runs npm 12") }, "\(installs.details)")
        #expect(mixed.blastRadius?.tokensHarvested == 1)
        // Every consumer on npm 12: blocked, as with the profile.
        let all12 = try Replays.run(Replays.scenario(text.replacingOccurrences(of: "npmClient: 10", with: "npmClient: 12")))
        #expect(all12.step("installs")?.rule == "consumer.scripts-not-allowed")
    }
}

/// The breach scenario, then the attacker's use of what the install harvested.
func afterHarvest(_ steps: String, goals: String = "goals:\n  - { id: dev-lib-infected, kind: publish-malicious, packages: [dev-lib] }\n") -> String {
    breachScenario.components(separatedBy: "goals:\n")[0] + steps + goals
}

@Suite("Replay: what a harvest gives the attacker")
struct ReplayHarvestTests {
    static let useToken = afterHarvest("""
          - id: publish-with-dev-token
            at: 2018-07-12T10:30:00Z
            action: publish
            package: dev-lib
            version: 0.1.1
            using: token:dev-npmrc
            payload: malware

        """)

    @Test("a token harvested at an install can be named by id afterwards")
    func harvestedTokenByID() throws {
        let outcome = try Replays.run(Replays.scenario(Self.useToken))
        #expect(outcome.step("publish-with-dev-token")?.status == .succeeded)
        #expect(outcome.goalsReached == ["dev-lib-infected"])
    }

    @Test("read-only tokens on laptops: the harvested token cannot publish")
    func harvestedReadOnlyToken() throws {
        let outcome = try Replays.run(Replays.scenario(Self.useToken), Replays.profile("read-only-tokens", .readOnlyTokens))
        #expect(outcome.step("publish-with-dev-token")?.rule == "token.read-only")
        #expect(outcome.stoppedAtStep == "publish-with-dev-token" && outcome.stoppedBy == "read-only-tokens")
    }

    @Test("CIDR-limited tokens: the harvested token is refused from the attacker's address")
    func harvestedCIDRToken() throws {
        let outcome = try Replays.run(Replays.scenario(Self.useToken), Replays.profile("cidr-tokens", .cidrTokens(prefix: 24)))
        #expect(outcome.step("publish-with-dev-token")?.rule == "token.cidr-mismatch")
    }

    static let worm = afterHarvest("""
          - id: worm
            at: 2018-07-12T10:30:00Z
            action: worm-spread

        """)

    @Test("the worm republishes the harvested token owner's packages from the infected machine")
    func wormSpreads() throws {
        let outcome = try Replays.run(Replays.scenario(Self.worm))
        let worm = try #require(outcome.step("worm"))
        #expect(worm.status == .succeeded)
        #expect(worm.details.first == "generation 1: dev's token publishes dev-lib@0.1.1")
        #expect(outcome.goalsReached == ["dev-lib-infected"])
        #expect(outcome.blastRadius?.versions.map { "\($0.package)@\($0.version)" } == ["widget@1.0.1", "dev-lib@0.1.1"])
    }

    @Test("the worm with read-only laptop tokens is blocked by rule")
    func wormBlocked() throws {
        let outcome = try Replays.run(Replays.scenario(Self.worm), Replays.profile("read-only-tokens", .readOnlyTokens))
        let worm = try #require(outcome.step("worm"))
        #expect(worm.status == .blocked && worm.rule == "token.read-only" && worm.defense == "read-only-tokens")
    }

    @Test("with nothing harvested the worm is skipped, and says so")
    func wormWithoutHarvest() throws {
        let outcome = try Replays.run(Replays.scenario(Self.worm), Replays.ignoreScripts)
        #expect(outcome.step("installs")?.status == .blocked)
        #expect(outcome.step("worm")?.status == .skipped)
        #expect(outcome.step("worm")?.message.isEmpty == false)
    }

    @Test("publishing with every harvested token in turn")
    func publishWithHarvested() throws {
        let outcome = try Replays.run(Replays.scenario(afterHarvest("""
              - id: publish-harvested
                at: 2018-07-12T10:30:00Z
                action: publish
                package: dev-lib
                version: 0.1.1
                using: harvested

            """)))
        let step = try #require(outcome.step("publish-harvested"))
        #expect(step.status == .succeeded && step.details == ["with dev's token: succeeded"])
    }
}
