import DrillEngine
import DrillRegistry
import Testing

/// World tokens have a creation time and an expiry (issue 23): the registry refuses a stolen token from its expiry on.
@Suite("Token age: a world token's creation time and expiry")
struct TokenAgeTests {
    static func scenario(token: String, publishAt: String) -> String {
        Doc.scenario(world: Doc.world.replacingOccurrences(of: "- { id: dev-npmrc, kind: publish }", with: token), steps: """
          - id: steal
            at: 2018-07-12T09:30:00Z
            action: steal-token
            token: dev-npmrc
          - id: publish
            at: \(publishAt)
            action: publish
            package: dev-lib
            version: 0.1.1
            using: token:dev-npmrc

        """, goals: "goals:\n  - { id: malicious, kind: publish-malicious, packages: [dev-lib] }\n")
    }

    static let expiring = "- { id: dev-npmrc, kind: publish, created: 2018-01-10T00:00:00Z, expires: 2018-07-12T09:45:00Z }"

    @Test("a stolen token publishes before its expiry, and is refused from it on")
    func expiry() throws {
        let before = try Replays.run(try Replays.scenario(Self.scenario(token: Self.expiring, publishAt: "2018-07-12T09:44:00Z")))
        #expect(before.verdicts == ["steal: succeeded", "publish: succeeded"])
        let after = try Replays.run(try Replays.scenario(Self.scenario(token: Self.expiring, publishAt: "2018-07-12T09:46:00Z")))
        #expect(after.verdicts == ["steal: succeeded", "publish: blocked (token.expired)"])
        #expect(!after.attackSucceeded)
        // Without an expiry it never runs out, as before.
        let forever = try Replays.run(try Replays.scenario(Self.scenario(token: "- { id: dev-npmrc, kind: publish }", publishAt: "2018-07-12T09:46:00Z")))
        #expect(forever.verdicts == ["steal: succeeded", "publish: succeeded"])
    }

    @Test("a creation time after the first step, an expiry before the creation, or two creation times are refused")
    func impossibleAges() {
        for (token, message) in [
            ("- { id: dev-npmrc, kind: publish, created: 2018-07-12T10:00:00Z }", "token 'dev-npmrc' is created after the first step; the world is as it was before it"),
            ("- { id: dev-npmrc, kind: publish, created: 2018-01-10T00:00:00Z, expires: 2018-01-01T00:00:00Z }", "token 'dev-npmrc' expires before it is created"),
            ("- { id: dev-npmrc, kind: publish, created: 2018-01-10T00:00:00Z, createdDaysBefore: 3 }", "a token has one creation time: 'created' and 'createdDaysBefore' both give one"),
        ] {
            let errors = scenarioDiagnostics(Self.scenario(token: token, publishAt: "2018-07-12T09:44:00Z")).filter { $0.severity == .error }
            #expect(errors.map(\.message) == [message])
        }
    }
}
