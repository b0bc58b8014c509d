import DrillCrypto
import DrillRegistry
@testable import DrillServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// The server over a real socket: concurrency against a file store, bodies streamed without a
/// length, the bound address, and the start/stop API tests and `serve` rely on.
@Suite struct LiveServerTests {
    @Test func parallelPublishersAndReadersAgainstAFileStoreLoseAndDuplicateNothing() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("drill-concurrency-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("registry.sqlite").path
        let world = try TestWorld(store: try RegistryStore.file(path))
        try world.account("alice")
        let token = try world.token("alice")
        let versions = (0..<32).map { "1.0.\($0)" }
        let duplicates = Array(versions.prefix(8))

        let app = world.server().makeApplication()
        try await app.test(.ahc(.http)) { client async throws in
            let results = try await withThrowingTaskGroup(of: (String, HTTPResponse.Status).self) { group in
                for v in versions + duplicates {
                    group.addTask {
                        let body = Req.body(PublishBody.make("drill-concurrent", v))
                        let r = try await client.execute(uri: "/drill-concurrent", method: .put, headers: Req.headers(token: token), body: body)
                        return (v, r.status)
                    }
                }
                for reader in 0..<16 {
                    group.addTask {
                        var seen = 0
                        for _ in 0..<5 {
                            let r = try await client.execute(uri: "/drill-concurrent", method: .get)
                            if r.status == .ok {
                                let count = JSONValue.parse(Array(r.body.readableBytesView))?["versions"]?.objectValue?.count ?? -1
                                #expect(count >= seen, "reader \(reader) saw the version count go down")
                                seen = count
                            } else {
                                #expect(r.status == .notFound)   // before the first publish landed
                            }
                        }
                        return ("reader", .ok)
                    }
                }
                var all: [(String, HTTPResponse.Status)] = []
                for try await r in group where r.0 != "reader" { all.append(r) }
                return all
            }
            #expect(results.count == 40)
            for v in versions {
                let outcomes = results.filter { $0.0 == v }.map(\.1)
                #expect(outcomes.filter { $0 == .created }.count == 1, "\(v): \(outcomes)")
                #expect(outcomes.allSatisfy { $0 == .created || $0 == .forbidden }, "\(v): \(outcomes)")
            }
            let doc = try await client.execute(uri: "/drill-concurrent", method: .get)
            let listed = JSONValue.parse(Array(doc.body.readableBytesView))?["versions"]?.objectValue?.keys.sorted()
            #expect(listed == versions.sorted())
        }

        let publishes = try world.registry.auditLog().filter { $0.operation == "publish" }
        #expect(publishes.count == 40)   // every write attempt is in the audit log
        #expect(publishes.filter { $0.outcome == "allowed" }.count == 32)
        #expect(Set(publishes.filter { $0.outcome == "allowed" }.compactMap(\.target)).count == 32)
        #expect(try world.registry.store.journalMode() == "wal")

        // What was acknowledged is on disk: a fresh store over the same file sees all 32 versions.
        let reopened = try Registry(configuration: .init(era: try RegistryEra("2024-06-01")), store: try RegistryStore.file(path))
        #expect(try reopened.package("drill-concurrent")?.versions.count == 32)
    }

    @Test func startBindsAFreePortOnLoopbackAndStopCloses() async throws {
        let world = try TestWorld()
        let running = try await world.server(port: 0).start()
        #expect(running.port > 0)
        #expect(running.baseURL == "http://127.0.0.1:\(running.port)")
        let (status, body) = try await curl(["-s", "-w", "\n%{http_code}", running.baseURL + "/-/ping?write=true"])
        #expect(status == 0)
        #expect(body.hasSuffix("200"))
        await running.stop()
        let (after, _) = try await curl(["-s", "--max-time", "2", running.baseURL + "/-/ping"])
        #expect(after != 0)   // connection refused
    }

    @Test func aChunkedBodyOverTheLimitIsCutOffAndTheServerKeepsServing() async throws {
        let world = try TestWorld()
        try world.account("alice")
        let token = try world.token("alice")
        try await withRunning(world.server(maximumJSONBytes: 4096)) { running in
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("drill-big-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(("{\"password\":\"" + String(repeating: "x", count: 200_000) + "\"}").utf8).write(to: file)
        let (_, out) = try await curl(["-s", "-X", "POST", "-H", "Transfer-Encoding: chunked", "-H", "Content-Type: application/json",
                                       "-H", "Authorization: Bearer \(token)", "--data-binary", "@\(file.path)", "-w", "\n%{http_code}",
                                       running.baseURL + "/-/npm/v1/tokens"])
        #expect(out.hasSuffix("413"), "\(out)")
        #expect(out.contains("limit of 4096 bytes"))
        // Malformed requests do not take the server down.
        let (_, garbage) = try await curl(["-s", "-X", "PUT", "-H", "Content-Type: application/json", "--data-binary", "{nope",
                                           "-w", "\n%{http_code}", running.baseURL + "/anything"])
        #expect(garbage.hasSuffix("400"))
        let (_, ping) = try await curl(["-s", "-w", "\n%{http_code}", running.baseURL + "/-/ping"])
        #expect(ping.hasSuffix("200"))
        #expect(try world.registry.tokens(of: "alice").count == 1)
        }
    }

    @Test func theSourceAddressComesFromTheSocketNeverFromForwardedHeaders() async throws {
        let world = try TestWorld()
        try world.account("alice")
        let cidr = try world.token("alice", TokenRequest(kind: .publish, cidrAllowlist: [try CIDRBlock("10.0.0.0/8")]))
        // The fallback address (for transports without a peer) is inside the range; the socket's 127.0.0.1 is not.
        try await withRunning(world.server(sourceAddress: IPAddress("10.9.9.9")!)) { running in
        let (_, out) = try await curl(["-s", "-i", "-H", "Authorization: Bearer \(cidr)", "-H", "X-Forwarded-For: 10.1.2.3",
                                       "-H", "X-Real-IP: 10.1.2.3", running.baseURL + "/-/whoami"])
        #expect(out.hasPrefix("HTTP/1.1 401"), "\(out)")
        #expect(out.lowercased().contains("www-authenticate: ipaddress"))
        let denial = try #require(try world.registry.auditLog().last)
        #expect(denial.source == "127.0.0.1")
        #expect(denial.rule == "token.cidr-mismatch")
        }
    }

    func withRunning(_ server: RegistryServer, _ body: (RunningRegistryServer) async throws -> Void) async throws {
        let running = try await server.start()
        do { try await body(running) } catch { await running.stop(); throw error }
        await running.stop()
    }

    func curl(_ args: [String]) async throws -> (Int32, String) {
        guard let exe = NPMTools.which("curl") else { throw HarnessError("curl is needed for the live-socket tests") }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("drill-curl-\(UUID().uuidString).txt")
        let run = try await ProcessRunner.run(exe, args, cwd: FileManager.default.temporaryDirectory, environment: ProcessInfo.processInfo.environment,
                                              outputFile: out, timeout: .seconds(30))
        return (run.status, run.output)
    }
}

extension ServeAccountSpec {
    init(unchecked name: String, _ password: String, _ mode: TwoFactorMode) {
        self = try! ServeAccountSpec(parsing: "\(name):\(password)" + (mode == .disabled ? "" : ":\(mode.rawValue)"))
    }
}

/// The pieces of `regdrill serve` that live in DrillServer: the bind warning, the banner, the seeding hook.
@Suite struct ServeSupportTests {
    @Test func onlyLoopbackBindsWithoutAWarning() {
        for host in ["127.0.0.1", "127.0.0.2", "localhost", "::1"] { #expect(RegistryServer.bindWarning(host: host) == nil, "\(host)") }
        for host in ["0.0.0.0", "192.168.1.10", "::", "example.org"] {
            #expect(RegistryServer.bindWarning(host: host)?.hasPrefix("WARNING") == true, "\(host)")
        }
    }

    @Test func bannerTellsHowToPointNpmAtTheRegistryAndHowToGetCodes() throws {
        let secret = TestWorld.secret(for: "bob")
        let text = ServeBanner.render(baseURL: "http://127.0.0.1:4873", era: try RegistryEra("2018-07-12"), eraChosen: true,
                                      store: "in memory",
                                      summary: SeedSummary(accounts: [SeededAccount(name: "alice", password: "pw"),
                                                                      SeededAccount(name: "bob", password: "pw2", twoFactor: .authAndWrites, totpSecret: secret)]))
        #expect(text.contains("registry  http://127.0.0.1:4873/"))
        #expect(text.contains("era       2018-07-12"))
        #expect(text.contains("npm --registry http://127.0.0.1:4873/ --userconfig ./drill.npmrc login"))
        #expect(text.contains("otpauth://totp/npm:bob?secret=\(secret)"))
        #expect(text.contains("regdrill totp \(secret)"))
        #expect(!text.contains("emails"))   // no emailed login codes in 2018
        let today = ServeBanner.render(baseURL: "http://127.0.0.1:1", era: .latest, eraChosen: false, store: "x",
                                       summary: SeedSummary(accounts: [SeededAccount(name: "alice")]))
        #expect(today.contains("(today's rules)"))
        #expect(today.contains("[mail]"))
        // A scenario's title, an account name or a password with a line break in it cannot add a line of its own.
        let forged = ServeBanner.render(baseURL: "http://127.0.0.1:1", era: .latest, eraChosen: false, store: "x\nregistry  http://evil/",
                                        summary: SeedSummary(accounts: [SeededAccount(name: "alice", password: "pw\n  mallory  password: x")],
                                                             notes: ["scenario s: title\n  registry  http://evil.example/"]))
        #expect(!forged.components(separatedBy: "\n").contains { $0.hasPrefix("  registry  http://evil") || $0.hasPrefix("  mallory") || $0.hasPrefix("registry  http://evil") })
        #expect(forged.contains("title\\u{A}  registry  http://evil.example/"))
    }

    @Test func displayURLsAreOnesNpmCanUse() {
        #expect(RegistryServer.displayURL(host: "127.0.0.1", port: 4873) == "http://127.0.0.1:4873")
        #expect(RegistryServer.displayURL(host: "0.0.0.0", port: 1) == "http://127.0.0.1:1")
        #expect(RegistryServer.displayURL(host: "::", port: 2) == "http://[::1]:2")
        #expect(RegistryServer.displayURL(host: "::1", port: 3) == "http://[::1]:3")
        #expect(RegistryServer.displayURL(host: "localhost", port: 4) == "http://localhost:4")
    }

    @Test(arguments: [
        ("alice:pw", "alice", "pw", TwoFactorMode.disabled),
        ("bob:p:w:d", "bob", "p:w:d", .disabled),
        ("carol:pw:auth-only", "carol", "pw", .authOnly),
        ("dave:pw:auth-and-writes", "dave", "pw", .authAndWrites),
        // Words after a colon that do not read as a mode stay in the password.
        ("erin:correct:horse", "erin", "correct:horse", .disabled), ("fay:pw:2024", "fay", "pw:2024", .disabled),
        ("gil:pw:x y", "gil", "pw:x y", .disabled),
    ])
    func userSpecsParse(text: String, name: String, password: String, mode: TwoFactorMode) throws {
        let spec = try ServeAccountSpec(parsing: text)
        #expect(spec == ServeAccountSpec(unchecked: name, password, mode))
    }

    @Test("A mistyped mode is refused, not taken into the password", arguments: [
        "alice:pw:auth-onyl", "alice:pw:authonly", "alice:pw:auth_and_writes", "alice:pw:AUTH-ONLY", "alice:pw:writes", "alice:pw:2fa",
        "alice:pw:mfa", "alice:pw:totp",
    ])
    func mistypedModes(text: String) throws {
        let error = try #require(throws: ServeAccountSpecError.self) { try ServeAccountSpec(parsing: text) }
        #expect(error.description.contains("is not a 2FA mode"))
        #expect(!error.description.contains("pw"), "the password is never echoed: \(error.description)")
    }

    @Test(arguments: ["alice", ":pw", "alice:", "alice::auth-only"])
    func badUserSpecsAreRefusedWithoutEchoingThePassword(text: String) {
        #expect(throws: ServeAccountSpecError.self) { try ServeAccountSpec(parsing: text) }
    }

    @Test func userSpecsSeedMissingAccountsWithTOTPAndKeepExistingOnes() throws {
        let world = try TestWorld()
        try world.account("alice")
        let seeded = try ServeAccountSpec.seed([try ServeAccountSpec(parsing: "alice:new-pass"), try ServeAccountSpec(parsing: "bob:bob-pw:auth-and-writes")],
                                               into: world.registry)
        #expect(seeded[0].note?.contains("already") == true)
        #expect(seeded[0].password == nil)
        #expect(seeded[1].twoFactor == .authAndWrites)
        let secret = try #require(seeded[1].totpSecret)
        #expect(seeded[1].otpauthURI?.contains("secret=\(secret)") == true)
        #expect(try world.registry.account("bob")?.twoFactorMode == .authAndWrites)
        #expect(try world.registry.account("bob")?.email == "bob@example.com")
    }

    struct FakeSeeder: RegistrySeeder {
        func seed(_ registry: Registry, scenario: String, profile: String?) throws -> SeedSummary {
            try registry.seedAccount(name: "victim", email: "victim@example.com", password: "victim-pass")
            return SeedSummary(accounts: [SeededAccount(name: "victim")], notes: ["seeded \(scenario) under \(profile ?? "-")"])
        }
    }

    @Test func aScenarioSeederCanBePluggedIn() throws {
        #expect(ScenarioSeeding.current == nil)
        ScenarioSeeding.register(FakeSeeder())
        defer { ScenarioSeeding.reset() }
        let world = try TestWorld()
        let summary = try #require(ScenarioSeeding.current).seed(world.registry, scenario: "eslint-scope-2018", profile: "auth-only")
        #expect(summary.notes == ["seeded eslint-scope-2018 under auth-only"])
        #expect(try world.registry.account("victim") != nil)
        #expect(try FakeSeeder().era(scenario: "x", profile: nil) == nil)
    }
}
