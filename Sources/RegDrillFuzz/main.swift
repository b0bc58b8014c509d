// regdrill-fuzz: property-based fuzzing of the scenario and profile loaders.
//
// Mutates the bundled scenario and profile files (bytes, lines, and structure-aware changes: aliases, deep
// nesting, huge numbers, out-of-range times, control characters, invalid UTF-8, tabs, duplicate keys, steps
// that name each other), loads every input in process and checks the invariants of LoaderOracle. The same
// --seed gives the same inputs. A trap kills the process and leaves its input in the in-flight folder;
// scripts/fuzz-loader.sh restarts the fuzzer and collects such inputs.
//
//   regdrill-fuzz [--seed N] [--seconds N] [--executions N] [--save-dir DIR] [--scenarios DIR] [--time-limit-ms N]

import DrillEngine
import DrillFuzzing
import Foundation

struct Options {
    var seed: UInt64 = 1
    var seconds: Double = 60
    var executions = Int.max
    var saveDirectory = "fuzz-out"
    var scenarios: String?
    var timeLimitMilliseconds = 2_000

    static let usage = "usage: regdrill-fuzz [--seed N] [--seconds N] [--executions N] [--save-dir DIR] [--scenarios DIR] [--time-limit-ms N]"

    init(_ arguments: [String]) {
        var rest = arguments[...]
        func value(_ flag: String) -> String {
            guard let v = rest.popFirst() else { fail("\(flag) needs a value") }
            return v
        }
        func number<T: LosslessStringConvertible>(_ flag: String, _: T.Type) -> T {
            let text = value(flag)
            guard let n = T(text) else { fail("\(flag): '\(text)' is not a number") }
            return n
        }
        while let flag = rest.popFirst() {
            switch flag {
            case "--seed": seed = number(flag, UInt64.self)
            case "--seconds": seconds = number(flag, Double.self)
            case "--executions": executions = number(flag, Int.self)
            case "--save-dir": saveDirectory = value(flag)
            case "--scenarios": scenarios = value(flag)
            case "--time-limit-ms": timeLimitMilliseconds = number(flag, Int.self)
            case "-h", "--help": say(Options.usage); exit(0)
            default: fail("unknown argument '\(flag)'")
            }
        }
    }
}

/// Writes a line straight to standard output, unbuffered: a trap must not take the last progress line with it.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("regdrill-fuzz: \(message)\n\(Options.usage)\n".utf8))
    exit(2)
}

/// Peak resident memory of this process, in megabytes (Linux reports kilobytes, macOS bytes).
func peakResidentMegabytes() -> Double {
    var usage = rusage()
    #if os(macOS)
    getrusage(RUSAGE_SELF, &usage)
    return Double(usage.ru_maxrss) / 1_048_576
    #else
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_maxrss) / 1_024
    #endif
}

func format(_ d: Duration) -> String {
    let (seconds, attoseconds) = d.components
    return String(format: "%.1f ms", Double(seconds) * 1_000 + Double(attoseconds) / 1e15)
}

let options = Options(Array(CommandLine.arguments.dropFirst()))
guard let scenarios = options.scenarios ?? ScenarioLibrary.locate().directory else {
    fail("no scenarios/ folder found (the built-in library has no files to mutate): pass --scenarios DIR or set REGDRILL_SCENARIOS")
}
let seeds: [FuzzSeed]
do { seeds = try FuzzSeed.bundled(in: scenarios) } catch { fail("cannot read the seed files in \(scenarios): \(error)") }
if seeds.isEmpty { fail("no .yaml files in \(scenarios)") }

let inFlight = options.saveDirectory + "/in-flight"
var session: FuzzSession
do {
    session = try FuzzSession(seeds: seeds, seed: options.seed, inFlightDirectory: inFlight,
                              oracle: LoaderOracle(timeLimit: .milliseconds(options.timeLimitMilliseconds)))
} catch { fail("cannot create \(inFlight): \(error)") }

say("regdrill-fuzz: seed \(options.seed), \(seeds.count) seed files (\(seeds.count { $0.kind == .scenario }) scenarios, \(seeds.count { $0.kind == .profile }) profiles), \(options.seconds) s")
let clock = ContinuousClock()
let start = clock.now
let deadline = start + .milliseconds(Int(options.seconds * 1_000))
var saved = 0
var nextProgress = start + .seconds(2)
while session.executions < options.executions && clock.now < deadline {
    if clock.now >= nextProgress {
        // What the restarting script counts when a trap ends the process before the summary.
        say("progress: executions \(session.executions), invariant failures \(session.failureCount)")
        nextProgress = clock.now + .seconds(2)
    }
    let failure: FuzzSession.Failure?
    do { failure = try session.runOne() } catch { fail("cannot write the in-flight input: \(error)") }
    guard let failure else { continue }
    // Save the input and what it broke, for a regression test; the first few only (one bug tends to repeat).
    if saved < 20 {
        saved += 1
        let base = "\(options.saveDirectory)/invariant-seed\(options.seed)-\(session.executions)"
        let report = "seed file: \(failure.seedName)\nmutations: \(failure.mutations.map(\.rawValue).joined(separator: ", "))\n"
            + failure.violations.joined(separator: "\n") + "\n"
        try? Data(failure.input).write(to: URL(fileURLWithPath: base + (failure.kind == .profile ? ".profile.yaml" : ".yaml")))
        try? Data(report.utf8).write(to: URL(fileURLWithPath: base + ".txt"))
    }
    say("invariant failure (execution \(session.executions), \(failure.seedName), \(failure.mutations.map(\.rawValue).joined(separator: "+"))): "
          + failure.violations.joined(separator: "; "))
}
let elapsed = clock.now - start
let elapsedSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18

say("executions: \(session.executions)")
say("executions per second: \(String(format: "%.0f", Double(session.executions) / max(elapsedSeconds, 0.001)))")
say("loaded without errors: \(session.loaded)")
say("invariant failures: \(session.failureCount)")
if let slowest = session.slowest {
    say("slowest input: \(format(slowest.duration)) (\(slowest.size) bytes from \(slowest.seedName), \(slowest.mutations.map(\.rawValue).joined(separator: "+")))")
}
say("mutations applied: " + Mutation.allCases.map { "\($0.rawValue) \(session.mutationCounts[$0, default: 0])" }.joined(separator: ", "))
say("peak RSS: \(String(format: "%.0f", peakResidentMegabytes())) MB")
exit(session.failureCount == 0 ? 0 : 1)
