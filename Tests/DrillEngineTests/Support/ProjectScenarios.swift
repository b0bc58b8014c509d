import DrillEngine
import Foundation

/// The project's own `scenarios/` folder, found from this source file (tests may run from any directory).
enum ProjectScenarios {
    static let directory: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }  // Support, DrillEngineTests, Tests, package root
        return url.appendingPathComponent("scenarios").path
    }()

    static var library: ScenarioLibrary? {
        FileManager.default.fileExists(atPath: directory + "/profiles") ? ScenarioLibrary(directory: directory) : ScenarioLibrary.locate()
    }
}
