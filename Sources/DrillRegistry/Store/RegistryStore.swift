import Foundation
import Synchronization
import GRDB

/// Where the registry keeps its state: SQLite, in memory by default or in a file when asked.
///
/// GRDB stays behind this type: the rest of the project sees the registry's operations, never SQL.
/// The schema is built by migrations that never change once shipped; constraints live in the schema.
public final class RegistryStore: Sendable {
    let queue: DatabaseQueue
    /// Where the database lives, or nil in memory.
    public let path: String?

    /// A fresh in-memory store with the schema applied.
    public static func inMemory() throws -> RegistryStore {
        let queue = try DatabaseQueue(configuration: RegistryStore.configuration())
        try RegistryStore.migrator.migrate(queue)
        return RegistryStore(queue: queue, path: nil)
    }

    /// A store in `path`, created if missing, migrated to the current schema, in WAL mode.
    ///
    /// A new file is created readable by its owner only: it holds TOTP secrets, live login codes and password hashes
    /// (simulated, but a workshop machine is often shared). SQLite gives its `-wal` and `-shm` files the same mode.
    public static func file(_ path: String) throws -> RegistryStore {
        var fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        var target = stat()
        if fd < 0, errno == EEXIST, stat(path, &target) != 0, errno == ENOENT {
            // A link to nothing (O_EXCL does not follow links): create what it names, owner-only, before SQLite would
            // create it with the default mode (world-readable under the usual umask).
            fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        }
        if fd >= 0 { close(fd) }
        var config = RegistryStore.configuration()
        config.prepareDatabase { db in
            // WAL lets readers proceed during a write; synchronous=FULL keeps acknowledged writes across a crash.
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        let queue = try DatabaseQueue(path: path, configuration: config)
        try queue.writeWithoutTransaction { db in _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") }
        try RegistryStore.migrator.migrate(queue)
        return RegistryStore(queue: queue, path: path)
    }

    private init(queue: DatabaseQueue, path: String?, meter: StoreMeter? = nil) {
        self.queue = queue
        self.path = path
        self.meter = meter
    }

    static func configuration() -> Configuration {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.label = "registry"
        return config
    }

    /// A copy of the whole state, in memory, through SQLite's backup API: replays start from the same seeded world cheaply.
    public func copy(meter: StoreMeter? = nil) throws -> RegistryStore {
        let target = try DatabaseQueue(configuration: RegistryStore.configuration())
        if let meter { try meter.measureCopy { try queue.backup(to: target) } } else { try queue.backup(to: target) }
        return RegistryStore(queue: target, path: nil, meter: meter)
    }

    /// The SQLite journal mode in force (`wal` for file stores, `memory` in memory).
    public func journalMode() throws -> String {
        try queue.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }

    /// Benchmark support: one small INSERT in its own write transaction, on this store's connection.
    ///
    /// `regdrill-bench` times this as the floor every registry operation is compared with (each operation is at
    /// least one write transaction). The row goes to a TEMP table, outside the schema and never copied; the table
    /// is created by the first call, so later calls run exactly one INSERT between BEGIN and COMMIT.
    public func benchmarkFloorInsert(_ value: Int64) throws {
        let insert = "INSERT INTO temp.benchmark_floor (value) VALUES (?)"
        try queue.inTransaction { db in
            do {
                try db.execute(sql: insert, arguments: [value])
            } catch let error as DatabaseError where error.message?.contains("no such table") == true {
                try db.execute(sql: "CREATE TEMP TABLE benchmark_floor (id INTEGER PRIMARY KEY, value INTEGER NOT NULL)")
                try db.execute(sql: insert, arguments: [value])
            }
            return .commit
        }
    }

    /// Counts the time spent inside the store when set (the benchmark's measure of registry work).
    public let meter: StoreMeter?

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        guard let meter else { return try queue.read(body) }
        return try meter.measure { try queue.read(body) }
    }

    /// Runs `body` in one transaction; the registry wraps every operation in one.
    func writeWithoutTransaction<T>(_ body: (Database) throws -> T) throws -> T {
        defer { generationCounter.add(1, ordering: .relaxed) }
        guard let meter else { return try queue.writeWithoutTransaction(body) }
        return try meter.measure { try queue.writeWithoutTransaction(body) }
    }

    private let generationCounter = Atomic<Int>(0)

    /// Changes after every write to the store: a cache of something read from it is valid while this stays the same.
    public var generation: Int { generationCounter.load(ordering: .relaxed) }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: accounts, factors, tokens, packages, orgs, mail, audit") { db in
            try db.execute(sql: """
            CREATE TABLE account (
                name TEXT PRIMARY KEY NOT NULL,
                email TEXT NOT NULL,
                password_hash TEXT NOT NULL,
                tfa_mode TEXT NOT NULL DEFAULT 'disabled' CHECK (tfa_mode IN ('disabled', 'auth-only', 'auth-and-writes')),
                tfa_kind TEXT CHECK (tfa_kind IN ('totp', 'security-key')),
                tfa_pending_mode TEXT CHECK (tfa_pending_mode IN ('auth-only', 'auth-and-writes')),
                totp_secret TEXT,
                totp_digits INTEGER NOT NULL DEFAULT 6 CHECK (totp_digits BETWEEN 6 AND 8),
                totp_algorithm TEXT NOT NULL DEFAULT 'sha1' CHECK (totp_algorithm IN ('sha1', 'sha256', 'sha512')),
                totp_last_step INTEGER,
                totp_last_credential TEXT,
                is_staff INTEGER NOT NULL DEFAULT 0,
                created INTEGER NOT NULL,
                updated INTEGER NOT NULL
            );
            CREATE TABLE security_key (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                account TEXT NOT NULL REFERENCES account(name) ON DELETE CASCADE,
                label TEXT NOT NULL,
                public_key BLOB NOT NULL
            );
            CREATE TABLE security_key_challenge (
                challenge BLOB PRIMARY KEY NOT NULL,
                account TEXT NOT NULL REFERENCES account(name) ON DELETE CASCADE,
                expires INTEGER NOT NULL
            );
            CREATE TABLE recovery_code (
                account TEXT NOT NULL REFERENCES account(name) ON DELETE CASCADE,
                digest TEXT NOT NULL,
                used_at INTEGER,
                PRIMARY KEY (account, digest)
            );
            CREATE TABLE second_factor_failure (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                account TEXT NOT NULL REFERENCES account(name) ON DELETE CASCADE,
                at INTEGER NOT NULL
            );
            CREATE INDEX second_factor_failure_by_account ON second_factor_failure(account, at);
            CREATE TABLE token (
                key TEXT PRIMARY KEY NOT NULL CHECK (length(key) = 128),
                prefix TEXT NOT NULL,
                owner TEXT NOT NULL REFERENCES account(name) ON DELETE CASCADE,
                kind TEXT NOT NULL CHECK (kind IN ('read-only', 'publish', 'automation', 'granular', 'session')),
                permission TEXT NOT NULL CHECK (permission IN ('read-only', 'read-write')),
                packages TEXT NOT NULL DEFAULT '[]',
                scopes TEXT NOT NULL DEFAULT '[]',
                cidr TEXT NOT NULL DEFAULT '[]',
                bypass_2fa INTEGER NOT NULL DEFAULT 0,
                description TEXT NOT NULL DEFAULT '',
                created INTEGER NOT NULL,
                expires INTEGER,
                revoked INTEGER
            );
            CREATE INDEX token_by_owner ON token(owner);
            CREATE TABLE oidc_credential (
                key TEXT PRIMARY KEY NOT NULL,
                package TEXT NOT NULL,
                repository TEXT NOT NULL,
                workflow TEXT NOT NULL,
                created INTEGER NOT NULL,
                expires INTEGER NOT NULL,
                used_at INTEGER
            );
            CREATE TABLE org (
                name TEXT PRIMARY KEY NOT NULL,
                requires_2fa INTEGER NOT NULL DEFAULT 0,
                created INTEGER NOT NULL
            );
            CREATE TABLE org_member (
                org TEXT NOT NULL REFERENCES org(name) ON DELETE CASCADE,
                account TEXT NOT NULL REFERENCES account(name) ON DELETE CASCADE,
                role TEXT NOT NULL DEFAULT 'developer' CHECK (role IN ('owner', 'admin', 'developer')),
                PRIMARY KEY (org, account)
            );
            CREATE TABLE package (
                name TEXT PRIMARY KEY NOT NULL,
                created INTEGER NOT NULL,
                modified INTEGER NOT NULL,
                revision INTEGER NOT NULL DEFAULT 1,
                policy TEXT NOT NULL DEFAULT '2fa-not-required' CHECK (policy IN ('2fa-not-required', '2fa-or-token', '2fa-disallow-tokens')),
                trusted_repository TEXT,
                trusted_workflow TEXT,
                trusted_environment TEXT,
                is_public INTEGER NOT NULL DEFAULT 1,
                weekly_downloads INTEGER NOT NULL DEFAULT 0
            );
            CREATE TABLE maintainer (
                package TEXT NOT NULL REFERENCES package(name) ON DELETE CASCADE,
                account TEXT NOT NULL REFERENCES account(name),
                PRIMARY KEY (package, account)
            );
            CREATE TABLE version (
                package TEXT NOT NULL REFERENCES package(name) ON DELETE CASCADE,
                version TEXT NOT NULL,
                integrity TEXT NOT NULL CHECK (integrity LIKE 'sha512-%'),
                shasum TEXT NOT NULL,
                size INTEGER NOT NULL,
                tarball BLOB NOT NULL,
                install_scripts TEXT NOT NULL DEFAULT '{}',
                provenance_repository TEXT,
                provenance_workflow TEXT,
                published_at INTEGER NOT NULL,
                published_by TEXT NOT NULL,
                deprecated TEXT,
                manifest TEXT,
                downloads INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (package, version)
            );
            CREATE TABLE retired_version (
                package TEXT NOT NULL,
                version TEXT NOT NULL,
                at INTEGER NOT NULL,
                reason TEXT NOT NULL,
                PRIMARY KEY (package, version)
            );
            CREATE TABLE dist_tag (
                package TEXT NOT NULL REFERENCES package(name) ON DELETE CASCADE,
                tag TEXT NOT NULL,
                version TEXT NOT NULL,
                PRIMARY KEY (package, tag),
                FOREIGN KEY (package, version) REFERENCES version(package, version) ON DELETE CASCADE
            );
            CREATE TABLE mail (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                address TEXT NOT NULL,
                account TEXT NOT NULL,
                purpose TEXT NOT NULL CHECK (purpose IN ('login-code', 'password-reset', 'notice')),
                subject TEXT NOT NULL,
                code_digest TEXT,
                code TEXT,
                sent INTEGER NOT NULL,
                expires INTEGER,
                used INTEGER
            );
            CREATE TABLE audit (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                at INTEGER NOT NULL,
                operation TEXT NOT NULL,
                actor TEXT,
                credential TEXT NOT NULL,
                source TEXT NOT NULL,
                target TEXT,
                outcome TEXT NOT NULL CHECK (outcome IN ('allowed', 'denied', 'invalid')),
                rule TEXT,
                defense TEXT,
                message TEXT
            );
            CREATE TRIGGER audit_is_append_only_update BEFORE UPDATE ON audit
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
            CREATE TRIGGER audit_is_append_only_delete BEFORE DELETE ON audit
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
            """)
        }
        // Every decision asks whether its account maintains a package (enhanced login verification reached
        // publishers first); the primary key leads with the package, so that question needs its own index.
        migrator.registerMigration("v2: maintainers by account") { db in
            try db.execute(sql: "CREATE INDEX maintainer_by_account ON maintainer(account)")
        }
        // A package unpublished whole holds its name for 24 hours (npm's unpublish policy).
        migrator.registerMigration("v3: unpublished package names") { db in
            try db.execute(sql: "CREATE TABLE unpublished_package (name TEXT PRIMARY KEY NOT NULL, at INTEGER NOT NULL)")
        }
        // A new unscoped name is compared with every existing one, punctuation and case set aside (npm's name
        // similarity rule, Dec 2017): an index on that expression answers it without reading every package.
        migrator.registerMigration("v4: package names without punctuation") { db in
            try db.execute(sql: "CREATE INDEX package_by_squashed_name ON package(\(squashedNameSQL))")
        }
        // A package may have several trusted publishers (up to ten from about 3 Sep 2026), each of a CI provider, and
        // a publisher's environment is checked: they move from three package columns into their own table, and an
        // OIDC credential remembers the whole identity it was minted for.
        migrator.registerMigration("v5: trusted publishers") { db in
            try db.execute(sql: """
            CREATE TABLE trusted_publisher (
                package TEXT NOT NULL REFERENCES package(name) ON DELETE CASCADE,
                seq INTEGER NOT NULL,
                provider TEXT NOT NULL CHECK (provider IN ('github-actions', 'gitlab', 'circleci')),
                repository TEXT NOT NULL,
                workflow TEXT NOT NULL,
                environment TEXT,
                PRIMARY KEY (package, seq)
            );
            INSERT INTO trusted_publisher (package, seq, provider, repository, workflow, environment)
                SELECT name, 1, 'github-actions', trusted_repository, trusted_workflow, trusted_environment
                FROM package WHERE trusted_repository IS NOT NULL AND trusted_workflow IS NOT NULL;
            ALTER TABLE package DROP COLUMN trusted_repository;
            ALTER TABLE package DROP COLUMN trusted_workflow;
            ALTER TABLE package DROP COLUMN trusted_environment;
            ALTER TABLE oidc_credential ADD COLUMN provider TEXT NOT NULL DEFAULT 'github-actions';
            ALTER TABLE oidc_credential ADD COLUMN environment TEXT;
            """)
        }
        // Staged publishing (20 May 2026): a staged version waits, unseen, until a maintainer promotes it with 2FA; a
        // trusted publisher says which of publish and stage it may do.
        migrator.registerMigration("v6: staged versions") { db in
            try db.execute(sql: """
            CREATE TABLE staged_version (
                package TEXT NOT NULL REFERENCES package(name) ON DELETE CASCADE,
                version TEXT NOT NULL,
                dist_tag TEXT NOT NULL,
                integrity TEXT NOT NULL CHECK (integrity LIKE 'sha512-%'),
                shasum TEXT NOT NULL,
                size INTEGER NOT NULL,
                tarball BLOB NOT NULL,
                install_scripts TEXT NOT NULL DEFAULT '{}',
                provenance_repository TEXT,
                provenance_workflow TEXT,
                staged_at INTEGER NOT NULL,
                staged_by TEXT NOT NULL,
                manifest TEXT,
                PRIMARY KEY (package, version)
            );
            ALTER TABLE trusted_publisher ADD COLUMN actions TEXT NOT NULL DEFAULT 'publish,stage';
            """)
        }
        // A high-impact account goes read-only for 72 hours after an email change or a recovery-code use (25 Jun 2026).
        migrator.registerMigration("v7: read-only accounts") { db in
            try db.execute(sql: "ALTER TABLE account ADD COLUMN read_only_until INTEGER")
        }
        // The "read and write (stage only)" permission (10 Sep 2026): the token table's CHECK must admit it, and SQLite
        // changes a CHECK only by rebuilding the table.
        migrator.registerMigration("v8: stage-only tokens") { db in
            try db.execute(sql: """
            CREATE TABLE token_v8 (
                key TEXT PRIMARY KEY NOT NULL CHECK (length(key) = 128),
                prefix TEXT NOT NULL,
                owner TEXT NOT NULL REFERENCES account(name) ON DELETE CASCADE,
                kind TEXT NOT NULL CHECK (kind IN ('read-only', 'publish', 'automation', 'granular', 'session')),
                permission TEXT NOT NULL CHECK (permission IN ('read-only', 'read-write', 'read-write-stage-only')),
                packages TEXT NOT NULL DEFAULT '[]',
                scopes TEXT NOT NULL DEFAULT '[]',
                cidr TEXT NOT NULL DEFAULT '[]',
                bypass_2fa INTEGER NOT NULL DEFAULT 0,
                description TEXT NOT NULL DEFAULT '',
                created INTEGER NOT NULL,
                expires INTEGER,
                revoked INTEGER
            );
            INSERT INTO token_v8 SELECT key, prefix, owner, kind, permission, packages, scopes, cidr, bypass_2fa, description,
                                        created, expires, revoked FROM token;
            DROP TABLE token;
            ALTER TABLE token_v8 RENAME TO token;
            CREATE INDEX token_by_owner ON token(owner);
            """)
        }
        // The website's "skip 2FA for the next 5 minutes" (Feb 2026): a session remembers a recent second factor.
        migrator.registerMigration("v9: second-factor grace") { db in
            try db.execute(sql: "ALTER TABLE token ADD COLUMN second_factor_grace_until INTEGER")
        }
        // Which package versions depend on which packages: npm's unpublish policy refuses a package others depend on.
        migrator.registerMigration("v10: dependencies") { db in
            try db.execute(sql: """
            CREATE TABLE dependency (
                package TEXT NOT NULL,
                version TEXT NOT NULL,
                depends_on TEXT NOT NULL,
                PRIMARY KEY (package, version, depends_on),
                FOREIGN KEY (package, version) REFERENCES version(package, version) ON DELETE CASCADE
            );
            CREATE INDEX dependency_by_target ON dependency(depends_on);
            ALTER TABLE staged_version ADD COLUMN dependencies TEXT NOT NULL DEFAULT '[]';
            """)
        }
        migrator.registerMigration("v11: wrong passwords") { db in
            // Counted for the password throttle (rule auth.password-rate-limited); `account` is the name as sent, which
            // may be no account at all. Throttled attempts are not counted, so rows come at a bounded rate per source.
            try db.execute(sql: """
            CREATE TABLE password_failure (
                id INTEGER PRIMARY KEY,
                account TEXT NOT NULL,
                source TEXT NOT NULL,
                at INTEGER NOT NULL
            );
            CREATE INDEX password_failure_by_account ON password_failure(account, at);
            CREATE INDEX password_failure_by_source ON password_failure(source, at);
            """)
        }
        // A deleted account's name stays taken [I]: npm's page on deleting an account says its holder "will not be
        // able to log back in" and says nothing of the name; giving it to a newcomer would give them its scope.
        migrator.registerMigration("v12: deleted accounts") { db in
            try db.execute(sql: "CREATE TABLE deleted_account (name TEXT PRIMARY KEY NOT NULL, at INTEGER NOT NULL)")
        }
        return migrator
    }

    /// ``PackageName/squashed(_:)`` of `package.name` in SQL (`lower` lowers ASCII letters only, as `squashed` does).
    /// A query uses the v4 index only when it writes the expression exactly so; a change needs a new migration.
    static let squashedNameSQL = "replace(replace(replace(lower(name), '.', ''), '-', ''), '_', '')"
}

/// Time spent inside a store: every registry operation runs inside one read or write, so this is the registry's
/// share of a replay; copies are counted apart.
public final class StoreMeter: Sendable {
    private let state = Mutex<(operations: Int, nanoseconds: UInt64, copies: Int, copyNanoseconds: UInt64)>((0, 0, 0, 0))

    public init() {}

    public var operations: Int { state.withLock { $0.operations } }
    public var nanoseconds: UInt64 { state.withLock { $0.nanoseconds } }
    public var copies: Int { state.withLock { $0.copies } }
    public var copyNanoseconds: UInt64 { state.withLock { $0.copyNanoseconds } }

    func measure<T>(_ body: () throws -> T) rethrows -> T {
        let start = DispatchTime.now().uptimeNanoseconds
        defer {
            let spent = DispatchTime.now().uptimeNanoseconds - start
            state.withLock { $0.operations += 1; $0.nanoseconds += spent }
        }
        return try body()
    }

    func measureCopy(_ body: () throws -> Void) rethrows {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        let spent = DispatchTime.now().uptimeNanoseconds - start
        state.withLock { $0.copies += 1; $0.copyNanoseconds += spent }
    }
}
