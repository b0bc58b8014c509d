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
