import DrillCrypto
@testable import DrillRegistry
import GRDB
import Testing

// Shared helpers: eras by name, facts for the policy tables, and a small registry world on a manual clock.

/// An era by its date; the tests only name valid ones.
func era(_ date: String) -> RegistryEra {
    do { return try RegistryEra(date) } catch { fatalError("bad era in a test: \(date)") }
}

/// Noon UTC of the era's day: a time inside the era, away from day boundaries.
func noon(_ e: RegistryEra) -> Int64 { e.startOfDay + 12 * 3_600 }

/// The rule id the policy refuses with, or nil when it allows.
func ruleID(_ facts: RequestFacts) -> String? { Policy.decide(facts).denial?.rule.rawValue }

/// The refusal `body` threw, or nil when it succeeded. Any other error is recorded as an issue.
func refusal<T>(_ body: () throws -> T, sourceLocation: SourceLocation = #_sourceLocation) -> Refusal? {
    do {
        _ = try body()
        return nil
    } catch let r as Refusal {
        return r
    } catch {
        Issue.record("expected a Refusal, got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// The account fact for a 2FA mode (TOTP when a factor is enrolled).
func accountFact(_ mode: TwoFactorMode, name: String = "alice") -> AccountFact {
    AccountFact(name: name, twoFactorMode: mode, secondFactorKind: mode == .disabled ? nil : .totp)
}

/// A registry on a manual clock set to noon of `date`, in-memory store, cheap password hashing.
struct World {
    let clock: ManualClock
    let registry: Registry
    init(_ date: String, parameters: PolicyParameters = .init(), maximumTarballBytes: Int = 8 * 1024 * 1024) throws {
        let e = era(date)
        clock = ManualClock(noon(e))
        let configuration = RegistryConfiguration(era: e, parameters: parameters, maximumTarballBytes: maximumTarballBytes)
        #expect(configuration.passwordCost == PasswordHasher.Cost.bulkSimulation)
        registry = try Registry(configuration: configuration, clock: clock)
    }

    /// The context of a user typing a password (and maybe a second factor) into the registry's own site.
    func password(_ user: String, _ password: String = "hunter2", _ factor: SecondFactor = .none) -> RequestContext {
        RequestContext(credential: .password(username: user, password: password), secondFactor: factor)
    }

    func bearer(_ token: String, _ factor: SecondFactor = .none, from address: String = "127.0.0.1") -> RequestContext {
        RequestContext(credential: .bearer(token), secondFactor: factor, sourceAddress: IPAddress(address)!)
    }

    /// The TOTP code of `secret` at the clock's time, shifted by `steps` 30-second steps.
    func code(_ secret: String, steps: Int64 = 0) -> String { totpCode(secret, at: clock.now(), steps: steps) }

    func auditCount() throws -> Int { try registry.auditLog().count }
}

/// A fixed base32 TOTP secret for seeded accounts (RFC 6238's test key, "12345678901234567890").
let seededSecret = Base32.encode(Array("12345678901234567890".utf8))

/// What an authenticator app shows for `secret` at `time`, shifted by `steps` 30-second steps.
func totpCode(_ secret: String, at time: Int64, steps: Int64 = 0) -> String {
    let totp = try! TOTP(base32Secret: secret)
    return totp.code(forStep: totp.timeStep(at: time) + steps)
}

/// A publish request whose integrity matches its synthetic tarball.
func release(_ package: String, _ version: String, tag: String = "latest") -> PublishRequest {
    let tarball = Registry.syntheticTarball(package: package, version: version, installScripts: [:])
    return PublishRequest(package: package, version: version, tarball: tarball, integrity: Registry.integrity(of: tarball), distTag: tag)
}

extension Registry {
    /// Every row of every table but `excluded`, as text, to prove that a request changed nothing else.
    func snapshot(excluding excluded: Set<String> = ["audit"]) throws -> [String: [String]] {
        try store.read { db in
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%'")
            var out: [String: [String]] = [:]
            for table in tables where !excluded.contains(table) {
                out[table] = try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY rowid").map(\.description)
            }
            return out
        }
    }
}

/// The tables name rules by their text, as reports and answers print them; the code compares ``RuleID`` values.
func == (lhs: RuleID?, rhs: String?) -> Bool { lhs?.rawValue == rhs }
func != (lhs: RuleID?, rhs: String?) -> Bool { lhs?.rawValue != rhs }
