import Foundation

/// The bundled scenario library: the scenarios and profiles of the project's `scenarios/` folder.
///
/// It is read from a folder when there is one to read (`REGDRILL_SCENARIOS`, or the `scenarios/` folder of the
/// checkout the executable was built in, found from the executable's own path), and otherwise from the copy built into
/// the executable (``embedded``): an installed `regdrill` needs no files beside it, and never reads the library from
/// the directory it is run in.
public struct ScenarioLibrary: Sendable {
    /// Where the files are.
    public enum Source: Sendable, Equatable {
        case directory(String)
        /// The copy built into the executable (`EmbeddedLibrary.swift`, generated from `scenarios/`).
        case embedded
    }

    public let source: Source

    public init(directory: String) { source = .directory(directory) }
    private init(source: Source) { self.source = source }

    /// The library built into the executable.
    public static let embedded = ScenarioLibrary(source: .embedded)

    /// The folder it reads, or nil when it is the built-in copy.
    public var directory: String? {
        if case .directory(let d) = source { d } else { nil }
    }

    /// How diagnostics and `--version` name where the library is.
    public var location: String { directory ?? Self.embeddedPrefix }

    /// How diagnostics name a built-in file: not a path anyone can open, and saying so.
    public static let embeddedPrefix = "(built in)"

    /// The library: `REGDRILL_SCENARIOS` when it names a library folder; else the `scenarios/` folder of the checkout
    /// the executable sits in (a development build, whose files are edited in place); else the built-in copy. The
    /// working directory plays no part.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment,
                              executable: String = CommandLine.arguments.first ?? "") -> ScenarioLibrary {
        let fm = FileManager.default
        if let dir = environment["REGDRILL_SCENARIOS"], fm.fileExists(atPath: dir + "/profiles") { return ScenarioLibrary(directory: dir) }
        // The executable's real location (a link to it, or a relative path, resolved), then up to .build/<triple>/<config>/.
        if !executable.isEmpty {
            var dir = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
            for _ in 0..<6 {
                let candidate = dir.appendingPathComponent("scenarios").path
                if fm.fileExists(atPath: candidate + "/profiles") && fm.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
                    return ScenarioLibrary(directory: candidate)
                }
                dir.deleteLastPathComponent()
            }
        }
        return .embedded
    }

    /// A file of the library: its name in the library (`x.yaml`, `profiles/y.yaml`), and how diagnostics name it.
    public struct File: Sendable {
        public let name: String
        public let path: String
    }

    private func files(in folder: String) -> [File] {
        switch source {
        case .directory(let root):
            let dir = folder.isEmpty ? root : root + "/" + folder
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
            return names.map { File(name: folder.isEmpty ? $0 : folder + "/" + $0, path: dir + "/" + $0) }
        case .embedded:
            return Self.embeddedFiles.map(\.name).filter { name in
                folder.isEmpty ? !name.contains("/") : name.hasPrefix(folder + "/") && !name.dropFirst(folder.count + 1).contains("/")
            }.sorted().map { File(name: $0, path: Self.embeddedPrefix + "/" + $0) }
        }
    }

    public func scenarioFiles() -> [File] { files(in: "") }
    public func profileFiles() -> [File] { files(in: "profiles") }

    /// Paths of the bundled scenario files, sorted by name (built-in files are named as diagnostics name them).
    public func scenarioPaths() -> [String] { scenarioFiles().map(\.path) }
    public func profilePaths() -> [String] { profileFiles().map(\.path) }

    private func bytes(of file: File) -> [UInt8]? {
        Self.embeddedFiles.first { $0.name == file.name }.map { Array($0.text.utf8) }
    }

    /// Loads a scenario file of the library, with its warnings.
    public func loadScenario(_ file: File) throws(ValidationFailure) -> (Scenario, [Diagnostic]) {
        if directory == nil, let bytes = bytes(of: file) { return try ScenarioLoader.load(bytes: bytes, file: file.path) }
        return try ScenarioLoader.load(path: file.path)
    }

    public func loadProfile(_ file: File) throws(ValidationFailure) -> Profile {
        if directory == nil, let bytes = bytes(of: file) { return try ProfileLoader.load(bytes: bytes, file: file.path) }
        return try ProfileLoader.load(path: file.path)
    }

    /// Every file of the library checked: how many, and every diagnostic (errors and warnings).
    public func validateAll() -> (checked: Int, diagnostics: [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        let scenarios = scenarioFiles(), profiles = profileFiles()
        for file in scenarios {
            do { diagnostics += try loadScenario(file).1 } catch { diagnostics += error.diagnostics }
        }
        for file in profiles {
            do { _ = try loadProfile(file) } catch { diagnostics += error.diagnostics }
        }
        return (scenarios.count + profiles.count, diagnostics)
    }

    /// Every bundled profile, in the standard order first.
    public func profiles() throws(ValidationFailure) -> [Profile] {
        var all: [Profile] = []
        var problems: [Diagnostic] = []
        for file in profileFiles() {
            do { all.append(try loadProfile(file)) } catch { problems += error.diagnostics }
        }
        if !problems.isEmpty { throw ValidationFailure(problems) }
        return all.sorted { a, b in
            let ia = Profile.standardOrder.firstIndex(of: a.id) ?? Int.max, ib = Profile.standardOrder.firstIndex(of: b.id) ?? Int.max
            return ia != ib ? ia < ib : a.id < b.id
        }
    }

    public func profile(_ id: String) throws(ValidationFailure) -> Profile {
        if FileManager.default.fileExists(atPath: id) && id.hasSuffix(".yaml") { return try ProfileLoader.load(path: id) }
        let all = try profiles()
        if let p = all.first(where: { $0.id == id }) { return p }
        let hint = closest(to: id, in: all.map(\.id)).map { "did you mean '\($0)'?" } ?? "known profiles: " + all.map(\.id).joined(separator: ", ")
        throw ValidationFailure([Diagnostic(file: "(command line)", line: 1, column: 1, code: .unknownName, message: "no profile '\(id)'", hint: hint)])
    }

    /// Every bundled scenario, loaded and validated (any error in any file fails the whole load).
    public func scenarios() throws(ValidationFailure) -> [Scenario] {
        var all: [Scenario] = []
        var problems: [Diagnostic] = []
        for file in scenarioFiles() {
            do { all.append(try loadScenario(file).0) } catch { problems += error.diagnostics }
        }
        if !problems.isEmpty { throw ValidationFailure(problems) }
        return all
    }

    /// A scenario by bundled id, or by path to a file.
    public func scenario(_ idOrPath: String) throws(ValidationFailure) -> Scenario {
        if idOrPath.hasSuffix(".yaml") || idOrPath.hasSuffix(".yml") || idOrPath.contains("/") {
            return try ScenarioLoader.load(path: idOrPath).0
        }
        let files = scenarioFiles()
        if let file = files.first(where: { $0.name == idOrPath + ".yaml" }) { return try loadScenario(file).0 }
        let ids = files.map { String($0.name.dropLast(".yaml".count)) }
        let hint = closest(to: idOrPath, in: ids).map { "did you mean '\($0)'?" } ?? "bundled scenarios: " + ids.joined(separator: ", ")
        throw ValidationFailure([Diagnostic(file: "(command line)", line: 1, column: 1, code: .unknownName, message: "no scenario '\(idOrPath)'", hint: hint)])
    }
}

extension ScenarioLibrary {
    /// The source of `EmbeddedLibrary.swift`: every scenario and profile of the folder, as raw string literals. A test
    /// fails when the checked-in file differs, and says how to write it again.
    public static func embeddingSource(of directory: String) throws -> String {
        let library = ScenarioLibrary(directory: directory)
        var out = """
        // Generated from scenarios/ by `UPDATE_EMBEDDED_LIBRARY=1 swift test --filter EmbeddedLibraryTests`: do not edit.
        // The library built into the executable, so that an installed regdrill needs no files beside it.

        extension ScenarioLibrary {
            static let embeddedFiles: [(name: String, text: String)] = [

        """
        for file in library.scenarioFiles() + library.profileFiles() {
            let text = try String(contentsOfFile: file.path, encoding: .utf8)
            // As many #s as no run of #s in the text reaches, so that nothing in it can end the literal.
            var longest = 0, run = 0
            for c in text { run = c == "#" ? run + 1 : 0; longest = max(longest, run) }
            let hashes = String(repeating: "#", count: longest + 1)
            // A multi-line literal drops the line break before its closing delimiter: one more keeps the text's own.
            out += "        (\"\(file.name)\", \(hashes)\"\"\"\n\(text)\n\"\"\"\(hashes)),\n"
        }
        return out + "    ]\n}\n"
    }
}
