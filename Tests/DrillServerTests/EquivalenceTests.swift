import DrillCrypto
import DrillEngine
import DrillRegistry
@testable import DrillServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// The verdict in process and the answer an npm client gets over HTTP are the same, because both go through the
/// same policy. For each step of the scenario, the in-process replay's decision (allowed, or the rule that refused)
/// must equal the decision the server gives the same request, sent as npm 10 sends it, on a registry seeded with
/// the same world and clock. Registry staff have no HTTP API: their steps run on the registry directly, in order.
@Suite("Equivalence: in-process replay and the npm protocol")
struct EquivalenceTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    static let cases: [(String, String)] = ["eslint-scope-2018", "eslint-scope-2018-harvested-tokens"].flatMap { s in
        ["historical", "auth-only", "auth-and-writes"].map { (s, $0) }
    }

    @Test("same decisions over HTTP as in process", arguments: cases)
    func sameDecisions(_ scenarioID: String, _ profileID: String) async throws {
        let library = ScenarioLibrary(directory: Self.repository + "/scenarios")
        let scenario = try library.scenario(scenarioID)
        let profile = try library.profile(profileID)
        let inProcess = try ReplayEngine.run(scenario, profile: profile)

        let start = (scenario.steps.map(\.at).min() ?? 0) - 86_400
        let clock = ManualClock(start)
        let registry = try Registry(configuration: RegistryConfiguration(era: profile.era ?? scenario.date, passwordCost: .bulkSimulation), clock: clock)
        let world = try PreparedWorld.seed(scenario, profile: profile, into: registry, start: start)
        var logger = Logger(label: "regdrill.equivalence")
        logger.logLevel = .critical
        let server = RegistryServer(registry: registry,
                                    configuration: .init(host: "127.0.0.1", port: 0, sourceAddressWhenUnknown: scenario.attacker.address),
                                    logger: logger)
        let decisions = try await server.makeApplication().test(.router) { client in
            try await HTTPReplayer(scenario: scenario, world: world, registry: registry, clock: clock, client: client).run()
        }
        #expect(decisions.count == inProcess.steps.count)
        for (step, http) in zip(inProcess.steps, decisions) {
            let expected: Decided = switch step.status {
            case .succeeded: .allowed
            case .blocked: .refused(step.rule ?? "?")
            case .skipped, .notApplicable: .notSent
            }
            #expect(http == expected, "\(scenarioID) under \(profileID), step \(step.id): in process \(expected), over HTTP \(http)")
        }
    }
}

enum Decided: Equatable, CustomStringConvertible {
    case allowed
    case refused(String)
    /// The request could not be formed: the credential it needs never came (the in-process step was skipped).
    case notSent
    var description: String {
        switch self { case .allowed: "allowed"; case .refused(let r): "refused by \(r)"; case .notSent: "not sent" }
    }
}

/// Sends a scenario's steps as npm requests, keeping what the attacker holds as the replay does.
struct HTTPReplayer {
    let scenario: Scenario
    let world: PreparedWorld
    let registry: Registry
    let clock: ManualClock
    let client: any TestClientProtocol

    func run() async throws -> [Decided] {
        var passwords: [String: String] = [:]
        var tokens: [String: String] = [:]     // by step id
        var held: [String: String] = [:]       // world tokens the attacker holds, by id
        var infected: Set<String> = []         // packages with a malicious version the attacker published
        for t in scenario.attacker.holdsTokens { held[t] = world.tokenSecrets[t] }
        var out: [Decided] = []
        for step in scenario.steps {
            clock.set(step.at)
            func bearer(_ ref: CredentialRef) -> String? {
                switch ref {
                case .step(let id): tokens[id]
                case .token(let id): held[id]
                default: nil
                }
            }
            switch step.action {
            case .reuseBreachedPassword(let account):
                passwords[account] = scenario.world.accounts.first { $0.name == account }?.password
                out.append(.allowed)
            case .login(let account):
                guard let password = passwords[account] else { out.append(.notSent); continue }
                let body: JSONValue = ["_id": .string("org.couchdb.user:\(account)"), "name": .string(account), "password": .string(password),
                                       "type": "user", "roles": [], "date": "2018-07-12T00:00:00.000Z"]
                let r = try await send(.put, "/-/user/org.couchdb.user:\(account)", body, token: nil)
                if let token = r.json?["token"]?.stringValue { tokens[step.id] = token }
                out.append(decision(r))
            case .createToken(let account, let ref, _, _, _, _, _, _):
                guard let token = bearer(ref), let password = passwords[account] else { out.append(.notSent); continue }
                let r = try await send(.post, "/-/npm/v1/tokens", ["password": .string(password), "readonly": false, "cidr_whitelist": []], token: token)
                if let created = r.json?["token"]?.stringValue { tokens[step.id] = created }
                out.append(decision(r))
            case .publish(let package, let version, let ref, let release):
                guard let token = bearer(ref) else { out.append(.notSent); continue }
                let d = decision(try await send(.put, "/\(package)", Self.publishBody(package, version, scripts: release.installScripts), token: token))
                if d == .allowed && release.payload != .none { infected.insert(package) }
                out.append(d)
            case .unpublish(let package, let version?, let ref):
                // npm unpublish NAME@VERSION: read the document for writing, put it back without the version.
                guard let token = bearer(ref) else { out.append(.notSent); continue }
                let doc = try await send(.get, "/\(package)?write=true", nil, token: token)
                guard var object = doc.json?.objectValue, let rev = object["_rev"]?.stringValue, var versions = object["versions"]?.objectValue else {
                    out.append(decision(doc)); continue
                }
                versions[version] = nil
                object["versions"] = .object(versions)
                out.append(decision(try await send(.put, "/\(package)/-rev/\(rev)", .object(object), token: token)))
            case .install(let package, _, _):
                // Consumers download the tarball of the version `latest` points at, anonymously. The replay counts an
                // install only when there is a malicious version to install.
                guard infected.contains(package) else { out.append(.notSent); continue }
                let doc = try await send(.get, "/\(package)", nil, token: nil)
                guard let latest = doc.json?["dist-tags"]?["latest"]?.stringValue else { out.append(decision(doc)); continue }
                let r = try await send(.get, "/\(package)/-/\(package)-\(latest).tgz", nil, token: nil)
                out.append(decision(r))
            case .staffRevokeTokens(let cutoff, let accounts):
                _ = try registry.staffRevokeTokens(createdBefore: cutoff, accounts: accounts)
                out.append(.allowed)
            case .staffRemoveVersion(let package, let version):
                if (try registry.package(package))?.versions.contains(where: { $0.version == version }) == true {
                    try registry.staffRemoveVersion(package: package, version: version)
                    out.append(.allowed)
                } else {
                    out.append(.notSent)
                }
            default:
                Issue.record("step \(step.id): action \(step.action.name) has no HTTP translation in this test")
                out.append(.notSent)
            }
        }
        return out
    }

    func send(_ method: HTTPRequest.Method, _ uri: String, _ body: JSONValue?, token: String?) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        headers[HTTPField.Name("npm-command")!] = "publish"
        let bytes = body.map { ByteBuffer(bytes: Array((try? JSONEncoder().encode($0)) ?? Data())) }
        return try await client.execute(uri: uri, method: method, headers: headers, body: bytes)
    }

    func decision(_ r: TestResponse) -> Decided {
        if (200..<300).contains(Int(r.status.code)) { return .allowed }
        return .refused(r.json?["rule"]?.stringValue ?? "HTTP \(r.status.code): \(r.errorText)")
    }

    static func publishBody(_ name: String, _ version: String, scripts: [String: String]) -> JSONValue {
        let bytes = PublishBody.tarball(name, version)
        let manifest: JSONValue = [
            "name": .string(name), "version": .string(version), "_id": .string("\(name)@\(version)"),
            "scripts": .object(scripts.mapValues(JSONValue.string)),
            "dist": ["integrity": .string(Registry.integrity(of: bytes)), "shasum": .string(Digest.sha1Hex(bytes: bytes)),
                     "tarball": .string("http://127.0.0.1/\(name)/-/\(name)-\(version).tgz")],
        ]
        return [
            "_id": .string(name), "name": .string(name), "dist-tags": ["latest": .string(version)],
            "versions": .object([version: manifest]), "access": .null,
            "_attachments": .object(["\(name)-\(version).tgz": ["content_type": "application/octet-stream",
                                                                 "data": .string(Data(bytes).base64EncodedString()), "length": .number(Double(bytes.count))]]),
        ]
    }
}
