import DrillRegistry
import Foundation
import Yams

/// Limits that keep a hostile file from exhausting time or memory. Loading a file never runs code.
public struct LoadLimits: Sendable {
    public var maximumBytes = 1_048_576
    public var maximumNodes = 200_000
    public var maximumDepth = 64
    public var maximumSteps = 1_000
    public init() {}
}

/// A YAML node reduced to what scenario files use, with its position. Built with a node budget, so alias
/// expansion (a "billion laughs" file) stops with a clear error instead of exhausting memory.
indirect enum YNode {
    case scalar(String, quoted: Bool, SourcePosition)
    case mapping([(key: String, keyPosition: SourcePosition, value: YNode)], SourcePosition)
    case sequence([YNode], SourcePosition)

    var position: SourcePosition {
        switch self {
        case .scalar(_, _, let p), .mapping(_, let p), .sequence(_, let p): p
        }
    }

    var kindName: String {
        switch self {
        case .scalar(let s, let quoted, _): (!quoted && (s == "~" || s == "null" || s.isEmpty)) ? "nothing (null)" : "a scalar"
        case .mapping: "a mapping (key: value pairs)"
        case .sequence: "a list"
        }
    }

    var isNull: Bool {
        if case .scalar(let s, let quoted, _) = self { return !quoted && (s == "~" || s == "null" || s.isEmpty) }
        return false
    }
}

enum YAMLLoadError: Error {
    case failed(Diagnostic)
}

/// Parses YAML text into ``YNode`` after checking size and nesting, and within a node budget.
enum YAMLDocument {
    static func parse(_ text: String, file: String, limits: LoadLimits) throws(YAMLLoadError) -> YNode {
        func fail(_ line: Int, _ column: Int, _ message: String, _ hint: String? = nil) -> YAMLLoadError {
            .failed(Diagnostic(file: file, line: line, column: column, message: message, hint: hint))
        }
        if text.utf8.count > limits.maximumBytes {
            throw fail(1, 1, "the file is \(text.utf8.count) bytes; scenario files are limited to \(limits.maximumBytes) bytes",
                       "split the scenario, or shorten narrative texts")
        }
        if let bad = text.unicodeScalars.firstIndex(where: { $0.value == 0 || ($0.value < 0x20 && $0 != "\n" && $0 != "\r" && $0 != "\t") }) {
            let prefix = text.unicodeScalars[..<bad]
            let line = prefix.filter { $0 == "\n" }.count + 1
            throw fail(line, 1, "the file contains a control character (U+\(String(text.unicodeScalars[bad].value, radix: 16, uppercase: true))); it is not a text scenario file",
                       "save the file as UTF-8 text")
        }
        // Flow nesting ([ and {) is counted before parsing: the YAML composer recurses per level.
        var depth = 0, line = 1, column = 0, inQuote: Character? = nil
        for ch in text {
            column += 1
            if ch == "\n" { line += 1; column = 0; if inQuote == "'" || inQuote == "\"" {} ; continue }
            if let q = inQuote { if ch == q { inQuote = nil }; continue }
            switch ch {
            case "\"", "'": if depth > 0 { inQuote = ch }
            case "[", "{":
                depth += 1
                if depth > limits.maximumDepth { throw fail(line, column, "nesting deeper than \(limits.maximumDepth) levels") }
            case "]", "}": depth = max(0, depth - 1)
            case "#": break
            default: break
            }
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            switch error {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
                throw fail(mark.line, mark.column, "this is not valid YAML: \(problem)")
            case .reader(let problem, _, _, _):
                throw fail(1, 1, "this is not valid YAML text: \(problem)", "save the file as UTF-8")
            default:
                throw fail(1, 1, "this is not valid YAML: \(error)")
            }
        } catch {
            throw fail(1, 1, "this is not valid YAML: \(error)")
        }
        guard let root else { throw fail(1, 1, "the file is empty", "start from `regdrill new NAME`") }
        var budget = limits.maximumNodes
        return try convert(root, depth: 0, budget: &budget, file: file, limits: limits)
    }

    private static func convert(_ node: Node, depth: Int, budget: inout Int, file: String, limits: LoadLimits) throws(YAMLLoadError) -> YNode {
        budget -= 1
        let pos = node.mark.map { SourcePosition(line: $0.line, column: $0.column) } ?? .start
        if budget < 0 {
            throw .failed(Diagnostic(file: file, line: pos.line, column: pos.column,
                                     message: "the document expands to more than \(limits.maximumNodes) nodes (YAML aliases multiply what they repeat)",
                                     hint: "write the data out instead of repeating it through anchors and aliases"))
        }
        if depth > limits.maximumDepth {
            throw .failed(Diagnostic(file: file, line: pos.line, column: pos.column, message: "nesting deeper than \(limits.maximumDepth) levels"))
        }
        switch node {
        case .scalar(let scalar):
            let tag = scalar.tag.description
            if !tag.hasPrefix("tag:yaml.org,2002:") && tag != "!" && !tag.isEmpty {
                throw .failed(Diagnostic(file: file, line: pos.line, column: pos.column,
                                         message: "the tag \(tag) is not allowed: scenario files are plain data", hint: "remove the tag"))
            }
            return .scalar(scalar.string, quoted: scalar.style != .plain && scalar.style != .any, pos)
        case .mapping(let mapping):
            var pairs: [(key: String, keyPosition: SourcePosition, value: YNode)] = []
            for (k, v) in mapping {
                let keyPos = k.mark.map { SourcePosition(line: $0.line, column: $0.column) } ?? pos
                guard case .scalar(let keyScalar) = k else {
                    throw .failed(Diagnostic(file: file, line: keyPos.line, column: keyPos.column, message: "a key must be a plain name"))
                }
                pairs.append((keyScalar.string, keyPos, try convert(v, depth: depth + 1, budget: &budget, file: file, limits: limits)))
            }
            return .mapping(pairs, pos)
        case .sequence(let sequence):
            var items: [YNode] = []
            for item in sequence { items.append(try convert(item, depth: depth + 1, budget: &budget, file: file, limits: limits)) }
            return .sequence(items, pos)
        case .alias:
            throw .failed(Diagnostic(file: file, line: pos.line, column: pos.column, message: "unresolved YAML alias"))
        }
    }
}

/// Reads one mapping strictly: every key must be known, every value of the right type; problems go to the sink.
final class ObjectReader {
    let node: YNode
    let sink: DiagnosticSink
    let context: String
    let pairs: [(key: String, keyPosition: SourcePosition, value: YNode)]
    private var known: [String] = []

    /// - Returns: nil (with a diagnostic) when `node` is not a mapping.
    init?(_ node: YNode, _ context: String, sink: DiagnosticSink) {
        guard case .mapping(let pairs, _) = node else {
            sink.error(node.position, "\(context) must be a mapping of keys to values, not \(node.kindName)")
            return nil
        }
        self.node = node; self.sink = sink; self.context = context; self.pairs = pairs
        var seen: [String: SourcePosition] = [:]
        for p in pairs {
            if let first = seen[p.key] {
                sink.error(p.keyPosition, "'\(p.key)' appears twice in \(context) (first at line \(first.line))", hint: "keep one of them")
            }
            seen[p.key] = p.keyPosition
        }
    }

    var position: SourcePosition { node.position }

    func value(_ key: String) -> YNode? {
        known.append(key)
        return pairs.first { $0.key == key }?.value
    }

    func has(_ key: String) -> Bool { pairs.contains { $0.key == key } }

    private func missing(_ key: String, _ hint: String?) {
        sink.error(node.position, "\(context) is missing '\(key)'", hint: hint)
    }

    func string(_ key: String, required: Bool = false, hint: String? = nil, maxLength: Int = 20_000) -> String? {
        guard let v = value(key), !v.isNull else { if required { missing(key, hint) }; return nil }
        guard case .scalar(let s, _, _) = v else {
            sink.error(v.position, "'\(key)' in \(context) must be text, not \(v.kindName)", hint: hint); return nil
        }
        if s.count > maxLength { sink.error(v.position, "'\(key)' is \(s.count) characters; at most \(maxLength)"); return nil }
        return s
    }

    func int(_ key: String, required: Bool = false, range: ClosedRange<Int>, hint: String? = nil) -> Int? {
        guard let v = value(key), !v.isNull else { if required { missing(key, hint) }; return nil }
        guard case .scalar(let s, let quoted, _) = v, !quoted, let n = Int(s.replacingOccurrences(of: "_", with: "")) else {
            sink.error(v.position, "'\(key)' in \(context) must be a whole number", hint: hint ?? "write a number from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        guard range.contains(n) else {
            sink.error(v.position, "'\(key)' is \(n); it must be from \(range.lowerBound) to \(range.upperBound)"); return nil
        }
        return n
    }

    func double(_ key: String, range: ClosedRange<Double>) -> Double? {
        guard let v = value(key), !v.isNull else { return nil }
        guard case .scalar(let s, let quoted, _) = v, !quoted, let n = Double(s.replacingOccurrences(of: "_", with: "")), n.isFinite else {
            sink.error(v.position, "'\(key)' in \(context) must be a number"); return nil
        }
        guard range.contains(n) else { sink.error(v.position, "'\(key)' is \(n); it must be from \(range.lowerBound) to \(range.upperBound)"); return nil }
        return n
    }

    func bool(_ key: String) -> Bool? {
        guard let v = value(key), !v.isNull else { return nil }
        guard case .scalar(let s, let quoted, _) = v, !quoted, s == "true" || s == "false" else {
            sink.error(v.position, "'\(key)' in \(context) must be true or false"); return nil
        }
        return s == "true"
    }

    func choice<E: RawRepresentable & CaseIterable>(_ key: String, _ type: E.Type, required: Bool = false) -> E? where E.RawValue == String {
        let options = E.allCases.map(\.rawValue)
        guard let v = value(key), !v.isNull else {
            if required { missing(key, "one of: " + options.joined(separator: ", ")) }
            return nil
        }
        guard case .scalar(let s, _, _) = v else { sink.error(v.position, "'\(key)' must be one of: \(options.joined(separator: ", "))"); return nil }
        guard let e = E(rawValue: s) else {
            let suggestion = closest(to: s, in: options).map { "write '\($0)'" } ?? "write one of: \(options.joined(separator: ", "))"
            sink.error(v.position, "'\(s)' is not a valid \(key)", hint: suggestion)
            return nil
        }
        return e
    }

    /// A time such as `2018-07-12T09:49:00Z`, between 2010 and 2100.
    func time(_ key: String, required: Bool = false) -> Int64? {
        guard let s = string(key, required: required, hint: "write a UTC time like 2018-07-12T09:49:00Z") else { return nil }
        guard let t = Timestamp.parse(s) else {
            sink.error(value(key)!.position, "'\(s)' is not a time", hint: "write a UTC time like 2018-07-12T09:49:00Z")
            return nil
        }
        guard (1_262_304_000...4_102_444_800).contains(t) else {
            sink.error(value(key)!.position, "\(s) is outside the years 2010 to 2100"); return nil
        }
        return t
    }

    func strings(_ key: String, required: Bool = false, maxCount: Int = 1_000) -> [String]? {
        guard let v = value(key), !v.isNull else { if required { missing(key, nil) }; return nil }
        if case .scalar(let s, _, _) = v { return [s] }
        guard case .sequence(let items, _) = v else { sink.error(v.position, "'\(key)' in \(context) must be a list"); return nil }
        if items.count > maxCount { sink.error(v.position, "'\(key)' has \(items.count) entries; at most \(maxCount)"); return nil }
        var out: [String] = []
        for item in items {
            guard case .scalar(let s, _, _) = item else { sink.error(item.position, "each entry of '\(key)' must be text, not \(item.kindName)"); continue }
            out.append(s)
        }
        return out
    }

    func list(_ key: String, required: Bool = false, maxCount: Int = 10_000) -> [YNode]? {
        guard let v = value(key), !v.isNull else { if required { missing(key, nil) }; return nil }
        guard case .sequence(let items, _) = v else { sink.error(v.position, "'\(key)' in \(context) must be a list, not \(v.kindName)"); return nil }
        if items.count > maxCount { sink.error(v.position, "'\(key)' has \(items.count) entries; at most \(maxCount)"); return Array(items.prefix(maxCount)) }
        return items
    }

    func object(_ key: String, required: Bool = false) -> ObjectReader? {
        guard let v = value(key), !v.isNull else { if required { missing(key, nil) }; return nil }
        return ObjectReader(v, "'\(key)'", sink: sink)
    }

    func stringMap(_ key: String) -> [String: String]? {
        guard let r = object(key) else { return nil }
        var out: [String: String] = [:]
        for p in r.pairs {
            guard case .scalar(let s, _, _) = p.value else { sink.error(p.value.position, "'\(p.key)' must be text"); continue }
            out[p.key] = s
        }
        r.known = r.pairs.map(\.key)
        return out
    }

    /// Reports every key that was never asked for, with the nearest known key as a hint.
    func finish(allowed extra: [String] = []) {
        let all = known + extra
        for p in pairs where !all.contains(p.key) {
            let hint = closest(to: p.key, in: all).map { "did you mean '\($0)'?" } ?? "known keys here: " + Set(all).sorted().joined(separator: ", ")
            sink.error(p.keyPosition, "unknown key '\(p.key)' in \(context)", hint: hint)
        }
    }
}
