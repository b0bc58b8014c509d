/// One way of changing a file. Blind byte and line edits find what nobody thought of; the structure-aware
/// ones aim at what a scenario file's reader must survive (aliases, nesting, huge or absurd values, broken
/// text, repeated keys, steps that name each other).
public enum Mutation: String, Sendable, CaseIterable {
    case flipBit, insertByte, deleteBytes
    case duplicateLine, deleteLine, swapLines, spliceLines, repeatLines
    case anchorAndAlias, aliasBomb, nestDeeply
    case hugeNumber, timeOutOfRange, controlCharacter, invalidUTF8, tab, yamlIndicator
    case duplicateKey, stepCycle
}

/// Applies random mutations to file contents, deterministically from the generator it is given.
public struct Mutator: Sendable {
    /// Files to splice lines from.
    public var donors: [[UInt8]]
    /// Inputs are cut back to this size: a bit over the loader's byte limit, so the limit is met now and then
    /// without every input being refused for its size.
    public var maximumSize: Int

    public init(donors: [[UInt8]], maximumSize: Int = 1_200_000) {
        self.donors = donors; self.maximumSize = maximumSize
    }

    /// Applies one to `maximumStack` mutations and returns the result with the mutations' names.
    public func mutate(_ input: [UInt8], maximumStack: Int = 4, using rng: inout SplitMix64) -> (bytes: [UInt8], mutations: [Mutation]) {
        var bytes = input
        var applied: [Mutation] = []
        for _ in 0..<Int.random(in: 1...maximumStack, using: &rng) {
            let mutation = Mutation.allCases.randomElement(using: &rng)!
            bytes = apply(mutation, to: bytes, using: &rng)
            applied.append(mutation)
        }
        if bytes.count > maximumSize { bytes.removeLast(bytes.count - maximumSize) }
        return (bytes, applied)
    }

    /// One mutation. A mutation that finds nothing to work on (no key line, no step) falls back to a byte edit.
    public func apply(_ mutation: Mutation, to input: [UInt8], using rng: inout SplitMix64) -> [UInt8] {
        var bytes = input
        var lines = Lines(bytes)
        let keys = lines.keyLines()
        func anyOffset() -> Int { Int.random(in: 0...bytes.count, using: &rng) }
        switch mutation {
        case .flipBit:
            guard !bytes.isEmpty else { return [UInt8.random(in: 0...255, using: &rng)] }
            bytes[Int.random(in: 0..<bytes.count, using: &rng)] ^= 1 << UInt8.random(in: 0...7, using: &rng)
            return bytes
        case .insertByte:
            let interesting: [UInt8] = [0x00, 0x09, 0x0A, 0x0D, 0x20, 0x22, 0x23, 0x26, 0x27, 0x2A, 0x2D, 0x3A, 0x5B, 0x7B, 0x7F, 0x80, 0xC0, 0xFF]
            let byte = rng.chance(1, in: 2) ? interesting.randomElement(using: &rng)! : UInt8.random(in: 0...255, using: &rng)
            bytes.insert(contentsOf: Array(repeating: byte, count: rng.skewedSize(upTo: 8)), at: anyOffset())
            return bytes
        case .deleteBytes:
            guard !bytes.isEmpty else { return bytes }
            let start = Int.random(in: 0..<bytes.count, using: &rng)
            bytes.removeSubrange(start..<min(bytes.count, start + rng.skewedSize(upTo: 64)))
            return bytes
        case .duplicateLine:
            guard !lines.items.isEmpty else { return bytes }
            let i = Int.random(in: 0..<lines.items.count, using: &rng)
            lines.items.insert(lines.items[i], at: i)
        case .deleteLine:
            guard !lines.items.isEmpty else { return bytes }
            lines.items.remove(at: Int.random(in: 0..<lines.items.count, using: &rng))
        case .swapLines:
            guard lines.items.count > 1 else { return bytes }
            lines.items.swapAt(Int.random(in: 0..<lines.items.count, using: &rng), Int.random(in: 0..<lines.items.count, using: &rng))
        case .spliceLines:
            guard let donor = donors.randomElement(using: &rng) else { return bytes }
            let other = Lines(donor).items
            guard !other.isEmpty else { return bytes }
            let start = Int.random(in: 0..<other.count, using: &rng)
            let chunk = other[start..<min(other.count, start + rng.skewedSize(upTo: 40))]
            lines.items.insert(contentsOf: chunk, at: Int.random(in: 0...lines.items.count, using: &rng))
        case .repeatLines:
            // A block repeated many times: more steps, accounts or values than the limits allow, or a file over the byte limit.
            guard !lines.items.isEmpty else { return bytes }
            let start = Int.random(in: 0..<lines.items.count, using: &rng)
            let block = Array(lines.items[start..<min(lines.items.count, start + rng.skewedSize(upTo: 12))])
            let blockSize = block.reduce(0) { $0 + $1.count + 1 }
            let times = min(rng.skewedSize(upTo: 20_000), max(1, (maximumSize - bytes.count) / max(1, blockSize)))
            lines.items.insert(contentsOf: Array(repeatElement(block, count: times).joined()), at: start)
        case .anchorAndAlias:
            let valued = keys.filter { $0.hasValueSlot }
            guard let anchored = valued.randomElement(using: &rng), let aliased = valued.randomElement(using: &rng) else { return byteEdit(bytes, &rng) }
            let name = Array("a\(Int.random(in: 0...9, using: &rng))".utf8)
            lines.items[aliased.line].replaceSubrange(aliased.valueStart..., with: [0x2A] + name)  // *name
            lines.items[anchored.line].insert(contentsOf: [0x26] + name + [0x20], at: anchored.valueStart)  // &name
        case .aliasBomb:
            // A "billion laughs" chain: each level lists the one above `width` times.
            guard let key = keys.filter({ !$0.isListItem }).randomElement(using: &rng) else { return byteEdit(bytes, &rng) }
            let levels = Int.random(in: 2...10, using: &rng), width = Int.random(in: 2...10, using: &rng)
            let indent = String(repeating: " ", count: key.indent)
            var chain = ["\(indent)lol0: &lol0 [lol, lol]"]
            for level in 1..<levels {
                chain.append("\(indent)lol\(level): &lol\(level) [" + Array(repeating: "*lol\(level - 1)", count: width).joined(separator: ", ") + "]")
            }
            lines.items.insert(contentsOf: chain.map { Array($0.utf8) }, at: key.line)
        case .nestDeeply:
            let depth = rng.skewedSize(upTo: 3_000)
            let value: String
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: value = String(repeating: "[", count: depth) + "x" + String(repeating: "]", count: depth)
            case 1: value = String(repeating: "{k: ", count: depth) + "x" + String(repeating: "}", count: depth)
            case 2: value = String(repeating: "[", count: depth)  // never closed
            default: value = String(repeating: "- ", count: depth) + "x"
            }
            if let key = keys.filter({ $0.hasValueSlot }).randomElement(using: &rng), rng.chance(3, in: 4) {
                lines.items[key.line].replaceSubrange(key.valueStart..., with: Array(value.utf8))
            } else {
                // Block mappings, one level of indentation per line.
                let at = Int.random(in: 0...lines.items.count, using: &rng)
                let nested = (0..<min(depth, 1_400)).map { Array((String(repeating: " ", count: $0) + "k:").utf8) }
                lines.items.insert(contentsOf: nested, at: at)
            }
        case .hugeNumber:
            let numbers = ["99999999999999999999999999999999", "-99999999999999999999", "9223372036854775808", "-9223372036854775809",
                           "1e400", "-1e400", ".inf", "-.inf", ".nan", "0x7FFFFFFFFFFFFFFFFF", "0o777777777777777777777777", "1_000_000_000_000_000_000_000",
                           "4.9e-324", "1.7976931348623157e308", "0.000000000000000000000000001", String(repeating: "9", count: 5_000)]
            guard let key = keys.filter({ $0.hasValueSlot }).randomElement(using: &rng) else { return byteEdit(bytes, &rng) }
            lines.items[key.line].replaceSubrange(key.valueStart..., with: Array(numbers.randomElement(using: &rng)!.utf8))
        case .timeOutOfRange:
            let times = ["9999-12-31T23:59:59Z", "0000-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "1900-01-01T00:00:00Z", "2100-01-01T00:00:01Z",
                         "2018-02-30T10:00:00Z", "2018-13-01T00:00:00Z", "2018-07-12T25:61:61Z", "-2018-07-12T00:00:00Z",
                         "99999999-01-01T00:00:00Z", "2018-07-12T09:49:00+99:99", "2018-07-12", "2018-07-12T09:49:00.999999999999Z",
                         "292277026596-12-04T15:30:07Z", "29200000000000-01-01T00:00:00Z", "9999-99-99", "2018-00-00"]
            let timeKeys = ["at", "expires", "createdBefore", "date", "era"]
            let candidates = keys.filter { $0.hasValueSlot }
            let preferred = candidates.filter { timeKeys.contains(lines.key(of: $0)) }
            guard let key = (preferred.isEmpty || rng.chance(1, in: 5) ? candidates : preferred).randomElement(using: &rng) else { return byteEdit(bytes, &rng) }
            lines.items[key.line].replaceSubrange(key.valueStart..., with: Array(times.randomElement(using: &rng)!.utf8))
        case .controlCharacter:
            let controls: [Unicode.Scalar] = ["\u{0}", "\u{1}", "\u{8}", "\u{B}", "\u{C}", "\u{1B}", "\u{7F}", "\u{85}", "\u{9F}", "\u{A0}",
                                              "\u{2028}", "\u{2029}", "\u{FEFF}", "\u{FFFE}", "\u{FFFF}", "\u{10FFFF}", "\u{202E}", "\u{200B}", "\r"]
            let scalar = controls.randomElement(using: &rng)!
            bytes.insert(contentsOf: Array(String(scalar).utf8), at: valueOffset(keys, lines, &rng) ?? anyOffset())
            return bytes
        case .invalidUTF8:
            let sequences: [[UInt8]] = [[0xFF], [0xFE, 0xFF], [0xC3, 0x28], [0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80],
                                        [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xE9]]
            bytes.insert(contentsOf: sequences.randomElement(using: &rng)!, at: valueOffset(keys, lines, &rng) ?? anyOffset())
            return bytes
        case .tab:
            guard !lines.items.isEmpty else { return [0x09] }
            let i = Int.random(in: 0..<lines.items.count, using: &rng)
            let indent = lines.items[i].prefix { $0 == 0x20 }.count
            if indent > 0 && rng.chance(1, in: 2) {
                lines.items[i].replaceSubrange(0..<indent, with: [0x09])
            } else {
                lines.items[i].insert(0x09, at: Int.random(in: 0...lines.items[i].count, using: &rng))
            }
        case .yamlIndicator:
            let indicators = ["- ", ": ", "? ", "&", "*", "!", "!!str ", "!!binary ", "!x ", "|", ">", "{", "}", "[", "]", ",", "'", "\"", "#",
                              "%YAML 1.2\n", "%TAG ! tag:x,2000:\n", "---\n", "...\n", "<<: *a0\n", "\\", "@", "`", "\"\\u0000\"", "\"\\x\""]
            bytes.insert(contentsOf: Array(indicators.randomElement(using: &rng)!.utf8), at: valueOffset(keys, lines, &rng) ?? anyOffset())
            return bytes
        case .duplicateKey:
            guard let key = keys.randomElement(using: &rng) else { return byteEdit(bytes, &rng) }
            var copy = lines.items[key.line]
            if key.isListItem, let dash = copy.firstIndex(of: 0x2D) { copy[dash] = 0x20 }  // "- id: x" repeats as "  id: x"
            lines.items.insert(copy, at: key.line + 1)
        case .stepCycle:
            // Steps name each other through `using: step:<id>`, `mintedBy: <id>` and `token: <id>`: point one at
            // itself or a later step, or give a step the id of another.
            let ids = keys.filter { lines.key(of: $0) == "id" }.map { lines.value(of: $0) }.filter { !$0.isEmpty }
            let references = keys.filter { ["using", "mintedBy", "token"].contains(lines.key(of: $0)) }
            guard let target = ids.randomElement(using: &rng) else { return byteEdit(bytes, &rng) }
            if let reference = references.randomElement(using: &rng), rng.chance(2, in: 3) {
                let prefix = lines.key(of: reference) == "using" ? "step:" : ""
                lines.items[reference.line].replaceSubrange(reference.valueStart..., with: Array((prefix + target).utf8))
            } else if let id = keys.filter({ lines.key(of: $0) == "id" && $0.hasValueSlot }).randomElement(using: &rng) {
                lines.items[id.line].replaceSubrange(id.valueStart..., with: Array(target.utf8))
            } else {
                return byteEdit(bytes, &rng)
            }
        }
        return lines.joined()
    }

    /// A blind edit, when a structure-aware mutation finds nothing to change.
    private func byteEdit(_ bytes: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
        apply(rng.chance(1, in: 2) ? .flipBit : .insertByte, to: bytes, using: &rng)
    }

    /// The offset of a random value's first byte, or nil when the file has no `key: value` line.
    private func valueOffset(_ keys: [Lines.KeyLine], _ lines: Lines, _ rng: inout SplitMix64) -> Int? {
        guard let key = keys.filter({ $0.hasValueSlot }).randomElement(using: &rng) else { return nil }
        let lineStart = lines.items[..<key.line].reduce(0) { $0 + $1.count + 1 }
        return lineStart + Int.random(in: key.valueStart...lines.items[key.line].count, using: &rng)
    }
}

/// A file as lines of bytes (any bytes: the text may no longer be UTF-8), with the `key: value` lines found.
struct Lines {
    var items: [[UInt8]]

    init(_ bytes: [UInt8]) {
        items = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
    }

    func joined() -> [UInt8] { Array(items.joined(separator: [0x0A])) }

    /// A line `key: value` or `- key: value` (or `key:` with its value below).
    struct KeyLine {
        var line: Int
        var indent: Int
        var isListItem: Bool
        var keyRange: Range<Int>
        /// Where the value starts: after `: `, or the end of the line for `key:`.
        var valueStart: Int
        /// The value is on the same line (a mutation may replace it; `key:` alone heads a block).
        var hasValueSlot: Bool
    }

    func keyLines() -> [KeyLine] {
        var found: [KeyLine] = []
        for (index, line) in items.enumerated() {
            var i = 0
            while i < line.count && line[i] == 0x20 { i += 1 }
            let indent = i
            var isListItem = false
            if i + 1 < line.count && line[i] == 0x2D && line[i + 1] == 0x20 { isListItem = true; i += 2 }
            let keyStart = i
            while i < line.count, Lines.isKeyByte(line[i]) { i += 1 }
            guard i > keyStart, i < line.count, line[i] == 0x3A else { continue }
            let keyEnd = i
            i += 1
            if i == line.count {
                found.append(KeyLine(line: index, indent: indent, isListItem: isListItem, keyRange: keyStart..<keyEnd, valueStart: i, hasValueSlot: false))
            } else if line[i] == 0x20 {
                found.append(KeyLine(line: index, indent: indent, isListItem: isListItem, keyRange: keyStart..<keyEnd, valueStart: i + 1, hasValueSlot: true))
            }
        }
        return found
    }

    static func isKeyByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x2D
    }

    func key(of k: KeyLine) -> String { String(decoding: items[k.line][k.keyRange], as: UTF8.self) }

    /// The value as written on the line, without a trailing comment.
    func value(of k: KeyLine) -> String {
        let rest = items[k.line][k.valueStart...]
        let end = rest.firstIndex(of: 0x23) ?? rest.endIndex
        return String(decoding: rest[..<end], as: UTF8.self).trimmingCharacters(in: [" "])
    }
}

private extension String {
    func trimmingCharacters(in set: Set<Character>) -> String {
        var s = Substring(self)
        while let c = s.first, set.contains(c) { s = s.dropFirst() }
        while let c = s.last, set.contains(c) { s = s.dropLast() }
        return String(s)
    }
}
