@testable import DrillRegistry
import Testing

/// The password throttle (rule `auth.password-rate-limited`, defense `password-throttle`): after too many wrong
/// passwords, for an account from one address, for an account from anywhere, or from one address for any accounts,
/// passwords are not checked until the window has passed. Each limit is tested on both sides of its threshold.
@Suite struct PasswordThrottleTests {
    /// 2021: logins mint classic tokens and ask no emailed code, so a right password logs in.
    func world() throws -> World {
        let world = try World("2021-06-01")
        try world.registry.seedAccount(name: "alice", email: "alice@example.com", password: "hunter2")
        return world
    }

    func login(_ world: World, _ user: String = "alice", _ password: String = "hunter2", from address: String = "192.0.2.1") -> Refusal? {
        refusal { try world.registry.login(RequestContext(credential: .password(username: user, password: password),
                                                          sourceAddress: IPAddress(address)!)) }
    }

    func guess(_ world: World, _ count: Int, user: (Int) -> String = { _ in "alice" }, from address: (Int) -> String = { _ in "192.0.2.1" }) {
        for i in 0..<count {
            let answer = login(world, user(i), "guess-\(i)", from: address(i))
            #expect(answer?.rule == .passwordInvalid || answer?.rule == .unknownAccount, "guess \(i): \(String(describing: answer))")
        }
    }

    @Test("For one account from one address: 10 wrong passwords", arguments: [9, 10])
    func perAccountFromAddress(_ wrong: Int) throws {
        let world = try world()
        guess(world, wrong)
        let answer = login(world)
        if wrong < world.registry.configuration.parameters.passwordFailuresPerAccountFromSource {
            #expect(answer == nil)
        } else {
            #expect(answer?.rule == .passwordRateLimited)
            #expect(answer?.defense == .passwordThrottle)
            // Only from there: the owner elsewhere logs in.
            #expect(login(world, from: "198.51.100.7") == nil)
        }
    }

    @Test func thirtyWrongPasswordsThenTheRightOneIsRefused() throws {
        // What the outside attack found: 30 wrong passwords, then the right one, logged in.
        let world = try world()
        for i in 0..<30 { _ = login(world, "alice", "guess-\(i)") }
        #expect(login(world)?.rule == .passwordRateLimited)
    }

    @Test("The window: the limit lifts when the wrong passwords are older than it", arguments: [899 as Int64, 901])
    func window(_ wait: Int64) throws {
        let world = try world()
        guess(world, 10)
        world.clock.advance(by: wait)
        let answer = login(world)
        #expect((answer?.rule == .passwordRateLimited) == (wait < world.registry.configuration.parameters.passwordFailureWindow))
    }

    @Test func throttledAttemptsAreNotCountedAndNotChecked() throws {
        let world = try world()
        guess(world, 10)
        let audit = try world.auditCount()
        // Fifty more while throttled, the right password among them: all refused alike, none counted.
        for i in 0..<50 { #expect(login(world, "alice", i == 25 ? "hunter2" : "more-\(i)")?.rule == .passwordRateLimited) }
        #expect(try world.auditCount() == audit + 50)
        world.clock.advance(by: 901)
        #expect(login(world) == nil)
    }

    @Test("For one account from anywhere: 100 wrong passwords (NIST SP 800-63B §5.2.2)", arguments: [99, 100])
    func perAccount(_ wrong: Int) throws {
        let world = try world()
        // From many addresses, under each address's own limit.
        guess(world, wrong, from: { "10.0.\($0 / 5).\($0 % 5 + 1)" })
        let answer = login(world, from: "203.0.113.9")
        #expect((answer?.rule == .passwordRateLimited) == (wrong >= world.registry.configuration.parameters.passwordFailuresPerAccount))
    }

    @Test("From one address for any accounts (spraying): 300 wrong passwords", arguments: [299, 300])
    func perAddress(_ wrong: Int) throws {
        let world = try world()
        // One guess each at many names (most of them no account): the sprayer's pattern.
        guess(world, wrong, user: { "user\($0)" })
        let answer = login(world)
        #expect((answer?.rule == .passwordRateLimited) == (wrong >= world.registry.configuration.parameters.passwordFailuresPerSource))
        // Another address is not affected.
        #expect(login(world, from: "198.51.100.7") == nil)
    }

    @Test func theThrottleAnswersBeforeTheAccountIsLookedAt() throws {
        let world = try world()
        guess(world, 300, user: { "user\($0)" })
        // Throttled, a name that exists and one that does not get the same answer: nothing is learned.
        #expect(login(world, "alice", "x")?.rule == .passwordRateLimited)
        #expect(login(world, "nobody-at-all", "x")?.rule == .passwordRateLimited)
    }

    @Test func aPasswordSentWithATokenCountsAndIsThrottled() throws {
        // `npm token create` sends the password in the body, with the token: a stolen token guessing the password.
        let world = try world()
        let token = try world.registry.seedToken(owner: "alice", request: .classicPublish)
        let context = world.bearer(token, from: "192.0.2.1")
        for i in 0..<10 {
            #expect(refusal { try world.registry.createToken(context, request: .classicReadOnly, password: "guess-\(i)") }?.rule == .passwordInvalid)
        }
        #expect(refusal { try world.registry.createToken(context, request: .classicReadOnly, password: "hunter2") }?.rule == .passwordRateLimited)
        // The same account's login from that address is throttled too.
        #expect(login(world)?.rule == .passwordRateLimited)
    }

    @Test func aCheckMadeBeforeThePasswordChangedIsNotTrusted() throws {
        // The password is hashed before the request takes the write lock. If the account's hash changed in between,
        // the earlier verdict is not used: the password is checked again, against the new hash.
        let world = try world()
        let context = world.password("alice", "hunter2")
        let check = try #require(world.registry.checkPasswordBeforeLocking(context, now: world.clock.now()))
        #expect(check.verified)
        let newHash = world.registry.hasher.hash("new password")
        try world.registry.store.writeWithoutTransaction { db in
            try db.execute(sql: "UPDATE account SET password_hash = ? WHERE name = 'alice'", arguments: [newHash])
            let scope = RequestScope(db: db, registry: world.registry, operation: .login, context: context, now: world.clock.now(),
                                     passwordCheck: check)
            try scope.authenticate()
            #expect(scope.authentication == .password(verified: false))
            // Against the hash it was made with, the check stands and nothing is hashed again: a (made-up) negative
            // verdict for the right password is what counts, which shows the check, not a new hash, decided.
            let current = RequestScope(db: db, registry: world.registry, operation: .login, context: world.password("alice", "new password"),
                                       now: world.clock.now(), passwordCheck: PasswordCheck(username: "alice", storedHash: newHash, verified: false))
            try current.authenticate()
            #expect(current.authentication == .password(verified: false))
        }
    }
}
