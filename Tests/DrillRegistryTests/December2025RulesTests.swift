@testable import DrillRegistry
import Testing

/// Issue 19, point 4: the three dates of Dec 2025, through the registry. 9 Dec: new packages default to "require 2FA
/// or a bypass token" and a login session publishes only with 2FA, existing packages keep their setting; 10 Dec:
/// changing a package's settings needs 2FA for every account; 16 Dec: publishing needs 2FA or a bypass token for every
/// package. (The policy tables on both sides of each date are in TwoFactorTableTests and TokenPolicyTests.)
@Suite struct December2025RulesTests {
    @Test("A new package's first publish stores the era's default setting", arguments: [
        ("2025-12-08", PublishingPolicy.twoFactorNotRequired), ("2025-12-09", .twoFactorOrToken), ("2026-03-02", .twoFactorOrToken),
    ])
    func newPackageDefault(_ day: String, _ expected: PublishingPolicy) throws {
        let w = try World(day)
        try w.registry.seedAccount(name: "alice", email: "alice@example.com", password: "hunter2")
        let token = try w.registry.seedToken(owner: "alice", request: TokenRequest(kind: .granular, lifetime: 7 * 86_400, bypassTwoFactor: true))
        try w.registry.publish(w.bearer(token), release("fresh-pkg", "1.0.0"))
        #expect(try w.registry.package("fresh-pkg")?.publishingPolicy == expected)
    }

    @Test("From 9 Dec a new package refuses a publisher without 2FA and without a bypass token; before, it did not")
    func newPackageNeedsTwoFactor() throws {
        for (day, rule) in [("2025-12-08", nil as String?), ("2025-12-09", "package.requires-two-factor")] {
            let w = try World(day)
            try w.registry.seedAccount(name: "alice", email: "alice@example.com", password: "hunter2")
            let token = try w.registry.seedToken(owner: "alice", request: TokenRequest(kind: .granular, lifetime: 7 * 86_400))
            if let rule {
                #expect(refusal { try w.registry.publish(w.bearer(token), release("fresh-pkg", "1.0.0")) }?.rule == rule, "\(day)")
                #expect(try w.registry.package("fresh-pkg") == nil)
            } else {
                #expect(try w.registry.publish(w.bearer(token), release("fresh-pkg", "1.0.0")).version == "1.0.0", "\(day)")
            }
        }
    }

    @Test("Between 9 and 16 Dec an existing 'not required' package: a session needs 2FA, a token without the flag does not", arguments: [
        ("2025-12-10", false), ("2025-12-16", true),
    ])
    func existingPackageKeepsItsSetting(_ day: String, _ everyPackageRequires: Bool) throws {
        let w = try World(day)
        try w.registry.seedAccount(name: "alice", email: "alice@example.com", password: "hunter2", twoFactor: .authOnly, totpSecret: seededSecret)
        try w.registry.seedPackage(name: "old-pkg", maintainers: ["alice"])
        // "During these sessions, 2FA is enforced for publishing operations" (changelog 2025-12-09).
        let session = try w.registry.login(w.password("alice", "hunter2", .totp(w.code(seededSecret)))).token
        #expect(refusal { try w.registry.publish(w.bearer(session), release("old-pkg", "1.0.1")) }?.rule == "2fa.package-publishing")
        let token = try w.registry.seedToken(owner: "alice", request: TokenRequest(kind: .granular, lifetime: 7 * 86_400))
        if everyPackageRequires {
            #expect(refusal { try w.registry.publish(w.bearer(token), release("old-pkg", "1.0.1")) }?.rule == "2fa.package-publishing")
        } else {
            #expect(try w.registry.publish(w.bearer(token), release("old-pkg", "1.0.1")).version == "1.0.1")
        }
    }

    @Test("From 10 Dec an account without 2FA cannot change a package's settings; one with 2FA can, with its code", arguments: [
        ("2025-12-09", nil as String?), ("2025-12-10", "package.settings-need-two-factor"), ("2026-11-29", "package.settings-need-two-factor"),
    ])
    func settingsNeedTwoFactor(_ day: String, _ rule: String?) throws {
        let w = try World(day)
        try w.registry.seedAccount(name: "mallory", email: "mallory@example.com", password: "hunter2")
        try w.registry.seedAccount(name: "alice", email: "alice@example.com", password: "hunter3", twoFactor: .authOnly, totpSecret: seededSecret)
        // "guarded" requires 2FA, which has covered every change to it since 2018: mallory, without 2FA, cannot turn it
        // off on either side of the date. "open" does not: only the Dec 2025 rule stands in the way.
        try w.registry.seedPackage(name: "guarded", maintainers: ["mallory", "alice"], policy: .twoFactorAndDisallowTokens)
        try w.registry.seedPackage(name: "open", maintainers: ["mallory", "alice"], versions: ["1.0.0"])
        let session = try w.registry.seedToken(owner: "mallory", request: TokenRequest(kind: .session, lifetime: 7_200))
        // (From 10 Dec the settings rule, earlier in the table, is the one that names the refusal.)
        #expect(refusal { try w.registry.setPublishingPolicy(w.bearer(session), package: "guarded", policy: .twoFactorNotRequired) }?.rule
                    == (rule ?? "package.requires-two-factor"))
        #expect(try w.registry.package("guarded")?.publishingPolicy == .twoFactorAndDisallowTokens)
        let change = { () throws(Refusal) in try w.registry.setPublishingPolicy(w.bearer(session), package: "open", policy: .twoFactorAndDisallowTokens) }
        if let rule {
            let refused = refusal { try change() }
            #expect(refused?.rule == rule)
            #expect(refused?.defense == .packageRequiresTwoFactor)
            #expect(try w.registry.package("open")?.publishingPolicy == .twoFactorNotRequired)
            // The trusted publisher and the visibility are settings too [I].
            #expect(refusal { try w.registry.setAccess(w.bearer(session), package: "open", isPublic: false) }?.rule == rule)
            #expect(refusal { try w.registry.setTrustedPublisher(w.bearer(session), package: "open", publisher: nil) }?.rule == rule)
            // A maintainer with 2FA changes them with a code, on a token without the flag as on any other. (This package
            // requires 2FA, which has covered every change to it since 2018, so its own setting asks first; a package
            // without the setting is asked by the Dec 2025 rule.)
            let aliceToken = try w.registry.seedToken(owner: "alice", request: TokenRequest(kind: .session, lifetime: 7_200))
            #expect(refusal { try w.registry.setPublishingPolicy(w.bearer(aliceToken), package: "guarded", policy: .twoFactorOrToken) }?.rule == "2fa.package-publishing")
            #expect(refusal { try w.registry.setAccess(w.bearer(aliceToken), package: "open", isPublic: false) }?.rule == "2fa.package-settings-change")
            try w.registry.setPublishingPolicy(w.bearer(aliceToken, .totp(w.code(seededSecret))), package: "guarded", policy: .twoFactorOrToken)
            #expect(try w.registry.package("guarded")?.publishingPolicy == .twoFactorOrToken)
        } else {
            try change()
            #expect(try w.registry.package("open")?.publishingPolicy == .twoFactorAndDisallowTokens)
        }
    }
}
