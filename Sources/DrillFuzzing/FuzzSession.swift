import Foundation

/// A fuzzing run: mutates the seeds, loads each input through the loaders and keeps the figures.
///
/// Each input is written to a file in the in-flight folder before it is loaded (the loaders read files, and
/// reading is part of what is tested) and removed after: when a trap kills the process, the input that caused
/// it is the one left there. Scenario inputs go to `scenario.yaml`, profile inputs to `profiles/profile.yaml`,
/// so `regdrill validate` reads a left-behind file with the same loader.
public struct FuzzSession {
    public struct Failure: Sendable {
        public var input: [UInt8]
        public var kind: FuzzSeed.Kind
        public var seedName: String
        public var mutations: [Mutation]
        public var violations: [String]
    }

    public private(set) var executions = 0
    public private(set) var loaded = 0
    /// Inputs that broke an invariant; the first `keptFailures` are kept with their input.
    public private(set) var failureCount = 0
    public private(set) var failures: [Failure] = []
    let keptFailures = 100
    public private(set) var slowest: (duration: Duration, seedName: String, mutations: [Mutation], size: Int)?
    /// Executions per mutation, to show that each kind of mutation ran.
    public private(set) var mutationCounts: [Mutation: Int] = [:]

    let seeds: [FuzzSeed]
    let mutator: Mutator
    let oracle: LoaderOracle
    let inFlightDirectory: String
    var rng: SplitMix64
    /// Mutants that loaded: mutating them again goes further from the seeds while staying mostly valid.
    var pool: [(seed: FuzzSeed, bytes: [UInt8])] = []
    let poolLimit = 64

    /// - Parameter maximumSize: inputs are cut to this many bytes (the default reaches past the loaders' byte limit).
    public init(seeds: [FuzzSeed], seed: UInt64, inFlightDirectory: String, oracle: LoaderOracle = .init(), maximumSize: Int = 1_200_000) throws {
        precondition(!seeds.isEmpty, "the fuzzer needs seed files")
        self.seeds = seeds
        self.mutator = Mutator(donors: seeds.map(\.bytes), maximumSize: maximumSize)
        self.oracle = oracle
        self.inFlightDirectory = inFlightDirectory
        self.rng = SplitMix64(seed: seed)
        try FileManager.default.createDirectory(atPath: inFlightDirectory + "/profiles", withIntermediateDirectories: true)
    }

    /// The file an input of this kind is written to while it is loaded.
    public static func inFlightPath(_ directory: String, _ kind: FuzzSeed.Kind) -> String {
        switch kind {
        case .scenario: directory + "/scenario.yaml"
        case .profile: directory + "/profiles/profile.yaml"
        }
    }

    /// Generates, loads and checks one input. Returns its failure, if it broke an invariant.
    @discardableResult
    public mutating func runOne() throws -> Failure? {
        let parent: (seed: FuzzSeed, bytes: [UInt8])
        if !pool.isEmpty && rng.chance(1, in: 4) {
            parent = pool.randomElement(using: &rng)!
        } else {
            let seed = seeds.randomElement(using: &rng)!
            parent = (seed, seed.bytes)
        }
        let (bytes, mutations) = mutator.mutate(parent.bytes, using: &rng)
        let path = Self.inFlightPath(inFlightDirectory, parent.seed.kind)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let verdict = oracle.check(path: path, bytes: bytes, kind: parent.seed.kind)
        try FileManager.default.removeItem(atPath: path)

        executions += 1
        for m in mutations { mutationCounts[m, default: 0] += 1 }
        if slowest == nil || verdict.duration > slowest!.duration {
            slowest = (verdict.duration, parent.seed.name, mutations, bytes.count)
        }
        if verdict.loaded {
            loaded += 1
            if pool.count < poolLimit { pool.append((parent.seed, bytes)) } else { pool[Int.random(in: 0..<poolLimit, using: &rng)] = (parent.seed, bytes) }
        }
        guard verdict.violations.isEmpty else {
            let failure = Failure(input: bytes, kind: parent.seed.kind, seedName: parent.seed.name, mutations: mutations, violations: verdict.violations)
            failureCount += 1
            if failures.count < keptFailures { failures.append(failure) }
            return failure
        }
        return nil
    }
}
