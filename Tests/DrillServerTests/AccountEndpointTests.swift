import DrillCrypto
import DrillRegistry
@testable import DrillServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Profile, the 2FA state machine, and tokens: npm-protocol.md §2 rows 7-11, §4 and §6.
@Suite struct AccountEndpointTests {
    @Test func profileHasTheFieldsNpmReads() async throws {
        let world = try TestWorld()
        try world.account("alice")
        let token = try world.token("alice")
        try await withRouter(world) { client async throws in
            let r = try await client.get("/-/npm/v1/user", token: token)
            #expect(r.status == .ok)
            let p = try #require(r.json)
            #expect(p["name"] == "alice")
            #expect(p["email"] == "alice@example.com")
            #expect(p["tfa"] == false)
            #expect(p["cidr_whitelist"] == .null)
            #expect(p["created"]?.stringValue?.hasSuffix("Z") == true)
        }
    }

    @Test func twoFactorStateMachineFromEnrolmentToDisable() async throws {
        let world = try TestWorld()
        try world.account("alice")
        let token = try world.token("alice")
        try await withRouter(world) { client async throws in
            // 1. enable: an otpauth URI.
            let enable = try await client.send(.post, "/-/npm/v1/user", ["tfa": ["mode": "auth-and-writes", "password": "alice-pass"]], token: token)
            #expect(enable.status == .ok)
            let uri = try #require(enable.json?["tfa"]?.stringValue)
            #expect(uri.hasPrefix("otpauth://totp/npm:alice?secret="))
            let secret = try #require(URLComponents(string: uri)?.queryItems?.first { $0.name == "secret" }?.value)
            #expect(try await client.get("/-/npm/v1/user", token: token).json?["tfa"] == ["pending": true])

            // 2. confirm with one code: recovery codes, 64 hex each (typeable at npm's prompt).
            let code = try TOTP(base32Secret: secret).code(at: world.clock.now())
            let confirm = try await client.send(.post, "/-/npm/v1/user", ["tfa": [.string(code)]], token: token)
            #expect(confirm.status == .ok)
            let recovery = try #require(confirm.json?["tfa"]?.arrayValue)
            #expect(recovery.count == 5)
            #expect(recovery.allSatisfy { $0.stringValue?.count == 64 && $0.stringValue!.allSatisfy(\.isHexDigit) })
            #expect(try await client.get("/-/npm/v1/user", token: token).json?["tfa"] == ["mode": "auth-and-writes", "pending": false])

            // 3. a mode change needs the second factor, and answers tfa null.
            world.nextStep()
            let noCode = try await client.send(.post, "/-/npm/v1/user", ["tfa": ["mode": "auth-only", "password": "alice-pass"]], token: token)
            #expect(noCode.status == .unauthorized)
            #expect(noCode.headers[.wwwAuthenticate] == "OTP")
            let fresh = try TOTP(base32Secret: secret).code(at: world.clock.now())
            let change = try await client.send(.post, "/-/npm/v1/user", ["tfa": ["mode": "auth-only", "password": "alice-pass"]], token: token, otp: fresh)
            #expect(change.status == .ok)
            #expect(change.json?["tfa"] == .null)
            #expect(try world.registry.account("alice")?.twoFactorMode == .authOnly)

            // 4. disable with password and code (the same code again, same token: one command resends it).
            let disable = try await client.send(.post, "/-/npm/v1/user", ["tfa": ["mode": "disable", "password": "alice-pass"]], token: token, otp: fresh)
            #expect(disable.status == .ok)
            #expect(disable.json?["tfa"] == false)
            #expect(try world.registry.account("alice")?.twoFactorMode == .disabled)
        }
    }

    @Test func enablingWithAWrongPasswordIs401Basic() async throws {
        let world = try TestWorld()
        try world.account("alice")
        let token = try world.token("alice")
        try await withRouter(world) { client async throws in
            let r = try await client.send(.post, "/-/npm/v1/user", ["tfa": ["mode": "auth-only", "password": "nope"]], token: token)
            #expect(r.status == .unauthorized)
            #expect(r.headers[.wwwAuthenticate] == "Basic")
        }
    }

    @Test func pendingEnrolmentIsResetByDisable() async throws {
        let world = try TestWorld()
        try world.account("alice")
        let token = try world.token("alice")
        try await withRouter(world) { client async throws in
            _ = try await client.send(.post, "/-/npm/v1/user", ["tfa": ["mode": "auth-only", "password": "alice-pass"]], token: token)
            let reset = try await client.send(.post, "/-/npm/v1/user", ["tfa": ["mode": "disable", "password": "alice-pass"]], token: token)
            #expect(reset.status == .ok)
            #expect(try await client.get("/-/npm/v1/user", token: token).json?["tfa"] == false)
        }
    }

    @Test func passwordAndEmailChanges() async throws {
        let world = try TestWorld()
        try world.account("alice")
        let token = try world.token("alice")
        try await withRouter(world) { client async throws in
            let pw = try await client.send(.post, "/-/npm/v1/user", ["password": ["old": "alice-pass", "new": "brand-new-pass"]], token: token)
            #expect(pw.status == .ok)
            #expect(try await client.legacyLogin("alice", "brand-new-pass").1 != nil)
            #expect(try await client.legacyLogin("alice", "alice-pass").0.status == .unauthorized)

            let wrongOld = try await client.send(.post, "/-/npm/v1/user", ["password": ["old": "not-it", "new": "x-pass"]], token: token)
            #expect(wrongOld.status == .unauthorized)

            let email = try await client.send(.post, "/-/npm/v1/user", ["email": "alice@new.example.org", "fullname": .null, "homepage": .null,
                                                                         "freenode": .null, "twitter": .null, "github": .null], token: token)
            #expect(email.status == .ok)
            #expect(email.json?["email"] == "alice@new.example.org")

            let fullname = try await client.send(.post, "/-/npm/v1/user", ["email": "alice@new.example.org", "fullname": "Alice"], token: token)
            #expect(fullname.status == .badRequest)
            #expect(fullname.errorText.contains("fullname"))
        }
    }

    @Test func profileChangesNeedTheCodeUnder2FA() async throws {
        let world = try TestWorld()
        try world.account("bob", .authOnly)
        let token = try world.token("bob")
        try await withRouter(world) { client async throws in
            let r = try await client.send(.post, "/-/npm/v1/user", ["email": "bob@elsewhere.example"], token: token)
            #expect(r.status == .unauthorized)
            #expect(r.headers[.wwwAuthenticate] == "OTP")
            let ok = try await client.send(.post, "/-/npm/v1/user", ["email": "bob@elsewhere.example"], token: token, otp: world.code("bob"))
            #expect(ok.status == .ok)
        }
    }

    @Test func tokenCreateListAndRevoke() async throws {
        let world = try TestWorld()
        try world.account("alice")
        let login = try world.token("alice")
        try await withRouter(world) { client async throws in
            let created = try await client.send(.post, "/-/npm/v1/tokens", ["password": "alice-pass", "readonly": true, "cidr_whitelist": ["10.0.0.0/8"]], token: login)
            #expect(created.status == .created)
            let full = try #require(created.json?["token"]?.stringValue)
            #expect(full.hasPrefix("npm_") && full.count == 40)
            #expect(created.json?["readonly"] == true)
            #expect(created.json?["cidr_whitelist"] == ["10.0.0.0/8"])
            let key = try #require(created.json?["key"]?.stringValue)
            #expect(key == TokenSecret.key(of: full))

            let list = try await client.get("/-/npm/v1/tokens", token: login)
            #expect(list.status == .ok)
            #expect(list.json?["urls"] == [:])
            let objects = try #require(list.json?["objects"]?.arrayValue)
            #expect(objects.count == 2)
            #expect(list.json?["total"] == 2)
            for o in objects {
                #expect(o["token"]?.stringValue?.count == 6)
                #expect(o["key"]?.stringValue?.count == 128)
                for field in ["cidr_whitelist", "readonly", "automation", "created", "updated"] { #expect(o[field] != nil, "missing \(field)") }
            }
            #expect(!list.text.contains(full))
            #expect(!list.text.contains(login))
            let listed = try #require(objects.first { $0["key"]?.stringValue == key })
            #expect(listed["readonly"] == true)
            #expect(listed["cidr_whitelist"] == ["10.0.0.0/8"])
            #expect(objects.first { $0["key"]?.stringValue != key }?["cidr_whitelist"] == .null)

            // Revoke by key, then by full token value.
            #expect(try await client.send(.delete, "/-/npm/v1/tokens/token/\(key)", token: login).status == .noContent)
            let second = try await client.send(.post, "/-/npm/v1/tokens", ["password": "alice-pass", "readonly": false, "cidr_whitelist": []], token: login)
            let secondToken = try #require(second.json?["token"]?.stringValue)
            #expect(second.json?["cidr_whitelist"] == .null)
            #expect(try await client.send(.delete, "/-/npm/v1/tokens/token/\(secondToken)", token: login).status == .noContent)
            let after = try await client.get("/-/npm/v1/tokens", token: login)
            #expect(after.json?["objects"]?.arrayValue?.count == 1)
            #expect(try await client.send(.delete, "/-/npm/v1/tokens/token/\(key)", token: login).status == .notFound)
        }
    }

    @Test func tokenCreationRefusals() async throws {
        let world = try TestWorld()
        try world.account("alice")
        try world.account("bob", .authOnly)
        let alice = try world.token("alice")
        let bob = try world.token("bob")
        try await withRouter(world) { client async throws in
            let badCIDR = try await client.send(.post, "/-/npm/v1/tokens", ["password": "alice-pass", "cidr_whitelist": ["10.0.0/8"]], token: alice)
            #expect(badCIDR.status == .badRequest)
            let ipv6 = try await client.send(.post, "/-/npm/v1/tokens", ["password": "alice-pass", "cidr_whitelist": ["fe80::/10"]], token: alice)
            #expect(ipv6.status == .badRequest)
            #expect(ipv6.errorText.contains("IPv4"))
            let wrong = try await client.send(.post, "/-/npm/v1/tokens", ["password": "not-alice"], token: alice)
            #expect(wrong.status == .unauthorized)
            #expect(wrong.headers[.wwwAuthenticate] == "Basic")
            #expect(!wrong.text.contains("not-alice"))
            // Under auth-only, token management needs the code from 29 Aug 2022 (the era here is 2024).
            let noCode = try await client.send(.post, "/-/npm/v1/tokens", ["password": "bob-pass"], token: bob)
            #expect(noCode.status == .unauthorized)
            #expect(noCode.headers[.wwwAuthenticate] == "OTP")
            let withCode = try await client.send(.post, "/-/npm/v1/tokens", ["password": "bob-pass"], token: bob, otp: world.code("bob"))
            #expect(withCode.status == .created)
        }
    }

    @Test func readOnlyTokenWriteIs403NamingDefenseAndRule() async throws {
        let world = try TestWorld()
        try world.account("alice")
        let readOnly = try world.token("alice", .classicReadOnly)
        try await withRouter(world) { client async throws in
            let r = try await client.publish("ro-demo", "1.0.0", token: readOnly)
            #expect(r.status == .forbidden)
            #expect(r.errorText.contains("[rule token.read-only, defense read-only-tokens]"))
            #expect(try await client.get("/-/whoami", token: readOnly).status == .ok)   // reads still work
        }
    }

    @Test func cidrTokenIsRefusedOutsideItsRangeWithIPAddressChallenge() async throws {
        let world = try TestWorld()
        try world.account("alice")
        let cidr = try world.token("alice", TokenRequest(kind: .publish, cidrAllowlist: [try CIDRBlock("10.0.0.0/8")]))
        try await withRouter(world, source: .loopback) { client async throws in
            let r = try await client.get("/-/whoami", token: cidr)
            #expect(r.status == .unauthorized)
            #expect(r.headers[.wwwAuthenticate] == "ipaddress")
            #expect(r.errorText.contains("rule token.cidr-mismatch, defense cidr-tokens"))
        }
        try await withRouter(world, source: IPAddress("10.1.2.3")!) { client async throws in
            let inside = try await client.get("/-/whoami", token: cidr)
            #expect(inside.json == ["username": "alice"])
        }
    }
}
