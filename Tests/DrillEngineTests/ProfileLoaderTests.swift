@testable import DrillEngine
import DrillRegistry
import Testing

@Suite("Profiles: strict loading, every bundled profile")
struct ProfileLoaderTests {
    static func profile(_ defenses: String, era: String = "scenario") -> String {
        """
        id: test-profile
        title: A test profile
        era: \(era)
        defenses:
        \(defenses)
        """
    }

    @Test("a valid profile with every defense and its parameters")
    func everyDefense() throws {
        let p = try ProfileLoader.parse(Self.profile("""
              - { id: two-factor, mode: auth-and-writes, factor: security-key }
              - id: read-only-tokens
              - { id: cidr-tokens, prefix: 16 }
              - { id: granular-short-lived-tokens, lifetimeDays: 30 }
              - id: disallow-tokens
              - id: trusted-publishing
              - id: ignore-scripts
              - { id: minimum-release-age, hours: 48 }
              - { id: npm-client, version: 12, allowScripts: [esbuild] }

            """), file: "p.yaml")
        #expect(p.era == nil)
        #expect(p.defenses == [.twoFactor(mode: .authAndWrites, factor: .securityKey), .readOnlyTokens, .cidrTokens(prefix: 16),
                               .granularShortLivedTokens(lifetimeDays: 30), .disallowTokens, .trustedPublishing, .ignoreScripts,
                               .minimumReleaseAge(hours: 48), .npmClient(major: 12, allowScripts: ["esbuild"])])
    }

    @Test("an npm client version out of range, and a misspelled key")
    func badNpmClient() {
        expectProfile(Self.profile("  - { id: npm-client, version: 1️⃣120 }\n  - { id: npm-client, 2️⃣allowScript: [x] }\n"), [
            Finding("1️⃣", "'version' is 120; it must be from 1 to 99", hint: "write a number from 1 to 99"),
            Finding("2️⃣", "unknown key 'allowScript'", hint: "did you mean 'allowScripts'?"),
        ])
    }

    @Test("a named era")
    func namedEra() throws {
        let p = try ProfileLoader.parse(Self.profile("  - { id: two-factor, mode: auth-only }\n", era: "2025-12-10"), file: "p.yaml")
        #expect(p.era?.date == "2025-12-10")
    }

    @Test("an unknown defense, with the nearest one as a hint")
    func unknownDefense() {
        expectProfile(Self.profile("  - { id: 1️⃣read-only-token }\n  - { id: 2️⃣quantum-shield }\n"), [
            Finding("1️⃣", "unknown defense 'read-only-token'", hint: "did you mean 'read-only-tokens'?"),
            Finding("2️⃣", "unknown defense 'quantum-shield'", hint: "one of: two-factor, read-only-tokens"),
        ])
    }

    @Test("a bad 2FA mode and factor")
    func badMode() {
        expectProfile(Self.profile("  - { id: two-factor, mode: 1️⃣auth-and-write, factor: 2️⃣yubikey }\n"), [
            Finding("1️⃣", "'auth-and-write' is not a valid mode", hint: "write 'auth-and-writes'"),
            Finding("2️⃣", "'yubikey' is not a valid factor", hint: "security-key"),
        ])
    }

    @Test("a 2FA defense without its mode")
    func missingMode() {
        expectProfile(Self.profile("  - 1️⃣{ id: two-factor }\n"), [Finding("1️⃣", "a defense is missing 'mode'", hint: "auth-only")])
    }

    @Test("a bad era", arguments: ["2018-13-01", "yesterday", "1999-01-01"])
    func badEra(_ era: String) {
        expectProfile(Self.profile("  - id: ignore-scripts\n", era: "1️⃣" + era), [
            Finding("1️⃣", "'\(era)' is not an era", hint: "or write 'scenario'"),
        ])
    }

    @Test("out-of-range parameters and unknown keys")
    func parameters() {
        expectProfile(Self.profile("  - { id: cidr-tokens, prefix: 1️⃣64 }\n  - { id: minimum-release-age, 2️⃣hour: 4 }\n")
                      + "3️⃣descripton: typo\n", [
            Finding("1️⃣", "'prefix' is 64; it must be from 8 to 32"),
            Finding("2️⃣", "unknown key 'hour' in a defense", hint: "did you mean 'hours'?"),
            Finding("3️⃣", "unknown key 'descripton' in the profile", hint: "did you mean 'description'?"),
        ])
    }

    @Test("every bundled profile loads, and the standard ones are all there")
    func bundledProfiles() throws {
        let library = try #require(ProjectScenarios.library)
        let paths = library.profilePaths()
        #expect(paths.count >= Profile.standardOrder.count)
        for path in paths {
            let p = try ProfileLoader.load(path: path)
            #expect(path.hasSuffix("/\(p.id).yaml"), "the file name should be the profile id: \(path)")
        }
        let ids = try library.profiles().map(\.id)
        #expect(Array(ids.prefix(Profile.standardOrder.count)) == Profile.standardOrder)
    }

    @Test("profiles are plain data too: tags, aliases and nesting are bounded as in scenarios")
    func hostileProfiles() {
        expectProfile("id: 1️⃣!!python/object/apply:os.system [\"id\"]\n", [Finding("1️⃣", "is not allowed: scenario files are plain data", hint: "remove the tag")])
        expectProfile("id: p\ntitle: t\ndefenses: " + String(repeating: "[", count: 63) + "1️⃣" + String(repeating: "[", count: 100), [
            Finding("1️⃣", "nesting deeper than 64 levels"),
        ])
    }

    @Test("every catalog defense has the id its setting reports")
    func catalogIDs() {
        for entry in DefenseCatalog.entries {
            #expect(entry.setting.id == entry.id)
        }
    }
}

@Suite("Profile files are read within the load limits")
struct ProfileFileBoundsTests {
    @Test func anEndlessFileEndsInADiagnostic() {
        // /dev/zero never ends: the bounded reader stops at the size limit instead of reading forever.
        #expect(throws: ValidationFailure.self) { _ = try ProfileLoader.load(path: "/dev/zero") }
    }

    @Test func aMissingFileSaysSo() throws {
        do {
            _ = try ProfileLoader.load(path: "/nonexistent/profile.yaml")
            Issue.record("a missing file loaded")
        } catch {
            #expect(error.diagnostics.first?.message.contains("there is no file") == true)
        }
    }
}
