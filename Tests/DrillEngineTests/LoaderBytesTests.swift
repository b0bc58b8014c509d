import DrillEngine
import Foundation
import Testing

/// `ScenarioLoader.load(bytes:file:)` and `ProfileLoader.load(bytes:file:)`, through which the coverage-guided fuzzer
/// drives the loaders, answer exactly as loading the file from disk does: the same scenario or profile, the same
/// diagnostics, for the bundled library and for every hostile file (wrong encodings, NUL bytes, binary garbage).
@Suite struct LoaderBytesTests {
    static let hostile: String = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent("hostile").path

    static func files(_ folder: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".bin") }.sorted().map { folder + "/" + $0 }
    }

    static func outcome<T>(_ load: () throws(ValidationFailure) -> T) -> (loaded: String?, diagnostics: [Diagnostic]) {
        do throws(ValidationFailure) {
            var model = ""
            dump(try load(), to: &model)
            return (model, [])
        } catch {
            return (nil, error.diagnostics)
        }
    }

    /// Loads each file both ways and expects the same outcome.
    static func expectTheSame<T>(_ paths: [String], fromDisk: (String) throws(ValidationFailure) -> T,
                                 fromBytes: ([UInt8], String) throws(ValidationFailure) -> T) throws {
        for path in paths {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            let disk = outcome { () throws(ValidationFailure) in try fromDisk(path) }
            let memory = outcome { () throws(ValidationFailure) in try fromBytes(bytes, path) }
            #expect(disk.loaded == memory.loaded, "\(path)")
            #expect(disk.diagnostics == memory.diagnostics, "\(path)")
        }
    }

    @Test func scenariosLoadTheSameFromBytes() throws {
        let paths = Self.files(ProjectScenarios.directory) + Self.files(Self.hostile)
        #expect(paths.count >= 30)
        try Self.expectTheSame(paths, fromDisk: { path throws(ValidationFailure) in try ScenarioLoader.load(path: path) },
                               fromBytes: { bytes, path throws(ValidationFailure) in try ScenarioLoader.load(bytes: bytes, file: path) })
    }

    @Test func profilesLoadTheSameFromBytes() throws {
        let paths = Self.files(ProjectScenarios.directory + "/profiles") + Self.files(Self.hostile + "/profiles")
        #expect(paths.count >= 14)
        try Self.expectTheSame(paths, fromDisk: { path throws(ValidationFailure) in try ProfileLoader.load(path: path) },
                               fromBytes: { bytes, path throws(ValidationFailure) in try ProfileLoader.load(bytes: bytes, file: path) })
    }

    @Test func bytesOverTheLimitAreRefusedUnread() {
        let big = [UInt8](repeating: 0x61, count: LoadLimits().maximumBytes + 1)
        let outcome = Self.outcome { () throws(ValidationFailure) in try ScenarioLoader.load(bytes: big, file: "big.yaml") }
        #expect(outcome.loaded == nil)
        #expect(outcome.diagnostics.first?.message.contains("more than") == true)
    }
}
