import Foundation

/// A JSON document built by hand, encoded by `JSONEncoder` with sorted keys.
///
/// Building the tree explicitly (rather than encoding the model types) keeps absent values as explicit
/// `null`s, which synthesised `Codable` would omit, and keeps the schema under this module's control.
enum JSONValue: Encodable, Equatable {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([String: JSONValue])

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .string(let s): try c.encode(s)
        case .int(let i): try c.encode(i)
        case .double(let d): try c.encode(d)
        case .bool(let b): try c.encode(b)
        case .null: try c.encodeNil()
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    /// Pretty-printed, keys sorted, slashes unescaped, with a final newline.
    func rendered() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding a tree of strings, numbers and booleans cannot fail except for a non-finite double,
        // which `init(_ d: Double?)` already turned into null.
        guard let data = try? encoder.encode(self), let text = String(data: data, encoding: .utf8) else { return "{}\n" }
        // Foundation prints an empty array or object over three lines; JSON strings cannot hold a raw
        // newline, so this rewrite cannot touch a value.
        let compact = text.replacingOccurrences(of: "\\[\\n\\s*\\]", with: "[]", options: .regularExpression)
            .replacingOccurrences(of: "\\{\\n\\s*\\}", with: "{}", options: .regularExpression)
        return compact + "\n"
    }
}

extension JSONValue {
    init(_ s: String?) { self = s.map(JSONValue.string) ?? .null }
    init(_ i: Int?) { self = i.map(JSONValue.int) ?? .null }
    init(_ d: Double?) { self = d.flatMap { $0.isFinite ? JSONValue.double($0) : nil } ?? .null }
    init(_ strings: [String]) { self = .array(strings.map(JSONValue.string)) }
}
