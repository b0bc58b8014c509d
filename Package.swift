// swift-tools-version:6.2
// Hummingbird 2.28 declares tools 6.2, so this package does too.
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "registry-drill",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "regdrill", targets: ["RegDrill"]),
        .executable(name: "regdrill-bench", targets: ["RegDrillBench"]),
        .executable(name: "regdrill-fuzz", targets: ["RegDrillFuzz"]),
        .executable(name: "regdrill-libfuzzer", targets: ["RegDrillLibFuzzer"]),
        .library(name: "DrillRegistry", targets: ["DrillRegistry"]),
        .library(name: "DrillEngine", targets: ["DrillEngine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // OpenSSL's libcrypto through pkg-config (Debian: libssl-dev).
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"]), .brew(["openssl@3"])]
        ),
        // HMAC, HOTP/TOTP, base32, password hashing, token digests, signatures. No hand-rolled primitives.
        .target(name: "DrillCrypto", dependencies: ["COpenSSL"], swiftSettings: strict),
        // The simulated registry: model, policy (the rules), eras, store (SQLite), audit log, clock.
        .target(
            name: "DrillRegistry",
            dependencies: ["DrillCrypto", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict
        ),
        // Scenario and profile files, validation, defenses, the replay engine, outcomes.
        .target(name: "DrillEngine", dependencies: ["DrillRegistry", "Yams"], swiftSettings: strict),
        // Renders outcomes: text, Markdown, JSON, HTML, JUnit. No rules of its own.
        .target(name: "DrillReports", dependencies: ["DrillEngine"], swiftSettings: strict),
        // The npm registry HTTP API over the same registry and policy.
        .target(
            name: "DrillServer",
            dependencies: [
                "DrillRegistry", "DrillEngine",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "RegDrill",
            dependencies: [
                "DrillCrypto", "DrillRegistry", "DrillEngine", "DrillReports", "DrillServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "RegDrillBench",
            // DrillServer: its JSON parser, timed on request bodies.
            dependencies: ["DrillCrypto", "DrillRegistry", "DrillEngine", "DrillServer"],
            swiftSettings: strict
        ),
        // Mutations of scenario and profile files and the invariants the loaders must keep, shared by the fuzzer and the tests.
        .target(name: "DrillFuzzing", dependencies: ["DrillEngine"], swiftSettings: strict),
        // The property-based fuzzer of the scenario and profile loaders (scripts/fuzz-loader.sh runs it).
        .executableTarget(name: "RegDrillFuzz", dependencies: ["DrillFuzzing"], swiftSettings: strict),
        // Coverage-guided fuzz targets (loaders, request decoding) for libFuzzer (scripts/fuzz-libfuzzer.sh builds them
        // with -sanitize=fuzzer); an ordinary build replays saved inputs through them.
        .executableTarget(name: "RegDrillLibFuzzer", dependencies: ["DrillFuzzing", "DrillServer"], swiftSettings: strict),
        .testTarget(name: "DrillCryptoTests", dependencies: ["DrillCrypto"], swiftSettings: strict),
        .testTarget(
            name: "DrillRegistryTests",
            // DrillCrypto computes the codes and signatures a user's devices would; GRDB reaches the audit table directly.
            dependencies: ["DrillRegistry", "DrillCrypto", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict
        ),
        .testTarget(name: "DrillEngineTests", dependencies: ["DrillEngine", "DrillFuzzing"], resources: [.copy("Fixtures")], swiftSettings: strict),
        .testTarget(name: "DrillReportsTests", dependencies: ["DrillReports"], resources: [.copy("Golden")], swiftSettings: strict),
        // Black-box tests of the built `regdrill` binary: exit codes, formats, the README's commands.
        // DrillFuzzing expands the hostile corpus' recipes (files too large to check in).
        // RegDrillLibFuzzer: its replayer runs the kept fuzz inputs.
        .testTarget(name: "RegDrillTests", dependencies: ["RegDrill", "RegDrillLibFuzzer", "DrillRegistry", "DrillEngine", "DrillFuzzing"],
                    swiftSettings: strict),
        .testTarget(
            name: "DrillServerTests",
            dependencies: [
                "DrillServer",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            // Hostile/: the checked-in corpus of hostile requests replayed against a live server; FuzzRegressions/: inputs
            // the request-decoding fuzz target keeps (scripts/fuzz-libfuzzer.sh).
            resources: [.copy("Hostile"), .copy("FuzzRegressions")],
            swiftSettings: strict
        ),
    ]
)
