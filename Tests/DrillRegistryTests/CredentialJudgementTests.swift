@testable import DrillRegistry
import Testing

/// `Registry.judgeCredential`, which the server asks before it reads a large body: for every credential, its refusal is
/// the one the whole request gets (the authentication rules come first in the catalog), it is audited as that request,
/// and a credential that holds is neither refused nor audited.
@Suite struct CredentialJudgementTests {
    enum Credential: String, CaseIterable, Sendable {
        case none, unknownToken, unknownAccount, wrongPassword, revokedToken, expiredToken, outsideCIDR, validToken, rightPassword
    }

    /// A world in 2022 (classic tokens still work, no emailed login codes for tokens) with alice, her package, and one
    /// token of each kind the credentials need.
    func context(_ credential: Credential, in world: World) throws -> RequestContext {
        let registry = world.registry
        switch credential {
        case .none: return .anonymous()
        case .unknownToken: return world.bearer("npm_" + String(repeating: "x", count: 36))
        case .unknownAccount: return world.password("mallory")
        case .wrongPassword: return world.password("alice", "wrong")
        case .rightPassword: return world.password("alice")
        case .validToken: return world.bearer(try registry.seedToken(owner: "alice", request: .classicPublish))
        case .revokedToken:
            let token = try registry.seedToken(owner: "alice", request: .classicPublish)
            try registry.revokeToken(world.bearer(token), keyOrToken: token)
            return world.bearer(token)
        case .expiredToken:
            let token = try registry.seedToken(owner: "alice", request: TokenRequest(kind: .granular, permission: .readWrite, lifetime: 86_400),
                                               created: world.clock.now() - 10 * 86_400, expires: world.clock.now() - 86_400)
            return world.bearer(token)
        case .outsideCIDR:
            let token = try registry.seedToken(owner: "alice", request: TokenRequest(kind: .publish, cidrAllowlist: [try CIDRBlock("10.0.0.0/8")]))
            return world.bearer(token, from: "192.0.2.7")
        }
    }

    func world() throws -> World {
        let world = try World("2022-09-01")
        try world.registry.seedAccount(name: "alice", email: "alice@example.com", password: "hunter2")
        try world.registry.seedPackage(name: "left-pad", maintainers: ["alice"], versions: ["1.0.0"])
        return world
    }

    @Test("The judgement is the whole request's answer, when it refuses", arguments: Credential.allCases)
    func sameAnswerAsTheRequest(_ credential: Credential) throws {
        let judged = try world()
        let whole = try world()
        let judgedContext = try context(credential, in: judged)
        let wholeContext = try context(credential, in: whole)
        let auditBefore = try judged.auditCount()

        let judgement = refusal { try judged.registry.judgeCredential(for: .publish, judgedContext, target: "left-pad") }
        let request = refusal { try whole.registry.publish(wholeContext, release("left-pad", "1.0.1")) }

        switch credential {
        case .validToken, .rightPassword:
            // The credential holds: nothing to say, nothing audited; the request itself goes on to the other rules (a
            // password publish of 2022 is asked for the emailed login code).
            #expect(judgement == nil)
            #expect(try judged.auditCount() == auditBefore)
            if let request { #expect(!Rule.authentication.contains { $0.id == request.rule }, "\(request)") }
        default:
            let refused = try #require(judgement, "\(credential) should be refused")
            #expect(refused.rule == request?.rule)
            #expect(refused.defense == request?.defense)
            #expect(refused.message == request?.message)
            let entry = try #require(try judged.registry.auditLog().last)
            #expect(entry.operation == "publish")
            #expect(entry.target == "left-pad")
            #expect(entry.outcome == "denied")
            #expect(entry.rule == refused.rule.rawValue)
        }
    }

    @Test func anOperationOpenToAnonymousCallersIsNotRefused() throws {
        let world = try world()
        #expect(refusal { try world.registry.judgeCredential(for: .download, .anonymous()) } == nil)
        #expect(try world.auditCount() == 0)
    }
}
