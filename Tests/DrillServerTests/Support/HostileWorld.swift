import DrillCrypto
@testable import DrillRegistry
@testable import DrillServer
import Foundation
import GRDB
import Logging
import Synchronization

/// The world the hostile corpus is replayed against (described in `Hostile/README.md`).
///
/// alice (no 2FA) maintains wshop-demo and holds a publish token, a read-only token, an expired one and a
/// revoked one; bob maintains wshop-bob; carol has TOTP 2FA in auth-and-writes and maintains wshop-carol.
/// The clock is fixed, so one-time codes are the same on every run.
struct HostileWorld {
    static let start: Int64 = 1_790_000_000   // 2026-09-21, inside the 2024-06-01 era's rules' reach

    let world: TestWorld
    let token: String
    let readOnlyToken: String
    let expiredToken: String
    let revokedToken: String
    let carolToken: String
    /// Shaped like a real token, never issued.
    let forgedToken = "npm_Fo7gedTokenNeverIssuedByThisRegistry"
    let tarball = Gzip.wrap(Array("hostile tarball\n".utf8))

    var registry: Registry { world.registry }

    init() throws {
        world = try TestWorld(now: Self.start)
        try world.account("alice")
        try world.account("bob")
        try world.account("carol", .authAndWrites)
        token = try world.token("alice")
        readOnlyToken = try world.token("alice", .classicReadOnly)
        expiredToken = try world.registry.seedToken(owner: "alice", request: .classicPublish, created: Self.start - 7_200, expires: Self.start - 3_600)
        revokedToken = try world.token("alice")
        // A logout revokes, and in this era at once (no cache grace from 2018).
        try world.registry.logout(RequestContext(credential: .bearer(revokedToken)))
        carolToken = try world.token("carol")
        try world.registry.seedPackage(name: "wshop-demo", maintainers: ["alice"])
        try world.registry.seedPackage(name: "wshop-bob", maintainers: ["bob"])
        try world.registry.seedPackage(name: "wshop-carol", maintainers: ["carol"])
    }

    /// carol's current code, and a six-digit code that is not valid in any step of the accepted window.
    func otp() -> String { world.code("carol") }

    func wrongOTPs(_ count: Int) -> [String] {
        let totp = try! TOTP(base32Secret: TestWorld.secret(for: "carol"))
        let now = world.clock.now()
        let steps = world.registry.configuration.parameters.otpWindowSteps
        let valid = Set((-steps...steps).map { totp.code(at: now + Int64($0) * 30) })
        return (0..<1_000_000).lazy.map { String(format: "%06d", $0) }.filter { !valid.contains($0) }.prefix(count).map { $0 }
    }

    /// The values the corpus's placeholders stand for.
    func placeholders(port: Int) throws -> [String: String] {
        guard let bob = try registry.package("wshop-bob") else { throw CorpusError("wshop-bob was not seeded") }
        let integrity = Registry.integrity(of: tarball)
        var flipped = Array(token)
        flipped[10] = flipped[10] == "A" ? "B" : "A"
        return [
            "HOST": "127.0.0.1:\(port)",
            "TOKEN": token, "READONLY_TOKEN": readOnlyToken, "EXPIRED_TOKEN": expiredToken, "REVOKED_TOKEN": revokedToken,
            "FORGED_TOKEN": forgedToken, "TOKEN_TRUNCATED": String(token.dropLast(4)), "TOKEN_FLIPPED": String(flipped),
            "CAROL_TOKEN": carolToken, "OTP": otp(), "WRONG_OTP": wrongOTPs(1)[0],
            "PACKAGE": "wshop-demo", "OTHER_PACKAGE": "wshop-bob", "CAROL_PACKAGE": "wshop-carol",
            "OTHER_REV": Packument.revision(bob),
            "TARBALL_B64": Data(tarball).base64EncodedString(), "TARBALL_INTEGRITY": integrity,
            "TARBALL_INTEGRITY_TRUNCATED": String(integrity.dropLast(6)),
            "TARBALL_SHASUM": Digest.sha1Hex(bytes: tarball), "TARBALL_LENGTH": String(tarball.count),
        ]
    }

    /// Everything observable in the store except the audit log and the wrong-code and wrong-password counters (they
    /// grow on refusals, deliberately): one line per row, per table, blobs as base64.
    func observableState() throws -> [String: [String]] {
        try registry.store.read { db in
            let tables = try String.fetchAll(db, sql: """
                SELECT name FROM sqlite_master WHERE type = 'table'
                AND name NOT IN ('audit', 'second_factor_failure', 'password_failure', 'sqlite_sequence') AND name NOT LIKE 'grdb%' ORDER BY name
                """)
            var state: [String: [String]] = [:]
            for table in tables {
                state[table] = try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\" ORDER BY rowid").map { row in
                    row.columnNames.map { column -> String in
                        let value: DatabaseValue = row[column]
                        switch value.storage {
                        case .null: return "\(column)=null"
                        case .int64(let i): return "\(column)=\(i)"
                        case .double(let d): return "\(column)=\(d)"
                        case .string(let s): return "\(column)=\(s)"
                        case .blob(let b): return "\(column)=blob:\(b.base64EncodedString())"
                        }
                    }.joined(separator: " ")
                }
            }
            return state
        }
    }

    /// The wrong-code counter's rows, as account names.
    func secondFactorFailures() throws -> [String] {
        try registry.store.read { db in try String.fetchAll(db, sql: "SELECT account FROM second_factor_failure ORDER BY id") }
    }
}

/// Every line a Logger wrote, with its metadata and error, for searching for secrets.
final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}

/// A LogHandler that keeps every line at every level (the server's logger is set to trace).
struct CapturingLogHandler: LogHandler {
    let capture: LogCapture
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var line = "\(event.level) \(event.message)"
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        if !all.isEmpty { line += " " + all.map { "\($0)=\($1)" }.sorted().joined(separator: " ") }
        if let error = event.error { line += " error=\(error)" }
        capture.append(line)
    }
}
