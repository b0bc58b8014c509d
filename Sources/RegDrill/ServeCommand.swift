import ArgumentParser
import DrillCrypto
import DrillRegistry
import DrillServer
import Foundation

/// `regdrill serve`: the simulated registry over the npm registry HTTP protocol, for the real npm CLI.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the simulated registry over the npm registry protocol, on 127.0.0.1.",
        discussion: """
            Point the real npm CLI at it without touching your own configuration:
              npm --registry http://127.0.0.1:4873/ --userconfig ./drill.npmrc login
            Every answer comes from the same registry rules the scenarios replay: a refused request names
            the rule and the defense that stopped it.
            """
    )

    @Option(help: "The address to bind. Anything but loopback is reachable from the network: a warning is printed.")
    var host = "127.0.0.1"

    @Option(help: "The port to bind; 0 picks a free port (printed at start).")
    var port = 4873

    @Option(help: ArgumentHelp("Keep the registry in this SQLite file (WAL mode), so it survives a restart; in memory otherwise.", valueName: "file"))
    var db: String?

    @Option(help: ArgumentHelp("The registry's rules as of this day (yyyy-MM-dd), e.g. 2018-07-12; today's rules by default.", valueName: "date"))
    var era: String?

    @Option(name: .customLong("user"), parsing: .singleValue,
            help: ArgumentHelp("Create an account at start if it is missing, with email NAME@example.com; add :auth-only or :auth-and-writes for TOTP 2FA. Repeatable.",
                               valueName: "name:password[:mode]"))
    var users: [String] = []

    @Option(help: "Password hashing cost: interactive (realistic scrypt) or bulk (fast, no real protection).")
    var passwordCost: PasswordCostChoice = .interactive

    @Option(help: ArgumentHelp("How long a revoked token keeps working from the registry's cache; the era's by default (an hour before 2018, none from then).",
                               valueName: "seconds"))
    var revocationGrace: Int64?

    @Option(help: ArgumentHelp("Seed the registry from this scenario (needs the scenario engine).", valueName: "scenario"))
    var scenario: String?

    @Option(help: ArgumentHelp("With --scenario: the defense profile to apply (needs the scenario engine).", valueName: "profile"))
    var profile: String?

    @Option(help: ArgumentHelp("The most connections open at once; by default what the descriptor limit (ulimit -n) leaves room for. At the limit, the connection that has waited longest for a request is closed.",
                               valueName: "count"))
    var maxConnections: Int?

    @Option(help: ArgumentHelp("How long a connection may take to send a complete request head, from when it opened or from its last answer (idle and slow clients are closed).",
                               valueName: "seconds"))
    var requestHeadTimeout: Int = 15

    enum PasswordCostChoice: String, ExpressibleByArgument, CaseIterable {
        case bulk, interactive
        var cost: PasswordHasher.Cost { self == .bulk ? .bulkSimulation : .interactive }
    }

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0 to 65535 (0 picks a free port).") }
        if let era { do { _ = try RegistryEra(era) } catch { throw ValidationError(error.description) } }
        for u in users { do { _ = try ServeAccountSpec(parsing: u) } catch { throw ValidationError(error.description) } }
        if profile != nil && scenario == nil { throw ValidationError("--profile needs --scenario.") }
        if let m = maxConnections, !(1...1_000_000).contains(m) { throw ValidationError("--max-connections must be 1 to 1000000.") }
        if !(1...3_600).contains(requestHeadTimeout) { throw ValidationError("--request-head-timeout must be 1 to 3600 seconds.") }
        if let g = revocationGrace, !(0...86_400).contains(g) { throw ValidationError("--revocation-grace must be 0 to 86400 seconds.") }
        if (scenario != nil || profile != nil) && ScenarioSeeding.current == nil {
            throw ValidationError("--scenario and --profile are not yet available in serve: the scenario engine is not wired in yet. Use --user to create accounts.")
        }
    }

    func run() async throws {
        let seeder = scenario.flatMap { _ in ScenarioSeeding.current }
        var chosenEra = try era.map { e throws(EraError) in try RegistryEra(e) }
        var parameters = PolicyParameters()
        if let seeder, let scenario {
            if chosenEra == nil { chosenEra = try seeder.era(scenario: scenario, profile: profile) }
            if let p = try seeder.parameters(scenario: scenario, profile: profile) { parameters = p }
        }
        if let revocationGrace { parameters.revokedTokenGraceSeconds = revocationGrace }
        let store: RegistryStore? = try db.map { try RegistryStore.file($0) }
        let registry = try Registry(configuration: RegistryConfiguration(era: chosenEra ?? .latest, parameters: parameters,
                                                                         passwordCost: passwordCost.cost),
                                    store: store)

        var summary = SeedSummary()
        if let seeder, let scenario {
            summary = try seeder.seed(registry, scenario: scenario, profile: profile)
        }
        let specs = try users.map { u throws(ServeAccountSpecError) in try ServeAccountSpec(parsing: u) }
        summary.accounts += try ServeAccountSpec.seed(specs, into: registry)
        let grace = parameters.revokedTokenGrace(in: registry.era)
        if grace > 0 {
            summary.notes.append("A revoked token keeps working from the registry's cache for \(grace) s (the revocation grace); an answer that honours one says so as an npm notice.")
        }

        let warning = RegistryServer.bindWarning(host: host)
        let storeText = db.map { "\($0) (SQLite, WAL)" } ?? "in memory (gone when the server stops; use --db FILE to keep it)"
        var limits = ConnectionLimits(requestHeadTimeout: .seconds(requestHeadTimeout))
        if let maxConnections { limits.maximumConnections = maxConnections }
        let server = RegistryServer(registry: registry, configuration: .init(host: host, port: port, connectionLimits: limits))
        let era = registry.era
        let eraChosen = chosenEra != nil
        let host = self.host
        let finalSummary = summary
        try await server.run { boundPort in
            let banner = ServeBanner.render(baseURL: RegistryServer.displayURL(host: host, port: boundPort), era: era, eraChosen: eraChosen,
                                            store: storeText, summary: finalSummary, warning: warning)
            // Written unbuffered so the banner shows at once even when stdout is a pipe.
            FileHandle.standardOutput.write(Data((banner + "\n").utf8))
        }
    }
}
