import DrillCrypto
import DrillRegistry
@testable import DrillServer
import Foundation
import Testing

/// The real npm CLI against a live server on a free port: every command a workshop participant
/// types, with npm's own exit codes and output, and the registry's state checked behind it.
///
/// Tokens go into a temporary npmrc as `//127.0.0.1:PORT/:_authToken=...`; prompts are answered
/// through a pseudo-terminal. The registry's clock is a ManualClock, so one-time codes are computed
/// with DrillCrypto's TOTP for exactly the time the registry judges.
// Skipped with this reason when npm or python3+pexpect is missing; under CI (CI set) the suite runs and fails instead.
@Suite(.serialized, .enabled(if: NPMTools.shouldRun, "npm 10 and python3 with pexpect are needed for the real-npm tests (under CI their absence fails)"))
struct RealNPMTests {
    /// A live server for one test, with a terminal pointed at it.
    func withLive(_ world: TestWorld, _ body: (NPMTerminal, RunningRegistryServer) async throws -> Void) async throws {
        let server = try await world.server().start()
        let terminal: NPMTerminal
        do { terminal = try NPMTerminal(server: server) } catch { await server.stop(); throw error }
        do {
            try await body(terminal, server)
        } catch {
            terminal.cleanup(); await server.stop(); throw error
        }
        terminal.cleanup()
        await server.stop()
    }

    static func token(in output: String) -> String? {
        output.range(of: "npm_[A-Za-z0-9]{36}", options: .regularExpression).map { String(output[$0]) }
    }

    // MARK: Headline: the same publish under auth-only and under auth-and-writes

    @Test func publishNeedsNoCodeUnderAuthOnlyThenEOTPUnderAuthAndWritesUntilOTPIsGiven() async throws {
        let world = try TestWorld()
        try world.account("dave", .authOnly)
        let token = try world.token("dave")
        try await withLive(world) { npm, _ in
            try npm.useToken(token)
            let pkg = try npm.package("drill-headline", "1.0.0")

            // auth-only: a token in the npmrc publishes without any code.
            let first = try await npm.npm(["publish"], in: pkg)
            #expect(first.ok, "\(first)")
            #expect(first.output.contains("+ drill-headline@1.0.0"))
            #expect(try world.registry.package("drill-headline")?.versions.map(\.version) == ["1.0.0"])

            // The participant switches to auth-and-writes (prompts: password, then the current code).
            let enable = try await npm.npmInteractive(["profile", "enable-2fa", "auth-and-writes"], steps: [
                ["expect": "npm password:", "send": "dave-pass"],
                ["expect": "one-time password:", "send": .string(world.code("dave"))],
            ])
            #expect(enable.ok, "\(enable)")
            #expect(enable.output.contains("Two factor authentication mode changed to: auth-and-writes"))
            #expect(try world.registry.account("dave")?.twoFactorMode == .authAndWrites)

            // The same publish now gets EOTP...
            _ = try npm.package("drill-headline", "1.0.1")
            let refused = try await npm.npm(["publish"], in: pkg)
            #expect(!refused.ok)
            #expect(refused.output.contains("code EOTP"), "\(refused)")
            #expect(refused.output.contains("rule 2fa.writes"))
            #expect(try world.registry.package("drill-headline")?.versions.count == 1)

            // ...and succeeds with --otp=<current code>.
            let withCode = try await npm.npm(["publish", "--otp=\(world.code("dave"))"], in: pkg)
            #expect(withCode.ok, "\(withCode)")
            #expect(withCode.output.contains("+ drill-headline@1.0.1"))
            #expect(try world.registry.package("drill-headline")?.versions.map(\.version) == ["1.0.0", "1.0.1"])

            // And back: disable-2fa asks for the password and a code.
            world.nextStep()
            let disable = try await npm.npmInteractive(["profile", "disable-2fa"], steps: [
                ["expect": "npm password:", "send": "dave-pass"],
                ["expect": "one-time password:", "send": .string(world.code("dave"))],
            ])
            #expect(disable.ok, "\(disable)")
            #expect(disable.output.contains("Two factor authentication disabled."))
            #expect(try world.registry.account("dave")?.twoFactorMode == .disabled)
        }
    }

    // MARK: The password itself: a legacy `_auth` in the npmrc sends HTTP Basic with every request

    /// npm's registry docs: under auth-only "any `Basic` auth request" needs the code, so a leaked password publishes
    /// through neither mode; without 2FA enhanced login verification asks for the emailed code on the same request.
    @Test func aPasswordInTheNpmrcNeedsTheCodeUnderAuthOnlyAndTheEmailedCodeWithout2FA() async throws {
        let world = try TestWorld(era: "2024-06-01", emailedLoginCodes: true)
        try world.account("erin", .authOnly)
        try world.account("fred")
        try await withLive(world) { npm, _ in
            func useBasic(_ user: String) throws {
                let auth = Data("\(user):\(user)-pass".utf8).base64EncodedString()
                try Data("//\(npm.host)/:_auth=\(auth)\n".utf8).write(to: npm.npmrc)
            }

            try useBasic("erin")
            let erinPackage = try npm.package("drill-basic-erin", "1.0.0")
            let refused = try await npm.npm(["publish"], in: erinPackage)
            #expect(!refused.ok)
            #expect(refused.output.contains("code EOTP"), "\(refused)")
            #expect(refused.output.contains("rule 2fa.password-request"), "\(refused)")
            #expect(try world.registry.package("drill-basic-erin") == nil)
            let withCode = try await npm.npm(["publish", "--otp=\(world.code("erin"))"], in: erinPackage)
            #expect(withCode.ok, "\(withCode)")
            #expect(try world.registry.package("drill-basic-erin")?.versions.map(\.version) == ["1.0.0"])

            try useBasic("fred")
            let fredPackage = try npm.package("drill-basic-fred", "1.0.0")
            let mailed = try await npm.npm(["publish"], in: fredPackage)
            #expect(!mailed.ok)
            #expect(mailed.output.contains("code EOTP"), "\(mailed)")
            #expect(mailed.output.contains("rule login.emailed-code"), "\(mailed)")
            #expect(try world.registry.package("drill-basic-fred") == nil)
            // The server delivered the code the registry mailed (to the console in a workshop).
            let code = try #require(world.mail.all.last(where: { $0.account == "fred" && $0.purpose == "login-code" })?.code)
            let withMailedCode = try await npm.npm(["publish", "--otp=\(code)"], in: fredPackage)
            #expect(withMailedCode.ok, "\(withMailedCode)")
            #expect(try world.registry.package("drill-basic-fred")?.versions.map(\.version) == ["1.0.0"])
        }
    }

    // MARK: One code, used up

    /// A code another credential used in this step is a relayed code (otp.reused); the token that used it may repeat
    /// it, as npm does with one `--otp` for every request of a command.
    @Test func aCodeUsedByOneTokenIsRefusedWithAnotherAndRepeatsWithItsOwn() async throws {
        let world = try TestWorld()
        try world.account("ivy", .authAndWrites)
        let first = try world.token("ivy")
        let second = try world.token("ivy")
        try await withLive(world) { npm, _ in
            let code = world.code("ivy")
            let pkg = try npm.package("drill-one-code", "1.0.0")
            try npm.useToken(first)
            let published = try await npm.npm(["publish", "--otp=\(code)"], in: pkg)
            #expect(published.ok, "\(published)")

            try npm.useToken(second)
            _ = try npm.package("drill-one-code", "1.0.1")
            let relayed = try await npm.npm(["publish", "--otp=\(code)"], in: pkg)
            #expect(!relayed.ok)
            #expect(relayed.output.contains("rule otp.reused"), "\(relayed)")
            #expect(try world.registry.package("drill-one-code")?.versions.map(\.version) == ["1.0.0"])

            try npm.useToken(first)
            let repeated = try await npm.npm(["deprecate", "drill-one-code@1.0.0", "use 2", "--otp=\(code)"])
            #expect(repeated.ok, "\(repeated)")
            #expect(try world.registry.package("drill-one-code")?.versions.first?.deprecated == "use 2")
        }
    }

    // MARK: Enrolling 2FA from scratch, and recovery codes

    @Test func enable2FAFromScratchThenARecoveryCodeWorksOnce() async throws {
        let world = try TestWorld()
        try world.account("jane")
        let token = try world.token("jane")
        try await withLive(world) { npm, _ in
            try npm.useToken(token)
            // npm prints a QR code and the secret, then asks for a code from it; the registry answers recovery codes.
            let enable = try await npm.npmInteractive(["profile", "enable-2fa", "auth-and-writes"], steps: [
                ["expect": "npm password:", "send": "jane-pass"],
                ["expect": "Or enter code:\\s*([A-Z2-7]+)", "capture": "secret"],
                ["expect": "authenticator:", "send_totp_of": "secret", "at": .number(Double(world.clock.now()))],
            ])
            #expect(enable.ok, "\(enable)")
            #expect(enable.output.contains("2FA successfully enabled"))
            #expect(try world.registry.account("jane")?.twoFactorMode == .authAndWrites)
            let recovery = enable.output.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { $0.count == 64 && $0.allSatisfy(\.isHexDigit) }
            #expect(recovery.count == 5, "\(enable)")
            let code = try #require(recovery.first)

            // A recovery code (64 hex, as npm's prompt accepts) stands in for the authenticator, once.
            let pkg = try npm.package("drill-recovery", "1.0.0")
            let first = try await npm.npm(["publish", "--otp=\(code)"], in: pkg)
            #expect(first.ok, "\(first)")
            _ = try npm.package("drill-recovery", "1.0.1")
            let again = try await npm.npm(["publish", "--otp=\(code)"], in: pkg)
            #expect(!again.ok)
            #expect(again.output.contains("code EOTP"), "\(again)")
            #expect(again.output.contains("rule recovery-code.used"))
        }
    }

    // MARK: Tokens, profile, and the token defenses as npm shows them

    @Test func tokenCreateListRevokeAndTheReadOnlyAndCIDRDefenses() async throws {
        let world = try TestWorld()
        try world.account("carol", .authOnly)
        let login = try world.token("carol")
        try await withLive(world) { npm, _ in
            try npm.useToken(login)
            let who = try await npm.npm(["whoami"])
            #expect(who.ok && who.output.trimmingCharacters(in: .whitespacesAndNewlines) == "carol", "\(who)")

            let profile = try await npm.npm(["profile", "get"])
            #expect(profile.ok, "\(profile)")
            #expect(profile.output.contains("two-factor auth: auth-only"))
            #expect(profile.output.contains("carol@example.com"))

            // token create --read-only --cidr: password prompt, code given up front.
            let cidrRun = try await npm.npmInteractive(["token", "create", "--read-only", "--cidr=10.0.0.0/8", "--otp=\(world.code("carol"))"],
                                                       steps: [["expect": "npm password:", "send": "carol-pass"]])
            #expect(cidrRun.ok, "\(cidrRun)")
            #expect(cidrRun.output.contains("Created read only token npm_"))
            #expect(cidrRun.output.contains("with IP whitelist: 10.0.0.0/8"))
            let cidrToken = try #require(Self.token(in: cidrRun.output))
            let readOnlyRun = try await npm.npmInteractive(["token", "create", "--read-only", "--otp=\(world.code("carol"))"],
                                                           steps: [["expect": "npm password:", "send": "carol-pass"]])
            #expect(readOnlyRun.ok, "\(readOnlyRun)")
            let readOnlyToken = try #require(Self.token(in: readOnlyRun.output))

            let tokens = try world.registry.tokens(of: "carol")
            #expect(tokens.count == 3)
            #expect(tokens.first { $0.key == TokenSecret.key(of: cidrToken) }?.cidrAllowlist == ["10.0.0.0/8"])
            #expect(tokens.first { $0.key == TokenSecret.key(of: readOnlyToken) }?.readOnly == true)

            let list = try await npm.npm(["token", "list"])
            #expect(list.ok, "\(list)")
            #expect(list.output.contains("Read only token \(cidrToken.prefix(6))…"))
            #expect(list.output.contains("with IP whitelist: 10.0.0.0/8"))
            #expect(list.output.contains("Publish token \(login.prefix(6))…"))
            #expect(!list.output.contains(cidrToken))

            // The CIDR token, from 127.0.0.1: EAUTHIP.
            try npm.useToken(cidrToken)
            let outside = try await npm.npm(["whoami"])
            #expect(!outside.ok)
            #expect(outside.output.contains("code EAUTHIP"), "\(outside)")
            #expect(outside.output.contains("Login is not allowed from your IP address"))
            #expect(outside.output.contains("rule token.cidr-mismatch, defense cidr-tokens"))

            // The read-only token: a publish is a 403 that names the defense and the rule.
            try npm.useToken(readOnlyToken)
            let pkg = try npm.package("drill-readonly", "1.0.0")
            let denied = try await npm.npm(["publish"], in: pkg)
            #expect(!denied.ok)
            #expect(denied.output.contains("code E403"), "\(denied)")
            #expect(denied.output.contains("[rule token.read-only, defense read-only-tokens]"))
            #expect(try world.registry.package("drill-readonly") == nil)

            // Revoke the read-only token by its id (a key prefix), as `token list` shows it.
            try npm.useToken(login)
            let id = String(TokenSecret.key(of: readOnlyToken).prefix(8))
            let revoke = try await npm.npm(["token", "revoke", id, "--otp=\(world.code("carol"))"])
            #expect(revoke.ok, "\(revoke)")
            #expect(revoke.output.contains("Removed 1 token"))
            #expect(try world.registry.tokens(of: "carol").first { $0.key == TokenSecret.key(of: readOnlyToken) }?.revoked != nil)
        }
    }

    // MARK: The package workflow

    @Test func publishViewInstallTagOwnAccessDeprecateUnpublish() async throws {
        let world = try TestWorld()
        try world.account("erin")
        try world.account("frank")
        let token = try world.token("erin")
        try await withLive(world) { npm, server in
            try npm.useToken(token)
            let pkg = try npm.package("drill-flow", "1.0.0", scripts: ["postinstall": "node -e 0"])
            let publish = try await npm.npm(["publish"], in: pkg)
            #expect(publish.ok, "\(publish)")
            #expect(try world.registry.package("drill-flow")?.versions.first?.installScripts == ["postinstall": "node -e 0"])

            let view = try await npm.npm(["view", "drill-flow", "--json"])
            #expect(view.ok, "\(view)")
            let viewed = try #require(JSONValue.parse(view.output))
            #expect(viewed["name"] == "drill-flow")
            #expect(viewed["dist"]?["tarball"] == .string("\(server.baseURL)/drill-flow/-/drill-flow-1.0.0.tgz"))

            // install: npm checks the tarball against dist.integrity.
            let consumer = try npm.directory("consumer")
            try Data(#"{"name":"consumer","version":"1.0.0","private":true}"#.utf8).write(to: consumer.appendingPathComponent("package.json"))
            let install = try await npm.npm(["install", "drill-flow"], in: consumer)
            #expect(install.ok, "\(install)")
            let installed = try String(contentsOf: consumer.appendingPathComponent("node_modules/drill-flow/index.js"), encoding: .utf8)
            #expect(installed.contains("drill-flow"))
            let lock = try #require(JSONValue.parse(try String(contentsOf: consumer.appendingPathComponent("package-lock.json"), encoding: .utf8)))
            let integrity = try world.registry.package("drill-flow")?.versions.first?.integrity
            #expect(lock["packages"]?["node_modules/drill-flow"]?["integrity"]?.stringValue == integrity)

            _ = try npm.package("drill-flow", "1.1.0")
            #expect(try await npm.npm(["publish"], in: pkg).ok)

            // dist-tag add / ls / rm
            let add = try await npm.npm(["dist-tag", "add", "drill-flow@1.0.0", "stable"])
            #expect(add.ok && add.output.contains("+stable: drill-flow@1.0.0"), "\(add)")
            let ls = try await npm.npm(["dist-tag", "ls", "drill-flow"])
            #expect(ls.output.contains("latest: 1.1.0") && ls.output.contains("stable: 1.0.0"), "\(ls)")
            let rm = try await npm.npm(["dist-tag", "rm", "drill-flow", "stable"])
            #expect(rm.ok && rm.output.contains("-stable: drill-flow@1.0.0"), "\(rm)")
            #expect(try world.registry.package("drill-flow")?.distTags == ["latest": "1.1.0"])

            // owner add / ls / rm
            let ownerAdd = try await npm.npm(["owner", "add", "frank", "drill-flow"])
            #expect(ownerAdd.ok && ownerAdd.output.contains("+ frank (drill-flow)"), "\(ownerAdd)")
            let owners = try await npm.npm(["owner", "ls", "drill-flow"])
            #expect(owners.output.contains("erin <erin@example.com>") && owners.output.contains("frank <frank@example.com>"), "\(owners)")
            let ownerRm = try await npm.npm(["owner", "rm", "frank", "drill-flow"])
            #expect(ownerRm.ok && ownerRm.output.contains("- frank (drill-flow)"), "\(ownerRm)")
            #expect(try world.registry.package("drill-flow")?.maintainers == ["erin"])

            // deprecate
            let deprecate = try await npm.npm(["deprecate", "drill-flow@1.0.0", "use 1.1.0"])
            #expect(deprecate.ok, "\(deprecate)")
            #expect(try world.registry.package("drill-flow")?.versions.first { $0.version == "1.0.0" }?.deprecated == "use 1.1.0")

            // unpublish one version, then the whole package
            let one = try await npm.npm(["unpublish", "drill-flow@1.1.0"])
            #expect(one.ok && one.output.contains("- drill-flow@1.1.0"), "\(one)")
            #expect(try world.registry.package("drill-flow")?.versions.map(\.version) == ["1.0.0"])
            let all = try await npm.npm(["unpublish", "drill-flow", "--force"])
            #expect(all.ok && all.output.contains("- drill-flow"), "\(all)")
            #expect(try world.registry.package("drill-flow") == nil)
            // The name is held for 24 hours, from its owner too (npm's unpublish policy).
            let again = try await npm.npm(["publish"], in: try npm.package("drill-flow", "2.0.0"))
            #expect(!again.ok && again.output.contains("code E403") && again.output.contains("rule unpublish.name-held"), "\(again)")

            // access set mfa=publish on another package: it now requires 2FA, which erin does not have.
            let guarded = try npm.package("drill-flow-2fa", "1.0.0")
            #expect(try await npm.npm(["publish"], in: guarded).ok)
            let mfa = try await npm.npm(["access", "set", "mfa=publish", "drill-flow-2fa"])
            #expect(mfa.ok, "\(mfa)")
            #expect(try world.registry.package("drill-flow-2fa")?.publishingPolicy == .twoFactorAndDisallowTokens)
            let status = try await npm.npm(["access", "get", "status", "drill-flow-2fa"])
            #expect(status.output.contains("drill-flow-2fa: public"), "\(status)")
            _ = try npm.package("drill-flow-2fa", "1.0.1")
            let blocked = try await npm.npm(["publish"], in: guarded)
            #expect(!blocked.ok && blocked.output.contains("code E403"), "\(blocked)")
            #expect(blocked.output.contains("rule package.requires-two-factor, defense disallow-tokens"))
            // The setting covers every change to the package, itself included (npm blog, July 2018: "all changes to
            // that package"): without 2FA erin cannot turn it off again. Moved in Dec 2026: mfa=automation and
            // mfa=none were accepted here.
            let back = try await npm.npm(["access", "set", "mfa=none", "drill-flow-2fa"])
            #expect(!back.ok && back.output.contains("rule package.requires-two-factor"), "\(back)")
            #expect(try world.registry.package("drill-flow-2fa")?.publishingPolicy == .twoFactorAndDisallowTokens)
        }
        let writes = try world.registry.auditLog().filter { $0.outcome == "allowed" }.map(\.operation)
        for op in ["publish", "dist-tag-add", "dist-tag-rm", "owner-add", "owner-rm", "change-publishing-setting", "deprecate", "unpublish"] {
            #expect(writes.contains(op), "no allowed \(op) in the audit log")
        }
    }

    @Test func scopedPackagesTravelEscapedAndTheirVisibilityCanChange() async throws {
        let world = try TestWorld()
        try world.account("kim")
        try world.org("drill", members: ["kim"])
        let token = try world.token("kim")
        try await withLive(world) { npm, _ in
            try npm.useToken(token)
            let pkg = try npm.package("@drill/scoped", "0.1.0")
            let publish = try await npm.npm(["publish", "--access", "restricted"], in: pkg)
            #expect(publish.ok && publish.output.contains("+ @drill/scoped@0.1.0"), "\(publish)")
            #expect(try world.registry.package("@drill/scoped")?.isPublic == false)
            let status = try await npm.npm(["access", "get", "status", "@drill/scoped"])
            #expect(status.output.contains("@drill/scoped: private"), "\(status)")
            let set = try await npm.npm(["access", "set", "status=public", "@drill/scoped"])
            #expect(set.ok && set.output.contains("@drill/scoped: public"), "\(set)")
            let collaborators = try await npm.npm(["access", "list", "collaborators", "@drill/scoped"])
            #expect(collaborators.output.contains("kim: read-write"), "\(collaborators)")
            let packages = try await npm.npm(["access", "list", "packages", "kim"])
            #expect(packages.output.contains("@drill/scoped: read-write"), "\(packages)")
            let consumer = try npm.directory("scoped-consumer")
            try Data(#"{"name":"c","version":"1.0.0","private":true}"#.utf8).write(to: consumer.appendingPathComponent("package.json"))
            let install = try await npm.npm(["install", "@drill/scoped"], in: consumer)
            #expect(install.ok, "\(install)")
            #expect(FileManager.default.fileExists(atPath: consumer.appendingPathComponent("node_modules/@drill/scoped/index.js").path))
        }
    }

    /// Issue 20, point 3: scope ownership, the @npm scope and similar names refuse the real CLI's publish with their rule.
    @Test func anotherScopeTheNpmScopeAndASimilarNameAreRefusedWithTheirRule() async throws {
        let world = try TestWorld()
        try world.account("kim")
        try world.account("lee")
        try world.org("drill", members: ["lee"])
        try world.registry.seedPackage(name: "react-native", maintainers: ["lee"])
        let token = try world.token("kim")
        try await withLive(world) { npm, _ in
            try npm.useToken(token)
            let refusals = [("@drill/kims", "E403", "rule scope.not-owner"), ("@lee/kims", "E403", "rule scope.not-owner"),
                            ("@nobody-at-all/kims", "E404", "rule scope.not-found"), ("@npm/kims", "E403", "rule scope.reserved"),
                            ("reactnative", "E403", "rule package.name-too-similar"), ("react_native", "E403", "Package name too similar")]
            for (name, code, text) in refusals {
                let publish = try await npm.npm(["publish", "--access", "public"], in: try npm.package(name, "1.0.0"))
                #expect(!publish.ok && publish.output.contains("code \(code)") && publish.output.contains(text), "\(name): \(publish)")
                #expect(try world.registry.package(name) == nil)
            }
            // kim's own scope takes the name the similarity rule refused unscoped, as npm's message suggests.
            let own = try await npm.npm(["publish", "--access", "public"], in: try npm.package("@kim/react-native", "1.0.0"))
            #expect(own.ok && own.output.contains("+ @kim/react-native@1.0.0"), "\(own)")
        }
    }

    /// Issue 20, point 10: from 28 Jul 2026 a version whose package.json declares `"contentPolicy": "dual-use"` is not
    /// published directly with a bypass-2FA token; the same token publishes an ordinary version.
    @Test func aDualUseVersionIsNotPublishedDirectlyWithABypassToken() async throws {
        let world = try TestWorld(era: "2026-08-01")
        try world.account("mona", .authOnly)
        let token = try world.token("mona", TokenRequest(kind: .granular, lifetime: 7 * 86_400, bypassTwoFactor: true))
        try await withLive(world) { npm, _ in
            try npm.useToken(token)
            let dualUse = try npm.package("pentest-kit", "1.0.0", extra: ["contentPolicy": "dual-use"])
            let refused = try await npm.npm(["publish"], in: dualUse)
            #expect(!refused.ok && refused.output.contains("code E403") && refused.output.contains("rule package.dual-use-must-stage")
                    && refused.output.contains("E_STAGE_REQUIRED"), "\(refused)")
            #expect(try world.registry.package("pentest-kit") == nil)
            let ordinary = try await npm.npm(["publish"], in: try npm.package("plain-kit", "1.0.0"))
            #expect(ordinary.ok && ordinary.output.contains("+ plain-kit@1.0.0"), "\(ordinary)")
        }
    }

    /// Issue 20, point 2: a package another package depends on is not unpublished (npm's unpublish policy).
    @Test func aPackageWithADependentIsNotUnpublished() async throws {
        let world = try TestWorld()
        try world.account("nora")
        let token = try world.token("nora")
        try await withLive(world) { npm, _ in
            try npm.useToken(token)
            #expect(try await npm.npm(["publish"], in: try npm.package("nora-core", "1.0.0")).ok)
            let app = try npm.package("nora-app", "1.0.0", extra: ["dependencies": ["nora-core": "^1.0.0"]])
            #expect(try await npm.npm(["publish"], in: app).ok)
            let refused = try await npm.npm(["unpublish", "nora-core", "--force"])
            #expect(!refused.ok && refused.output.contains("code E403") && refused.output.contains("rule unpublish.has-dependents"), "\(refused)")
            #expect(try world.registry.package("nora-core") != nil)
        }
    }

    // MARK: Logging in and out

    @Test func legacyLoginWithOTPPromptWebLoginAdduserAndLogout() async throws {
        let world = try TestWorld()
        try world.account("gina", .authAndWrites)
        try await withLive(world) { npm, _ in
            let legacy = try await npm.npmInteractive(["login", "--auth-type=legacy"], steps: [
                ["expect": "Username:", "send": "gina"],
                ["expect": "Password:", "send": "gina-pass"],
                ["expect": "Enter OTP:", "send": .string(world.code("gina"))],
            ])
            #expect(legacy.ok, "\(legacy)")
            #expect(legacy.output.contains("Logged in on \(npm.registryURL)"))
            #expect(npm.npmrcText.contains("//\(npm.host)/:_authToken=npm_"))
            let who = try await npm.npm(["whoami"])
            #expect(who.output.contains("gina"), "\(who)")

            let token = try #require(Self.token(in: npm.npmrcText))
            let logout = try await npm.npm(["logout"])
            #expect(logout.ok, "\(logout)")
            #expect(!npm.npmrcText.contains("_authToken"))
            #expect(try world.registry.tokens(of: "gina").first { $0.key == TokenSecret.key(of: token) }?.revoked != nil)

            // The default web login: npm prints the URL, the person signs in on the page, npm's poll gets the token.
            // The legacy login used this step's code, and a login never takes a used code again (otp.reused): the
            // person waits for the next one.
            world.nextStep()
            let web = try await npm.npmInteractive(["login", "--browser=false"], steps: [
                // The person takes a few seconds: npm keeps polling (npm 10.8.2 survives that only because the poll is held).
                ["expect": "Login at:\\s+(http\\S+)", "delay": 3,
                 "post_form": ["username": "gina", "password": "gina-pass", "otp": .string(world.code("gina"))]],
            ])
            #expect(web.ok, "\(web)")
            #expect(web.output.contains("login form answered 200"))
            #expect(web.output.contains("Logged in on"))
            #expect(try await npm.npm(["whoami"]).output.contains("gina"))

            // Legacy adduser creates the account.
            try npm.useToken(nil)
            let adduser = try await npm.npmInteractive(["adduser", "--auth-type=legacy"], steps: [
                ["expect": "Username:", "send": "hank"],
                ["expect": "Password:", "send": "hank-pass-1"],
                ["expect": "Email:", "send": "hank@example.org"],
            ])
            #expect(adduser.ok, "\(adduser)")
            #expect(try world.registry.account("hank")?.email == "hank@example.org")
            #expect(try await npm.npm(["whoami"]).output.contains("hank"))
        }
    }

    // MARK: Eras

    @Test func todaysRulesRefuseAClassicTokenAndSayWhy() async throws {
        let world = try TestWorld(era: RegistryEra.latest.date)
        try world.account("ivan")
        let classic = try world.token("ivan")
        try await withLive(world) { npm, _ in
            try npm.useToken(classic)
            let r = try await npm.npm(["whoami"])
            #expect(!r.ok)
            #expect(r.output.contains("code E401"), "\(r)")
            #expect(r.output.contains("rule token.classic-retired, defense classic-token-retirement"))
        }
    }
}
