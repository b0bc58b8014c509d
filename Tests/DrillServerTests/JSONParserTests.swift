@testable import DrillServer
import Foundation
import Testing

/// The server's JSON parser against `JSONDecoder`, which it replaced (the reference below): the same values for the
/// same documents, the one stated difference aside. (Its cost per byte, whatever the values, is measured by
/// `regdrill-bench`, "JSON bodies".)
@Suite struct JSONParserTests {
    /// What the server used to do.
    static func reference(_ bytes: [UInt8]) -> JSONValue? { try? JSONDecoder().decode(JSONValue.self, from: Data(bytes)) }

    @Test("Documents both read alike", arguments: [
        #"{"a":1,"a":2}"#, #""\ud800""#, #""\ud800\udc00""#, "1e400", "-1e400", "-0", "01", "1.", ".5", "+1", " [1] ", #""a\u0000b""#,
        "\"\u{1}\"", "tru", "nul", "true", "false", "null", "1E5", "-1.5e+3", "1e-7", "0.000001", #""\/""#, "\u{FEFF}[1]", "[1]\u{0}",
        "\"\u{7f}\"", "[1] x", #""\ud800\u0041""#, #""\udc00""#, #""\uD83D\uDE00 ok""#, #""\x""#, #""\u12""#, #""\u12G4""#, "\"abc",
        "{", "[", "{\"a\"}", "{\"a\":}", "{1:2}", "[1 2]", "{\"a\":1 \"b\":2}", "", " ", "\"é – ü 😀\"", #"{"name":"left-pad","versions":{"1.0.0":{"scripts":{}}}}"#,
        "[[[]]]", "{\"\":{\"\":[]}}", "123456789012345678901234567890", "1.7976931348623157e308", "2.5e-324", "[true,false,null]",
        "\t\n\r [ 1 , \"a\" ] \n", "\"tab\there\"", "\"line\nbreak\"", #""\b\f\n\r\t\"\\""#,
    ])
    func agrees(_ text: String) {
        let bytes = Array(text.utf8)
        #expect(JSONValue.parse(bytes) == Self.reference(bytes), "\(text.debugDescription)")
    }

    @Test("Invalid UTF-8 in strings is refused, as before", arguments: [
        [0x22, 0xFF, 0x22], [0x22, 0xC0, 0xAF, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xE2, 0x82, 0x22], [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],
    ] as [[UInt8]])
    func invalidUTF8(_ bytes: [UInt8]) {
        #expect(JSONValue.parse(bytes) == nil)
        #expect(Self.reference(bytes) == nil)
    }

    @Test func nestingIsBoundedAsBefore() {
        for depth in [511, 512, 513, 100_000] {
            let bytes = Array((String(repeating: "[", count: depth) + String(repeating: "]", count: depth)).utf8)
            #expect((JSONValue.parse(bytes) != nil) == (depth <= JSONParser.maximumDepth), "depth \(depth)")
            if depth <= 1000 { #expect((JSONValue.parse(bytes) != nil) == (Self.reference(bytes) != nil), "depth \(depth)") }
        }
    }

    @Test func trailingCommasAreRefusedNow() {
        // The one difference: JSONDecoder let these through; RFC 8259 does not, and npm never sends them.
        for text in ["[1,]", "{\"a\":1,}"] {
            #expect(Self.reference(Array(text.utf8)) != nil)
            #expect(JSONValue.parse(Array(text.utf8)) == nil)
        }
    }

    /// Random documents, then random damage to them: both parsers agree on every input that has no trailing comma.
    @Test func agreesOnRandomDocumentsAndTheirMutations() {
        var rng = SplitMix(seed: 21)
        var compared = 0
        for _ in 0..<1500 {
            let document = Self.randomValue(&rng, depth: 0).encoded()
            #expect(JSONValue.parse(document) == Self.reference(document))
            var damaged = document
            for _ in 0..<Int(rng.next() % 3 + 1) where !damaged.isEmpty {
                let i = Int(rng.next() % UInt64(damaged.count))
                switch rng.next() % 3 {
                case 0: damaged.remove(at: i)
                case 1: damaged.insert(Self.damage[Int(rng.next() % UInt64(Self.damage.count))], at: i)
                default: damaged[i] = UInt8(truncatingIfNeeded: rng.next())
                }
            }
            let text = String(decoding: damaged, as: UTF8.self).filter { !$0.isWhitespace }
            if text.contains(",]") || text.contains(",}") { continue }
            #expect(JSONValue.parse(damaged) == Self.reference(damaged), "\(String(decoding: damaged, as: UTF8.self).debugDescription)")
            compared += 1
        }
        #expect(compared > 1000)
    }

    /// Bytes that damage JSON most: structure, quotes, escapes, number parts, DEL.
    static let damage = Array("{}[]\",:\\-.e0u\u{7f}".utf8)

    static func randomValue(_ rng: inout SplitMix, depth: Int) -> JSONValue {
        switch rng.next() % (depth > 4 ? 4 : 6) {
        case 0: return .null
        case 1: return .bool(rng.next() % 2 == 0)
        case 2: return .number([0, -1, 3.25, 1e21, -2.5e-7, 42, 9007199254740993][Int(rng.next() % 7)])
        case 3: return .string(["", "a", "é😀", "quote\"back\\slash", "\u{0}\u{1F}", "/x/", "\u{2028}"][Int(rng.next() % 7)])
        case 4: return .array((0..<Int(rng.next() % 4)).map { _ in randomValue(&rng, depth: depth + 1) })
        default:
            var members: [String: JSONValue] = [:]
            for i in 0..<Int(rng.next() % 4) { members["k\(i)\(["", "é", "\""][Int(rng.next() % 3)])"] = randomValue(&rng, depth: depth + 1) }
            return .object(members)
        }
    }
}

/// A small deterministic generator for the random documents.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
