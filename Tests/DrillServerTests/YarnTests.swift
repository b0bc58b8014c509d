import DrillCrypto
import DrillRegistry
@testable import DrillServer
import Foundation
import Testing

/// Yarn 1 against a live server: the same registry and rules as for the npm CLI, through another real client.
///
/// Yarn logs in with the password and a one-time code, then sends that same code with the publish, on the token the
/// login just minted; npm's registry accepts it. It also expects `"success": true` from a document update (owners).
@Suite(.serialized, .enabled(if: YarnTools.shouldRun, "yarnpkg and python3 with pexpect are needed for the Yarn tests (under CI their absence fails)"))
struct YarnTests {
    func withLive(_ world: TestWorld, _ body: (YarnTerminal) async throws -> Void) async throws {
        let server = try await world.server().start()
        let terminal: YarnTerminal
        do { terminal = try YarnTerminal(server: server) } catch { await server.stop(); throw error }
        do {
            try await body(terminal)
        } catch {
            terminal.cleanup(); await server.stop(); throw error
        }
        terminal.cleanup()
        await server.stop()
    }

    /// Yarn's first run asks who you are; the answers go to ~/.yarnrc, so later runs ask only for the password.
    static func loginSteps(_ user: String, code: String? = nil, firstRun: Bool) -> [JSONValue] {
        var steps: [JSONValue] = []
        if firstRun {
            steps.append(["expect": "question\\S* npm username: ", "send": .string(user)])
            steps.append(["expect": "question\\S* npm email: ", "send": .string("\(user)@example.com")])
        }
        steps.append(["expect": "question\\S* npm password: ", "send": .string("\(user)-pass")])
        if let code { steps.append(["expect": "question\\S* npm one-time password: ", "send": .string(code)]) }
        return steps
    }

    @Test func publishWithTwoFactorSendsTheLoginsCodeAgainAndIsAccepted() async throws {
        let world = try TestWorld()
        try world.account("ivy", .authAndWrites)
        try await withLive(world) { yarn in
            let pkg = try yarn.package("drill-yarn", "1.0.0")
            let code = world.code("ivy")
            let published = try await yarn.yarnInteractive(["publish", "--new-version", "1.0.0", "--no-git-tag-version"],
                                                            steps: Self.loginSteps("ivy", code: code, firstRun: true), in: pkg)
            #expect(published.ok, "\(published)")
            #expect(published.output.contains("Published."), "\(published)")
            #expect(!published.output.contains("Incorrect one-time password"))
            #expect(try world.registry.package("drill-yarn")?.versions.map(\.version) == ["1.0.0"])
            // The publish came on the token the login minted, with the login's code; yarn then revoked that token.
            let audit = try world.registry.auditLog()
            let publish = try #require(audit.last { $0.operation == "publish" })
            #expect(publish.outcome == "allowed" && publish.credential.hasPrefix("token:publish:"))
            // (DELETE /-/user/token/<token>, what npm logout sends.)
            #expect(audit.contains { $0.operation == "logout" && $0.outcome == "allowed" })
            #expect(published.output.contains("Revoked login token."))

            // Another client with the same code is still a relayed code.
            let stranger = try world.token("ivy")
            let relayed = refusalOf { () throws(Refusal) in try world.registry.setDistTag(RequestContext(credential: .bearer(stranger), secondFactor: .totp(code)),
                                                                    package: "drill-yarn", tag: "latest", version: "1.0.0") }
            #expect(relayed == "otp.reused")
        }
    }

    @Test func ownerAddReportsSuccess() async throws {
        let world = try TestWorld(era: "2021-06-01")
        try world.account("ivy")
        try world.account("jo")
        try world.registry.seedPackage(name: "drill-yarn-owned", maintainers: ["ivy"])
        try await withLive(world) { yarn in
            let pkg = try yarn.package("drill-yarn-owned", "1.0.0")
            let added = try await yarn.yarnInteractive(["owner", "add", "jo", "drill-yarn-owned"],
                                                       steps: Self.loginSteps("ivy", firstRun: true), in: pkg)
            #expect(added.ok, "\(added)")
            #expect(added.output.contains("Added owner."), "\(added)")
            #expect(try world.registry.package("drill-yarn-owned")?.maintainers.sorted() == ["ivy", "jo"])
        }
    }

    func refusalOf(_ body: () throws(Refusal) -> Void) -> String? {
        do throws(Refusal) { try body(); return nil } catch { return error.rule.rawValue }
    }
}
