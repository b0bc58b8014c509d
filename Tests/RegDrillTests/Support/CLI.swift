import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs the built binary.
enum CLI {
    /// The package root, found from this source file (Support, RegDrillTests, Tests, root).
    static let repository: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path
    }()

    static var binary: String {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("regdrill").path
        if FileManager.default.isExecutableFile(atPath: beside) { return beside }
        return repository + "/.build/debug/regdrill"
    }

    struct Result { var status: Int32; var stdout: String; var stderr: String }

    /// The environment the binary runs in: this process's, with the checkout's scenarios, changed by `overrides`.
    static func environment(_ overrides: [String: String?] = [:]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["REGDRILL_SCENARIOS"] = repository + "/scenarios"
        for (k, v) in overrides { env[k] = v }
        return env
    }

    /// - Parameter timeout: seconds after which the child is killed (SIGKILL), for a command that could hang; the
    ///   result then has the signal's status, never a success.
    /// - Parameter directory: the child's working directory (the checkout unless given).
    static func run(_ arguments: [String], executable: String? = nil, environment: [String: String?] = [:], timeout: Double? = nil,
                    directory: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable ?? binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory ?? repository)
        process.environment = CLI.environment(environment)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let pid = process.processIdentifier
        if let timeout {
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { [process] in
                if process.isRunning { kill(pid, SIGKILL) }
            }
        }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// What ``runMeasuringMemory(_:)`` measured.
    struct Memory {
        /// `ru_maxrss` from `wait4`: never less than the child's peak. On Linux it also counts the memory of the
        /// process that started the child (the test runner: `posix_spawn` shares its memory until the `exec`), so
        /// it is an upper bound, right for asserting a limit.
        var upperBound: Int
        /// The child's own high-water mark (`VmHWM` in /proc), sampled every millisecond while it runs: the
        /// figure to report. nil where /proc is not there.
        var sampledPeak: Int?
    }

    /// Runs the binary and measures the child's peak resident memory, in bytes.
    ///
    /// `Process` reaps its child itself and keeps the resource usage to itself, and `getrusage(RUSAGE_CHILDREN)`
    /// is the maximum over every child this test process ever waited for (tests run in parallel): so the child is
    /// started with `posix_spawn` and waited for with `wait4`, which reports the usage of that child alone.
    /// Output goes to files, so a large diagnostic cannot fill a pipe and block the child.
    static func runMeasuringMemory(_ arguments: [String]) throws -> (result: Result, memory: Memory) {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let outPath = dir + "/stdout", errPath = dir + "/stderr"
        #if canImport(Darwin)
        var actions: posix_spawn_file_actions_t? = nil
        #else
        var actions = posix_spawn_file_actions_t()
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)

        let executable = binary
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment().map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }

        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EIO) }
        var status: Int32 = 0
        var usage = rusage()
        var sampled: Int?
        while true {
            if let hwm = highWaterMark(pid) { sampled = max(sampled ?? 0, hwm) }
            let waited = wait4(pid, &status, WNOHANG, &usage)
            if waited == pid { break }
            guard waited == 0 || errno == EINTR else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            usleep(1_000)
        }
        // The wait status: an exit code in the second byte, or a terminating signal in the low seven bits (as 128 + signal).
        let exitStatus: Int32 = status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        #if canImport(Darwin)
        let peak = Int(usage.ru_maxrss)  // bytes
        #else
        let peak = Int(usage.ru_maxrss) * 1_024  // kilobytes
        #endif
        func text(_ path: String) -> String { String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self) }
        let stdout = text(outPath), stderr = text(errPath)
        return (Result(status: exitStatus, stdout: stdout, stderr: stderr), Memory(upperBound: peak, sampledPeak: sampled))
    }

    /// `VmHWM` of a running process, in bytes (Linux); nil once it has exited or without /proc.
    private static func highWaterMark(_ pid: pid_t) -> Int? {
        guard let status = FileManager.default.contents(atPath: "/proc/\(pid)/status") else { return nil }
        for line in String(decoding: status, as: UTF8.self).split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return line.split(separator: " ").dropFirst().first.flatMap { Int($0) }.map { $0 * 1_024 }
        }
        return nil
    }

    /// A new folder under the system's temporary folder. The caller removes it (`defer`), so runs leave nothing behind.
    static func temporaryDirectory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("regdrill-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }
}
