import DrillCrypto
import DrillRegistry
@testable import DrillServer
import Foundation
import Testing

/// Whether the real npm CLI (and python3 with pexpect, for prompts) is here to be tested against.
///
/// Under CI (`CI` set) a missing tool fails the suite; elsewhere the suite is skipped with the reason.
enum NPMTools {
    /// `DRILL_NPM` names another npm to test (a path that is not executable counts as missing).
    static let npm: String? = {
        if let chosen = ProcessInfo.processInfo.environment["DRILL_NPM"], !chosen.isEmpty {
            return FileManager.default.isExecutableFile(atPath: chosen) ? chosen : nil
        }
        return which("npm")
    }()
    static let python: String? = {
        guard let p = which("python3") else { return nil }
        return shell(p, ["-c", "import pexpect"]) == 0 ? p : nil
    }()
    static var inCI: Bool { ProcessInfo.processInfo.environment["CI"].map { !$0.isEmpty } ?? false }
    /// Run the suite when the tools are present, and under CI always (so that their absence fails it).
    static var shouldRun: Bool { (npm != nil && python != nil) || inCI }

    static func requireTools() throws -> (npm: String, python: String) {
        guard let npm else {
            Issue.record("npm is not installed but CI is set: the real-npm tests cannot run")
            throw HarnessError("npm missing")
        }
        guard let python else {
            Issue.record("python3 with pexpect is not installed but CI is set: the real-npm prompt tests cannot run")
            throw HarnessError("python3/pexpect missing")
        }
        return (npm, python)
    }

    static func which(_ tool: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(dir)/\(tool)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// A quick synchronous run, only for probing tools before any server runs.
    static func shell(_ exe: String, _ args: [String]) -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = args
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return -1 }
        p.waitUntilExit()
        return p.terminationStatus
    }
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// What one npm run printed and how it ended.
struct NPMRun: CustomStringConvertible {
    var status: Int32
    var output: String
    var ok: Bool { status == 0 }
    var description: String { "exit \(status)\n\(output)" }
}

/// One participant's terminal: a temporary home with its own npmrc and cache, pointed at one server.
struct NPMTerminal {
    let tools: (npm: String, python: String)
    let root: URL
    let registryURL: String   // with a trailing slash, as npm prints it
    let host: String          // 127.0.0.1:PORT, the nerf-dart npmrc keys use

    init(server: RunningRegistryServer) throws {
        tools = try NPMTools.requireTools()
        root = FileManager.default.temporaryDirectory.appendingPathComponent("drill-npm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("cache"), withIntermediateDirectories: true)
        registryURL = server.baseURL + "/"
        host = "\(server.host):\(server.port)"
        try Data(NPMDriveScript.source.utf8).write(to: root.appendingPathComponent("npm-drive.py"))
        try useToken(nil)
    }

    var npmrc: URL { root.appendingPathComponent("drill.npmrc") }
    var npmrcText: String { (try? String(contentsOf: npmrc, encoding: .utf8)) ?? "" }

    /// Writes the npmrc as `npm login` would: `//127.0.0.1:PORT/:_authToken=...` (or nothing).
    func useToken(_ token: String?) throws {
        try Data((token.map { "//\(host)/:_authToken=\($0)\n" } ?? "").utf8).write(to: npmrc)
    }

    func cleanup() { try? FileManager.default.removeItem(at: root) }

    /// A directory with a package.json (and an index.js), ready to publish.
    func package(_ name: String, _ version: String, scripts: [String: String] = [:], extra: [String: JSONValue] = [:]) throws -> URL {
        try Self.writePackage(name, version, scripts: scripts, extra: extra, under: root)
    }

    /// Writes `<root>/pkg-<name>` with a package.json and an index.js, for any client's terminal.
    static func writePackage(_ name: String, _ version: String, scripts: [String: String] = [:], extra: [String: JSONValue] = [:],
                             under root: URL) throws -> URL {
        let dir = root.appendingPathComponent("pkg-\(name.replacingOccurrences(of: "/", with: "-"))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var manifest: JSONValue = ["name": .string(name), "version": .string(version), "description": "registry-drill test package",
                                   "main": "index.js", "license": "MIT"]
        if !scripts.isEmpty { manifest["scripts"] = .object(scripts.mapValues(JSONValue.string)) }
        for (key, value) in extra { manifest[key] = value }
        try Data(manifest.encoded()).write(to: dir.appendingPathComponent("package.json"))
        try Data("module.exports = \(JSONValue.string(name).jsonText);\n".utf8).write(to: dir.appendingPathComponent("index.js"))
        return dir
    }

    func directory(_ name: String) throws -> URL {
        let dir = root.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    var baseArguments: [String] {
        ["--registry", registryURL, "--userconfig", npmrc.path, "--cache", root.appendingPathComponent("cache").path,
         "--no-update-notifier", "--fund=false", "--audit=false"]
    }

    var environment: [String: String] {
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.lowercased().hasPrefix("npm_config_") }
        env["HOME"] = root.path
        env["NO_COLOR"] = "1"
        env["npm_config_globalconfig"] = root.appendingPathComponent("global.npmrc").path
        return env
    }

    /// `npm <args>` with stdin not a TTY (npm then never prompts: an OTP challenge fails at once with EOTP).
    func npm(_ args: [String], in dir: URL? = nil, timeout: Duration = .seconds(60)) async throws -> NPMRun {
        try await ProcessRunner.run(tools.npm, baseArguments + args, cwd: dir ?? root, environment: environment,
                                    outputFile: root.appendingPathComponent("out-\(UUID().uuidString).txt"), timeout: timeout)
    }

    /// `npm <args>` in a pseudo-terminal, answering prompts as a person would (see ``NPMDriveScript``).
    func npmInteractive(_ args: [String], steps: [JSONValue], in dir: URL? = nil, timeout: Int = 45) async throws -> NPMRun {
        let script = root.appendingPathComponent("npm-drive.py").path
        var run = try await ProcessRunner.run(tools.python, [script, JSONValue.array(steps).jsonText, String(timeout), "--", tools.npm] + baseArguments + args,
                                              cwd: dir ?? root, environment: environment,
                                              outputFile: root.appendingPathComponent("out-\(UUID().uuidString).txt"),
                                              timeout: .seconds(timeout + 15))
        run.output = Self.stripANSI(run.output)
        return run
    }

    static func stripANSI(_ s: String) -> String {
        s.replacingOccurrences(of: "\u{1b}\\[[0-9;?]*[A-Za-z]", with: "", options: .regularExpression)
            .replacingOccurrences(of: "\r", with: "")
            .replacingOccurrences(of: "[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]", with: "", options: .regularExpression)
    }
}

/// Runs a process without blocking a cooperative thread (the server under test needs them).
enum ProcessRunner {
    static func run(_ exe: String, _ args: [String], cwd: URL, environment: [String: String], outputFile: URL,
                    timeout: Duration) async throws -> NPMRun {
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        let handle = try FileHandle(forWritingTo: outputFile)
        defer { try? handle.close(); try? FileManager.default.removeItem(at: outputFile) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: exe)
        process.arguments = args
        process.currentDirectoryURL = cwd
        process.environment = environment
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        let watchdog = Task {
            try await Task.sleep(for: timeout)
            if process.isRunning { process.terminate() }
        }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            process.terminationHandler = { _ in continuation.resume() }
            do { try process.run() } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        watchdog.cancel()
        let output = (try? String(contentsOf: outputFile, encoding: .utf8)) ?? ""
        return NPMRun(status: process.terminationStatus, output: output)
    }
}
