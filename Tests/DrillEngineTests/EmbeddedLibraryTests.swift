import DrillEngine
import Foundation
import Testing

/// The library built into the executable is the `scenarios/` folder, file for file.
@Suite("Embedded library: the built-in copy is the scenarios folder")
struct EmbeddedLibraryTests {
    static let generated = URL(fileURLWithPath: ProjectScenarios.directory).deletingLastPathComponent()
        .appendingPathComponent("Sources/DrillEngine/Catalog/EmbeddedLibrary.swift").path

    @Test("EmbeddedLibrary.swift is what the scenarios folder generates")
    func checkedInSourceIsCurrent() throws {
        let expected = try ScenarioLibrary.embeddingSource(of: ProjectScenarios.directory)
        if ProcessInfo.processInfo.environment["UPDATE_EMBEDDED_LIBRARY"] == "1" {
            try expected.write(toFile: Self.generated, atomically: true, encoding: .utf8)
        }
        let checkedIn = try String(contentsOfFile: Self.generated, encoding: .utf8)
        #expect(checkedIn == expected, "a scenario or profile changed: UPDATE_EMBEDDED_LIBRARY=1 swift test --filter EmbeddedLibraryTests, then rebuild")
    }

    @Test("the built-in library has the folder's files with the same bytes, and loads to the same scenarios and profiles")
    func sameFilesSameLibrary() throws {
        let folder = ScenarioLibrary(directory: ProjectScenarios.directory), builtIn = ScenarioLibrary.embedded
        #expect(builtIn.directory == nil && builtIn.location == "(built in)")
        #expect(builtIn.scenarioFiles().map(\.name) == folder.scenarioFiles().map(\.name))
        #expect(builtIn.profileFiles().map(\.name) == folder.profileFiles().map(\.name))
        #expect(!builtIn.scenarioFiles().isEmpty && !builtIn.profileFiles().isEmpty)
        for (a, b) in zip(try builtIn.scenarios(), try folder.scenarios()) {
            #expect(a.id == b.id && a.steps.count == b.steps.count && a.file.hasPrefix("(built in)/"))
        }
        #expect(try builtIn.profiles().map(\.id) == folder.profiles().map(\.id))
        #expect(try builtIn.scenario("eslint-scope-2018").title == folder.scenario("eslint-scope-2018").title)
        #expect(builtIn.validateAll().diagnostics.isEmpty)
    }

    @Test("the library is found from the executable, never from the working directory")
    func locate() throws {
        // The checkout's executable finds the checkout's folder; one outside any checkout gets the built-in copy.
        let checkout = URL(fileURLWithPath: ProjectScenarios.directory).deletingLastPathComponent().path
        #expect(ScenarioLibrary.locate(environment: [:], executable: checkout + "/.build/debug/regdrill").directory == ProjectScenarios.directory)
        #expect(ScenarioLibrary.locate(environment: [:], executable: "/usr/local/bin/regdrill").source == .embedded)
        #expect(ScenarioLibrary.locate(environment: ["REGDRILL_SCENARIOS": ProjectScenarios.directory], executable: "/usr/local/bin/regdrill").directory
                == ProjectScenarios.directory)
        // A variable naming no library folder is passed over.
        #expect(ScenarioLibrary.locate(environment: ["REGDRILL_SCENARIOS": "/nonexistent"], executable: "/usr/local/bin/regdrill").source == .embedded)
    }
}
