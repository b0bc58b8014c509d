import DrillCrypto
import DrillRegistry
@testable import DrillServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Login (legacy and web), logout, whoami, user documents: npm-protocol.md §2 rows 1-6 and §7.
@Suite struct LoginEndpointTests {
    @Test func legacyLoginIssuesAWorkingToken() async throws {
        let world = try TestWorld()
        try world.account("alice")
        try await withRouter(world) { client async throws in
            let (r, token) = try await client.legacyLogin("alice", "alice-pass")
            #expect(r.status == .created)
            #expect(r.json?["ok"] == true)
            #expect(r.json?["id"] == "org.couchdb.user:alice")
            let t = try #require(token)
            #expect(t.hasPrefix("npm_"))
            let who = try await client.get("/-/whoami", token: t)
            #expect(who.status == .ok)
            #expect(who.json == ["username": "alice"])
        }
    }

    @Test func legacyLoginOfAnUnknownUserIs400AsNpmExpects() async throws {
        let world = try TestWorld()
        try await withRouter(world) { client async throws in
            let (r, token) = try await client.legacyLogin("nobody", "whatever-pass")
            #expect(r.status == .badRequest)
            #expect(token == nil)
            #expect(r.errorText.contains("There is no user with the username \"nobody\""))
        }
    }

    @Test func wrongPasswordIs401BasicAndNeverEchoesThePassword() async throws {
        let world = try TestWorld()
        try world.account("alice")
        try await withRouter(world) { client async throws in
            let (r, _) = try await client.legacyLogin("alice", "hunter2-wrong")
            #expect(r.status == .unauthorized)
            #expect(r.headers[.wwwAuthenticate] == "Basic")
            #expect(r.errorText.contains("rule auth.password-invalid"))
            #expect(!r.text.contains("hunter2-wrong"))
        }
    }

    @Test func loginToA2FAAccountGetsTheExactOTPChallengeThenSucceedsWithTheCode() async throws {
        let world = try TestWorld()
        try world.account("bob", .authOnly)
        try await withRouter(world) { client async throws in
            let (challenge, none) = try await client.legacyLogin("bob", "bob-pass")
            #expect(challenge.status == .unauthorized)
            #expect(challenge.headers[.wwwAuthenticate] == "OTP")   // exactly: no realm (npm-protocol.md §3.1)
            #expect(challenge.headers[.contentType] == "application/json")
            #expect(challenge.json?["error"]?.stringValue?.isEmpty == false)
            #expect(challenge.json?["rule"] == "2fa.login")
            #expect(challenge.headers[HTTPField.Name("npm-notice")!]?.contains("defense auth-only") == true)
            #expect(none == nil)
            let (ok, token) = try await client.legacyLogin("bob", "bob-pass", otp: world.code("bob"))
            #expect(ok.status == .created)
            #expect(token != nil)
        }
    }

    @Test func legacyAdduserCreatesTheAccount() async throws {
        let world = try TestWorld()
        try await withRouter(world) { client async throws in
            let (r, token) = try await client.legacyLogin("newbie", "newbie-pass-1", email: "newbie@example.org")
            #expect(r.status == .created)
            #expect(token != nil)
        }
        #expect(try world.registry.account("newbie")?.email == "newbie@example.org")
    }

    @Test func emailedLoginCodeIsMailedAndThenAccepted() async throws {
        // From Mar 2022 an account without 2FA must enter the code the registry emails (npm-auth-model.md §1).
        let world = try TestWorld(era: "2024-06-01", emailedLoginCodes: true)
        try world.account("carol")
        try await withRouter(world) { client async throws in
            let (challenge, _) = try await client.legacyLogin("carol", "carol-pass")
            #expect(challenge.status == .unauthorized)
            #expect(challenge.headers[.wwwAuthenticate] == "OTP")
            #expect(challenge.json?["rule"] == "login.emailed-code")
            let mail = try #require(world.mail.all.last)
            #expect(mail.address == "carol@example.com")
            let code = try #require(mail.code)
            // A wrong code is refused and mails nothing new.
            let (wrong, _) = try await client.legacyLogin("carol", "carol-pass", otp: "00000000")
            #expect(wrong.status == .unauthorized)
            #expect(world.mail.all.count == 1)
            let (ok, token) = try await client.legacyLogin("carol", "carol-pass", otp: code)
            #expect(ok.status == .created)
            #expect(token != nil)
        }
    }

    @Test func webLoginPollsUntilTheFormIsSubmittedThenHandsTheTokenOverOnce() async throws {
        let world = try TestWorld()
        try world.account("dora", .authAndWrites)
        try await withRouter(world) { client async throws in
            let start = try await client.send(.post, "/-/v1/login", [:])
            #expect(start.status == .ok)
            let loginUrl = try #require(start.json?["loginUrl"]?.stringValue)
            let doneUrl = try #require(start.json?["doneUrl"]?.stringValue)
            #expect(loginUrl.hasPrefix("http://localhost/-/v1/login/web/"))
            #expect(doneUrl.hasPrefix("http://localhost/-/v1/login/done/"))
            let loginPath = String(loginUrl.dropFirst("http://localhost".count))
            let donePath = String(doneUrl.dropFirst("http://localhost".count))

            let pending = try await client.get(donePath)
            #expect(pending.status == .accepted)
            #expect(pending.headers[.retryAfter] == "1")
            #expect(pending.json == [:])

            let page = try await client.get(loginPath)
            #expect(page.status == .ok)
            #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(page.text.contains("name=\"password\""))
            #expect(page.text.contains("name=\"otp\""))
            #expect(!page.text.contains("name=\"email\""))

            func submit(_ form: String) async throws -> TestResponse {
                try await client.execute(uri: loginPath, method: .post,
                                         headers: [.contentType: "application/x-www-form-urlencoded"], body: Req.body(form))
            }
            let noCode = try await submit("username=dora&password=dora-pass&otp=")
            #expect(noCode.status == .unauthorized)
            #expect(noCode.text.contains("rule 2fa.login"))
            #expect(!noCode.text.contains("dora-pass"))
            #expect(try await client.get(donePath).status == .accepted)

            let ok = try await submit("username=dora&password=dora-pass&otp=\(world.code("dora"))")
            #expect(ok.status == .ok)
            #expect(ok.text.contains("Signed in as dora"))

            let done = try await client.get(donePath)
            #expect(done.status == .ok)
            let token = try #require(done.json?["token"]?.stringValue)
            #expect(try await client.get(donePath).status == .notFound)   // handed over once
            #expect(try await client.get("/-/whoami", token: token).json == ["username": "dora"])
        }
    }

    /// Issue 20, point 13: from 11 Feb 2026 the web's 2FA prompt offers "skip 2FA for the next 5 minutes"; the session
    /// it hands to npm then publishes without a code until the five minutes are over.
    @Test(arguments: [("2026-02-10", false), ("2026-02-11", true)])
    func webLoginCanSkip2FAForFiveMinutes(_ era: String, _ offered: Bool) async throws {
        let world = try TestWorld(era: era)
        try world.account("dora", .authAndWrites)
        try world.registry.seedPackage(name: "dora-kit", maintainers: ["dora"])
        try await withRouter(world) { client async throws in
            let start = try await client.send(.post, "/-/v1/login", [:])
            let loginPath = String(try #require(start.json?["loginUrl"]?.stringValue).dropFirst("http://localhost".count))
            let donePath = String(try #require(start.json?["doneUrl"]?.stringValue).dropFirst("http://localhost".count))
            #expect(try await client.get(loginPath).text.contains("name=\"skip2fa\"") == offered)
            let ok = try await client.execute(uri: loginPath, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                              body: Req.body("username=dora&password=dora-pass&otp=\(world.code("dora"))&skip2fa=on"))
            #expect(ok.status == .ok)
            let token = try #require(try await client.get(donePath).json?["token"]?.stringValue)
            world.nextStep()
            // Within the five minutes the session needs no code; before 11 Feb 2026 the box did not exist.
            let first = try await client.publish("dora-kit", "1.0.1", token: token)
            #expect(first.status == (offered ? .created : .unauthorized), "\(first.text)")
            world.clock.advance(by: 300)
            let later = try await client.publish("dora-kit", "1.0.2", token: token)
            #expect(later.status == .unauthorized)
            #expect(later.headers[.wwwAuthenticate] == "OTP")
            #expect(later.json?["rule"] == "2fa.writes", "\(later.text)")
        }
    }

    @Test func webAdduserAsksForAnEmailAndCreatesTheAccount() async throws {
        let world = try TestWorld()
        try await withRouter(world) { client async throws in
            let start = try await client.send(.post, "/-/v1/login", ["create": true])
            let loginPath = String(try #require(start.json?["loginUrl"]?.stringValue).dropFirst("http://localhost".count))
            let donePath = String(try #require(start.json?["doneUrl"]?.stringValue).dropFirst("http://localhost".count))
            #expect(try await client.get(loginPath).text.contains("name=\"email\""))
            let r = try await client.execute(uri: loginPath, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                             body: Req.body("username=eve&email=eve%40example.org&password=s3cret%2Bpass"))
            #expect(r.status == .ok)
            #expect(try await client.get(donePath).json?["token"]?.stringValue != nil)
        }
        #expect(try world.registry.account("eve")?.email == "eve@example.org")
    }

    @Test func aHeldPollAnswersAsSoonAsTheFormIsSubmitted() async throws {
        let world = try TestWorld()
        try world.account("alice")
        try await withRouter(world, webLoginPollHold: .seconds(20)) { client async throws in
            let start = try await client.send(.post, "/-/v1/login", [:])
            let loginPath = String(try #require(start.json?["loginUrl"]?.stringValue).dropFirst("http://localhost".count))
            let donePath = String(try #require(start.json?["doneUrl"]?.stringValue).dropFirst("http://localhost".count))
            let began = ContinuousClock.now
            async let poll = client.get(donePath)
            try await Task.sleep(for: .milliseconds(300))
            let form = try await client.execute(uri: loginPath, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                                body: Req.body("username=alice&password=alice-pass"))
            #expect(form.status == .ok)
            let answered = try await poll
            #expect(answered.status == .ok)
            #expect(answered.json?["token"]?.stringValue?.hasPrefix("npm_") == true)
            #expect(ContinuousClock.now - began < .seconds(10))
        }
        try await withRouter(world, webLoginPollHold: .milliseconds(300)) { client async throws in
            let start = try await client.send(.post, "/-/v1/login", [:])
            let donePath = String(try #require(start.json?["doneUrl"]?.stringValue).dropFirst("http://localhost".count))
            let pending = try await client.get(donePath)
            #expect(pending.status == .accepted)
            #expect(pending.headers[.retryAfter] == "1")
        }
    }

    @Test func unknownOrExpiredWebLoginSessions() async throws {
        let world = try TestWorld()
        try await withRouter(world) { client async throws in
            let id = String(repeating: "ab", count: 16)
            #expect(try await client.get("/-/v1/login/done/\(id)").status == .notFound)
            #expect(try await client.get("/-/v1/login/web/\(id)").status == .notFound)
            #expect(try await client.get("/-/v1/login/done/not-hex").status == .notFound)
            let start = try await client.send(.post, "/-/v1/login", [:])
            let donePath = String(try #require(start.json?["doneUrl"]?.stringValue).dropFirst("http://localhost".count))
            world.clock.advance(by: 601)
            #expect(try await client.get(donePath).status == .notFound)
        }
    }

    @Test func oneAddressCannotTakeEveryPendingWebLogin() {
        // One anonymous client used to take all 1,000 pending logins, and every `npm login` was refused for ten minutes.
        let sessions = WebLoginSessions(lifetime: 600, capacity: 1_000, capacityPerSource: 20)
        let started = (0..<1_000).compactMap { _ in sessions.begin(create: false, now: 0, source: "203.0.113.9") }
        #expect(started.count == 20)
        #expect(sessions.begin(create: false, now: 0, source: "127.0.0.1") != nil)
        // A finished login no longer counts against its address; an expired one is gone.
        #expect(sessions.approve(started[0], token: "t", now: 1))
        #expect(sessions.begin(create: false, now: 1, source: "203.0.113.9") != nil)
        #expect(sessions.begin(create: false, now: 1, source: "203.0.113.9") == nil)
        #expect(sessions.begin(create: false, now: 601, source: "203.0.113.9") != nil)
    }

    @Test func logoutRevokesTheTokenAtOnce() async throws {
        let world = try TestWorld()
        try world.account("alice")
        let token = try world.token("alice")
        try await withRouter(world) { client async throws in
            #expect(try await client.get("/-/whoami", token: token).status == .ok)
            let r = try await client.send(.delete, "/-/user/token/\(token)", token: token)
            #expect(r.status == .ok)
            let after = try await client.get("/-/whoami", token: token)
            #expect(after.status == .unauthorized)
            #expect(after.headers[.wwwAuthenticate] == "Bearer")
        }
    }

    @Test func whoamiWithoutOrWithABadToken() async throws {
        let world = try TestWorld()
        try await withRouter(world) { client async throws in
            let anonymous = try await client.get("/-/whoami")
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.headers[.wwwAuthenticate] == "Bearer")
            let bogus = "npm_" + String(repeating: "x", count: 36)
            let bad = try await client.get("/-/whoami", token: bogus)
            #expect(bad.status == .unauthorized)
            #expect(bad.headers[.wwwAuthenticate] == "Bearer")
            #expect(!bad.text.contains(bogus))
        }
    }

    @Test func userDocumentShowsNameAndEmail() async throws {
        let world = try TestWorld()
        try world.account("bob")
        try await withRouter(world) { client async throws in
            let r = try await client.get("/-/user/org.couchdb.user:bob")
            #expect(r.json?["name"] == "bob")
            #expect(r.json?["email"] == "bob@example.com")
            #expect(try await client.get("/-/user/org.couchdb.user:nobody").status == .notFound)
        }
    }
}
