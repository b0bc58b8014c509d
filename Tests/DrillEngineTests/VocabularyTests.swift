import DrillEngine
import Foundation
import Testing

/// The format is declared once (Sources/DrillEngine/Format/Vocabulary.swift); the loader, the JSON Schema and the
/// format reference all follow the declaration. These tests hold each of them to it.
@Suite("Vocabulary: one declaration of the format, followed by the loader, the schema and the reference")
struct VocabularyTests {
    static let root = URL(fileURLWithPath: ProjectScenarios.directory).deletingLastPathComponent()

    @Test("the shipped JSON Schema is what `regdrill schema scenario` writes")
    func shippedSchema() throws {
        let shipped = try String(contentsOf: Self.root.appendingPathComponent("scenarios/scenario.schema.json"), encoding: .utf8)
        #expect(shipped == SchemaWriter.scenario(), "regenerate it: swift run regdrill schema scenario --output scenarios/scenario.schema.json")
    }

    @Test("the shipped profile JSON Schema is what `regdrill schema profile` writes")
    func shippedProfileSchema() throws {
        let shipped = try String(contentsOf: Self.root.appendingPathComponent("scenarios/profile.schema.json"), encoding: .utf8)
        #expect(shipped == SchemaWriter.profile(), "regenerate it: swift run regdrill schema profile --output scenarios/profile.schema.json")
    }

    @Test("the reference's profile example, and each defense's example, load as the declaration says")
    func profileExamples() throws {
        let profile = try ProfileLoader.parse(ProfileFormat.example, file: "example.yaml")
        #expect(profile.defenses.map(\.kind) == [.twoFactor, .cidrTokens])
        for kind in DefenseKind.allCases {
            let text = "id: example\ntitle: Example\ndefenses:\n" + FormatReference.exampleDefense(kind)
            let loaded = try ProfileLoader.parse(text, file: "example.yaml")
            #expect(loaded.defenses.map(\.kind) == [kind])
            #expect(FormatReference.markdown().contains("#### `\(kind.rawValue)`"))
        }
    }

    @Test("a profile that uses every declared key of every defense has no unknown key, and the loader reads each of them")
    func everyDeclaredProfileKeyIsRead() throws {
        let defenses = DefenseKind.allCases.map { "  - " + Self.object(ProfileFormat.defense($0), indent: "    ", first: ["id: \($0.rawValue)"]) }.joined()
        let text = Self.object(ProfileFormat.profile, indent: "", nested: ["defenses": "defenses:\n" + defenses])
        let profile = try ProfileLoader.parse(text, file: "every-key.yaml")
        #expect(profile.defenses.count == DefenseKind.allCases.count)
    }

    @Test("every defense kind has an entry in the catalog, and each entry is named as its setting is")
    func catalogCoversEveryKind() {
        #expect(Set(DefenseCatalog.entries.map(\.setting.kind)) == Set(DefenseKind.allCases))
        for entry in DefenseCatalog.entries { #expect(entry.id == entry.setting.id) }
    }

    @Test("an unknown defense with parameters some defense takes gets one error, its name")
    func misspelledDefenseKeys() {
        let diagnostics = profileDiagnostics("id: p\ntitle: P\ndefenses:\n  - { id: cidr-token, prefix: 16 }\n")
        #expect(diagnostics.map(\.message) == ["unknown defense 'cidr-token'"])
    }

    @Test("docs/format.md is what `regdrill schema scenario --format markdown` writes")
    func shippedReference() throws {
        let shipped = try String(contentsOf: Self.root.appendingPathComponent("docs/format.md"), encoding: .utf8)
        #expect(shipped == FormatReference.markdown(), "regenerate it: swift run regdrill schema scenario --format markdown --output docs/format.md")
    }

    @Test("each action's example in the reference is a valid step of the reference's world", arguments: ActionKind.allCases)
    func example(_ kind: ActionKind) throws {
        let text = FormatReference.exampleScenario(kind)
        let errors = scenarioDiagnostics(text).filter { $0.severity == .error }
        #expect(errors.isEmpty, "\(kind.rawValue): \(errors.map(\.description))\n\(text)")
        let (scenario, _) = try ScenarioLoader.parse(text, file: "example.yaml")
        #expect(scenario.steps.last?.action.kind == kind)
        #expect(FormatReference.markdown().contains("#### `\(kind.rawValue)`"))
    }

    @Test("a file that uses every declared key of every object has no unknown key, and the loader reads each of them")
    func everyDeclaredKeyIsRead() {
        // The loader asserts (in debug builds, as the tests run) that it reads no key the declaration lacks and that it
        // reads every declared key a file holds; this file holds them all.
        var steps = ""
        for (n, kind) in ActionKind.allCases.enumerated() {
            steps += "  - " + Self.object(ScenarioFormat.step(kind), indent: "    ", first: ["id: s\(n)", "at: 2026-01-15T10:00:00Z", "action: \(kind.rawValue)"])
        }
        let world = ScenarioFormat.world.fields.map { field -> String in
            guard case .objects(let shape, _, _) = field.type else { return "" }
            return "  \(field.key):\n    - " + Self.object(shape, indent: "      ")
        }.joined()
        let text = Self.object(ScenarioFormat.scenario, indent: "", first: [], nested: ["world": "world:\n" + world, "steps": "steps:\n" + steps,
                                                                                       "goals": "goals:\n  - " + Self.object(ScenarioFormat.goal, indent: "    ")])
        let diagnostics = scenarioDiagnostics(text)
        // The samples do not make sense together, so the checks that follow reading report them: reading got that far.
        #expect(diagnostics.contains { $0.message.contains("is not an account of this world") }, "\(diagnostics.map(\.description))")
        #expect(!diagnostics.contains { $0.message.contains("unknown key") || $0.message.contains("is missing") }, "\(diagnostics.map(\.description))")
    }

    @Test("the loader's limits are the declared ones: a whole number one past its declared range is refused with that range")
    func declaredRanges() {
        var steps = ""
        for (n, kind) in ActionKind.allCases.enumerated() {
            steps += "  - " + Self.object(ScenarioFormat.step(kind), indent: "    ", first: ["id: s\(n)", "at: 2026-01-15T10:00:00Z", "action: \(kind.rawValue)"], pastRange: true)
        }
        let world = ScenarioFormat.world.fields.map { field -> String in
            guard case .objects(let shape, _, _) = field.type else { return "" }
            return "  \(field.key):\n    - " + Self.object(shape, indent: "      ", pastRange: true)
        }.joined()
        let text = Self.object(ScenarioFormat.scenario, indent: "", nested: ["world": "world:\n" + world, "steps": "steps:\n" + steps,
                                                                             "goals": "goals:\n  - " + Self.object(ScenarioFormat.goal, indent: "    ")], pastRange: true)
        var expected: [String] = []
        func collect(_ shape: Shape) {
            for f in shape.fields {
                switch f.type {
                case .whole(let r): expected.append("'\(f.key)' is \(r.upperBound + 1); it must be from \(r.lowerBound) to \(r.upperBound)")
                case .number(let r): expected.append("'\(f.key)' is \(r.upperBound + 1); it must be from \(r.lowerBound) to \(r.upperBound)")
                case .object(let inner) where inner.name != ScenarioFormat.world.name: collect(inner)
                case .objects(let inner, _, _) where inner.variants == nil && inner.name != ScenarioFormat.goal.name: collect(inner)
                default: break
                }
            }
        }
        collect(ScenarioFormat.scenario)
        ScenarioFormat.world.fields.forEach { if case .objects(let inner, _, _) = $0.type { collect(inner) } }
        ActionKind.allCases.forEach { collect(Shape(name: "", title: "", context: "", meaning: "", fields: $0.declaration.fields)) }
        let found = scenarioDiagnostics(text).filter { $0.code == .outOfRange }.map(\.message)
        #expect(expected.count >= 8)
        #expect(found.sorted() == expected.sorted(), "\(found)")
    }

    @Test("a misspelled action with keys of the action it meant gets one error, its name")
    func misspelledActionKeys() {
        for (wrong, keys) in [("org-ad-member", "org: acme\n    user: mallory\n    using: password"), ("set-acess", "package: left-pad\n    public: false\n    using: password"),
                              ("set-trusted-publsher", "package: left-pad\n    repository: a/b\n    workflow: release.yml\n    using: password"),
                              ("org-require-2f", "org: acme\n    required: false\n    using: password")] {
            let text = Doc.scenario(steps: "  - id: s1\n    at: 2018-07-12T09:30:00Z\n    action: \(wrong)\n    \(keys)\n")
            let errors = scenarioDiagnostics(text).filter { $0.severity == .error }
            #expect(errors.count == 1, "\(wrong): \(errors.map(\.description))")
            #expect(errors.first?.message == "unknown action '\(wrong)'")
        }
    }

    @Test("a key of another action is refused, with the action's own keys as hints")
    func keyOfAnotherAction() {
        let text = Doc.scenario(steps: "  - id: s1\n    at: 2018-07-12T09:30:00Z\n    action: login\n    account: maintainer\n    orgg: acme\n")
        let errors = scenarioDiagnostics(text).filter { $0.severity == .error && $0.message.contains("key") }
        #expect(errors.map(\.message) == ["unknown key 'orgg' in a step"])
        #expect(errors.first?.hint?.contains("'org'") != true, "login takes no 'org'")
    }

    @Test("the domain predicates the static checks and the replay share")
    func predicates() throws {
        #expect(Payload.allCases.filter(\.harvestsTokens) == [.harvestTokens, .worm])
        let acquiring = try ActionKind.allCases.filter { kind in
            try ScenarioLoader.parse(FormatReference.exampleScenario(kind), file: "example.yaml").0.steps.last?.action.passwordAcquired != nil
        }
        #expect(acquiring == [.reuseBreachedPassword, .phish, .resetPassword])
        let world = FormatReference.exampleWorld.replacingOccurrences(of: """
                    - { id: laptop-token, kind: granular, packages: [left-pad], bypass2fa: true }
            """, with: """
                    - { id: laptop-token, kind: granular, packages: [left-pad], bypass2fa: true }
                    - { id: laptop-env, location: environment }
                    - { id: laptop-secret, location: ci-secret }
            """).replacingOccurrences(of: "- { id: ci, kind: ci, owner: maintainer, repository: acme/left-pad }", with: """
            - { id: ci, kind: ci, owner: maintainer, repository: acme/left-pad, tokens: [{ id: ci-npmrc, location: npmrc }, { id: ci-secret }] }
            """)
        let text = FormatReference.exampleScenario(.login).replacingOccurrences(of: FormatReference.exampleWorld, with: world)
        let machines = try ScenarioLoader.parse(text, file: "machines.yaml").0.world.machines
        #expect(machines.map { $0.tokens.count } == [3, 2], "the replaced world is the one loaded")
        #expect(machines.map { $0.tokensAnInstallExposes.map(\.id) } == [["laptop-token", "laptop-env"], ["ci-npmrc", "ci-secret"]])
    }

    @Test("every action has a declaration with a meaning and an example, and names are unique")
    func declarations() {
        #expect(Set(Action.allNames).count == ActionKind.allCases.count)
        for kind in ActionKind.allCases {
            let d = kind.declaration
            #expect(!d.meaning.isEmpty && !d.example.isEmpty, "\(kind.rawValue)")
            #expect(Set(d.fields.map(\.key)).count == d.fields.count, "\(kind.rawValue) declares a key twice")
            for line in d.example { #expect(line.contains(": "), "\(kind.rawValue): \(line)") }
        }
        for shape in ScenarioFormat.shapes { #expect(Set(shape.keys).count == shape.keys.count, "\(shape.name) declares a key twice") }
    }

    /// One object of a shape as YAML, every key with a sample of its type.
    static func object(_ shape: Shape, indent: String, first: [String] = [], nested: [String: String] = [:], pastRange: Bool = false) -> String {
        var lines = first
        for field in shape.fields where !first.contains(where: { $0.hasPrefix(field.key + ":") }) {
            if let text = nested[field.key] { lines.append(text.replacingOccurrences(of: "\n", with: "\n" + indent).trimmingCharacters(in: .whitespaces)); continue }
            switch field.type {
            case .object(let inner): lines.append("\(field.key):\n\(indent)  " + object(inner, indent: indent + "  ", pastRange: pastRange).trimmingCharacters(in: .newlines))
            case .objects(let inner, _, _): lines.append("\(field.key):\n\(indent)  - " + object(inner, indent: indent + "    ", pastRange: pastRange).trimmingCharacters(in: .newlines))
            case .whole(let r) where pastRange: lines.append("\(field.key): \(r.upperBound + 1)")
            case .number(let r) where pastRange: lines.append("\(field.key): \(Int(r.upperBound) + 1)")
            case .textMap: lines.append("\(field.key): { postinstall: node x.js }")
            default: lines.append("\(field.key): \(sample(field.type))")
            }
        }
        return lines.joined(separator: "\n" + indent) + "\n"
    }

    static func sample(_ type: ValueType) -> String {
        switch type {
        case .text, .reference, .name: "sample"
        case .identifier: "sample-id"
        case .day: "2026-01-15"
        case .era: "scenario"
        case .time: "2026-01-15T10:00:00Z"
        case .email: "someone@example.org"
        case .ipAddress: "198.51.100.9"
        case .cidr: "198.51.100.0/24"
        case .packageName: "left-pad"
        case .version: "1.0.0"
        case .origin: "https://npmjs.help"
        case .credential: "password"
        case .technique: "T1078"
        case .whole(let r): String(r.lowerBound)
        case .number(let r): String(r.lowerBound)
        case .boolean: "true"
        case .booleanOr(let c): c.values[0].value
        case .choice(let c): c.values[0].value
        case .list(let item, _): "[\(sample(item))]"
        case .objects, .object, .textMap: "{}"
        }
    }
}
