import ArgumentParser
import DrillEngine
import DrillRegistry
import DrillReports
import Foundation

struct MatrixCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "matrix", abstract: "Run every bundled scenario (or those given, by id or file) under the standard profiles and print the defense matrix.")

    @Argument(help: ArgumentHelp("Scenario ids or files (default: the whole bundled library).", valueName: "scenario"))
    var scenarios: [String] = []
    @Option(name: .long, help: "A scenario id or file (repeatable; the same as naming it as an argument).")
    var scenario: [String] = []
    @Option(name: .long, help: "A profile id or file (repeatable, or comma-separated; default: every bundled profile).")
    var profile: [String] = []
    @Flag(name: .long, help: "Exit with 1 if any attack reaches its goal under a selected profile other than historical and no-2fa.")
    var requireStopped = false
    @OptionGroup var output: OutputOptions

    func run() throws {
        let lib = try library()
        let named = scenarios + scenario
        let selected = named.isEmpty ? try lib.scenarios() : try loadScenarios(lib, named)
        let profiles = try selectedProfiles(lib, profile)
        var runs: [RunOutcome] = []
        for s in selected { for p in profiles { runs.append(try ReplayEngine.run(s, profile: p)) } }
        try output.emit(Reports.matrix(MatrixReport(runs: runs, scenarios: selected, profiles: profiles), format: output.format, options: output.renderOptions))
        try enforce(requireStopped, runs, explicitProfiles: !profile.isEmpty)
    }
}

/// The scenarios named on the command line (bundled ids or files), in order; every file's problems are reported
/// together, not only the first file's.
func loadScenarios(_ lib: ScenarioLibrary, _ names: [String]) throws -> [Scenario] {
    var loaded: [Scenario] = []
    var problems: [Diagnostic] = []
    for name in names {
        do { loaded.append(try lib.scenario(name)) } catch { problems += error.diagnostics }
    }
    if !problems.isEmpty { throw ValidationFailure(problems) }
    return loaded
}

/// `--require-stopped`: with profiles named explicitly every selected profile must stop every scenario;
/// over the default set, the baselines (historical, no-2fa) are exempt since they reproduce the incidents.
func enforce(_ required: Bool, _ runs: [RunOutcome], explicitProfiles: Bool) throws {
    guard required else { return }
    let baselines: Set<String> = explicitProfiles ? [] : ["historical", "no-2fa"]
    let failures = runs.filter { $0.attackSucceeded && !baselines.contains($0.profile) }
    if !failures.isEmpty {
        let list = failures.map { "\($0.scenario) under \($0.profile)" }.joined(separator: ", ")
        FileHandle.standardError.write(Data("regdrill: --require-stopped: the attack reaches its goal in \(failures.count) run(s): \(list)\n".utf8))
        throw ExitCode(1)
    }
}

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Replay one scenario step by step and tell the story: what the attacker tried, what the registry answered.")

    @Argument(help: "A bundled scenario id or a path to a scenario file.")
    var scenario: String
    @Option(name: .long, help: "A profile id or file (repeatable; default: historical).")
    var profile: [String] = []
    @Flag(name: .long, help: "Pause after each step until Enter is pressed (for a facilitator).")
    var step = false
    @Flag(name: .long, help: "With --step: show each step first, and its outcome only after Enter.")
    var hideOutcomes = false
    @Flag(name: .long, help: "Exit with 1 if the attack reaches its goal under any selected profile.")
    var requireStopped = false
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if hideOutcomes && !step { throw ValidationError("--hide-outcomes goes with --step") }
        if step && (output.format != .text || output.output != nil) { throw ValidationError("--step works with text output on the terminal") }
    }

    func run() throws {
        let lib = try library()
        let s = try lib.scenario(scenario)
        let profiles = profile.isEmpty ? [try lib.profile("historical")] : try selectedProfiles(lib, profile)
        let runs = try profiles.map { p throws in try ReplayEngine.run(s, profile: p) }
        if step {
            for (run, p) in zip(runs, profiles) { StepPresenter(options: output.renderOptions, hideOutcomes: hideOutcomes).present(run, scenario: s, profile: p) }
        } else if runs.count == 1 {
            try output.emit(Reports.run(runs[0], scenario: s, profile: profiles[0], format: output.format, options: output.renderOptions))
        } else {
            try output.emit(Reports.runs(runs, scenario: s, profiles: profiles, format: output.format, options: output.renderOptions))
        }
        try enforce(requireStopped, runs, explicitProfiles: true)
    }
}

/// Shows a run one step at a time, waiting for Enter, for a facilitator at a projector.
struct StepPresenter {
    let options: RenderOptions
    let hideOutcomes: Bool

    func present(_ run: RunOutcome, scenario: Scenario, profile: Profile) {
        let hidden = RenderOptions(color: options.color, showOutcomes: false)
        for i in run.steps.indices {
            var partial = run
            partial.steps = Array(run.steps.prefix(i + 1))
            if hideOutcomes {
                print(Reports.step(run.steps[i], index: i + 1, options: hidden))
                wait("press Enter to see what the registry answers")
            }
            print(Reports.step(run.steps[i], index: i + 1, options: options))
            wait(i + 1 < run.steps.count ? "press Enter for the next step" : "press Enter for the verdict")
        }
        print(Reports.run(run, scenario: scenario, profile: profile, format: .text, options: options))
    }

    func wait(_ prompt: String) {
        FileHandle.standardError.write(Data("  [\(prompt)] ".utf8))
        _ = readLine()
    }
}

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "compare", abstract: "Replay one scenario under several profiles, side by side, step by step.")

    @Argument(help: "A bundled scenario id or a path to a scenario file.")
    var scenario: String
    @Option(name: .long, help: "Comma-separated profiles to compare.")
    var profiles: String = "auth-only,auth-and-writes"
    @OptionGroup var output: OutputOptions

    func run() throws {
        let lib = try library()
        let s = try lib.scenario(scenario)
        let ps = try selectedProfiles(lib, [profiles])
        guard ps.count >= 2 else { throw ValidationError("--profiles needs at least two profiles, like auth-only,auth-and-writes") }
        let runs = try ps.map { p throws in try ReplayEngine.run(s, profile: p) }
        try output.emit(Reports.compare(runs, scenario: s, format: output.format, options: output.renderOptions))
    }
}

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "explain", abstract: "Which single defenses, each added alone to the historical world, stop the attack, and at which step.")

    @Argument(help: ArgumentHelp("Bundled scenario ids or paths to scenario files; each is explained in turn.", valueName: "scenario"))
    var scenarios: [String]
    @OptionGroup var output: OutputOptions

    func run() throws {
        let selected = try loadScenarios(try library(), scenarios)
        let explained = try selected.map { s throws in (try ReplayEngine.explain(s), s) }
        try output.emit(Reports.explanations(explained, format: output.format, options: output.renderOptions))
    }
}

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "validate", abstract: "Check scenario and profile files: every problem at once, each with file:line:column and a fix.")

    @Argument(help: "Scenario or profile files (a file under a 'profiles' folder is read as a profile). Default: the bundled library.")
    var files: [String] = []
    @OptionGroup var output: OutputOptions

    func run() throws {
        var diagnostics: [Diagnostic] = []
        var checked = files.count
        if files.isEmpty { (checked, diagnostics) = try library().validateAll() }
        for path in files {
            do {
                if URL(fileURLWithPath: path).deletingLastPathComponent().lastPathComponent == "profiles" {
                    _ = try ProfileLoader.load(path: path)
                } else {
                    diagnostics += try ScenarioLoader.load(path: path).1
                }
            } catch {
                diagnostics += error.diagnostics
            }
        }
        let errors = diagnostics.filter { $0.severity == .error }.count
        if output.format == .text {
            var text = Reports.diagnostics(diagnostics, format: .text)
            text += (text.isEmpty ? "" : "\n") + "\(checked) file(s) checked: \(errors) error(s), \(diagnostics.count - errors) warning(s)"
            try output.emit(text)
        } else {
            try output.emit(Reports.diagnostics(diagnostics, format: output.format))
        }
        if errors > 0 { throw ExitCode(2) }
    }
}

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the bundled scenarios.")
    @OptionGroup var output: OutputOptions
    func run() throws { try output.emit(Reports.scenarioList(try library().scenarios(), format: output.format)) }
}

struct DefensesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "defenses", abstract: "The defense catalog: what each defense is, which rules it brings into play, its source.")
    @OptionGroup var output: OutputOptions
    func run() throws { try output.emit(Reports.defenses(format: output.format)) }
}

struct ProfilesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "profiles", abstract: "The bundled profiles and the defenses each switches on.")
    @OptionGroup var output: OutputOptions
    func run() throws { try output.emit(Reports.profiles(try library().profiles(), format: output.format)) }
}

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rules", abstract: "The registry's rules, generated from the policy's own table, and the dated changes of npm's rules.")
    @OptionGroup var output: OutputOptions
    func run() throws { try output.emit(Reports.rules(format: output.format)) }
}

struct NewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "new", abstract: "Write a new scenario file that validates, to start from.")

    @Argument(help: "The new scenario's id (lowercase letters, digits and '-').")
    var name: String
    @Option(name: [.short, .long], help: "Where to write it (default: NAME.yaml in the current directory).")
    var output: String?
    @Flag(name: .long, help: "Overwrite an existing file.")
    var force = false

    func validate() throws {
        guard !name.isEmpty, name.count <= 100, name.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }) else {
            throw ValidationError("'\(name)' is not a scenario id: use lowercase letters, digits and '-', like my-incident-2024")
        }
    }

    func run() throws {
        let path = output ?? "\(name).yaml"
        if FileManager.default.fileExists(atPath: path) && !force { throw ValidationError("\(path) exists; use --force to overwrite it") }
        let text = ScenarioTemplate.text(id: name)
        // The template is checked before it is written: `new` never writes a file that does not validate.
        do { _ = try ScenarioLoader.parse(text, file: path) } catch { throw error }
        try OutputOptions.parse(["--output", path]).emit(text)
        print("wrote \(path); check it with: regdrill validate \(path); replay it with: regdrill run \(path) --profile auth-only")
    }
}

struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "The scenario and profile formats, from their one declaration: a JSON Schema for editors, or (--format markdown) the reference page.",
        discussion: "scenarios/scenario.schema.json, scenarios/profile.schema.json and docs/format.md are this command's output.")

    enum Document: String, ExpressibleByArgument, CaseIterable { case scenario, profile }
    enum Format: String, ExpressibleByArgument, CaseIterable { case json, markdown }

    @Argument(help: "Which format: scenario or profile (the reference page covers both).")
    var document: Document
    @Option(name: .long, help: "json (the JSON Schema) or markdown (the format reference).")
    var format: Format = .json
    @Option(name: [.short, .long], help: "Write it to this file instead of standard output.")
    var output: String?

    func run() throws {
        let text = switch format {
        case .json: document == .scenario ? SchemaWriter.scenario() : SchemaWriter.profile()
        case .markdown: FormatReference.markdown()
        }
        var options = try OutputOptions.parse([])
        options.output = output
        try options.emit(text)
    }
}
