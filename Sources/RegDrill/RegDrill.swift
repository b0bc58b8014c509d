import ArgumentParser
import DrillEngine
import DrillRegistry
import DrillReports
import DrillServer
import Foundation

/// The `regdrill` command line. It holds no logic: it parses, calls the libraries, renders, and maps results to exit codes.
///
/// Exit codes: 0 success; 1 when `--require-stopped` is given and some attack reaches its goal under a selected
/// profile; 2 for usage or validation errors.
struct RegDrill: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "regdrill",
        abstract: "Replay npm account-takeover incidents against a simulated registry and see which defenses stop them.",
        discussion: """
        With no subcommand, runs every bundled scenario under the standard profiles and prints the defense matrix.
        A SCENARIO is the id of a bundled scenario (see `regdrill list`) or a path to a scenario file.
        Exit codes: 0 success; 1 an attack succeeded and --require-stopped was given; 2 usage or validation error.
        """,
        version: RegDrill.version,
        subcommands: [MatrixCommand.self, RunCommand.self, CompareCommand.self, ExplainCommand.self, ValidateCommand.self,
                      ListCommand.self, DefensesCommand.self, ProfilesCommand.self, RulesCommand.self, NewCommand.self, SchemaCommand.self,
                      TOTPCommand.self, ServeCommand.self],
        defaultSubcommand: MatrixCommand.self
    )
}

extension RegDrill {
    /// What `regdrill --version` prints: the tool's version, and the versions of what it writes that others read.
    static let version = "regdrill 0.9.0 (JSON reports: schemaVersion \(Reports.jsonSchemaVersion))"
}

@main
enum Main {
    static func main() async {
        ScenarioSeeding.register(EngineSeeder())
        do {
            var command = try RegDrill.parseAsRoot()
            // The server answers faster when its handlers run on its event loops (measured: scripts/bench-server.sh).
            if command is ServeCommand { _ = RegistryServer.runTasksOnEventLoops() }
            if var async = command as? any AsyncParsableCommand {
                try await async.run()
            } else {
                try command.run()
            }
        } catch let failure as ValidationFailure {
            FileHandle.standardError.write(Data((Reports.diagnostics(failure.diagnostics, format: .text) + "\n").utf8))
            exit(2)
        } catch {
            let code = RegDrill.exitCode(for: error)
            let message = RegDrill.fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { print(UntrustedText.terminal(message)) }
                exit(0)
            }
            // Messages can quote a file's values (an e-mail address with a terminal escape in it, say).
            if !message.isEmpty { FileHandle.standardError.write(Data((UntrustedText.terminal(message) + "\n").utf8)) }
            // Our own "attack succeeded" is 1; everything ArgumentParser reports (usage, validation) is 2.
            exit(code.rawValue == 1 && error is ExitCode ? 1 : 2)
        }
    }
}

/// Options every reporting command shares.
struct OutputOptions: ParsableArguments {
    @Option(name: .long, help: "Output format: text, markdown, json, html or junit.")
    var format: ReportFormat = .text

    @Option(name: [.short, .long], help: "Write the report to this file instead of standard output.")
    var output: String?

    /// Colour only for text on a terminal, and never when NO_COLOR is set (no-color.org).
    var renderOptions: RenderOptions {
        let env = ProcessInfo.processInfo.environment
        let color = format == .text && output == nil && isatty(STDOUT_FILENO) == 1 && env["NO_COLOR"] == nil && env["TERM"] != "dumb"
        return RenderOptions(color: color)
    }

    func emit(_ text: String) throws {
        if let output {
            switch try Self.target(output) {
            case .replace: break
            case .writeThrough(let appending):
                do { try Self.writeThrough(Array(text.utf8), to: output, appending: appending) } catch {
                    throw ValidationError("cannot write \(UntrustedText.line(output, limit: 300)): \(error.localizedDescription)")
                }
                return
            }
            let url = URL(fileURLWithPath: output)
            // Write next to the target, then move: nothing half-written is left behind.
            // The temporary name is random and created exclusively without following links: in a shared folder nobody
            // can plant a link there that makes the report overwrite another file.
            let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 36)
            let temp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial-\(suffix)")
            do {
                try Self.writeExclusively(Array(text.utf8), to: temp.path)
                // rename(2) replaces the target atomically: readers see the old file or the new one, never half of one.
                guard rename(temp.path, url.path) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            } catch {
                try? FileManager.default.removeItem(at: temp)
                throw ValidationError("cannot write \(output): \(error.localizedDescription)")
            }
        } else {
            print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
        }
    }
}

extension OutputOptions {
    /// How a report reaches `-o PATH`.
    enum OutputTarget: Equatable {
        /// A new file, or a regular file (or a link, not followed) to replace whole: written beside it, then renamed.
        case replace
        /// A device, a named pipe, or a file reached through /dev or /proc (`/dev/stdout`): written into, never replaced.
        /// Replacing one turned `/dev/null` into a regular file when run as root.
        case writeThrough(appending: Bool)
    }

    static func target(_ path: String) throws -> OutputTarget {
        var status = stat()
        guard stat(path, &status) == 0 else { return .replace }   // nothing there yet, or a link to nothing
        let shown = UntrustedText.line(path, limit: 300)
        let system = ["/dev/", "/proc/"].contains { URL(fileURLWithPath: path).standardized.path.hasPrefix($0) }
        switch status.st_mode & S_IFMT {
        case S_IFREG: return system ? .writeThrough(appending: true) : .replace
        case S_IFCHR, S_IFIFO: return .writeThrough(appending: false)
        case S_IFDIR: throw ValidationError("cannot write \(shown): it is a folder; name a file in it")
        case S_IFBLK: throw ValidationError("cannot write \(shown): it is a block device, not a file")
        case S_IFSOCK: throw ValidationError("cannot write \(shown): it is a socket, not a file")
        default: throw ValidationError("cannot write \(shown): it is not a regular file")
        }
    }

    /// Writes `bytes` into an existing device, named pipe or file, without creating, truncating or replacing it.
    static func writeThrough(_ bytes: [UInt8], to path: String, appending: Bool) throws {
        let fd = open(path, O_WRONLY | O_CLOEXEC | (appending ? O_APPEND : 0))
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(fd) }
        try writeAll(bytes, to: fd)
    }

    static func writeAll(_ bytes: [UInt8], to fd: Int32) throws {
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            written += n
        }
    }

    /// Creates `path` (it must not exist, and is not followed if it is a link) and writes `bytes` to it.
    static func writeExclusively(_ bytes: [UInt8], to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(fd) }
        try writeAll(bytes, to: fd)
    }
}

extension ReportFormat: ExpressibleByArgument {}

/// The bundled library: a checkout's folder for a development build, or the copy built into the executable.
func library() throws -> ScenarioLibrary { ScenarioLibrary.locate() }

func selectedProfiles(_ lib: ScenarioLibrary, _ ids: [String]) throws -> [Profile] {
    let all = try lib.profiles()
    guard !ids.isEmpty else { return all }
    // Bundled ids come from the list loaded once; anything else (a file path, a typo) goes to the library's lookup.
    return try ids.flatMap { $0.split(separator: ",").map(String.init) }.map { id throws in
        if let bundled = all.first(where: { $0.id == id }) { return bundled }
        return try lib.profile(id)
    }
}
