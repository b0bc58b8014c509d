@testable import DrillRegistry
import Testing

/// Issue 20, point 3: who may create a package in a scope, the `@npm` scope, and names that differ from an existing
/// package's only by punctuation. Tables on the policy's facts, then the same through the registry's requests.
@Suite struct ScopeAndNameRulesTests {
    /// A publish that creates `name`, by alice with a publish token and a verified second factor (so that no 2FA rule
    /// of any era has anything to ask), with the facts the registry gathers for a new package.
    static func newPackage(_ name: String, day: String, scope: ScopeOwnership = .unscoped, similar: String? = nil) -> RequestFacts {
        let e = era(day)
        let kind: TokenKind = e.has(.granularTokens) ? .granular : .publish
        let token = TokenFact(kind: kind, permission: .readWrite, created: noon(e) - 60, expires: noon(e) + 86_400)
        return RequestFacts(operation: .publish, era: e, now: noon(e), authentication: .token(token),
                            account: accountFact(.authOnly), secondFactor: .verified(.securityKey),
                            package: PackageFact(name: name, exists: false, scopeOwnership: scope, similarExistingName: similar))
    }

    // Scopes came with npm 2 (2014), before any era the registry models: the ownership rules hold on every day.
    @Test("Only a scope's user or organisation members create packages in it; @npm is npm's", arguments: [
        ("2016-01-10", ScopeOwnership.actor, nil as String?), ("2016-01-10", .another, "scope.not-owner"),
        ("2016-01-10", .nobody, "scope.not-found"), ("2016-01-10", .registry, "scope.reserved"),
        ("2026-11-29", .actor, nil), ("2026-11-29", .another, "scope.not-owner"),
        ("2026-11-29", .nobody, "scope.not-found"), ("2026-11-29", .registry, "scope.reserved"),
    ])
    func scopeOwnership(_ day: String, _ ownership: ScopeOwnership, _ rule: String?) {
        let facts = Self.newPackage("@acme/widget", day: day, scope: ownership)
        #expect(ruleID(facts) == rule)
        let denial = Policy.decide(facts).denial
        #expect(denial.map { $0.defense == .accessControl } ?? true)
        // An existing package is judged by its maintainers, never by its scope: the scope facts are not even gathered.
        var existing = facts
        existing.package?.exists = true
        #expect(ruleID(existing) == nil)
        // Nor does any other operation on a missing package meet the scope rules: it is simply not found.
        var tag = facts
        tag.operation = .setDistTag
        #expect(ruleID(tag) == "package.not-found")
    }

    @Test("A name that differs from an existing one only by punctuation or case is refused from 27 Dec 2017", arguments: [
        ("2017-12-26", "reactnative", "react-native" as String?, nil as String?),
        ("2017-12-27", "reactnative", "react-native", "package.name-too-similar"),
        ("2017-12-27", "react_native", "react-native", "package.name-too-similar"),
        ("2026-11-29", "json-stream", "JSONStream", "package.name-too-similar"),
        ("2026-11-29", "react-native-web", nil, nil),
    ])
    func similarNames(_ day: String, _ name: String, _ similar: String?, _ rule: String?) {
        let facts = Self.newPackage(name, day: day, similar: similar)
        #expect(ruleID(facts) == rule)
        if rule != nil {
            let denial = Policy.decide(facts).denial
            #expect(denial?.defense == .nameSimilarity)
            #expect(denial?.message.contains("'@alice/\(name)'") == true, "\(String(describing: denial?.message))")
        }
    }

    @Test("Squashing removes . - _ and lowers ASCII letters, and nothing else")
    func squashing() {
        #expect(PackageName.squashed("react-native") == "reactnative")
        #expect(PackageName.squashed("React.Native_") == "reactnative")
        #expect(PackageName.squashed("best.tool.ever") == PackageName.squashed("best_tool_ever"))
        #expect(PackageName.squashed("left-pad2") != PackageName.squashed("leftpad"))
        #expect(PackageName.squashed("a~b") == "a~b")
    }

    // MARK: Through the registry

    /// alice and mallory with publish tokens, an organisation acme of alice and bob, on `day`.
    static func world(_ day: String) throws -> (World, alice: String, bob: String, mallory: String) {
        let w = try World(day)
        for name in ["alice", "bob", "mallory"] {
            try w.registry.seedAccount(name: name, email: "\(name)@example.com", password: "hunter2")
        }
        try w.registry.seedOrg(name: "acme", members: ["alice", "bob"])
        return (w, try w.registry.seedToken(owner: "alice", request: .classicPublish),
                try w.registry.seedToken(owner: "bob", request: .classicPublish),
                try w.registry.seedToken(owner: "mallory", request: .classicPublish))
    }

    @Test("Scopes through the registry: own scope, an organisation's members, others refused, and nothing written")
    func scopesThroughTheRegistry() throws {
        let (w, alice, bob, mallory) = try Self.world("2024-06-01")
        #expect(try w.registry.publish(w.bearer(alice), release("@alice/tool", "1.0.0")).version == "1.0.0")
        #expect(try w.registry.publish(w.bearer(bob), release("@acme/widget", "1.0.0")).version == "1.0.0")
        #expect(try w.registry.package("@acme/widget")?.maintainers == ["bob"])
        let before = try w.registry.snapshot()
        for (token, name, rule) in [(mallory, "@alice/evil", "scope.not-owner"), (mallory, "@acme/evil", "scope.not-owner"),
                                    (alice, "@nobody-here/x", "scope.not-found"), (alice, "@npm/cli-helper", "scope.reserved")] {
            let refused = refusal { try w.registry.publish(w.bearer(token), release(name, "1.0.0")) }
            #expect(refused?.rule == rule, "\(name)")
            #expect(try w.registry.package(name) == nil)
        }
        #expect(try w.registry.snapshot() == before)
        // A new member of acme may then create packages in its scope.
        try w.registry.addOrgMember(w.bearer(alice), org: "acme", user: "mallory")
        #expect(try w.registry.publish(w.bearer(mallory), release("@acme/gadget", "1.0.0")).version == "1.0.0")
        // The refusals are audited with their rule.
        let refusedRules = try w.registry.auditLog().filter { $0.outcome != "allowed" }.compactMap(\.rule)
        #expect(refusedRules == ["scope.not-owner", "scope.not-owner", "scope.not-found", "scope.reserved"])
    }

    @Test("Users and organisations share one namespace, and npm's name is taken")
    func oneNamespace() throws {
        let (w, alice, _, _) = try Self.world("2024-06-01")
        for name in ["acme", "bob", "npm"] {
            #expect(refusal { try w.registry.createAccount(name: name, email: "x@example.com", password: "pw") } == .invalid(.accountExists(name)))
            #expect(refusal { try w.registry.createOrg(w.bearer(alice), name: name) } == .invalid(.accountExists(name)))
        }
        try w.registry.createOrg(w.bearer(alice), name: "alice-labs")
        #expect(try w.registry.publish(w.bearer(alice), release("@alice-labs/kit", "1.0.0")).version == "1.0.0")
    }

    @Test("Similar names through the registry, on both sides of 27 Dec 2017", arguments: [("2017-12-26", false), ("2017-12-27", true)])
    func similarNamesThroughTheRegistry(_ day: String, _ refused: Bool) throws {
        let (w, alice, _, mallory) = try Self.world(day)
        try w.registry.seedPackage(name: "react-native", maintainers: ["alice"])
        try w.registry.seedPackage(name: "jsonstream", maintainers: ["alice"])
        for name in ["reactnative", "react.native", "react_native", "json-stream"] {
            let answer = refusal { try w.registry.publish(w.bearer(mallory), release(name, "1.0.0")) }
            #expect(answer?.rule == (refused ? "package.name-too-similar" : nil), "\(name)")
            #expect(answer?.defense == (refused ? .nameSimilarity : nil))
        }
        // The owner of the existing name is held to it too; a scoped name, or a name that differs by more, is fine.
        #expect(refusal { try w.registry.publish(w.bearer(alice), release("re-act-native", "1.0.0")) }?.rule == (refused ? "package.name-too-similar" : nil))
        #expect(refusal { try w.registry.publish(w.bearer(alice), release("reactnative-cli", "1.0.0")) } == nil)
        #expect(refusal { try w.registry.publish(w.bearer(mallory), release("@mallory/react-native", "1.0.0")) } == nil)
        // New versions of the existing package are not new names.
        #expect(refusal { try w.registry.publish(w.bearer(alice), release("react-native", "1.0.1")) } == nil)
    }
}
