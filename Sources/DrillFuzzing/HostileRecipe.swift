import Foundation

/// A hostile file too large to check in, described by how to build it: parts, each a text repeated `count`
/// times (once by default), with `{i}` replaced by the repetition's number. Stored as JSON in a `.recipe` file.
///
/// Ten megabytes or a million steps would bloat the repository and every clone of it; the recipe is a few
/// hundred bytes and expands to the same file every time.
public struct HostileRecipe: Codable, Sendable {
    public struct Part: Codable, Sendable {
        public var text: String
        public var count: Int?

        public init(_ text: String, count: Int? = nil) { self.text = text; self.count = count }
    }

    public var parts: [Part]

    public init(parts: [Part]) { self.parts = parts }

    public static func read(path: String) throws -> HostileRecipe {
        try JSONDecoder().decode(HostileRecipe.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// The file's bytes.
    public func expand() -> [UInt8] {
        var bytes: [UInt8] = []
        for part in parts {
            let pieces = part.text.components(separatedBy: "{i}").map { Array($0.utf8) }
            let count = part.count ?? 1
            bytes.reserveCapacity(bytes.count + count * (part.text.utf8.count + 8))
            for i in 0..<count {
                bytes += pieces[0]
                for piece in pieces.dropFirst() { bytes += Array(String(i).utf8); bytes += piece }
            }
        }
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
