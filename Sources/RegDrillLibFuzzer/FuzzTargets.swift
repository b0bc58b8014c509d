// regdrill-libfuzzer: coverage-guided fuzz targets, for libFuzzer.
//
//   scenario   the scenario loader, with LoaderOracle's invariants (a refusal says why and where, loading is
//              deterministic, no input is slow)
//   profile    the profile loader, the same
//   request    the server's request decoding (RequestDecodingProbe: target, route, credential, second factor,
//              Host, body as JSON, form and tarball)
//
// scripts/fuzz-libfuzzer.sh builds it with `-sanitize=fuzzer -DLIBFUZZER -parse-as-library` and runs one target
// (named by REGDRILL_FUZZ_TARGET) under libFuzzer, which keeps every input that crashes or breaks an invariant. An
// ordinary build (`swift build`) makes a replayer instead, which runs saved inputs through a target once each:
//
//   regdrill-libfuzzer TARGET FILE-OR-FOLDER...     exit 0: every invariant held; 1: some did not; 2: usage

import DrillEngine
import DrillFuzzing
import DrillServer
import Foundation

enum FuzzTarget: String, CaseIterable {
    case scenario, profile, request

    /// The invariants `bytes` broke in this target; empty when all held.
    func violations(_ bytes: [UInt8]) -> [String] {
        switch self {
        case .scenario: LoaderOracle().check(path: "fuzz-input.yaml", bytes: bytes, kind: .scenario).violations
        case .profile: LoaderOracle().check(path: "fuzz-input.yaml", bytes: bytes, kind: .profile).violations
        case .request: RequestDecodingProbe.violations(bytes)
        }
    }
}

func standardError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

#if LIBFUZZER

/// The target this process fuzzes, from the environment (libFuzzer owns the command line).
let selectedTarget: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["REGDRILL_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
        standardError("regdrill-libfuzzer: set REGDRILL_FUZZ_TARGET to one of \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))")
        exit(2)
    }
    return target
}()

/// libFuzzer's entry for one input. A broken invariant is reported and ends the process like a crash, so libFuzzer
/// saves the input (its `crash-*` file) as it does for a trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let problems = selectedTarget.violations(bytes)
    if !problems.isEmpty {
        standardError("regdrill-libfuzzer: \(selectedTarget.rawValue): invariant broken:\n  " + problems.joined(separator: "\n  "))
        abort()
    }
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                     _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// SwiftPM links an executable's entry as `<module>_main`; `-sanitize=fuzzer` links libFuzzer's own `main` as well.
/// Whichever the linker keeps, the run is the same: libFuzzer's driver calling ``testOneInput(_:_:)``.
@_cdecl("RegDrillLibFuzzer_main")
public func libFuzzerEntry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    var count = argc, arguments = argv
    return runFuzzerDriver(&count, &arguments, testOneInput)
}

#else

/// The replayer: each saved input through a target, once.
@main
enum Replayer {
    static let usage = "usage: regdrill-libfuzzer \(FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")) FILE-OR-FOLDER..."

    static func main() {
        var arguments = CommandLine.arguments.dropFirst()
        guard let name = arguments.popFirst(), let target = FuzzTarget(rawValue: name), !arguments.isEmpty else {
            standardError(usage)
            exit(2)
        }
        var inputs: [String] = []
        for path in arguments {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
                standardError("regdrill-libfuzzer: there is no file \(path)")
                exit(2)
            }
            if isFolder.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
                inputs += names.filter { !$0.hasPrefix(".") }.sorted().map { (path as NSString).appendingPathComponent($0) }
            } else {
                inputs.append(path)
            }
        }
        var failed = 0
        for path in inputs {
            guard let data = FileManager.default.contents(atPath: path) else { continue }   // a folder inside: not an input
            let problems = target.violations([UInt8](data))
            if problems.isEmpty { continue }
            failed += 1
            print("\(path):\n  " + problems.joined(separator: "\n  "))
        }
        print("\(inputs.count) input\(inputs.count == 1 ? "" : "s") through \(target.rawValue): \(failed) broke an invariant")
        exit(failed == 0 ? 0 : 1)
    }
}

#endif
