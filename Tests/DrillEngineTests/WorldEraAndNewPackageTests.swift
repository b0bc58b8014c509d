import DrillEngine
import DrillRegistry
import Testing

/// What a replay would silently get wrong, caught by validation: a publish that creates a package by a typo, and world
/// elements the registry of the scenario's date did not have. Both are warnings, so files that validated before still do.
@Suite("Validation: new packages by mistake, world elements of a later era")
struct WorldEraAndNewPackageTests {
    /// The text from a diagnostic's position to the end of its line.
    static func text(at d: Diagnostic, in text: String) -> Substring {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard d.line >= 1, d.line <= lines.count else { return "" }
        return lines[d.line - 1].dropFirst(d.column - 1)
    }

    static func publish(_ package: String, newPackage: Bool? = nil) -> String {
        Doc.steps.replacingOccurrences(of: "    package: widget\n", with: "    package: \(package)\n" + (newPackage.map { "    newPackage: \($0)\n" } ?? ""))
    }

    @Test("a publish to a package the world lacks is a warning with the nearest name; newPackage: true says it is meant")
    func newPackageByMistake() throws {
        let typo = scenarioDiagnostics(Doc.scenario(steps: Self.publish("widgt")))
        #expect(typo.map(\.severity) == [.warning], "\(typo.map(\.description))")
        #expect(typo.first?.message == "step 'publish' publishes 'widgt', which this world does not have: the replay creates a new package")
        #expect(typo.first?.hint == "did you mean 'widget'? if the step means to create it, add newPackage: true")
        #expect(typo.first.map { Self.text(at: $0, in: Doc.scenario(steps: Self.publish("widgt"))).hasPrefix("widgt") } == true, "it points at the name")
        #expect(scenarioDiagnostics(Doc.scenario(steps: Self.publish("widgt", newPackage: true))).isEmpty)
        let needless = scenarioDiagnostics(Doc.scenario(steps: Self.publish("widget", newPackage: true)))
        #expect(needless.map(\.message) == ["'widget' is a package of the world: this step creates nothing"])
        // The package exists from the step that created it on: a second publish to it is no news.
        let twice = Self.publish("new-lib", newPackage: true) + """
          - id: publish-again
            at: 2018-07-12T09:45:00Z
            action: publish
            package: new-lib
            version: 1.0.2
            using: step:login

        """
        #expect(scenarioDiagnostics(Doc.scenario(steps: twice)).isEmpty)
    }

    /// One world element per case, with the day it came: a day before it gets a warning at its key, the day itself none.
    static let elements: [(yaml: String, key: String, came: String)] = [
        ("- { name: maintainer, email: maintainer@maint.example, passwordReused: true, twoFactor: auth-only }", "twoFactor", "2017-10-05"),
        ("- { name: maintainer, email: maintainer@maint.example, passwordReused: true, twoFactor: auth-only, factor: security-key }", "factor", "2022-05-10"),
        ("- { id: dev-npmrc, kind: automation }", "kind", "2020-10-02"),
        ("- { id: dev-npmrc, kind: granular }", "kind", "2022-12-06"),
        ("- { id: dev-npmrc, kind: granular, bypass2fa: true }", "bypass2fa", "2025-11-05"),
        ("- { name: dev-lib, maintainers: [dev], versions: [0.1.0], publishing: 2fa-or-token }", "publishing", "2018-07-13"),
        ("- { name: dev-lib, maintainers: [dev], versions: [0.1.0], trustedPublisher: true }", "trustedPublisher", "2025-07-31"),
        ("- id: dev-laptop\n          npmClient: 12", "npmClient", "2026-07-08"),
    ]

    static func world(with yaml: String) -> String {
        var world = Doc.world
        if yaml.hasPrefix("- { name: maintainer") {
            world = world.replacingOccurrences(of: "    - name: maintainer\n      email: maintainer@maint.example\n      passwordReused: true\n", with: "    " + yaml + "\n")
        } else if yaml.hasPrefix("- { id: dev-npmrc") {
            world = world.replacingOccurrences(of: "- { id: dev-npmrc, kind: publish }", with: String(yaml.dropFirst(2)).replacingOccurrences(of: "{ id", with: "- { id"))
        } else if yaml.hasPrefix("- { name: dev-lib") {
            world = world.replacingOccurrences(of: "- { name: dev-lib, maintainers: [dev], versions: [0.1.0] }", with: yaml)
        } else {
            world = world.replacingOccurrences(of: "- id: dev-laptop\n", with: "- id: dev-laptop\n      npmClient: 12\n")
        }
        #expect(world != Doc.world, "the element is in the world: \(yaml)")
        return world
    }

    @Test("a world element is a warning before the day it came, and not from that day", arguments: 0..<elements.count)
    func eraOfWorldElements(_ index: Int) throws {
        let element = Self.elements[index]
        let came = try RegistryEra(element.came)
        let before = RegistryEra.containing(unixSeconds: came.startOfDay - 1)
        let world = Self.world(with: element.yaml)
        // The steps are moved to each date, so that only the world's element is judged.
        func diagnostics(on day: String) -> [Diagnostic] {
            scenarioDiagnostics(Doc.scenario(date: day, world: world, steps: Doc.steps.replacingOccurrences(of: "2018-07-12T", with: "\(day)T")))
        }
        let early = diagnostics(on: before.description)
        #expect(early.count == 1 && early.first?.severity == .warning, "\(element.yaml) on \(before): \(early.map(\.description))")
        #expect(early.first?.message.hasSuffix("did not exist on \(before) (the scenario's date): it came on \(element.came)") == true, "\(early.map(\.message))")
        let text = Doc.scenario(date: before.description, world: world, steps: Doc.steps.replacingOccurrences(of: "2018-07-12T", with: "\(before)T"))
        // It points at the element's value, as the other checks of values do.
        let value = element.yaml.components(separatedBy: element.key + ": ").last!.prefix { $0 != "," && $0 != " " && $0 != "}" }
        #expect(early.first.map { Self.text(at: $0, in: text).hasPrefix(value) } == true, "the warning points at '\(element.key)': \(early.map(\.description))")
        #expect(diagnostics(on: element.came).isEmpty, "\(element.yaml) on \(element.came): \(diagnostics(on: element.came).map(\.description))")
    }
}
