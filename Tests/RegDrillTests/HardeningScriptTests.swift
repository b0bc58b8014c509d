import Foundation
import Testing

/// The short forms of the hardening scripts (their long runs are in docs/hardening-load.md), against the binary these
/// tests built: SIGKILL during concurrent writes with `--db` and a restart, a few seconds of mixed load, and a connection
/// storm with slowloris and a client that never reads, and password spraying.
/// Each script checks its own invariants and exits 1 when one fails; `--sabotage` shows that the checks can fail.
@Suite("Hardening scripts, short forms", .serialized, .timeLimit(.minutes(2)))
struct HardeningScriptTests {
    func script(_ arguments: [String]) throws -> CLI.Result {
        try CLI.run(["python3"] + arguments, executable: "/usr/bin/env", environment: ["REGDRILL": CLI.binary])
    }

    @Test func crashConsistencyLosesNothingAcknowledged() throws {
        let r = try script(["scripts/crash-consistency.py", "--runs", "2", "--max-delay", "1"])
        #expect(r.status == 0, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stdout.contains("verdict                     PASS"), "\(r.stdout)")
        #expect(r.stdout.range(of: #"lost\s+0 \(target 0\)"#, options: .regularExpression) != nil)
    }

    @Test func crashConsistencyCatchesALoss() throws {
        // Deleting the write-ahead log after the kill throws committed writes away: the checks must notice.
        let r = try script(["scripts/crash-consistency.py", "--runs", "1", "--max-delay", "1", "--sabotage"])
        #expect(r.status == 1, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stdout.contains("FAIL"), "\(r.stdout)")
    }

    @Test func connectionStormLeavesTheServerServing() throws {
        let r = try script(["scripts/connection-storm.py", "--idle", "60", "--slowloris", "40", "--nofile", "128", "--seconds", "4",
                            "--pipeline-seconds", "2", "--head-timeout", "2"])
        #expect(r.status == 0, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stdout.contains("verdict                       PASS"), "\(r.stdout)")
        #expect(r.stdout.contains("still open at the end       0"), "\(r.stdout)")
    }

    @Test func passwordSprayingIsThrottledAndDelaysNoOneElse() throws {
        // Latency is the long form's business (the suite runs beside other tests): a generous slack here.
        let r = try script(["scripts/password-spray.py", "--sprayers", "8", "--seconds", "3", "--password-cost", "bulk", "--slack-ms", "2000"])
        #expect(r.status == 0, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stdout.contains("verdict   PASS"), "\(r.stdout)")
        // 300 wrong passwords from one address are checked; every guess after that is throttled unchecked.
        #expect(r.stdout.contains("300 checked and refused as wrong"), "\(r.stdout)")
    }

    @Test func shortSoakHasNoErrors() throws {
        let r = try script(["scripts/soak.py", "--seconds", "3", "--clients", "4", "--read-packages", "8", "--seed-versions", "3"])
        #expect(r.status == 0, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stdout.contains("verdict         PASS"), "\(r.stdout)")
    }
}
