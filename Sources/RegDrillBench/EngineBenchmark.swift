// The engine's part of the benchmark: replays of the bundled matrix per second, and the engine's own cost per
// step as a ratio to the registry work it causes (target: under 2x), with how that grows with steps and accounts.
//
// Registry work is measured by a StoreMeter: every registry operation runs inside one store read or write, so
// the time inside them is the registry's share; the store copy that starts each replay is counted apart. The
// engine's own cost is the rest: resolving credentials, choosing second factors, building requests, outcomes.

import DrillEngine
import DrillRegistry
import Foundation

struct EngineBenchmark {
    let quick: Bool
    let target = 2.0

    func run() {
        let library = ScenarioLibrary.locate()
        do {
            let scenarios = try library.scenarios()
            let profiles = try library.profiles()
            print("engine: the bundled matrix, \(scenarios.count) scenarios x \(profiles.count) profiles = \(scenarios.count * profiles.count) runs")

            // Whole matrix, seeding included (what `regdrill matrix` does).
            let rounds = quick ? 2 : 5
            var perMatrix: [Double] = []
            for _ in 0..<rounds {
                let start = nanoseconds()
                for s in scenarios { for p in profiles { _ = try ReplayEngine.run(s, profile: p) } }
                perMatrix.append(Double(nanoseconds() - start))
            }
            let matrix = median(perMatrix)
            let runs = Double(scenarios.count * profiles.count)
            print("  whole matrix, seeding each world: \(format(matrix)) per matrix, \(String(format: "%.0f", runs / (matrix / 1e9))) runs/s")

            // Replays of prepared worlds (seeded once, a store copy per replay): the replay loop itself.
            var worlds: [PreparedWorld] = []
            for s in scenarios { for p in profiles { worlds.append(try PreparedWorld.prepare(s, profile: p)) } }
            let meter = StoreMeter()
            let repeats = quick ? 3 : 10
            var steps = 0
            let start = nanoseconds()
            for _ in 0..<repeats { for w in worlds { steps += try ReplayEngine.replay(w, meter: meter).steps.count } }
            let total = Double(nanoseconds() - start)
            let registry = Double(meter.nanoseconds), copies = Double(meter.copyNanoseconds)
            let own = max(0, total - registry - copies)
            print("  prepared worlds: \(String(format: "%.0f", Double(worlds.count * repeats) / (total / 1e9))) replays/s, \(steps / repeats) steps per matrix")
            print("  per step: \(format(total / Double(steps))) in all = registry \(format(registry / Double(steps)))"
                  + " (\(String(format: "%.1f", Double(meter.operations) / Double(max(1, steps)))) store calls) + store copy \(format(copies / Double(steps)))"
                  + " + engine's own \(format(own / Double(steps)))")
            let ratio = own / registry
            print("  engine's own cost / registry work = \(String(format: "%.2f", ratio))x  target under \(Int(target))x: \(ratio < target ? "PASS" : "MISS")")

            try growth()
        } catch {
            print("engine: failed: \(error)")
        }
    }

    /// How a replay's cost grows with the number of steps and of accounts, on generated scenarios.
    func growth() throws {
        print("  growth (generated scenarios; time per replay of a prepared world, per step):")
        for (stepsCount, accounts) in [(10, 10), (100, 10), (400, 10), (10, 100), (10, 400)] {
            let text = EngineBenchmark.scenario(steps: stepsCount, accounts: accounts)
            let (scenario, _) = try ScenarioLoader.parse(text, file: "generated")
            let world = try PreparedWorld.prepare(scenario, profile: .historical)
            let meter = StoreMeter()
            let repeats = quick ? 2 : 5
            let start = nanoseconds()
            for _ in 0..<repeats { _ = try ReplayEngine.replay(world, meter: meter) }
            let per = Double(nanoseconds() - start) / Double(repeats)
            let own = max(0, per - Double(meter.nanoseconds + meter.copyNanoseconds) / Double(repeats))
            print("    \(padLeft(String(stepsCount), 4)) steps, \(padLeft(String(accounts), 4)) accounts: \(padLeft(format(per), 10)) per replay,"
                  + " \(padLeft(format(per / Double(stepsCount + 1)), 9)) per step, engine's own \(format(own / Double(stepsCount + 1))) per step")
        }
    }

    /// A scenario with `accounts` maintainers (one package and one laptop token each) and `steps` publishes after a login.
    static func scenario(steps: Int, accounts: Int) -> String {
        var yaml = """
        id: generated
        title: generated
        date: 2018-07-12
        summary: generated for the benchmark
        world:
          accounts:

        """
        for i in 0..<accounts { yaml += "    - { name: user-\(i), passwordReused: true }\n" }
        yaml += "  machines:\n"
        for i in 0..<accounts { yaml += "    - { id: laptop-\(i), owner: user-\(i), tokens: [{ id: token-\(i), kind: publish }] }\n" }
        yaml += "  packages:\n"
        for i in 0..<accounts { yaml += "    - { name: package-\(i), maintainers: [user-\(i)], versions: [1.0.0] }\n" }
        yaml += """
        steps:
          - { id: reuse, at: 2018-07-12T08:00:00Z, action: reuse-breached-password, account: user-0 }
          - { id: login, at: 2018-07-12T08:01:00Z, action: login, account: user-0 }

        """
        for i in 0..<steps {
            let t = 8 * 3_600 + 120 + i * 10
            let at = String(format: "2018-07-12T%02d:%02d:%02dZ", t / 3_600, (t / 60) % 60, t % 60)
            yaml += "  - { id: publish-\(i), at: \(at), action: publish, package: package-0, version: 1.0.\(i + 1), using: step:login }\n"
        }
        yaml += "goals:\n  - { id: goal, kind: publish-malicious, packages: [package-0] }\n"
        return yaml
    }
}
