import Foundation

/// A hostile file too large to check in, described by how to build it: `head`, then `chunk` repeated `count`
/// times (with `{i}` replaced by the repetition's number), then `tail`. Stored as JSON in a `.recipe` file.
///
/// Ten megabytes or a million steps would bloat the repository and every clone of it; the recipe is a few
/// hundred bytes and expands to the same file every time.
public struct HostileRecipe: Codable, Sendable {
    public var head: String
    public var chunk: String
    public var count: Int
    public var tail: String

    public init(head: String, chunk: String, count: Int, tail: String) {
        self.head = head; self.chunk = chunk; self.count = count; self.tail = tail
    }

    public static func read(path: String) throws -> HostileRecipe {
        try JSONDecoder().decode(HostileRecipe.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// The file's bytes.
    public func expand() -> [UInt8] {
        let parts = chunk.components(separatedBy: "{i}").map { Array($0.utf8) }
        var bytes = Array(head.utf8)
        bytes.reserveCapacity(head.utf8.count + count * (chunk.utf8.count + 8) + tail.utf8.count)
        for i in 0..<count {
            bytes += parts[0]
            for part in parts.dropFirst() { bytes += Array(String(i).utf8); bytes += part }
        }
        bytes += Array(tail.utf8)
        return bytes
    }

    /// Writes the expanded file into `directory`, named after the recipe (`ten-megabytes.recipe` becomes
    /// `ten-megabytes.yaml`), and returns its path.
    public func write(named recipeName: String, into directory: String) throws -> String {
        let name = (recipeName as NSString).deletingPathExtension + ".yaml"
        let path = directory + "/" + name
        try Data(expand()).write(to: URL(fileURLWithPath: path))
        return path
    }
}
