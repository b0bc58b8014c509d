import DrillCrypto
@testable import DrillRegistry
import Foundation
import GRDB
import Testing

/// Independent copies of a seeded world, the file store, and registry staff actions.
@Suite struct StoreAndStaffTests {
    /// A seeded template: alice (auth-and-writes TOTP), left-pad 1.0.0, alice's classic publish token.
    static func template() throws -> (World, String) {
        let w = try World("2022-09-01")
        try w.registry.seedAccount(name: "alice", email: "alice@example.com", password: "hunter2", twoFactor: .authAndWrites, totpSecret: seededSecret)
        try w.registry.seedAccount(name: "mallory", email: "mallory@evil.com", password: "hunter2")
        try w.registry.seedPackage(name: "left-pad", maintainers: ["alice"], versions: ["1.0.0"])
        return (w, try w.registry.seedToken(owner: "alice", request: .classicPublish))
    }

    @Test("Copies of one template are independent worlds: a scenario on copy A leaves copy B and the template untouched")
    func copiesAreIndependent() throws {
        let (template, token) = try Self.template()
        let pristine = try template.registry.snapshot(excluding: [])
        let clockA = ManualClock(template.clock.now())
        let clockB = ManualClock(template.clock.now())
        let a = try template.registry.copy(clock: clockA)
        let b = try template.registry.copy(clock: clockB)
        #expect(try a.snapshot(excluding: []) == pristine)

        // A scenario on A: a phished code logs in, the attacker adds himself and publishes, a wrong code, a token revoked.
        let code = totpCode(seededSecret, at: clockA.now())
        let login = try a.login(RequestContext(credential: .password(username: "alice", password: "hunter2"), secondFactor: .totp(code)))
        clockA.advance(by: 30)
        let next = totpCode(seededSecret, at: clockA.now())
        try a.addOwner(RequestContext(credential: .bearer(login.token), secondFactor: .totp(next)), package: "left-pad", user: "mallory")
        let mallory = try a.seedToken(owner: "mallory", request: .classicPublish)
        try a.publish(RequestContext(credential: .bearer(mallory)), release("left-pad", "1.0.1"))
        _ = refusal { try a.changeEmail(RequestContext(credential: .bearer(token), secondFactor: .totp("000000")), to: "m@evil.com") }
        try a.revokeToken(RequestContext(credential: .bearer(login.token), secondFactor: .totp(next)), keyOrToken: token)
        #expect(try a.package("left-pad")?.maintainers == ["alice", "mallory"])
        #expect(try a.auditLog().count == 5)

        // B and the template saw none of it.
        #expect(try b.snapshot(excluding: []) == pristine)
        #expect(try template.registry.snapshot(excluding: []) == pristine)
        #expect(try b.auditLog().isEmpty)
        #expect(try b.package("left-pad")?.maintainers == ["alice"])
        // And B runs the same scenario from scratch: the same code is fresh there (no replay state leaked from A).
        let again = try b.login(RequestContext(credential: .password(username: "alice", password: "hunter2"), secondFactor: .totp(code)))
        #expect(again.kind == .publish)
        try b.publish(RequestContext(credential: .bearer(token), secondFactor: .totp(totpCode(seededSecret, at: clockB.now(), steps: 1))), release("left-pad", "1.0.1"))
        #expect(try template.registry.snapshot(excluding: []) == pristine)
        #expect(a.store !== b.store)
    }

    /// A path for a `--db` file in a fresh temporary directory, which the caller removes.
    static func temporaryDatabase() throws -> (path: String, directory: URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("regdrill-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return (directory.appendingPathComponent("registry.sqlite").path, directory)
    }

    @Test("A --db path that is a link to nothing creates its target owner-only")
    func danglingLink() throws {
        let (path, directory) = try Self.temporaryDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let target = directory.appendingPathComponent("real.sqlite").path
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: target)
        let store = try RegistryStore.file(path)
        let registry = try Registry(configuration: RegistryConfiguration(era: era("2018-07-12")), store: store)
        try registry.createAccount(name: "alice", email: "alice@example.com", password: "hunter2")
        // SQLite created the target with the default mode before (0644 under the usual umask: world-readable).
        for file in [target, target + "-wal"] {
            let mode = try #require(try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int)
            #expect(mode & 0o077 == 0, "\(file): \(String(mode, radix: 8))")
        }
    }

    @Test("A file store is in WAL mode and survives reopening")
    func fileStore() throws {
        let (path, directory) = try Self.temporaryDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let e = era("2018-07-12")
        let clock = ManualClock(noon(e))
        let configuration = RegistryConfiguration(era: e)

        var token = ""
        var before: [String: [String]] = [:]
        do {
            let store = try RegistryStore.file(path)
            #expect(store.path == path)
            #expect(try store.journalMode() == "wal")
            let registry = try Registry(configuration: configuration, clock: clock, store: store)
            try registry.createAccount(name: "alice", email: "alice@example.com", password: "hunter2")
            token = try registry.login(RequestContext(credential: .password(username: "alice", password: "hunter2"))).token
            try registry.publish(RequestContext(credential: .bearer(token)), release("left-pad", "1.0.0"))
            before = try registry.snapshot(excluding: [])
            // The file and its write-ahead log are the owner's only: they hold secrets' digests and live codes.
            for file in [path, path + "-wal"] {
                let mode = try #require(FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int)
                #expect(mode & 0o077 == 0, "\(file) has mode \(String(mode, radix: 8))")
            }
        }
        #expect(FileManager.default.fileExists(atPath: path))

        let reopened = try Registry(configuration: configuration, clock: clock, store: try RegistryStore.file(path))
        #expect(try reopened.store.journalMode() == "wal")
        #expect(try reopened.snapshot(excluding: []) == before)
        #expect(try reopened.package("left-pad")?.versions.map(\.version) == ["1.0.0"])
        #expect(try reopened.profile(RequestContext(credential: .bearer(token))).name == "alice")
        #expect(try reopened.auditLog().map(\.operation) == ["create-account", "login", "publish", "read-profile"])
        // The schema's constraints came back with it: the audit log is still append-only.
        #expect(throws: DatabaseError.self) { try reopened.store.writeWithoutTransaction { db in try db.execute(sql: "DELETE FROM audit") } }
        // An in-memory copy of a file store is independent of the file.
        let copy = try reopened.copy()
        #expect(copy.store.path == nil)
        try copy.publish(RequestContext(credential: .bearer(token)), release("left-pad", "1.0.1"))
        #expect(try reopened.package("left-pad")?.versions.count == 1)
    }

    @Test("A --db file of the first schema migrates on opening: its state stays, indexes arrive, trusted publishers move")
    func firstSchemaMigrates() throws {
        let (path, directory) = try Self.temporaryDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        // Between 4 Jan and 1 Mar 2022 enhanced login verification covers publishers only.
        let e = era("2022-01-10")
        let clock = ManualClock(noon(e))
        do {
            // What a file written before "v2: maintainers by account" holds: the first migration and a world in it.
            let queue = try DatabaseQueue(path: path)
            try RegistryStore.migrator.migrate(queue, upTo: "v1: accounts, factors, tokens, packages, orgs, mail, audit")
            let hash = PasswordHasher(cost: .bulkSimulation).hash("hunter2")
            try queue.write { db in
                try db.execute(sql: "INSERT INTO account (name, email, password_hash, created, updated) VALUES ('alice', 'alice@example.com', ?, 0, 0)",
                               arguments: [hash])
                try db.execute(sql: """
                    INSERT INTO package (name, created, modified, trusted_repository, trusted_workflow, trusted_environment)
                    VALUES ('left-pad', 0, 0, 'alice/left-pad', 'release.yml', 'npm')
                    """)
                try db.execute(sql: "INSERT INTO maintainer (package, account) VALUES ('left-pad', 'alice')")
            }
            try queue.close()
        }
        let store = try RegistryStore.file(path)
        let indexes = try store.read { db in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'maintainer'") }
        #expect(indexes.contains("maintainer_by_account"))
        let registry = try Registry(configuration: RegistryConfiguration(era: e, passwordCost: .bulkSimulation), clock: clock, store: store)
        #expect(try registry.package("left-pad")?.maintainers == ["alice"])
        // v5: the package's trusted publisher moved into its own table, environment included.
        #expect(try registry.package("left-pad")?.trustedPublishers == [TrustedPublisher(repository: "alice/left-pad", workflow: "release.yml", environment: "npm")])
        // The index answers the question it is for: alice publishes, so her password alone now needs the emailed code.
        #expect(refusal { try registry.login(RequestContext(credential: .password(username: "alice", password: "hunter2"))) }?.rule == "login.emailed-code")
        // v4: the similarity check reads an index of the old file's names, not every row.
        let plan = try store.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT name FROM package WHERE \(RegistryStore.squashedNameSQL) = ?", arguments: ["leftpad"])
                .map { $0["detail"] as String }.joined(separator: " ")
        }
        #expect(plan.contains("package_by_squashed_name"), "\(plan)")
        let token = try registry.seedToken(owner: "alice", request: .classicPublish)
        let similar = refusal { try registry.publish(RequestContext(credential: .bearer(token)), release("left_pad", "1.0.0")) }
        #expect(similar?.rule == "package.name-too-similar")
    }

    @Test("A --db file of schema v7 keeps its tokens when v8 rebuilds the token table for stage-only permissions")
    func tokenTableRebuild() throws {
        let (path, directory) = try Self.temporaryDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let e = era("2026-09-10")
        let secret = TokenSecret.generate()
        do {
            let queue = try DatabaseQueue(path: path)
            try RegistryStore.migrator.migrate(queue, upTo: "v7: read-only accounts")
            let hash = PasswordHasher(cost: .bulkSimulation).hash("hunter2")
            try queue.write { db in
                try db.execute(sql: "INSERT INTO account (name, email, password_hash, created, updated) VALUES ('alice', 'alice@example.com', ?, 0, 0)",
                               arguments: [hash])
                try db.execute(sql: """
                    INSERT INTO token (key, prefix, owner, kind, permission, bypass_2fa, created, expires)
                    VALUES (?, ?, 'alice', 'granular', 'read-write', 1, ?, ?)
                    """, arguments: [TokenSecret.key(of: secret), String(secret.prefix(6)), noon(e) - 60, noon(e) + 86_400])
            }
            try queue.close()
        }
        let registry = try Registry(configuration: RegistryConfiguration(era: e, passwordCost: .bulkSimulation), clock: ManualClock(noon(e)),
                                    store: try RegistryStore.file(path))
        #expect(try registry.tokens(of: "alice").map(\.permission) == [.readWrite])
        // The old token still publishes (a bypass token, so no code is asked).
        #expect(try registry.publish(RequestContext(credential: .bearer(secret)), release("alice-kit", "1.0.0")).version == "1.0.0")
    }

    @Test("A storage failure is the registry's fault, not the request's: storage.failed with SQLite's result code only")
    func storageFailure() throws {
        let w = try World("2021-06-01")
        try w.registry.seedAccount(name: "alice", email: "alice@example.com", password: "hunter2")
        let token = try w.registry.seedToken(owner: "alice", request: .classicPublish)
        try w.registry.store.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA query_only = 1") }
        let failure = refusal { try w.registry.publish(w.bearer(token), release("left-pad", "1.0.0")) }
        #expect(failure?.rule == "storage.failed")
        #expect(failure?.response == .serverFault)
        #expect(failure?.message.contains("SQLite result code 8") == true, "\(failure?.message ?? "")")
        #expect(failure?.message.contains("INSERT") == false)
    }

    @Test("Staff mass revocation: every token created before the cutoff stops (after the era's cache grace); later ones work")
    func staffRevocation() throws {
        let (w, _) = try Self.template()
        let cutoff = w.clock.now()
        let old = try w.registry.seedToken(owner: "alice", request: .classicPublish, created: cutoff - 3_600)
        let oldMallory = try w.registry.seedToken(owner: "mallory", request: .classicReadOnly, created: cutoff - 1)
        let fresh = try w.registry.seedToken(owner: "alice", request: .classicReadOnly, created: cutoff)
        let revokedCount = try w.registry.staffRevokeTokens(createdBefore: cutoff)
        // old and oldMallory; the template's token and fresh were created at the cutoff, not before it.
        #expect(revokedCount == 2)
        let summaries = try w.registry.tokens(of: "alice") + w.registry.tokens(of: "mallory")
        let revokedKeys = Set(summaries.filter { $0.revoked != nil }.map(\.key))
        #expect(revokedKeys.contains(Digest.sha512Hex(old)))
        #expect(revokedKeys.contains(Digest.sha512Hex(oldMallory)))
        #expect(!revokedKeys.contains(Digest.sha512Hex(fresh)))
        let entry = try #require(try w.registry.auditLog().last)
        #expect(entry.operation == "staff-revoke-tokens" && entry.actor == "registry-staff" && entry.message == "\(revokedCount) tokens revoked")

        w.clock.advance(by: w.registry.configuration.parameters.revokedTokenGrace(in: w.registry.configuration.era))
        #expect(refusal { try w.registry.download(RequestContext(credential: .bearer(old)), package: "left-pad", version: "1.0.0") }?.rule == "token.revoked")
        #expect(refusal { try w.registry.download(RequestContext(credential: .bearer(oldMallory)), package: "left-pad", version: "1.0.0") }?.rule == "token.revoked")
        #expect(try w.registry.download(RequestContext(credential: .bearer(fresh)), package: "left-pad", version: "1.0.0").isEmpty == false)
        // Nothing is revoked twice.
        #expect(try w.registry.staffRevokeTokens(createdBefore: cutoff) == 0)
    }

    @Test("Staff revocation limited to some accounts")
    func staffRevocationForAccounts() throws {
        let (w, _) = try Self.template()
        try w.registry.seedToken(owner: "mallory", request: .classicPublish)
        w.clock.advance(by: 1)
        #expect(try w.registry.staffRevokeTokens(createdBefore: w.clock.now(), accounts: ["mallory"]) == 1)
        #expect(try w.registry.tokens(of: "mallory").allSatisfy { $0.revoked != nil })
        #expect(try w.registry.tokens(of: "alice").allSatisfy { $0.revoked == nil })
    }

    @Test("Staff version removal: the version is gone for everyone, latest moves back, the number cannot be reused")
    func staffRemoval() throws {
        let w = try World("2018-07-12")
        try w.registry.seedAccount(name: "alice", email: "alice@example.com", password: "hunter2")
        try w.registry.seedPackage(name: "event-stream", maintainers: ["alice"], versions: ["3.3.5", "3.3.6", "4.0.0-rc.1"])
        let token = try w.registry.seedToken(owner: "alice", request: .classicPublish)
        #expect(try w.registry.resolve(package: "event-stream") == "3.3.6")
        try w.registry.staffRemoveVersion(package: "event-stream", version: "3.3.6")
        #expect(try w.registry.package("event-stream")?.versions.map(\.version) == ["3.3.5", "4.0.0-rc.1"])
        #expect(try w.registry.resolve(package: "event-stream") == "3.3.5")
        #expect(refusal { try w.registry.download(.anonymous(), package: "event-stream", version: "3.3.6") }?.rule == "input.unknown-version")
        #expect(refusal { try w.registry.publish(w.bearer(token), release("event-stream", "3.3.6")) }
            == .invalid(.versionExists(package: "event-stream", version: "3.3.6")))
        #expect(try w.registry.auditLog().contains { $0.operation == "staff-remove-version" && $0.target == "event-stream@3.3.6" })
        #expect(throws: Refusal.self) { try w.registry.staffRemoveVersion(package: "event-stream", version: "9.9.9") }
    }
}
