@testable import DrillRegistry
import Testing

/// Issue 19, point 5: the revocation grace is the era's (an hour before 2018, none from then [I]) and the same on every
/// path that revokes: `npm token revoke`, `npm logout`, and registry staff revoking tokens in bulk. When it is honoured,
/// the allowed request says so (to the caller and in the audit log).
@Suite struct RevocationGraceTests {
    enum Path: String, CaseIterable, CustomTestStringConvertible {
        case revoke, logout, staff
        var testDescription: String { rawValue }
    }

    /// Revokes `token` (owned by alice, whose login token is `login`) along `path`.
    static func revoke(_ token: String, by path: Path, in w: World, login: String) throws {
        switch path {
        case .revoke: try w.registry.revokeToken(w.bearer(login), keyOrToken: token)
        case .logout: try w.registry.logout(w.bearer(token))
        case .staff: _ = try w.registry.staffRevokeTokens(createdBefore: w.clock.now(), accounts: ["alice"])
        }
    }

    @Test("Every path honours the same grace on both sides of 2018-01-01",
          arguments: Path.allCases, [("2017-12-31", true), ("2018-01-01", false)])
    func everyPath(_ path: Path, _ day: (String, Bool)) throws {
        let (date, graceHonoured) = day
        let w = try World(date)
        try w.registry.seedAccount(name: "alice", email: "alice@example.com", password: "hunter2")
        let login = try w.registry.seedToken(owner: "alice", request: .classicPublish)
        w.clock.advance(by: 1)
        // The staff cut-off takes every token of alice's created before now: the one on trial is older than the clock.
        let victim = try w.registry.seedToken(owner: "alice", request: .classicPublish, created: w.clock.now() - 1)
        try Self.revoke(victim, by: path, in: w, login: login)

        let notices = RequestNotices()
        let context = RequestContext(credential: .bearer(victim), notices: notices)
        if graceHonoured {
            #expect(try w.registry.profile(context).name == "alice")
            let notice = try #require(notices.all.first)
            #expect(notice.contains("honours it until"))
            #expect(try w.registry.auditLog().last?.message == notice)
            w.clock.advance(by: 3_599)
            #expect(try w.registry.profile(w.bearer(victim)).name == "alice")
            w.clock.advance(by: 1)
        } else {
            #expect(notices.all.isEmpty)
        }
        let refused = refusal { try w.registry.profile(w.bearer(victim)) }
        #expect(refused?.rule == "token.revoked")
        #expect(refused?.defense == .tokenRevocation)
    }

    @Test("A token that was never revoked carries no notice")
    func noNoticeWithoutRevocation() throws {
        let w = try World("2017-12-31")
        try w.registry.seedAccount(name: "alice", email: "alice@example.com", password: "hunter2")
        let token = try w.registry.seedToken(owner: "alice", request: .classicPublish)
        let notices = RequestNotices()
        #expect(try w.registry.profile(RequestContext(credential: .bearer(token), notices: notices)).name == "alice")
        #expect(notices.all.isEmpty)
        #expect(try w.registry.auditLog().last?.message == nil)
    }
}
