@testable import DrillEngine
import DrillRegistry
import Foundation
import Testing

/// Issue 22: ids and names hold no control character, and `validate` checks an e-mail address as the registry does
/// when the scenario is replayed (it only looked for an `@`, so `maintainer@localhost` validated and failed at the
/// first step of `run`), control characters included (an escape sequence in one reached the console and the reports).
@Suite struct NamesAndAddressesTests {
    @Test(arguments: [("maintainer@localhost", "its domain has no '.'"), ("maintainer.example", "exactly one '@'"),
                      ("a@b@c.example", "exactly one '@'"), ("@maint.example", "nothing comes before"),
                      ("main\u{1B}[31mtainer@maint.example", "control character"), ("main\u{202E}tainer@maint.example", "control character"),
                      ("main tainer@maint.example", "white space")])
    func aWorldAddressTheRegistryRefusesIsADiagnosticAtItsLine(email: String, problem: String) throws {
        let world = Doc.world.replacingOccurrences(of: "email: maintainer@maint.example", with: "email: \"\(email.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 ? String($0) : String(format: "\\u%04X", $0.value) }.joined())\"")
        let text = Doc.scenario(world: world)
        let diagnostics = scenarioDiagnostics(text)
        let line = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("email:") && !$0.contains("dev@") }.map { $0 + 1 }
        let found = try #require(diagnostics.first { $0.message.contains("is not an email address the registry takes") }, "\(diagnostics)")
        #expect(found.message.contains(problem))
        #expect(found.line == line)
        #expect(Registry.emailProblem(email)?.contains(problem) == true)
    }

    @Test func aChangeEmailStepIsCheckedToo() {
        let text = Doc.scenario(steps: """
              - id: s1
                at: 2018-07-12T09:00:00Z
                action: change-email
                account: maintainer
                email: nowhere
                using: password

            """)
        #expect(scenarioDiagnostics(text).contains { $0.message.contains("'nowhere' is not an email address the registry takes") })
    }

    /// Ids and names hold no control character (a step id with an escape sequence reached reports and the console).
    @Test(arguments: [("- id: breach", "- id: \"bre\\u001Bach\""), ("- id: login", "- id: \"log\\nin\""),
                      ("- id: dev-laptop", "- id: \"dev\\u202Elaptop\""), ("- { id: ci-token,", "- { id: \"ci\\u0085token\",")])
    func idsWithControlCharactersAreRefused(original: String, hostile: String) {
        let text = Doc.scenario().replacingOccurrences(of: original, with: hostile)
        #expect(text != Doc.scenario())
        let diagnostics = scenarioDiagnostics(text)
        #expect(diagnostics.contains { $0.message.contains("'id' in") && $0.message.contains("holds a control character") }, "\(diagnostics)")
    }

    /// An account with no address gets `<name>@example.com`; when the name is not one the registry takes (a space in
    /// it), that made-up address is not one either. The loader used to check it at the absent key's position, and
    /// crashed: the name's error is the one diagnostic.
    @Test func aMadeUpAddressOfABadNameIsNotCheckedAgain() {
        let world = Doc.world.replacingOccurrences(of: "    - name: dev\n      email: dev@dev.example\n", with: "    - name: \"de v\"\n")
        #expect(world != Doc.world)
        let errors = scenarioDiagnostics(Doc.scenario(world: world)).filter { $0.severity == .error }
        #expect(errors.contains { $0.message == "'de v' is not a valid account name" }, "\(errors)")
        #expect(!errors.contains { $0.message.contains("email") }, "\(errors)")
    }

    @Test func aCreateAccountAddressIsCheckedToo() {
        let text = Doc.scenario(steps: Doc.breachAndLogin + """
              - id: sign-up
                at: 2018-07-12T09:40:00Z
                action: create-account
                account: helper
                email: helper@localhost

            """)
        #expect(scenarioDiagnostics(text).contains { $0.message == "'helper@localhost' is not an email address the registry takes: its domain has no '.'" })
    }

    @Test func addressesTheRegistryTakesPass() {
        for email in ["maintainer@maint.example", "a.b+tag@sub.domain.example", "x@y.z"] { #expect(Registry.emailProblem(email) == nil) }
        #expect(scenarioDiagnostics(Doc.scenario()).filter { $0.message.contains("email") }.isEmpty)
    }
}
