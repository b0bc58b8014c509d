@testable import DrillServer
import Foundation
import Testing

/// Yarn 1 (Debian's `yarnpkg`), a second real npm client, for the tests beside the npm CLI ones.
///
/// Under CI (`CI` set) a missing yarn fails the suite; elsewhere the suite is skipped with the reason.
enum YarnTools {
    static let yarn: String? = NPMTools.which("yarnpkg")
    static var shouldRun: Bool { (yarn != nil && NPMTools.python != nil) || NPMTools.inCI }

    static func requireTools() throws -> (yarn: String, python: String) {
        guard let yarn else {
            Issue.record("yarnpkg is not installed but CI is set: the Yarn tests cannot run")
            throw HarnessError("yarnpkg missing")
        }
        guard let python = NPMTools.python else {
            Issue.record("python3 with pexpect is not installed but CI is set: the Yarn prompt tests cannot run")
            throw HarnessError("python3/pexpect missing")
        }
        return (yarn, python)
    }
}

/// One participant's terminal with Yarn 1: a temporary home, pointed at one server.
///
/// Yarn runs as an unprivileged user (`nobody`, through util-linux's `setpriv`) when the tests run as root, as a
/// participant would; its home and packages are handed to that user before each run. Debian's yarnpkg on Node 20
/// finds its modules through `NODE_PATH=/usr/share/nodejs`.
struct YarnTerminal {
    static let unprivileged = "65534"
    let tools: (yarn: String, python: String)
    let root: URL
    let registryURL: String

    init(server: RunningRegistryServer) throws {
        tools = try YarnTools.requireTools()
        root = FileManager.default.temporaryDirectory.appendingPathComponent("drill-yarn-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("home"), withIntermediateDirectories: true)
        registryURL = server.baseURL + "/"
        try Data(NPMDriveScript.source.utf8).write(to: root.appendingPathComponent("drive.py"))
    }

    var home: URL { root.appendingPathComponent("home") }
    var asRoot: Bool { getuid() == 0 }

    func cleanup() { try? FileManager.default.removeItem(at: root) }

    /// A directory with a package.json (and an index.js), ready to publish.
    func package(_ name: String, _ version: String) throws -> URL {
        try NPMTerminal.writePackage(name, version, under: root)
    }

    var environment: [String: String] {
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.lowercased().hasPrefix("npm_config_") && !$0.key.lowercased().hasPrefix("yarn_") }
        env["HOME"] = home.path
        env["NO_COLOR"] = "1"
        env["FORCE_COLOR"] = "0"
        env["NODE_PATH"] = "/usr/share/nodejs"
        // Yarn turns non-interactive when it thinks it runs under CI (ci-info's generic variables), and then cannot
        // prompt: a participant's terminal is not CI.
        for ci in ["CI", "CONTINUOUS_INTEGRATION", "BUILD_NUMBER", "RUN_ID", "BUILD_ID"] { env[ci] = nil }
        return env
    }

    /// `yarnpkg <args> --registry URL` in a pseudo-terminal, answering prompts (see ``NPMDriveScript``).
    func yarnInteractive(_ args: [String], steps: [JSONValue], in dir: URL, timeout: Int = 45) async throws -> NPMRun {
        var command = [tools.yarn] + args + ["--registry", registryURL]
        if asRoot {
            let chown = try await ProcessRunner.run("/bin/chown", ["-R", "\(Self.unprivileged):\(Self.unprivileged)", root.path], cwd: root,
                                                    environment: environment, outputFile: root.appendingPathComponent("chown.txt"), timeout: .seconds(30))
            guard chown.ok else { throw HarnessError("chown failed: \(chown)") }
            command = ["/usr/bin/setpriv", "--reuid=\(Self.unprivileged)", "--regid=\(Self.unprivileged)", "--clear-groups", "--"] + command
        }
        let script = root.appendingPathComponent("drive.py").path
        var run = try await ProcessRunner.run(tools.python, [script, JSONValue.array(steps).jsonText, String(timeout), "--"] + command,
                                              cwd: dir, environment: environment,
                                              outputFile: FileManager.default.temporaryDirectory.appendingPathComponent("drill-yarn-out-\(UUID().uuidString).txt"),
                                              timeout: .seconds(timeout + 15))
        run.output = NPMTerminal.stripANSI(run.output)
        return run
    }
}
