@testable import DrillRegistry
import Foundation
import Synchronization
import Testing

/// Issue 19, point 6: a one-time code is used up once accepted for a login or any password request (RFC 6238 §5.2),
/// so concurrent requests racing with one code get one success; a token repeating its own code within the code's
/// step stays accepted, because the npm CLI sends one `--otp` with every request of a multi-request command.
/// (The reasoning is at `RequestScope.mayRepeatCode`.)
@Suite struct OneTimeCodeUseTests {
    /// Runs `body` `count` times at once on separate threads; returns the rule of each refusal (nil: allowed).
    static func race(_ count: Int, _ body: @escaping @Sendable (Int) throws(Refusal) -> Void) -> [String?] {
        let results = Mutex<[String?]>([])
        DispatchQueue.concurrentPerform(iterations: count) { i in
            let outcome: String?
            do throws(Refusal) { try body(i); outcome = nil } catch { outcome = error.rule.rawValue }
            results.withLock { $0.append(outcome) }
        }
        return results.withLock { $0 }
    }

    static func world(_ mode: TwoFactorMode = .authAndWrites) throws -> World {
        // Nine reused codes must not trip the wrong-code rate limit on the way.
        var parameters = PolicyParameters()
        parameters.otpRateLimitAttempts = 100
        let w = try World("2024-06-01", parameters: parameters)
        try w.registry.seedAccount(name: "alice", email: "alice@example.com", password: "hunter2", twoFactor: mode, totpSecret: seededSecret)
        try w.registry.seedPackage(name: "left-pad", maintainers: ["alice"], versions: ["1.0.0"])
        return w
    }

    @Test("Ten concurrent logins with one code: one session, nine otp.reused")
    func concurrentLogins() throws {
        let w = try Self.world()
        let code = w.code(seededSecret)
        let results = Self.race(10) { _ throws(Refusal) in _ = try w.registry.login(w.password("alice", "hunter2", .totp(code))) }
        #expect(results.filter { $0 == nil }.count == 1, "\(results)")
        #expect(results.filter { $0 == "otp.reused" }.count == 9, "\(results)")
        // One login went through: one token minted, ten audited attempts.
        #expect(try w.registry.tokens(of: "alice").count == 1)
        #expect(try w.registry.auditLog().filter { $0.operation == "login" }.count == 10)
    }

    @Test("Ten concurrent password (Basic) publishes with one code: one version")
    func concurrentPasswordPublishes() throws {
        let w = try Self.world(.authOnly)
        let code = w.code(seededSecret)
        let results = Self.race(10) { i throws(Refusal) in
            _ = try w.registry.publish(w.password("alice", "hunter2", .totp(code)), release("left-pad", "1.1.\(i)"))
        }
        #expect(results.filter { $0 == nil }.count == 1, "\(results)")
        #expect(results.filter { $0 == "otp.reused" }.count == 9, "\(results)")
        #expect(try w.registry.package("left-pad")?.versions.count == 2)
    }

    @Test("Ten concurrent logins with one emailed code: one session")
    func concurrentEmailedCodeLogins() throws {
        // A used emailed code counts as a wrong one toward the rate limit: keep it out of the way.
        var parameters = PolicyParameters()
        parameters.otpRateLimitAttempts = 100
        let w = try World("2024-06-01", parameters: parameters)
        try w.registry.seedAccount(name: "bob", email: "bob@example.com", password: "hunter3")
        #expect(refusal { try w.registry.login(w.password("bob", "hunter3")) }?.rule == "login.emailed-code")
        let code = try #require(try w.registry.mailbox(domain: "example.com").last?.code)
        let results = Self.race(10) { _ throws(Refusal) in _ = try w.registry.login(w.password("bob", "hunter3", .emailCode(code))) }
        #expect(results.filter { $0 == nil }.count == 1, "\(results)")
        #expect(results.filter { $0 == "login.emailed-code" }.count == 9, "\(results)")
    }

    @Test("One token repeating its code within the step, ten requests at once: all accepted; another token: refused")
    func tokenRepeatsItsCode() throws {
        let w = try Self.world()
        for i in 0..<10 { try w.registry.seedPackage(name: "pkg-\(i)", maintainers: ["alice"], versions: ["1.0.0"]) }
        let token = try w.registry.seedToken(owner: "alice", request: .classicPublish)
        let other = try w.registry.seedToken(owner: "alice", request: .classicPublish)
        let code = w.code(seededSecret)
        // What `npm deprecate` or `npm unpublish` does: several writes, one --otp, one token.
        try w.registry.setDistTag(w.bearer(token, .totp(code)), package: "left-pad", tag: "next", version: "1.0.0")
        let results = Self.race(10) { i throws(Refusal) in
            try w.registry.deprecate(w.bearer(token, .totp(code)), package: "pkg-\(i)", version: nil, message: "use left-pad")
        }
        #expect(results.allSatisfy { $0 == nil }, "\(results)")
        // The same code with another credential within the step is a relayed code.
        #expect(refusal { try w.registry.setDistTag(w.bearer(other, .totp(code)), package: "left-pad", tag: "latest", version: "1.0.0") }?.rule == "otp.reused")
        #expect(refusal { try w.registry.login(w.password("alice", "hunter2", .totp(code))) }?.rule == "otp.reused")
        // And the first token may still repeat it: a refused attempt by another does not take the code over.
        try w.registry.setDistTag(w.bearer(token, .totp(code)), package: "left-pad", tag: "latest", version: "1.0.0")
        // The next step's code is new for everyone.
        w.clock.advance(by: 30)
        try w.registry.setDistTag(w.bearer(other, .totp(w.code(seededSecret))), package: "left-pad", tag: "latest", version: "1.0.0")
    }
}
