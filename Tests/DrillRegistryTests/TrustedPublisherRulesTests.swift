@testable import DrillRegistry
import Testing

/// Issue 20, point 7: trusted publishing checks the whole configured identity (provider, repository, workflow and an
/// environment when one is set); CircleCI is accepted from 4 Mar 2026; a package has one trusted publisher until about
/// 3 Sep 2026 and up to ten from then.
@Suite struct TrustedPublisherRulesTests {
    /// A change of `package`'s trusted publishers by its maintainer, with 2FA and its code, on `day`.
    static func facts(day: String, adding provider: CIProvider?, after count: Int) -> RequestFacts {
        let e = era(day)
        let kind: TokenKind = e.has(.classicTokensRevoked) ? .session : .publish
        return RequestFacts(operation: .setTrustedPublisher, era: e, now: noon(e),
                            authentication: .token(TokenFact(kind: kind, permission: .readWrite, created: noon(e) - 60)),
                            account: accountFact(.authAndWrites), secondFactor: .verified(.totp), package: PackageFact(name: "left-pad"),
                            trustedPublisherChange: TrustedPublisherChange(adding: provider, connectionsAfter: count))
    }

    @Test("Which providers may be configured, on both sides of each date", arguments: [
        ("2025-07-30", CIProvider.githubActions, "trusted.unavailable" as String?), ("2025-07-31", .githubActions, nil),
        ("2025-07-30", .gitlab, "trusted.unavailable"), ("2025-07-31", .gitlab, nil),
        ("2025-07-30", .circleci, "trusted.unavailable"), ("2026-03-03", .circleci, "trusted.provider-unavailable"),
        ("2026-03-04", .circleci, nil),
    ])
    func providers(_ day: String, _ provider: CIProvider, _ rule: String?) {
        #expect(ruleID(Self.facts(day: day, adding: provider, after: 1)) == rule)
        // Removing a publisher is never refused for its provider or era.
        #expect(ruleID(Self.facts(day: day, adding: nil, after: 0)) == nil)
    }

    @Test("How many trusted publishers a package may have: one, then ten from about 3 Sep 2026", arguments: [
        ("2026-09-02", 1, nil as String?), ("2026-09-02", 2, "trusted.limit-reached"),
        ("2026-09-03", 2, nil), ("2026-09-03", 10, nil), ("2026-09-03", 11, "trusted.limit-reached"),
    ])
    func limits(_ day: String, _ count: Int, _ rule: String?) {
        #expect(ruleID(Self.facts(day: day, adding: .githubActions, after: count)) == rule)
    }

    @Test("A configured environment is checked; a publisher without one accepts any")
    func environmentIsChecked() throws {
        let w = try World("2026-03-04")
        try w.registry.seedAccount(name: "alice", email: "alice@example.com", password: "hunter2", twoFactor: .authAndWrites, totpSecret: seededSecret)
        try w.registry.seedPackage(name: "left-pad", maintainers: ["alice"], policy: .twoFactorAndDisallowTokens,
                                   trustedPublisher: TrustedPublisher(repository: "alice/left-pad", workflow: "release.yml", environment: "npm"))
        try w.registry.seedPackage(name: "right-pad", maintainers: ["alice"], policy: .twoFactorAndDisallowTokens,
                                   trustedPublisher: TrustedPublisher(repository: "alice/right-pad", workflow: "release.yml"))
        for environment in [nil, "staging"] as [String?] {
            let identity = TrustedPublisher(repository: "alice/left-pad", workflow: "release.yml", environment: environment)
            #expect(refusal { try w.registry.exchangeOIDCIdentity(package: "left-pad", identity: identity) }?.rule == "oidc.publish-only")
        }
        // Another provider with the same repository and workflow names is another identity.
        let gitlab = TrustedPublisher(provider: .gitlab, repository: "alice/left-pad", workflow: "release.yml", environment: "npm")
        #expect(refusal { try w.registry.exchangeOIDCIdentity(package: "left-pad", identity: gitlab) }?.rule == "oidc.publish-only")
        let good = try w.registry.exchangeOIDCIdentity(package: "left-pad",
                                                       identity: TrustedPublisher(repository: "alice/left-pad", workflow: "release.yml", environment: "npm"))
        #expect(try w.registry.publish(RequestContext(credential: .oidc(good)), release("left-pad", "1.1.0")).version == "1.1.0")
        for environment in [nil, "anything"] as [String?] {
            let identity = TrustedPublisher(repository: "alice/right-pad", workflow: "release.yml", environment: environment)
            #expect(refusal { try w.registry.exchangeOIDCIdentity(package: "right-pad", identity: identity) } == nil)
        }
    }

    @Test("Up to ten publishers of three providers each publish; one removed voids what it minted")
    func severalPublishers() throws {
        let w = try World("2026-09-03")
        try w.registry.seedAccount(name: "alice", email: "alice@example.com", password: "hunter2", twoFactor: .authAndWrites, totpSecret: seededSecret)
        try w.registry.seedPackage(name: "left-pad", maintainers: ["alice"], policy: .twoFactorAndDisallowTokens)
        let session = try w.registry.login(w.password("alice", "hunter2", .totp(w.code(seededSecret)))).token
        func settings() -> RequestContext { w.clock.advance(by: 30); return w.bearer(session, .totp(w.code(seededSecret))) }
        let publishers = [TrustedPublisher(repository: "alice/left-pad", workflow: "release.yml"),
                          TrustedPublisher(provider: .gitlab, repository: "alice/left-pad", workflow: ".gitlab-ci.yml"),
                          TrustedPublisher(provider: .circleci, repository: "alice/left-pad", workflow: "publish")]
            + (4...10).map { TrustedPublisher(repository: "alice/left-pad-\($0)", workflow: "release.yml") }
        for p in publishers { try w.registry.addTrustedPublisher(settings(), package: "left-pad", publisher: p) }
        #expect(try w.registry.package("left-pad")?.trustedPublishers == publishers)
        let eleventh = TrustedPublisher(repository: "alice/left-pad-11", workflow: "release.yml")
        #expect(refusal { try w.registry.addTrustedPublisher(settings(), package: "left-pad", publisher: eleventh) }?.rule == "trusted.limit-reached")
        for (i, p) in publishers.prefix(3).enumerated() {
            let credential = try w.registry.exchangeOIDCIdentity(package: "left-pad", identity: p)
            #expect(try w.registry.publish(RequestContext(credential: .oidc(credential)), release("left-pad", "1.\(i + 1).0")).version == "1.\(i + 1).0")
        }
        // A credential minted by the GitLab publisher stops working once that publisher is removed.
        let minted = try w.registry.exchangeOIDCIdentity(package: "left-pad", identity: publishers[1])
        try w.registry.removeTrustedPublisher(settings(), package: "left-pad", publisher: publishers[1])
        #expect(refusal { try w.registry.publish(RequestContext(credential: .oidc(minted)), release("left-pad", "2.0.0")) }?.rule == "oidc.publish-only")
        #expect(try w.registry.package("left-pad")?.trustedPublishers.count == 9)
        // A connection is its identity: the same one with other actions is already there, and removing it needs no actions.
        var restaged = publishers[0]
        restaged.actions = [.stage]
        #expect(refusal { try w.registry.addTrustedPublisher(settings(), package: "left-pad", publisher: restaged) }?.rule == "input.invalid")
        try w.registry.removeTrustedPublisher(settings(), package: "left-pad", publisher: restaged)
        #expect(try w.registry.package("left-pad")?.trustedPublishers.count == 8)
    }

    @Test("Before about 3 Sep 2026 a second publisher is refused, and replacing the one is allowed")
    func onePublisher() throws {
        let w = try World("2026-09-02")
        try w.registry.seedAccount(name: "alice", email: "alice@example.com", password: "hunter2", twoFactor: .authAndWrites, totpSecret: seededSecret)
        let first = TrustedPublisher(repository: "alice/left-pad", workflow: "release.yml")
        try w.registry.seedPackage(name: "left-pad", maintainers: ["alice"], trustedPublisher: first)
        let session = try w.registry.login(w.password("alice", "hunter2", .totp(w.code(seededSecret)))).token
        func settings() -> RequestContext { w.clock.advance(by: 30); return w.bearer(session, .totp(w.code(seededSecret))) }
        let second = TrustedPublisher(provider: .circleci, repository: "alice/left-pad", workflow: "publish")
        #expect(refusal { try w.registry.addTrustedPublisher(settings(), package: "left-pad", publisher: second) }?.rule == "trusted.limit-reached")
        try w.registry.setTrustedPublisher(settings(), package: "left-pad", publisher: second)
        #expect(try w.registry.package("left-pad")?.trustedPublishers == [second])
    }
}

/// From about 3 Sep 2026 "existing connections cannot be edited": replacing one is refused; removing and adding works.
@Suite struct TrustedPublisherEditTests {
    @Test("Replacing a connection with another, on both sides of the date", arguments: [("2026-09-02", nil as String?), ("2026-09-03", "trusted.no-edit")])
    func replace(_ day: String, _ rule: String?) throws {
        let w = try World(day)
        try w.registry.seedAccount(name: "alice", email: "alice@example.com", password: "hunter2", twoFactor: .authAndWrites, totpSecret: seededSecret)
        let first = TrustedPublisher(repository: "alice/left-pad", workflow: "release.yml")
        try w.registry.seedPackage(name: "left-pad", maintainers: ["alice"], trustedPublisher: first)
        let session = try w.registry.login(w.password("alice", "hunter2", .totp(w.code(seededSecret)))).token
        func settings() -> RequestContext { w.clock.advance(by: 30); return w.bearer(session, .totp(w.code(seededSecret))) }
        let other = TrustedPublisher(repository: "alice/left-pad", workflow: "publish.yml")
        #expect(refusal { try w.registry.setTrustedPublisher(settings(), package: "left-pad", publisher: other) }?.rule == rule)
        // Setting the same connection again is no edit; removing and adding always works.
        if rule != nil {
            #expect(refusal { try w.registry.setTrustedPublisher(settings(), package: "left-pad", publisher: first) } == nil)
            try w.registry.removeTrustedPublisher(settings(), package: "left-pad", publisher: first)
            try w.registry.addTrustedPublisher(settings(), package: "left-pad", publisher: other)
        }
        #expect(try w.registry.package("left-pad")?.trustedPublishers == [other])
    }
}
