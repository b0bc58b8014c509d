@testable import DrillRegistry
import Testing

/// Issue 20, point 2 (part): after a whole package is unpublished, nobody, its owner included, may publish that name for
/// 24 hours (npm's unpublish policy, from late Mar 2016; before it, a name was free again at once, as left-pad's was).
@Suite struct UnpublishNameHoldTests {
    @Test("The name is held for 24 hours after a whole-package unpublish, from its owner and from anyone else",
          arguments: [("2016-03-28", false), ("2016-03-29", true), ("2024-06-01", true)])
    func nameHeld(_ day: String, _ held: Bool) throws {
        let w = try World(day)
        try w.registry.seedAccount(name: "alice", email: "alice@example.com", password: "hunter2")
        try w.registry.seedAccount(name: "mallory", email: "mallory@evil.example", password: "hunter3")
        let alice = try w.registry.seedToken(owner: "alice", request: .classicPublish)
        let mallory = try w.registry.seedToken(owner: "mallory", request: .classicPublish)
        try w.registry.publish(w.bearer(alice), release("left-pad", "1.0.0"))
        try w.registry.unpublish(w.bearer(alice), package: "left-pad", version: nil)
        #expect(try w.registry.package("left-pad") == nil)
        w.clock.advance(by: 600)
        if held {
            for token in [alice, mallory] {
                let refused = refusal { try w.registry.publish(w.bearer(token), release("left-pad", "1.0.1")) }
                #expect(refused?.rule == "unpublish.name-held")
                #expect(refused?.defense == .unpublishPolicy)
            }
            #expect(try w.registry.package("left-pad") == nil)
            w.clock.advance(by: 24 * 3_600 - 600 - 1)
            #expect(refusal { try w.registry.publish(w.bearer(mallory), release("left-pad", "1.0.1")) }?.rule == "unpublish.name-held")
            w.clock.advance(by: 1)
        }
        // Free again: whoever publishes first owns the name.
        #expect(try w.registry.publish(w.bearer(mallory), release("left-pad", "1.0.1")).version == "1.0.1")
        #expect(try w.registry.package("left-pad")?.maintainers == ["mallory"])
    }

    @Test("Unpublishing one version of several holds nothing")
    func oneVersion() throws {
        let w = try World("2024-06-01")
        try w.registry.seedAccount(name: "alice", email: "alice@example.com", password: "hunter2")
        let alice = try w.registry.seedToken(owner: "alice", request: .classicPublish)
        try w.registry.publish(w.bearer(alice), release("left-pad", "1.0.0"))
        try w.registry.publish(w.bearer(alice), release("left-pad", "1.0.1"))
        try w.registry.unpublish(w.bearer(alice), package: "left-pad", version: "1.0.1")
        #expect(try w.registry.publish(w.bearer(alice), release("left-pad", "1.0.2")).version == "1.0.2")
    }
}

/// Issue 20, point 2 (end): from 29 Jun 2018 a package another package depends on cannot be unpublished, in the 72-hour
/// window or later (npm/policies 04acfa2 and 08c1cd3).
@Suite struct UnpublishDependentsTests {
    @Test("Dependents block unpublishing from 29 Jun 2018", arguments: [
        ("2018-06-28", Int64(3_600), nil as String?), ("2018-06-29", Int64(3_600), "unpublish.has-dependents" as String?),
        ("2024-06-01", Int64(3_600), "unpublish.has-dependents" as String?), ("2024-06-01", Int64(30 * 86_400), "unpublish.has-dependents" as String?),
    ])
    func dependents(_ day: String, _ age: Int64, _ rule: String?) {
        let e = era(day)
        let facts = RequestFacts(operation: .unpublish, era: e, now: noon(e),
                                 authentication: .token(TokenFact(kind: .publish, permission: .readWrite, created: noon(e) - 60)),
                                 account: accountFact(.disabled),
                                 package: PackageFact(name: "left-pad", versionAge: age, meetsLateUnpublishConditions: true, hasDependents: true))
        #expect(ruleID(facts) == rule)
        var alone = facts
        alone.package?.hasDependents = false
        #expect(ruleID(alone) == nil)
    }

    @Test("Through the registry: a published dependent holds the package; once it is gone, the package can go")
    func throughTheRegistry() throws {
        let w = try World("2024-06-01")
        try w.registry.seedAccount(name: "alice", email: "alice@example.com", password: "hunter2")
        try w.registry.seedAccount(name: "bob", email: "bob@example.com", password: "hunter3")
        let alice = try w.registry.seedToken(owner: "alice", request: .classicPublish)
        let bob = try w.registry.seedToken(owner: "bob", request: .classicPublish)
        try w.registry.publish(w.bearer(alice), release("left-pad", "1.0.0"))
        var dependent = release("bob-app", "1.0.0")
        dependent.dependencies = ["left-pad"]
        try w.registry.publish(w.bearer(bob), dependent)
        #expect(refusal { try w.registry.unpublish(w.bearer(alice), package: "left-pad", version: nil) }?.rule == "unpublish.has-dependents")
        #expect(refusal { try w.registry.unpublish(w.bearer(alice), package: "left-pad", version: "1.0.0") }?.rule == "unpublish.has-dependents")
        // A package that depends on itself, or on nothing, holds nothing; the dependent's own unpublish frees left-pad.
        try w.registry.unpublish(w.bearer(bob), package: "bob-app", version: nil)
        #expect(refusal { try w.registry.unpublish(w.bearer(alice), package: "left-pad", version: nil) } == nil)
    }
}
