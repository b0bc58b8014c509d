import Foundation

/// A file the fuzzer starts from: one of the bundled scenarios or profiles, whose shape the mutations keep
/// close enough to valid that they reach the reader and the checks, not only the YAML parser.
public struct FuzzSeed: Sendable {
    /// Which loader reads the file (the command line decides the same way: a file in a `profiles` folder is a profile).
    public enum Kind: String, Sendable, CaseIterable {
        case scenario, profile
    }

    public var name: String
    public var kind: Kind
    public var bytes: [UInt8]

    public init(name: String, kind: Kind, bytes: [UInt8]) {
        self.name = name; self.kind = kind; self.bytes = bytes
    }

    /// Every `*.yaml` of a scenarios folder and of its `profiles` folder, sorted by name so runs are repeatable.
    public static func bundled(in scenariosDirectory: String) throws -> [FuzzSeed] {
        let fm = FileManager.default
        func files(_ directory: String, _ kind: Kind) throws -> [FuzzSeed] {
            try fm.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".yaml") }.sorted().map { name in
                FuzzSeed(name: name, kind: kind, bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name))))
            }
        }
        return try files(scenariosDirectory, .scenario) + files(scenariosDirectory + "/profiles", .profile)
    }
}
