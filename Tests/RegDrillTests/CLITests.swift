import DrillEngine
import DrillRegistry
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Testing

/// Black-box tests of the built `regdrill` binary: what a facilitator or a CI job sees.
@Suite struct CLITests {
    @Test func totpPrintsTheRFC6238Vector() throws {
        let r = try CLI.run(["totp", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "--at", "59", "--digits", "8"])
        #expect(r.status == 0)
        #expect(r.stdout == "94287082\n")
    }

    @Test func totpRefusesABadSecretWithUsageExit() throws {
        let r = try CLI.run(["totp", "not base32!", "--at", "59"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("base32") || r.stderr.contains("character"))
    }

    @Test func noArgumentsPrintsTheMatrix() throws {
        let r = try CLI.run([])
        #expect(r.status == 0)
        #expect(r.stdout.contains("eslint-scope-2018"))
        #expect(r.stdout.contains("auth-and-writes"))
        #expect(!r.stdout.contains("\u{1B}["), "no colour when standard output is not a terminal")
    }

    @Test func matrixJSONHasTheVersionedShape() throws {
        let r = try CLI.run(["matrix", "--format", "json"])
        #expect(r.status == 0)
        let root = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(root["schemaVersion"] as? Int == 1)
        let runs = try #require(root["runs"] as? [[String: Any]])
        let library = ScenarioLibrary.locate(environment: ["REGDRILL_SCENARIOS": CLI.repository + "/scenarios"])
        #expect(runs.count == library.scenarioPaths().count * library.profilePaths().count)
        for run in runs {
            for key in ["scenario", "profile", "attackSucceeded", "stoppedBy", "stoppedAtStep", "steps"] { #expect(run.keys.contains(key), "run lacks \(key)") }
            // Under historical every bundled incident reaches its goal, as it did in reality.
            if run["profile"] as? String == "historical" { #expect(run["attackSucceeded"] as? Bool == true, "\(run["scenario"] ?? "")") }
            for step in try #require(run["steps"] as? [[String: Any]]) {
                for key in ["id", "action", "status", "rule", "defense", "message"] { #expect(step.keys.contains(key), "step lacks \(key)") }
            }
        }
    }

    @Test func requireStoppedExitCodes() throws {
        // auth-and-writes stops the first act at login.
        let stopped = try CLI.run(["matrix", "--scenario", "eslint-scope-2018", "--profile", "auth-and-writes", "--require-stopped"])
        #expect(stopped.status == 0)
        // A publish token from npm login publishes without a code under auth-only.
        let reached = try CLI.run(["matrix", "--scenario", "eslint-scope-2018-harvested-tokens", "--profile", "auth-only", "--require-stopped"])
        #expect(reached.status == 1)
        #expect(reached.stderr.contains("eslint-scope-2018-harvested-tokens under auth-only"))
    }

    @Test func stepModePausesAfterEachStepAndCanHideOutcomes() throws {
        let plain = try CLI.run(["matrix", "--scenario", "tutorial", "--profile", "auth-only", "--format", "json"])
        let runs = try #require((try JSONSerialization.jsonObject(with: Data(plain.stdout.utf8)) as? [String: Any])?["runs"] as? [[String: Any]])
        let steps = try #require(runs.first?["steps"] as? [[String: Any]])
        let stepped = try CLI.run(["run", "tutorial", "--profile", "auth-only", "--step"])
        #expect(stepped.status == 0)
        // One pause after each step (Enter moves on), the last one before the verdict.
        #expect(stepped.stderr.components(separatedBy: "press Enter for the next step").count - 1 == steps.count - 1)
        #expect(stepped.stderr.contains("press Enter for the verdict"))
        let hidden = try CLI.run(["run", "tutorial", "--profile", "auth-only", "--step", "--hide-outcomes"])
        #expect(hidden.status == 0)
        // Each step is shown first without its outcome, then revealed after Enter.
        #expect(hidden.stderr.components(separatedBy: "press Enter to see what the registry answers").count - 1 == steps.count)
        let firstReveal = try #require(hidden.stdout.range(of: "BLOCKED") ?? hidden.stdout.range(of: "SUCCEEDED"))
        let firstPrompt = try #require(hidden.stdout.range(of: steps[0]["id"] as? String ?? "?"))
        #expect(firstPrompt.lowerBound < firstReveal.lowerBound)
        #expect(try CLI.run(["run", "tutorial", "--step", "--format", "json"]).status == 2)
    }

    @Test func unknownScenarioIsAUsageErrorWithAHint() throws {
        let r = try CLI.run(["run", "eslint-scope-2019"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("did you mean 'eslint-scope-2018'"))
    }

    /// Issue 22: `matrix` and `explain` take scenario files (and ids) as arguments, as `run` and `validate` do; every
    /// name that is wrong is reported, not only the first.
    @Test func matrixAndExplainTakeFilesAsArguments() throws {
        let file = CLI.repository + "/scenarios/ctx-2022.yaml"
        let matrix = try CLI.run(["matrix", "tutorial", file, "--profile", "historical", "--format", "json"])
        #expect(matrix.status == 0, "\(matrix.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(matrix.stdout.utf8)) as? [String: Any])
        #expect((json["scenarios"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["tutorial", "ctx-2022"])
        // With no subcommand, a file is the matrix's argument too.
        let bare = try CLI.run([file, "--profile", "historical"])
        #expect(bare.status == 0 && bare.stdout.contains("ctx-2022") && !bare.stdout.contains("eslint-scope-2018"))

        let explain = try CLI.run(["explain", file, "tutorial", "--format", "json"])
        #expect(explain.status == 0, "\(explain.stderr)")
        let set = try #require(try JSONSerialization.jsonObject(with: Data(explain.stdout.utf8)) as? [String: Any])
        #expect(set["kind"] as? String == "explain-set")
        #expect((set["explanations"] as? [[String: Any]])?.compactMap { $0["scenario"] as? String } == ["ctx-2022", "tutorial"])
        let one = try CLI.run(["explain", file, "--format", "json"])
        #expect((try JSONSerialization.jsonObject(with: Data(one.stdout.utf8)) as? [String: Any])?["kind"] as? String == "explain")

        let wrong = try CLI.run(["explain", "tutorial", "nope-one", CLI.repository + "/scenarios/nope-two.yaml"])
        #expect(wrong.status == 2)
        #expect(wrong.stderr.contains("no scenario 'nope-one'") && wrong.stderr.contains("nope-two.yaml"), "\(wrong.stderr)")
        #expect(try CLI.run(["explain"]).status == 2)
    }

    @Test func versionSaysWhatItIs() throws {
        let r = try CLI.run(["--version"])
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("regdrill ") && r.stdout.contains("schemaVersion 1"), "\(r.stdout)")
    }

    @Test func unknownFlagIsAUsageError() throws {
        #expect(try CLI.run(["matrix", "--no-such-flag"]).status == 2)
        #expect(try CLI.run(["run", "tutorial", "--hide-outcomes"]).status == 2)
    }

    /// A scenario with three mistakes (a misspelled key, an unknown maintainer, an unknown action), and `extra` lines
    /// in its package.
    static func broken(extra: String = "") -> String {
        """
        id: broken
        title: Broken
        date: 2018-07-12
        summary: x
        world:
          accounts:
            - name: alice
              pasword: x
          packages:
            - name: pkg
              maintainers: [alise]
        \(extra)steps:
          - id: s1
            at: 2018-07-12T09:00:00Z
            action: logn
        goals:
          - id: g
            kind: publish-malicious
            packages: [pkg]
        """
    }

    @Test func validateReportsEveryProblemWithPositionsAndExitsTwo() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/broken.yaml"
        try Self.broken().write(toFile: path, atomically: true, encoding: .utf8)
        let r = try CLI.run(["validate", path])
        #expect(r.status == 2)
        #expect(r.stdout.contains("\(path):8:7: error: unknown key 'pasword'"))
        #expect(r.stdout.contains("did you mean 'password'?"))
        #expect(r.stdout.contains("maintainer 'alise' is not an account"))
        #expect(r.stdout.contains("unknown action 'logn'"))
        #expect(r.stdout.contains("3 error(s)"))
    }

    /// Issue 22: `validate --format json` gives each diagnostic with its file, line, column, code and hint, for
    /// editors and CI; the codes are the loader's, listed in docs/format.md.
    @Test func validateAsJSONGivesACodePerDiagnostic() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let scenario = dir + "/broken.yaml", profile = dir + "/profiles/broken.yaml"
        try FileManager.default.createDirectory(atPath: dir + "/profiles", withIntermediateDirectories: true)
        try Self.broken(extra: "      weeklyDownloads: lots\n").write(toFile: scenario, atomically: true, encoding: .utf8)
        try "id: p\ntitle: P\nera: 2018-13-01\n".write(toFile: profile, atomically: true, encoding: .utf8)
        let r = try CLI.run(["validate", scenario, profile, dir + "/missing.yaml", "--format", "json"])
        #expect(r.status == 2)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let diagnostics = try #require(document["diagnostics"] as? [[String: Any]])
        let found = diagnostics.map { d in "\((d["file"] as? String).map { URL(fileURLWithPath: $0).lastPathComponent } ?? "?"):\(d["line"] ?? "?"):\(d["column"] ?? "?") \(d["code"] ?? "?")" }
        #expect(Set(found) == ["broken.yaml:8:7 unknown-key", "broken.yaml:11:21 unknown-reference", "broken.yaml:12:24 wrong-type",
                               "broken.yaml:16:13 unknown-word", "broken.yaml:3:6 invalid-value", "missing.yaml:1:1 file-unreadable"], "\(found)")
        #expect(diagnostics.first { $0["code"] as? String == "unknown-key" }?["hint"] as? String == "did you mean 'password'?")
        #expect(document["errors"] as? Int == 6)
    }

    /// Issue 22: an installed regdrill (the binary alone, far from the checkout) runs the bundled library from any
    /// directory, since the library is built into it; a `scenarios/` folder in the working directory plays no part.
    @Test func anInstalledBinaryCarriesItsLibrary() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fm = FileManager.default
        try fm.createDirectory(atPath: dir + "/bin", withIntermediateDirectories: true)
        try fm.copyItem(atPath: CLI.binary, toPath: dir + "/bin/regdrill")
        // A decoy library where the participant stands: a broken eslint-scope and no profiles worth the name.
        let work = dir + "/work"
        try fm.createDirectory(atPath: work + "/scenarios/profiles", withIntermediateDirectories: true)
        try "id: eslint-scope-2018\n".write(toFile: work + "/scenarios/eslint-scope-2018.yaml", atomically: true, encoding: .utf8)
        func installed(_ arguments: [String]) throws -> CLI.Result {
            try CLI.run(arguments, executable: dir + "/bin/regdrill", environment: ["REGDRILL_SCENARIOS": nil], directory: work)
        }
        #expect(try installed(["--version"]).stdout.hasPrefix("regdrill "))
        let listed = try installed(["list"])
        #expect(listed.status == 0 && listed.stdout.contains("eslint-scope-2018"), "\(listed.stderr)")
        // The same verdicts as the checkout's library gives.
        for arguments in [["run", "eslint-scope-2018", "--profile", "auth-and-writes"], ["matrix", "eslint-scope-2018", "tutorial"]] {
            let there = try installed(arguments), here = try CLI.run(arguments)
            #expect(there.status == here.status && there.stdout == here.stdout, "\(arguments): \(there.stderr)")
        }
        let validated = try installed(["validate"])
        let count = ScenarioLibrary.locate(environment: ["REGDRILL_SCENARIOS": CLI.repository + "/scenarios"]).validateAll().checked
        #expect(validated.status == 0 && validated.stdout.contains("\(count) file(s) checked: 0 error(s)"), "\(validated.stdout)\(validated.stderr)")
        // A participant's own scenario, by a path relative to where they stand.
        #expect(try installed(["new", "my-incident", "--output", "mine.yaml"]).status == 0)
        let mine = try installed(["run", "mine.yaml", "--profile", "historical"])
        #expect(mine.status == 0 && mine.stdout.contains("my-incident"), "\(mine.stderr)")
        #expect(try installed(["explain", "mine.yaml", "eslint-scope-2018"]).status == 0)
        let json = try installed(["validate", "mine.yaml", "--format", "json"])
        #expect(json.status == 0 && json.stdout.contains("\"errors\" : 0"), "\(json.stdout)")
        // The format's schema and reference come from the binary itself.
        let schema = try installed(["schema", "scenario"])
        let shipped = try String(contentsOfFile: CLI.repository + "/scenarios/scenario.schema.json", encoding: .utf8)
        #expect(schema.status == 0 && schema.stdout == shipped)
    }

    @Test func validateAcceptsTheBundledLibrary() throws {
        let r = try CLI.run(["validate"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("0 error(s)"))
    }

    @Test func newWritesAScenarioThatValidatesAndRuns() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/my-incident.yaml"
        #expect(try CLI.run(["new", "my-incident", "--output", path]).status == 0)
        #expect(try CLI.run(["validate", path]).status == 0)
        // Issue 22: the template reaches its goal as it happened (it used to be stopped at login by the emailed code
        // of its date), and a defense stops it: auth-only lets the stolen token publish, auth-and-writes does not.
        let run = try CLI.run(["run", path, "--profile", "historical", "--profile", "auth-only", "--profile", "auth-and-writes",
                               "--format", "json"])
        #expect(run.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let runs = try #require(json["runs"] as? [[String: Any]])
        #expect(runs.map { $0["attackSucceeded"] as? Bool } == [true, true, false], "\(run.stdout.prefix(400))")
        #expect(runs.last?["stoppedAtStep"] as? String == "publish")
        // Refuses to overwrite without --force.
        #expect(try CLI.run(["new", "my-incident", "--output", path]).status == 2)
    }

    @Test("A file that is not a regular file is refused at once, never read", arguments: ["fifo", "folder", "/dev/zero", "/dev/null", "socket"])
    func specialFilesAreRefused(_ kind: String) throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var path = kind
        switch kind {
        case "fifo":
            path = dir + "/scenario.yaml"
            #expect(mkfifo(path, 0o600) == 0)
        case "folder":
            path = dir + "/scenarios.yaml"
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        case "socket":
            path = dir + "/s.yaml"
            let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                for (i, b) in path.utf8.prefix(raw.count - 1).enumerated() { raw[i] = b }
            }
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            #expect(bound == 0)
            defer { close(fd) }
        default:
            break
        }
        // A named pipe with no writer used to block validate for ever: the child is killed after 20 s if it hangs.
        for command in ["validate", "run"] {
            let r = try CLI.run([command, path], timeout: 20)
            #expect(r.status == 2, "\(command) \(kind): status \(r.status)\n\(r.stderr)")
            let expected = ["fifo": "named pipe", "folder": "folder", "/dev/zero": "device", "/dev/null": "device", "socket": "socket"][kind]!
            #expect((r.stdout + r.stderr).contains(expected), "\(command) \(kind): \(r.stdout)\(r.stderr)")
        }
    }

    @Test func anOutputThatIsADeviceOrAPipeIsWrittenIntoNeverReplaced() throws {
        // /dev/null: written into (run as root, replacing it made it a regular file; as anyone else, the report failed).
        let null = try CLI.run(["matrix", "--format", "json", "-o", "/dev/null"])
        #expect(null.status == 0, "\(null.stderr)")
        var status = stat()
        #expect(stat("/dev/null", &status) == 0 && status.st_mode & S_IFMT == S_IFCHR)
        // /dev/full: the write fails, and says so.
        let full = try CLI.run(["matrix", "--format", "json", "-o", "/dev/full"])
        #expect(full.status == 2)
        #expect(full.stderr.contains("cannot write /dev/full"), "\(full.stderr)")
        // A named pipe: the reader gets the report, and the pipe is still a pipe.
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fifo = dir + "/report.fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        let received = Received()
        let reader = Thread {
            if let handle = FileHandle(forReadingAtPath: fifo) { received.set(handle.readDataToEndOfFile()) }
        }
        reader.start()
        let piped = try CLI.run(["matrix", "--format", "json", "-o", fifo], timeout: 30)
        #expect(piped.status == 0, "\(piped.stderr)")
        let deadline = Date().addingTimeInterval(10)
        while received.data == nil, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(String(decoding: received.data ?? Data(), as: UTF8.self).hasPrefix("{"))
        #expect(stat(fifo, &status) == 0 && status.st_mode & S_IFMT == S_IFIFO)
        // A folder is refused.
        let folder = try CLI.run(["matrix", "-o", dir])
        #expect(folder.status == 2)
        #expect(folder.stderr.contains("it is a folder"), "\(folder.stderr)")
    }

    @Test func outputFileIsWrittenWhole() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/matrix.html"
        #expect(try CLI.run(["matrix", "--format", "html", "--output", path]).status == 0)
        let html = try String(contentsOfFile: path, encoding: .utf8)
        #expect(html.contains("<html"))
        #expect(html.contains("</html>"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).count == 1, "no partial files left behind")
        // Writing over an existing report replaces it whole.
        #expect(try CLI.run(["matrix", "--format", "json", "--output", path]).status == 0)
        #expect(try String(contentsOfFile: path, encoding: .utf8).hasPrefix("{"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).count == 1)
    }

    @Test func anOutputThatIsALinkIsReplacedNotFollowed() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let victim = dir + "/someone-elses-file"
        try "precious\n".write(toFile: victim, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: dir + "/report.txt", withDestinationPath: victim)
        #expect(try CLI.run(["list", "--output", dir + "/report.txt"]).status == 0)
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious\n")
        // rename(2) replaced the link itself: the report is a file of its own now.
        #expect(throws: (any Error).self) { try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/report.txt") }
        #expect(try String(contentsOfFile: dir + "/report.txt", encoding: .utf8).contains("eslint-scope-2018"))
    }

    @Test func rulesCatalogListsEveryRuleOfThePolicy() throws {
        let r = try CLI.run(["rules"])
        #expect(r.status == 0)
        // Every id a refusal, a step or an HTTP answer can carry is a RuleID, and every RuleID is in the catalog.
        for id in RuleID.allCases { #expect(r.stdout.contains(id.rawValue), "rules output lacks \(id)") }
        for change in RuleChange.allCases { #expect(r.stdout.contains(change.effective.date)) }
    }

    @Test func serveTakesARevocationGraceAndSaysSoInItsBanner() throws {
        // serve runs until interrupted: `timeout` sends SIGINT once the banner has long been written.
        let r = try CLI.run(["-s", "INT", "4", CLI.binary, "serve", "--port", "0", "--era", "2024-06-01", "--password-cost", "bulk",
                             "--revocation-grace", "120"], executable: "/usr/bin/timeout")
        #expect(r.stdout.contains("A revoked token keeps working from the registry's cache for 120 s"), "\(r.stdout)\n\(r.stderr)")
        let bad = try CLI.run(["serve", "--port", "0", "--revocation-grace", "90000"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--revocation-grace must be 0 to 86400 seconds"), "\(bad.stderr)")
    }

    @Test func serveListsAScenariosOpenLoginsAsAStolenOneWouldBeUsed() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FormatReference.exampleScenario(.stealSession).write(toFile: dir + "/session.yaml", atomically: true, encoding: .utf8)
        let r = try CLI.run(["-s", "INT", "4", CLI.binary, "serve", "--port", "0", "--password-cost", "bulk", "--scenario", dir + "/session.yaml"],
                            executable: "/usr/bin/timeout")
        // The example's date is after 9 Dec 2025: the open login is a session, moved to the server's present.
        #expect(r.stdout.contains("open login laptop-login of maintainer on laptop (a login session until "), "\(r.stdout)\n\(r.stderr)")
    }

    @Test func docsRulesPageIsGeneratedFromTheCode() throws {
        let r = try CLI.run(["rules", "--format", "markdown"])
        let page = try String(contentsOfFile: CLI.repository + "/docs/rules.md", encoding: .utf8)
        #expect(page == r.stdout, "docs/rules.md is stale: regenerate it with `swift run regdrill rules --format markdown --output docs/rules.md`")
    }

    @Test func colourOnlyOnATerminalAndNeverWithNoColor() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else { return }
        let binary = CLI.binary
        let tty = try CLI.run(["-qc", "\(binary) matrix --scenario eslint-scope-2018", "/dev/null"], executable: "/usr/bin/script", environment: ["NO_COLOR": nil])
        #expect(tty.stdout.contains("\u{1B}["), "colour on a terminal")
        let noColor = try CLI.run(["-qc", "\(binary) matrix --scenario eslint-scope-2018", "/dev/null"], executable: "/usr/bin/script", environment: ["NO_COLOR": "1"])
        #expect(!noColor.stdout.contains("\u{1B}["), "NO_COLOR is respected")
    }
}

/// Bytes one thread hands another.
final class Received: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Data?
    func set(_ data: Data) { lock.lock(); value = data; lock.unlock() }
    var data: Data? { lock.lock(); defer { lock.unlock() }; return value }
}
