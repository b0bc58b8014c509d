import DrillCrypto
@testable import DrillRegistry
import GRDB
import Testing

/// Packages through `Registry`: publish checks leave nothing behind, refusals only touch the audit log,
/// the audit log cannot be rewritten, unpublish windows, OIDC and org enforcement end to end.
@Suite struct PackageFlowTests {
    /// 2022, alice (no 2FA) maintains left-pad 1.0.0 and holds a publish token; emailed codes do not matter here.
    static func world(maximumTarballBytes: Int = 8 * 1024 * 1024) throws -> (World, String) {
        let w = try World("2022-09-01", maximumTarballBytes: maximumTarballBytes)
        try w.registry.seedAccount(name: "alice", email: "alice@example.com", password: "hunter2")
        try w.registry.seedAccount(name: "mallory", email: "mallory@evil.com", password: "hunter2")
        try w.registry.seedPackage(name: "left-pad", maintainers: ["alice"], versions: ["1.0.0"])
        return (w, try w.registry.seedToken(owner: "alice", request: .classicPublish))
    }

    @Test("A publish creates the version, its dist-tag and integrity; the tarball downloads back")
    func publish() throws {
        let (w, token) = try Self.world()
        let request = release("left-pad", "1.1.0")
        let record = try w.registry.publish(w.bearer(token), request)
        #expect(record.integrity == Registry.integrity(of: request.tarball))
        #expect(record.integrity.hasPrefix("sha512-"))
        #expect(record.shasum == Digest.sha1Hex(bytes: request.tarball))
        #expect(record.publishedBy == "alice")
        let package = try #require(try w.registry.package("left-pad"))
        #expect(package.versions.map(\.version) == ["1.0.0", "1.1.0"])
        #expect(package.distTags["latest"] == "1.1.0")
        #expect(try w.registry.download(.anonymous(), package: "left-pad", version: "1.1.0") == request.tarball)
        // A new package gets its publisher as only maintainer.
        try w.registry.publish(w.bearer(token), release("@alice/util", "0.1.0-beta.1", tag: "beta"))
        #expect(try w.registry.package("@alice/util")?.maintainers == ["alice"])
        #expect(try w.registry.package("@alice/util")?.distTags == ["beta": "0.1.0-beta.1"])
        #expect(try w.registry.packageNames() == ["@alice/util", "left-pad"])
        #expect(try w.registry.auditLog().suffix(3).map(\.outcome) == ["allowed", "allowed", "allowed"])
    }

    struct BadPublish: Sendable, CustomTestStringConvertible {
        let name: String
        let request: PublishRequest
        /// The exact error, where the test can state it (a name's reason is prose).
        let error: RegistryError?
        let rule: String
        var testDescription: String { name }
    }

    static let badPublishes: [BadPublish] = {
        var mismatch = release("left-pad", "1.1.0")
        mismatch.integrity = Registry.integrity(of: Array("other bytes".utf8))
        var sha1 = release("left-pad", "1.1.0")
        sha1.integrity = "sha1-" + Digest.sha1Hex(bytes: sha1.tarball)
        let big = [UInt8](repeating: 0x61, count: 1_025)
        return [
            BadPublish(name: "integrity mismatch", request: mismatch,
                       error: .integrityMismatch(expected: mismatch.integrity!, actual: Registry.integrity(of: mismatch.tarball)),
                       rule: "input.integrity-mismatch"),
            BadPublish(name: "integrity not sha512", request: sha1, error: .malformedIntegrity(sha1.integrity!), rule: "input.integrity-malformed"),
            BadPublish(name: "capital letters in the name", request: release("Left-Pad", "1.0.0"), error: nil, rule: "input.package-name"),
            BadPublish(name: "core module name", request: release("fs", "1.0.0"), error: nil, rule: "input.package-name"),
            BadPublish(name: "special character in the name", request: release("left~pad", "1.0.0"), error: nil, rule: "input.package-name"),
            BadPublish(name: "not semver", request: release("left-pad", "1.1"), error: .invalidVersion("1.1"), rule: "input.version"),
            BadPublish(name: "leading zero", request: release("left-pad", "1.01.0"), error: .invalidVersion("1.01.0"), rule: "input.version"),
            BadPublish(name: "over an existing version", request: release("left-pad", "1.0.0"),
                       error: .versionExists(package: "left-pad", version: "1.0.0"), rule: "input.version-exists"),
            BadPublish(name: "tarball over the limit",
                       request: PublishRequest(package: "left-pad", version: "1.1.0", tarball: big, integrity: Registry.integrity(of: big)),
                       error: .tooLarge(what: "tarball", size: 1_025, limit: 1_024), rule: "input.too-large"),
            BadPublish(name: "dist-tag that looks like a version", request: release("left-pad", "1.1.0", tag: "1.x"),
                       error: .invalidDistTag("1.x"), rule: "input.dist-tag"),
        ]
    }()

    @Test("Each bad publish gives its typed error and leaves the registry as it was", arguments: badPublishes)
    func badPublish(_ bad: BadPublish) throws {
        let (w, token) = try Self.world(maximumTarballBytes: 1_024)
        let request = bad.request
        let names = try w.registry.packageNames()
        let package = try w.registry.package("left-pad")
        let state = try w.registry.snapshot()
        let audits = try w.auditCount()

        let result = refusal { try w.registry.publish(w.bearer(token), request) }
        guard case .invalid(let error)? = result else {
            Issue.record("expected an input error, got \(String(describing: result))")
            return
        }
        #expect(error.rule == bad.rule)
        if let expected = bad.error { #expect(error == expected) }
        if bad.rule == "input.package-name" { #expect(error.description.contains(request.package)) }

        #expect(try w.registry.packageNames() == names)
        #expect(try w.registry.package("left-pad") == package)
        #expect(try w.registry.snapshot() == state)
        let log = try w.registry.auditLog()
        #expect(log.count == audits + 1)
        #expect(log.last?.outcome == "invalid")
        #expect(log.last?.rule == bad.rule)
    }

    @Test("An unpublished version number can never be published again")
    func republishUnpublished() throws {
        let (w, token) = try Self.world()
        try w.registry.publish(w.bearer(token), release("left-pad", "1.1.0"))
        try w.registry.unpublish(w.bearer(token), package: "left-pad", version: "1.1.0")
        #expect(try w.registry.package("left-pad")?.versions.map(\.version) == ["1.0.0"])
        #expect(try w.registry.resolve(package: "left-pad") == "1.0.0")
        let state = try w.registry.snapshot()
        #expect(refusal { try w.registry.publish(w.bearer(token), release("left-pad", "1.1.0")) } == .invalid(.versionExists(package: "left-pad", version: "1.1.0")))
        #expect(try w.registry.snapshot() == state)
    }

    @Test("Build metadata does not make a new version, published or unpublished (semver 2.0.0 §10)", arguments: [
        // (taken, then tried, refused?)
        ("1.1.0", "1.1.0", true), ("1.1.0", "1.1.0+rebuild", true), ("1.1.0+a", "1.1.0", true), ("1.1.0+a", "1.1.0+b", true),
        ("1.1.0", "1.1.0-rc.1", false), ("1.1.0-rc.1", "1.1.0", false), ("1.1.0-rc.1+a", "1.1.0-rc.1", true), ("1.1.0", "1.1.1", false),
        ("1.1.0", "1.1.00", false), ("1.1.1", "1.1.10+x", false), ("11.1.0", "1.1.0", false),
    ])
    func buildMetadata(_ taken: String, _ tried: String, _ refused: Bool) throws {
        for unpublished in [false, true] {
            let (w, token) = try Self.world()
            try w.registry.publish(w.bearer(token), release("left-pad", taken))
            if unpublished { try w.registry.unpublish(w.bearer(token), package: "left-pad", version: taken) }
            let answer = refusal { try w.registry.publish(w.bearer(token), release("left-pad", tried)) }
            #expect((answer?.rule == "input.version-exists") == refused, "\(taken) then \(tried), unpublished: \(unpublished): \(String(describing: answer))")
        }
    }

    @Test("A package holds at most 100 dist-tags; moving one it has is always allowed", arguments: [99, 100])
    func distTagBound(_ tags: Int) throws {
        let (w, token) = try Self.world()
        // "latest" is one of them.
        for i in 1..<tags { try w.registry.setDistTag(w.bearer(token), package: "left-pad", tag: "t\(i)", version: "1.0.0") }
        let another = refusal { try w.registry.setDistTag(w.bearer(token), package: "left-pad", tag: "one-more", version: "1.0.0") }
        #expect((another?.rule == "input.too-large") == (tags >= Registry.maximumDistTags), "\(String(describing: another))")
        if let another { #expect(another.message == "That would make 101 dist-tags on left-pad; the limit is 100.") }
        try w.registry.setDistTag(w.bearer(token), package: "left-pad", tag: "t1", version: "1.0.0")
        // A publish under a new tag is held to the same bound.
        let published = refusal { try w.registry.publish(w.bearer(token), release("left-pad", "1.2.0", tag: "fresh")) }
        #expect((published?.rule == "input.too-large") == (tags >= Registry.maximumDistTags - 1))
    }

    @Test("A denied request changes nothing but the audit log", arguments: ["not-maintainer", "read-only", "cidr", "auth-and-writes"])
    func deniedChangesNothing(_ reason: String) throws {
        let (w, aliceToken) = try Self.world()
        let context: RequestContext
        let expectedRule: String
        switch reason {
        case "not-maintainer":
            context = w.bearer(try w.registry.seedToken(owner: "mallory", request: .classicPublish))
            expectedRule = "package.not-maintainer"
        case "read-only":
            context = w.bearer(try w.registry.seedToken(owner: "alice", request: .classicReadOnly))
            expectedRule = "token.read-only"
        case "cidr":
            context = w.bearer(try w.registry.seedToken(owner: "alice", request: TokenRequest(kind: .publish, cidrAllowlist: [try CIDRBlock("10.0.0.0/8")])),
                               from: "203.0.113.9")
            expectedRule = "token.cidr-mismatch"
        default:
            try w.registry.seedAccount(name: "bob", email: "bob@example.com", password: "pw", twoFactor: .authAndWrites, totpSecret: seededSecret)
            try w.registry.addOwner(w.bearer(aliceToken), package: "left-pad", user: "bob")
            context = w.bearer(try w.registry.seedToken(owner: "bob", request: .classicPublish))
            expectedRule = "2fa.writes"
        }
        let state = try w.registry.snapshot()
        let audits = try w.registry.auditLog()
        let attempts: [Refusal?] = [
            refusal { try w.registry.publish(context, release("left-pad", "6.6.6")) },
            refusal { try w.registry.setDistTag(context, package: "left-pad", tag: "latest", version: "1.0.0") },
            refusal { try w.registry.addOwner(context, package: "left-pad", user: "mallory") },
            refusal { try w.registry.deprecate(context, package: "left-pad", version: nil, message: "pwned") },
            refusal { try w.registry.unpublish(context, package: "left-pad", version: nil) },
            refusal { try w.registry.setPublishingPolicy(context, package: "left-pad", policy: .twoFactorNotRequired) },
        ]
        for attempt in attempts { #expect(attempt?.rule == expectedRule) }
        #expect(try w.registry.snapshot() == state)
        let log = try w.registry.auditLog()
        #expect(Array(log.prefix(audits.count)) == audits)
        let added = log.dropFirst(audits.count)
        #expect(added.count == attempts.count)
        #expect(added.allSatisfy { $0.outcome == "denied" && $0.rule == expectedRule && $0.defense != nil && $0.message != nil })
        #expect(added.map(\.operation) == ["publish", "dist-tag-add", "owner-add", "deprecate", "unpublish", "change-publishing-setting"])
    }

    @Test("The audit log is append-only: UPDATE and DELETE are refused by the schema")
    func auditAppendOnly() throws {
        let (w, token) = try Self.world()
        _ = refusal { try w.registry.publish(w.bearer(token), release("left-pad", "1.0.0")) }
        try w.registry.publish(w.bearer(token), release("left-pad", "1.0.1"))
        let before = try w.registry.auditLog()
        #expect(before.count == 2)
        for sql in ["UPDATE audit SET outcome = 'allowed', rule = NULL", "DELETE FROM audit", "DELETE FROM audit WHERE outcome = 'invalid'"] {
            do {
                try w.registry.store.writeWithoutTransaction { db in try db.execute(sql: sql) }
                Issue.record("\(sql) succeeded")
            } catch let error as DatabaseError {
                #expect(error.message?.contains("append-only") == true)
            }
        }
        #expect(try w.registry.auditLog() == before)
        // Audit entries never hold a secret.
        let text = before.map { "\($0)" }.joined()
        #expect(!text.contains(token))
        #expect(before.allSatisfy { $0.credential.hasPrefix("token:publish:") })
    }

    @Test("Unpublish follows the era's window, judged on the version's own age")
    func unpublishWindow() throws {
        let (w, token) = try Self.world()
        try w.registry.publish(w.bearer(token), release("left-pad", "1.1.0"))
        try w.registry.publish(w.bearer(token), release("left-pad", "1.2.0"))
        w.clock.advance(by: 71 * 3_600)
        try w.registry.unpublish(w.bearer(token), package: "left-pad", version: "1.2.0")
        #expect(try w.registry.resolve(package: "left-pad") == "1.1.0")
        w.clock.advance(by: 2 * 3_600)
        // 73 hours: refused, unless the late conditions hold (a single owner and < 300 downloads a week: they do here).
        try w.registry.unpublish(w.bearer(token), package: "left-pad", version: "1.1.0")
        try w.registry.addOwner(w.bearer(token), package: "left-pad", user: "mallory")
        #expect(refusal { try w.registry.unpublish(w.bearer(token), package: "left-pad", version: "1.0.0") }?.rule == "unpublish.window-closed")
        #expect(try w.registry.package("left-pad")?.versions.map(\.version) == ["1.0.0"])
    }

    @Test("Trusted publishing end to end: the configured workflow publishes once per credential")
    func trustedPublishing() throws {
        let w = try World("2025-12-10")
        try w.registry.seedAccount(name: "alice", email: "alice@example.com", password: "hunter2", twoFactor: .authAndWrites, totpSecret: seededSecret)
        try w.registry.seedPackage(name: "left-pad", maintainers: ["alice"], policy: .twoFactorAndDisallowTokens,
                                   trustedPublisher: TrustedPublisher(repository: "alice/left-pad", workflow: "release.yml"))
        #expect(refusal { try w.registry.exchangeOIDCIdentity(package: "left-pad", repository: "mallory/left-pad", workflow: "release.yml") }?.rule
            == "oidc.publish-only")
        let credential = try w.registry.exchangeOIDCIdentity(package: "left-pad", repository: "alice/left-pad", workflow: "release.yml")
        let ci = RequestContext(credential: .oidc(credential))
        let record = try w.registry.publish(ci, release("left-pad", "1.1.0"))
        #expect(record.publishedBy == "oidc:left-pad")
        #expect(refusal { try w.registry.publish(ci, release("left-pad", "1.2.0")) }?.rule == "oidc.invalid")
        let second = RequestContext(credential: .oidc(try w.registry.exchangeOIDCIdentity(package: "left-pad", repository: "alice/left-pad", workflow: "release.yml")))
        #expect(refusal { try w.registry.setDistTag(second, package: "left-pad", tag: "latest", version: "1.0.0") }?.rule == "oidc.publish-only")
        #expect(refusal { try w.registry.publish(second, release("right-pad", "1.0.0")) }?.rule == "oidc.publish-only")
        w.clock.advance(by: PolicyParameters().oidcCredentialLifetime)
        #expect(refusal { try w.registry.publish(second, release("left-pad", "1.2.0")) }?.rule == "oidc.invalid")
        #expect(refusal { try w.registry.publish(RequestContext(credential: .oidc("oidc_forged")), release("left-pad", "1.2.0")) }?.rule == "oidc.invalid")
        #expect(try w.registry.package("left-pad")?.versions.map(\.version) == ["1.0.0", "1.1.0"])
    }

    @Test("Org 2FA enforcement end to end")
    func orgEnforcement() throws {
        let w = try World("2023-06-01")
        try w.registry.seedAccount(name: "alice", email: "alice@example.com", password: "hunter2", twoFactor: .authOnly, totpSecret: seededSecret)
        try w.registry.seedAccount(name: "bob", email: "bob@example.com", password: "hunter2")
        try w.registry.seedOrg(name: "acme", members: ["alice", "bob"], requiresTwoFactor: true)
        try w.registry.seedPackage(name: "@acme/widget", maintainers: ["alice", "bob"])
        let bob = try w.registry.seedToken(owner: "bob", request: .classicPublish)
        let alice = try w.registry.seedToken(owner: "alice", request: .classicPublish)
        let denial = refusal { try w.registry.publish(w.bearer(bob), release("@acme/widget", "1.0.1")) }
        #expect(denial?.rule == "org.two-factor-required")
        #expect(denial?.defense == .orgTwoFactorEnforcement)
        try w.registry.publish(w.bearer(alice), release("@acme/widget", "1.0.1"))
        #expect(refusal { try w.registry.disableTwoFactor(w.bearer(alice, .totp(w.code(seededSecret))), password: "hunter2") }?.rule
            == "org.cannot-disable-two-factor")
        #expect(try w.registry.account("alice")?.twoFactorMode == .authOnly)
    }
}
