import Foundation

/// One file of the hostile corpus and the diagnostic it must end in, as listed in the corpus' README.
public struct HostileCorpusEntry: Sendable, CustomStringConvertible {
    /// The path inside the corpus folder; a file under `profiles/` is a profile.
    public var file: String
    public var kind: String
    /// Text the diagnostic's message contains.
    public var expectedMessage: String
    /// The line the diagnostic points at.
    public var expectedLine: Int

    public var isProfile: Bool { file.hasPrefix("profiles/") }
    public var isRecipe: Bool { file.hasSuffix(".recipe") }
    public var description: String { file }

    /// The path to load: the checked-in file, or for a recipe its expansion, written under `scratch` (in a
    /// `profiles` folder for a profile, so that `regdrill validate` reads it as one).
    public func materialize(corpus folder: String, scratch: String) throws -> String {
        guard isRecipe else { return folder + "/" + file }
        let directory = scratch + (isProfile ? "/profiles" : "")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return try HostileRecipe.read(path: folder + "/" + file).write(named: (file as NSString).lastPathComponent, into: directory)
    }
}

/// The checked-in corpus of hostile scenario and profile files. Its README holds the table of files, kinds and
/// expected diagnostics that the tests read: one list, so the documentation cannot drift from what is tested.
public enum HostileCorpus {
    public struct ReadmeError: Error, CustomStringConvertible {
        public var description: String
    }

    /// The rows of the README's table: ``| `file` | kind | `expected message` | line |``.
    public static func entries(folder: String) throws -> [HostileCorpusEntry] {
        let readme = try String(contentsOfFile: folder + "/README.md", encoding: .utf8)
        var entries: [HostileCorpusEntry] = []
        for line in readme.split(separator: "\n") where line.hasPrefix("| `") {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count == 4, let number = Int(cells[3]) else { throw ReadmeError(description: "a corpus row needs four cells, the last a line number: \(line)") }
            func code(_ cell: String) throws -> String {
                guard cell.count >= 2, cell.hasPrefix("`"), cell.hasSuffix("`") else { throw ReadmeError(description: "'\(cell)' should be in backquotes: \(line)") }
                return String(cell.dropFirst().dropLast())
            }
            entries.append(HostileCorpusEntry(file: try code(cells[0]), kind: cells[1], expectedMessage: try code(cells[2]), expectedLine: number))
        }
        return entries
    }

    /// Every file of the corpus but its README, as paths inside the folder.
    public static func files(folder: String) throws -> [String] {
        let all = try FileManager.default.subpathsOfDirectory(atPath: folder)
        return all.filter { path in
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: folder + "/" + path, isDirectory: &isDirectory)
            return exists && !isDirectory.boolValue && path != "README.md"
        }.sorted()
    }
}
