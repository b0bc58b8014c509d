import Foundation

/// The bundled scenario library: the `scenarios/` folder of the project (files, never compiled in).
///
/// Found, in order: the `REGDRILL_SCENARIOS` environment variable; `scenarios/` in the current directory
/// or one of its parents; `scenarios/` next to the executable's package checkout.
public struct ScenarioLibrary: Sendable {
    public let directory: String

    public init(directory: String) { self.directory = directory }

    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) -> ScenarioLibrary? {
        let fm = FileManager.default
        if let dir = environment["REGDRILL_SCENARIOS"], fm.fileExists(atPath: dir + "/profiles") { return ScenarioLibrary(directory: dir) }
        var candidates: [URL] = []
        var cwd = URL(fileURLWithPath: fm.currentDirectoryPath)
        for _ in 0..<6 { candidates.append(cwd); cwd.deleteLastPathComponent() }
        var exe = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 { candidates.append(exe); exe.deleteLastPathComponent() }
        for c in candidates {
            let dir = c.appendingPathComponent("scenarios").path
            if fm.fileExists(atPath: dir + "/profiles") { return ScenarioLibrary(directory: dir) }
        }
        return nil
    }

    /// Paths of the bundled scenario files, sorted by name.
    public func scenarioPaths() -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return files.filter { $0.hasSuffix(".yaml") }.sorted().map { directory + "/" + $0 }
    }

    public func profilePaths() -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory + "/profiles")) ?? []
        return files.filter { $0.hasSuffix(".yaml") }.sorted().map { directory + "/profiles/" + $0 }
    }

    /// Every bundled profile, in the standard order first.
    public func profiles() throws(ValidationFailure) -> [Profile] {
        var all: [Profile] = []
        var problems: [Diagnostic] = []
        for path in profilePaths() {
            do { all.append(try ProfileLoader.load(path: path)) } catch { problems += error.diagnostics }
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
        for path in scenarioPaths() {
            do { all.append(try ScenarioLoader.load(path: path).0) } catch { problems += error.diagnostics }
        }
        if !problems.isEmpty { throw ValidationFailure(problems) }
        return all
    }

    /// A scenario by bundled id, or by path to a file.
    public func scenario(_ idOrPath: String) throws(ValidationFailure) -> Scenario {
        if idOrPath.hasSuffix(".yaml") || idOrPath.hasSuffix(".yml") || idOrPath.contains("/") {
            return try ScenarioLoader.load(path: idOrPath).0
        }
        let path = directory + "/" + idOrPath + ".yaml"
        if FileManager.default.fileExists(atPath: path) { return try ScenarioLoader.load(path: path).0 }
        let ids = scenarioPaths().map { URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent }
        let hint = closest(to: idOrPath, in: ids).map { "did you mean '\($0)'?" } ?? "bundled scenarios: " + ids.joined(separator: ", ")
        throw ValidationFailure([Diagnostic(file: "(command line)", line: 1, column: 1, code: .unknownName, message: "no scenario '\(idOrPath)'", hint: hint)])
    }
}
