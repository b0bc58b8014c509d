@testable import DrillRegistry
import Testing

/// Eras, addresses, CIDR blocks, package names and versions: the parsers as tables.
@Suite struct EraTests {
    @Test("2018-07-12 (the ESLint incident): which rule changes are in force")
    func eslintDay() throws {
        let e = try RegistryEra("2018-07-12")
        #expect(e.date == "2018-07-12")
        #expect(e.description == "2018-07-12")
        #expect(e.startOfDay == 1_531_353_600)
        // 72-hour unpublish from 29 Jun 2018 (npm/policies 04acfa2): in force on the day of the incident.
        #expect(e.changesInForce == [.unpublishWithin24Hours, .twoFactorModes, .packageNameSimilarity, .revocationImmediate, .unpublishWithin72Hours])
        for change in [RuleChange.lateUnpublishWithConditions, .automationTokens, .loginVerificationStagedForPublishers, .loginVerificationForPublishers,
                       .emailedLoginCodes, .tokenRevocationNeedsCodeUnderAuthOnly,
                       .granularTokens, .trustedPublishing, .totpSetupClosed, .bypassTwoFactorFlag, .classicTokensRevoked, .bypassTokensBarredFromAccountActions] {
            #expect(!e.has(change), "\(change)")
        }
    }

    @Test("Each change is in force from its own day, not the day before", arguments: RuleChange.allCases)
    func changeBoundaries(_ change: RuleChange) throws {
        let day = change.effective
        #expect(day.has(change))
        let before = RegistryEra.containing(unixSeconds: day.startOfDay - 1)
        #expect(!before.has(change))
        #expect(RegistryEra.containing(unixSeconds: day.startOfDay) == day)
        // The latest era has every change npm made, and none it only announced.
        #expect(RegistryEra.latest.has(change) == !change.isAnnounced)
    }

    @Test("The era table is in date order and the eras compare by date")
    func ordering() throws {
        let days = RuleChange.allCases.map(\.effective)
        #expect(days == days.sorted())
        #expect(try RegistryEra("2022-08-28") < RegistryEra("2022-08-29"))
        #expect(try RegistryEra("2025-12-09").changesInForce.last == .classicTokensRevoked)
        #expect(try RegistryEra("2025-12-10").changesInForce.last == .packageSettingsNeedTwoFactor)
    }

    @Test("Invalid era strings are refused with a message naming the text and the format", arguments: [
        "", "yesterday", "2018-7-12", "2018-07-1", "18-07-12", "2018/07/12", "2018-07-12T00:00:00Z", " 2018-07-12", "2018-07-12 ",
        "2018-02-30", "2019-02-29", "2018-13-01", "2018-00-10", "2018-04-31", "2009-12-31", "2101-01-01",
        "2018-+7-12", "2018-07-+1", "+018-07-12", "2018-0x-12", "２０１８-07-12",
    ])
    func invalidEras(_ text: String) {
        #expect(throws: EraError(text: text)) { try RegistryEra(text) }
        let message = EraError(text: text).description
        #expect(message.contains("'\(text)'"))
        #expect(message.contains("yyyy-MM-dd"))
    }

    @Test("Valid edge dates", arguments: ["2010-01-01", "2020-02-29", "2100-12-31"])
    func validEdges(_ text: String) throws {
        #expect(try RegistryEra(text).date == text)
    }
}

@Suite struct NetworkParsingTests {
    @Test("IP addresses", arguments: [
        ("127.0.0.1", "127.0.0.1" as String?), ("0.0.0.0", "0.0.0.0"), ("255.255.255.255", "255.255.255.255"),
        ("::1", "0:0:0:0:0:0:0:1"), ("::", "0:0:0:0:0:0:0:0"), ("2001:db8::8a2e:370:7334", "2001:db8:0:0:0:8a2e:370:7334"),
        ("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"), ("1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"), ("::ffff:192.0.2.1", "192.0.2.1"),
        ("64:ff9b::192.0.2.1", "64:ff9b:0:0:0:0:c000:201"), ("FE80::1", "fe80:0:0:0:0:0:0:1"),
        // Malformed.
        ("", nil), ("localhost", nil), ("1.2.3", nil), ("1.2.3.4.5", nil), ("256.0.0.1", nil), ("01.2.3.4", nil), ("1.2.3.-4", nil),
        ("1..3.4", nil), (" 1.2.3.4", nil), ("1.2.3.4 ", nil), ("+1.2.3.4", nil), ("1.2.3.4/32", nil),
        ("1:2:3:4:5:6:7:8:9", nil), ("1::2::3", nil), (":::", nil), ("12345::1", nil), ("gggg::1", nil), ("fe80::1%eth0", nil),
        ("::+1", nil), ("+1::", nil), ("1.2.3.4::", nil), ("::1.2.3", nil),
    ])
    func addresses(_ text: String, _ canonical: String?) {
        #expect(IPAddress(text)?.description == canonical)
    }

    @Test("CIDR blocks parse IPv4 only", arguments: [
        ("10.0.0.0/8", "10.0.0.0/8" as String?), ("192.168.1.0/24", "192.168.1.0/24"), ("0.0.0.0/0", "0.0.0.0/0"),
        ("203.0.113.7/32", "203.0.113.7/32"), (" 10.0.0.0/8 ", "10.0.0.0/8"),
    ])
    func validBlocks(_ text: String, _ canonical: String?) throws {
        #expect(try CIDRBlock(text).description == canonical)
    }

    @Test("Malformed CIDR blocks are refused with a reason", arguments: [
        "", "10.0.0.0", "10.0.0.0/", "/8", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/+8", "10.0.0.0/ 8", "10.0.0.0/8/8", "10.0.0/8",
        "10.0.0.256/8", "010.0.0.0/8", "ten/8", "10.0.0.0/100",
    ])
    func malformedBlocks(_ text: String) {
        do {
            _ = try CIDRBlock(text)
            Issue.record("'\(text)' was accepted")
        } catch {
            guard case .malformed(let t, let why) = error else { Issue.record("\(error)"); return }
            #expect(t == text)
            #expect(!why.isEmpty)
            #expect(error.description.contains("is not a CIDR block"))
        }
    }

    @Test("IPv6 blocks are refused as npm's CLI does", arguments: ["::1/128", "2001:db8::/32", "fe80::/10"])
    func ipv6Blocks(_ text: String) {
        #expect(throws: CIDRError.ipv6NotSupported(text)) { try CIDRBlock(text) }
        #expect(CIDRError.ipv6NotSupported(text).description.contains("IPv4 blocks only"))
    }

    @Test("Containment", arguments: [
        ("10.0.0.0/8", "10.255.0.1", true), ("10.0.0.0/8", "11.0.0.0", false), ("192.168.1.0/24", "192.168.1.255", true),
        ("192.168.1.0/24", "192.168.2.0", false), ("192.168.1.128/25", "192.168.1.127", false), ("192.168.1.128/25", "192.168.1.200", true),
        ("172.16.0.0/12", "172.31.255.255", true), ("172.16.0.0/12", "172.32.0.0", false), ("0.0.0.0/0", "8.8.8.8", true),
        ("203.0.113.7/32", "203.0.113.7", true), ("203.0.113.7/32", "203.0.113.8", false),
        // An IPv6 source never lies in an IPv4 block; an IPv4-mapped one is its IPv4 address.
        ("0.0.0.0/0", "::1", false), ("10.0.0.0/8", "::ffff:10.0.0.1", true), ("10.0.0.0/8", "::a00:1", false),
    ])
    func containment(_ block: String, _ address: String, _ inside: Bool) throws {
        #expect(try CIDRBlock(block).contains(#require(IPAddress(address))) == inside)
    }
}

@Suite struct PackageNameTests {
    @Test("Valid new package names", arguments: [
        "left-pad", "a", "lodash.merge", "under_score", "@scope/name", "@my-org/my.pkg", "x-1.2", "-dash-start", "name-", String(repeating: "a", count: 214),
    ])
    func valid(_ name: String) {
        #expect(PackageName.problem(with: name) == nil)
    }

    @Test("Invalid new package names", arguments: [
        "", " left-pad", "left-pad ", ".hidden", "_private", "Left-Pad", "node_modules", "favicon.ico", "fs", "http", "child_process",
        "@scope", "@/name", "@scope/", "@scope/name/extra", "a/b", "@Scope/name", "na me", "ñ", "a%20b", "a:b", "a?b",
        "a~b", "a!b", "a*b", "a'b", "a(b)", "@scope/a~b", String(repeating: "a", count: 215),
    ])
    func invalid(_ name: String) {
        #expect(PackageName.problem(with: name) != nil, "'\(name)' was accepted")
    }

    /// The byte-level fast path only ever says yes where the full rules say yes: every name of both tables, and
    /// every name of one or two characters over an alphabet holding each kind of byte the rules treat apart.
    @Test("The fast path agrees with the rules")
    func fastPathAgreesWithRules() {
        let alphabet = ["a", "Z", "0", "-", ".", "_", "@", "/", "~", " ", "%", "ñ"]
        var names = ["left-pad", "@scope/name", "@_scope/x", "@.s/x", "@s/_x", "@s/.x", "fs", "node_modules", "@s//x", "@s/x/"]
        for a in alphabet { names.append(a); for b in alphabet { names.append(a + b); for c in alphabet { names.append(a + b + c) } } }
        var fast = 0
        for name in names where PackageName.isPlainValid(name) {
            fast += 1
            #expect(PackageName.ruleProblem(with: name) == nil, "'\(name)' passed the fast path but not the rules")
        }
        #expect(fast > 50)   // the fast path is taken for ordinary names
    }

    @Test("Scopes", arguments: [("@acme/widget", "@acme" as String?), ("widget", nil), ("@acme", nil)])
    func scopes(_ name: String, _ scope: String?) {
        #expect(PackageName.scope(of: name) == scope)
    }
}

@Suite struct SemanticVersionTests {
    @Test("Valid versions round-trip", arguments: [
        "0.0.0", "1.2.3", "10.20.30", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-0.3.7", "1.0.0-x.7.z.92", "1.0.0-x-y-z.--",
        "1.0.0+20130313144700", "1.0.0-beta+exp.sha.5114f85", "1.0.0+21AF26D3----117B344092BD", "18446744073709551615.0.0",
    ])
    func valid(_ text: String) throws {
        #expect(try #require(SemanticVersion(text)).description == text)
    }

    @Test("Invalid versions", arguments: [
        "", "1", "1.2", "1.2.3.4", "01.2.3", "1.02.3", "1.2.03", "v1.2.3", "1.2.3-", "1.2.3+", "1.2.3-01", "1.2.3-alpha..1",
        "1.2.3-alpha_1", "1.2.3+build..1", " 1.2.3", "1.2.3 ", "-1.2.3", "+1.2.3", "1.+2.3", "a.b.c", "1.2.3-é", "18446744073709551616.0.0", "1.2.x",
    ])
    func invalid(_ text: String) {
        #expect(SemanticVersion(text) == nil, "'\(text)' was accepted")
    }

    @Test("Precedence follows semver.org §11")
    func precedence() throws {
        let ordered = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1",
                       "1.0.0", "1.0.1", "1.1.0", "2.0.0"].map { SemanticVersion($0)! }
        for (a, b) in zip(ordered, ordered.dropFirst()) {
            #expect(a < b, "\(a) < \(b)")
            #expect(!(b < a), "\(b) < \(a)")
        }
        // Build metadata does not affect precedence.
        #expect(!(SemanticVersion("1.0.0+a")! < SemanticVersion("1.0.0+b")!))
        #expect(!(SemanticVersion("1.0.0+b")! < SemanticVersion("1.0.0+a")!))
    }
}
