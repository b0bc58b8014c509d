// regdrill-bench: what one registry operation costs, as a ratio to a floor measured in the same run.
//
// Run in release mode: `swift run -c release --scratch-path .build-reg regdrill-bench [--quick]`.
//
// The floor is the least any registry request could cost: one SQLite INSERT in its own transaction on the
// registry's store, plus one HMAC-SHA1 (the primitive of a TOTP check). Each operation is timed in batches
// that alternate with batches of the floor, so that a machine whose load changes during the run still compares
// like with like: the ratio printed is the median of the per-pair ratios, the time the median operation batch.
// Batches are sized by time, so the run stays short whatever the machine. The target is every operation within
// 10x the floor; password hashing is reported apart, with its cost parameters, because its cost is its purpose.
// The program always exits 0: a MISS is information, not a failure.

import DrillCrypto
import DrillEngine
import DrillRegistry
import DrillServer
import Foundation

struct Options {
    var quick = false

    init(_ arguments: [String]) {
        for argument in arguments.dropFirst() {
            switch argument {
            case "--quick": quick = true
            case "-h", "--help":
                print("usage: regdrill-bench [--quick]\n  --quick  fewer and shorter batches (a few seconds)")
                exit(0)
            default:
                FileHandle.standardError.write(Data("regdrill-bench: unknown argument '\(argument)' (try --help)\n".utf8))
                exit(0)
            }
        }
    }

    /// Pairs of (floor batch, operation batch) per operation.
    var pairs: Int { quick ? 5 : 9 }
    /// Roughly how long one batch runs, in nanoseconds.
    var batchBudget: Double { quick ? 30e6 : 150e6 }
}

/// Nanoseconds on a monotonic clock.
@inline(__always) func nanoseconds() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

/// The mean time of one call over `calls` calls, in nanoseconds.
func batch(_ calls: Int, _ body: () throws -> Void) rethrows -> Double {
    let start = nanoseconds()
    for _ in 0..<calls { try body() }
    return Double(nanoseconds() - start) / Double(calls)
}

/// How many calls make a batch of about `budget` nanoseconds, from a warm-up of a tenth of that.
func calibrate(_ budget: Double, _ body: () throws -> Void) rethrows -> Int {
    var calls = 0
    let start = nanoseconds()
    repeat { try body(); calls += 1 } while Double(nanoseconds() - start) < budget / 10
    return max(1, Int(budget / (Double(nanoseconds() - start) / Double(calls))))
}

func format(_ ns: Double) -> String {
    if ns >= 1_000_000 { return String(format: "%.2f ms", ns / 1_000_000) }
    if ns >= 1_000 { return String(format: "%.2f µs", ns / 1_000) }
    return String(format: "%.0f ns", ns)
}

func pad(_ s: String, _ width: Int) -> String { s.count >= width ? s : s + String(repeating: " ", count: width - s.count) }
func padLeft(_ s: String, _ width: Int) -> String { s.count >= width ? s : String(repeating: " ", count: width - s.count) + s }

let options = Options(CommandLine.arguments)
let target = 10.0
let wallStart = nanoseconds()

// MARK: The world: 2022 rules (logins mint classic tokens), one account with TOTP in auth-and-writes mode.

let era = try! RegistryEra("2022-09-01")
let clock = ManualClock(era.startOfDay + 12 * 3_600)
let registry = try! Registry(configuration: RegistryConfiguration(era: era), clock: clock)
let secret = Base32.encode(Array("12345678901234567890".utf8))
let totp = try! TOTP(base32Secret: secret)
try! registry.seedAccount(name: "alice", email: "alice@example.com", password: "correct horse", twoFactor: .authAndWrites, totpSecret: secret)
try! registry.seedPackage(name: "left-pad", maintainers: ["alice"], versions: ["1.0.0"])
let token = try! registry.seedToken(owner: "alice", request: .classicPublish)
let bulk = PasswordHasher.Cost.bulkSimulation

print("regdrill-bench\(options.quick ? " --quick" : ""): \(options.pairs) batch pairs per operation, ~\(Int(options.batchBudget / 1e6)) ms per batch")
print("registry: in-memory SQLite, era \(era), password cost bulkSimulation (scrypt N=\(bulk.n) r=\(bulk.r) p=\(bulk.p)), \(ProcessInfo.processInfo.activeProcessorCount) cores")
print("")

// MARK: The floor

let hmacKey = Array("12345678901234567890".utf8)
var sink: UInt64 = 0
var floorRow: Int64 = 0

@MainActor func floorInsert() throws {
    floorRow += 1
    try registry.store.benchmarkFloorInsert(floorRow)
}

@MainActor func floorHMAC() {
    let counter = withUnsafeBytes(of: UInt64(floorRow).bigEndian) { Array($0) }
    sink &+= UInt64(HMAC.authenticationCode(for: counter, key: hmacKey, algorithm: .sha1)[0])
}

@MainActor func floorOperation() throws {
    try floorInsert()
    floorHMAC()
}

/// Every floor batch of the run, for the floor's own figure.
var floorBatches: [Double] = []

struct Timing {
    let ns: Double
    let ratio: Double
}

/// `body` timed in batches alternating with floor batches.
@MainActor func compare(_ body: () throws -> Void) throws -> Timing {
    let calls = try calibrate(options.batchBudget, body)
    let floorCalls = try calibrate(options.batchBudget, floorOperation)
    var times: [Double] = []
    var ratios: [Double] = []
    for _ in 0..<options.pairs {
        let f = try batch(floorCalls, floorOperation)
        let t = try batch(calls, body)
        floorBatches.append(f)
        times.append(t)
        ratios.append(t / f)
    }
    return Timing(ns: median(times), ratio: median(ratios))
}

let insertOnly = try! compare(floorInsert)
let hmacOnly = try! compare(floorHMAC)

// MARK: The operations

struct Result {
    let name: String
    let timing: Timing
    let note: String
}
var results: [Result] = []

// For scale, not held to the target: one read through the store (GRDB read transaction, a keyed SELECT, the row decoded).
let select = try! compare { if try registry.account("alice") != nil { sink &+= 1 } }

// Policy decision only: the whole catalog walked for an auth-and-writes publish with a verified code (allowed).
let facts = RequestFacts(
    operation: .publish, era: era, now: clock.now(),
    authentication: .token(TokenFact(kind: .publish, permission: .readWrite, created: clock.now() - 86_400)),
    account: AccountFact(name: "alice", twoFactorMode: .authAndWrites, secondFactorKind: .totp),
    secondFactor: .verified(.totp), package: PackageFact(name: "left-pad"))
precondition(Policy.decide(facts).isAllowed, "the benchmark's policy facts should be allowed")
results.append(Result(name: "policy decision only", timing: try! compare { if Policy.decide(facts).isAllowed { sink &+= 1 } },
                      note: "Policy.decide over \(Policy.allRules.count) rules, no I/O"))

// Login with password + TOTP: mints a classic publish token. A code logs in once (RFC 6238 §5.2), so each login is a
// time step later, with that step's code.
results.append(Result(name: "login with TOTP", timing: try! compare {
    clock.advance(by: 30)
    _ = try registry.login(RequestContext(credential: .password(username: "alice", password: "correct horse"),
                                          secondFactor: .totp(totp.code(at: clock.now()))))
}, note: "scrypt verify (bulk cost) + TOTP + token insert + audit"))

// Token create: bearer token + TOTP + the password npm sends with it; a later code step for this other credential.
clock.advance(by: 30)
let tokenContext = RequestContext(credential: .bearer(token), secondFactor: .totp(totp.code(at: clock.now())))
results.append(Result(name: "token create", timing: try! compare {
    _ = try registry.createToken(tokenContext, request: .classicReadOnly, password: "correct horse")
}, note: "TOTP + scrypt verify of the password + token insert + audit"))

// Publish: a new version each time, small synthetic tarball. Building the request (the client's sha512) is inside the loop.
var published = 0
results.append(Result(name: "publish", timing: try! compare {
    published += 1
    let version = "2.\(published / 1000).\(published % 1000)"
    let tarball = Registry.syntheticTarball(package: "left-pad", version: version, installScripts: [:])
    try registry.publish(tokenContext, PublishRequest(package: "left-pad", version: version, tarball: tarball,
                                                      integrity: Registry.integrity(of: tarball)))
}, note: "integrity check + TOTP + version/tag insert + audit"))

// Download: anonymous, counts the download.
results.append(Result(name: "download", timing: try! compare {
    sink &+= UInt64(try registry.download(.anonymous(), package: "left-pad", version: "1.0.0").count)
}, note: "tarball read + counter update + audit"))

// MARK: Report

let floor = median(floorBatches)
print("floor: one INSERT in a transaction + one HMAC-SHA1 = \(format(floor)) (median of \(floorBatches.count) batches)")
print("       parts: INSERT in a transaction \(format(insertOnly.ns)) (\(String(format: "%.2f", insertOnly.ratio))x floor),"
      + " HMAC-SHA1 \(format(hmacOnly.ns)) (\(String(format: "%.2f", hmacOnly.ratio))x floor)")
print("for scale (no target): one store read (Registry.account: read transaction, keyed SELECT, row decode) = \(format(select.ns)) = \(String(format: "%.1f", select.ratio))x floor")
print("target: every operation within \(Int(target))x the floor")
print("")
print("\(pad("operation", 22)) \(padLeft("per op", 10)) \(padLeft("x floor", 8))  target  notes")
for r in results {
    let verdict = r.timing.ratio <= target ? "PASS" : "MISS"
    print("\(pad(r.name, 22)) \(padLeft(format(r.timing.ns), 10)) \(padLeft(String(format: "%.1f", r.timing.ratio), 8))  \(verdict)    \(r.note)")
}
let misses = results.filter { $0.timing.ratio > target }
print("")
print(misses.isEmpty ? "all operations within \(Int(target))x the floor"
                     : "\(misses.count) of \(results.count) operations over \(Int(target))x the floor: \(misses.map(\.name).joined(separator: ", "))")

// MARK: Password hashing, reported apart

print("")
print("password hashing (scrypt, one hash; no target: its cost is its purpose)")
for (name, cost) in [("bulkSimulation", PasswordHasher.Cost.bulkSimulation), ("interactive", PasswordHasher.Cost.interactive)] {
    let hasher = PasswordHasher(cost: cost)
    let timing = try! compare { sink &+= UInt64(hasher.hash("correct horse").utf8.count) }
    let memory = 128 * cost.n * cost.r
    let size = memory >= 1 << 20 ? "\(memory >> 20) MiB" : "\(memory >> 10) KiB"
    print("  \(pad(name, 15)) N=\(cost.n) r=\(cost.r) p=\(cost.p) (~\(size))  \(padLeft(format(timing.ns), 10))  \(String(format: "%.1f", timing.ratio))x floor")
}

// MARK: JSON bodies, reported apart

// A request body is parsed before the registry sees it, and before its credential is judged when it is small. The
// target: a megabyte of numbers (the costliest JSON per byte) within 10x a megabyte of one string (a publish's base64
// tarball). Before JSONParser, the server read bodies with JSONDecoder, whose misses cost a thrown error each: shown
// for scale.
print("")
print("JSON bodies (1 MB each, parse only; target: each within \(Int(target))x one string)")
func megabyte(of item: String, open: String, close: String) -> [UInt8] {
    var bytes = Array(open.utf8)
    let unit = Array(item.utf8)
    while bytes.count < 1 << 20 { bytes += unit }
    return bytes + Array(close.utf8)
}
let oneString = Array(("[\"" + String(repeating: "QUJD", count: (1 << 20) / 4) + "\"]").utf8)
let numbers = megabyte(of: "1234567.5e-3,", open: "[", close: "0]")
let manifests = megabyte(of: #"{"name":"left-pad","version":"1.0.0","main":"index.js","scripts":{"test":"tape"}},"#, open: "[", close: "null]")
let stringTime = try! compare { if JSONValue.parse(oneString) != nil { sink &+= 1 } }
for (name, body) in [("numbers", numbers), ("small objects", manifests)] {
    let timing = try! compare { if JSONValue.parse(body) != nil { sink &+= 1 } }
    let ratio = timing.ns / stringTime.ns
    // JSONDecoder once, for scale (it is slow enough that one run is a fair figure).
    let decoderStart = nanoseconds()
    _ = try? JSONDecoder().decode(JSONValue.self, from: Data(body))
    let decoder = Double(nanoseconds() - decoderStart)
    print("  \(pad(name, 15)) \(padLeft(format(timing.ns), 10))  \(String(format: "%.1f", ratio))x one string  \(ratio <= target ? "PASS" : "MISS")"
          + "   JSONDecoder, the server's reader before: \(format(decoder)) (\(String(format: "%.0f", decoder / timing.ns))x)")
}
print("  \(pad("one string", 15)) \(padLeft(format(stringTime.ns), 10))")

print("")
EngineBenchmark(quick: options.quick).run()

print("")
print(String(format: "wall time %.1f s (checksum %llu)", Double(nanoseconds() - wallStart) / 1e9, sink))
exit(0)
