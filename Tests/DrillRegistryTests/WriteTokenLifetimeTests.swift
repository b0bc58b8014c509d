@testable import DrillRegistry
import Testing

/// Issue 20, point 4 (part): from 13 Oct 2025 new write tokens default to 7 days and live at most 90 (GitHub changelog
/// 2025-09-29; npm/documentation 2c510df2); on 5 Nov 2025 existing write tokens that would have expired after
/// 3 Feb 2026 were capped to 3 Feb 2026 (GitHub changelog 2025-11-05).
@Suite struct WriteTokenLifetimeTests {
    @Test("The 90-day maximum applies from 13 Oct 2025", arguments: [("2025-10-12", nil as String?), ("2025-10-13", "token.lifetime-too-long")])
    func maximum(_ day: String, _ rule: String?) {
        let e = era(day)
        let facts = RequestFacts(operation: .createToken, era: e, now: noon(e), authentication: .password(verified: true),
                                 account: accountFact(.disabled), emailCodeVerified: true,
                                 requestedToken: TokenRequest(kind: .granular, lifetime: 91 * 86_400))
        #expect(ruleID(facts) == rule)
    }

    @Test("A write token made without a lifetime gets 7 days from 13 Oct 2025, and none before", arguments: [("2025-10-12", false), ("2025-10-13", true)])
    func defaultLifetime(_ day: String, _ sevenDays: Bool) throws {
        let w = try World(day)
        try w.registry.seedAccount(name: "alice", email: "alice@example.com", password: "hunter2")
        let login = try w.registry.seedToken(owner: "alice", request: TokenRequest(kind: .granular, lifetime: 86_400, bypassTwoFactor: false))
        let issued = try w.registry.createToken(w.bearer(login), request: TokenRequest(kind: .granular), password: "hunter2")
        #expect(issued.summary.expires == (sevenDays ? w.clock.now() + 7 * 86_400 : nil))
    }

    /// (era, token created, its own expiry, permission, expected rule at noon of the era's day).
    static let capCases: [(String, String, String?, TokenPermission, String?)] = [
        ("2026-02-02", "2025-06-01", "2026-06-01", .readWrite, nil),              // before the cap day
        ("2026-02-03", "2025-06-01", "2026-06-01", .readWrite, "token.expired"),  // capped to 3 Feb 2026
        ("2026-02-03", "2025-06-01", nil, .readWrite, "token.expired"),           // no expiry of its own: capped too
        ("2026-02-03", "2025-06-01", "2026-06-01", .readOnly, nil),               // read-only tokens were not capped
        ("2026-02-03", "2025-11-05", "2026-02-04", .readWrite, nil),              // made on or after 5 Nov: its own 90-day rule
    ]

    @Test("Existing write tokens are capped to 3 Feb 2026", arguments: capCases)
    func cap(_ day: String, _ created: String, _ expires: String?, _ permission: TokenPermission, _ rule: String?) {
        let e = era(day)
        let token = TokenFact(kind: .granular, permission: permission, created: era(created).startOfDay,
                              expires: expires.map { era($0).startOfDay })
        let facts = RequestFacts(operation: .readProfile, era: e, now: noon(e), authentication: .token(token), account: accountFact(.disabled))
        #expect(ruleID(facts) == rule)
    }
}
