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

/// Issue 20, point 4 (rest): granular tokens in their first months (beta 6 Dec 2022, GA 21 Mar 2023): an expiry was
/// mandatory and at most 365 days, and an account held at most 50; from Jul 2023 expiry is optional and the
/// allowance 1,000.
@Suite struct EarlyGranularTokenTests {
    static func facts(day: String, lifetimeDays: Int?, live: Int = 0) -> RequestFacts {
        let e = era(day)
        var facts = RequestFacts(operation: .createToken, era: e, now: noon(e), authentication: .password(verified: true),
                                 account: accountFact(.disabled), emailCodeVerified: true,
                                 requestedToken: TokenRequest(kind: .granular, lifetime: lifetimeDays.map { Int64($0) * 86_400 }))
        facts.liveGranularTokens = live
        return facts
    }

    @Test("Expiry: mandatory and at most a year until Jul 2023", arguments: [
        ("2022-12-06", nil as Int?, "token.expiry-required" as String?), ("2023-03-21", nil, "token.expiry-required"),
        ("2023-06-30", 366, "token.lifetime-too-long"), ("2023-06-30", 365, nil),
        ("2023-07-01", nil, nil), ("2023-07-01", 366, nil), ("2024-06-01", 1_000, nil),
    ])
    func expiry(_ day: String, _ days: Int?, _ rule: String?) {
        #expect(ruleID(Self.facts(day: day, lifetimeDays: days)) == rule)
    }

    @Test("Allowance: 50 working granular tokens until Jul 2023, 1,000 from then", arguments: [
        ("2023-06-30", 49, nil as String?), ("2023-06-30", 50, "token.limit-reached"),
        ("2023-07-01", 50, nil), ("2023-07-01", 999, nil), ("2023-07-01", 1_000, "token.limit-reached"),
    ])
    func allowance(_ day: String, _ live: Int, _ rule: String?) {
        #expect(ruleID(Self.facts(day: day, lifetimeDays: 30, live: live)) == rule)
    }

    @Test("Through the registry: the 51st token is refused in June 2023; a revoked or expired one does not count")
    func allowanceThroughTheRegistry() throws {
        let w = try World("2023-06-01")
        try w.registry.seedAccount(name: "alice", email: "alice@example.com", password: "hunter2")
        let login = try w.registry.seedToken(owner: "alice", request: .classicPublish)
        let thirty = TokenRequest(kind: .granular, lifetime: 30 * 86_400)
        for _ in 0..<49 { try w.registry.seedToken(owner: "alice", request: thirty) }
        // One already expired: it does not count.
        try w.registry.seedToken(owner: "alice", request: thirty, created: w.clock.now() - 40 * 86_400, expires: w.clock.now() - 10 * 86_400)
        let fiftieth = try w.registry.createToken(w.bearer(login), request: thirty, password: "hunter2")
        #expect(refusal { try w.registry.createToken(w.bearer(login), request: thirty, password: "hunter2") }?.rule == "token.limit-reached")
        try w.registry.revokeToken(w.bearer(login), keyOrToken: fiftieth.summary.key)
        #expect(refusal { try w.registry.createToken(w.bearer(login), request: thirty, password: "hunter2") } == nil)
    }
}
