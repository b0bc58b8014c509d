import CYaml
import DrillRegistry
import Foundation

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

/// Parses YAML text into ``YNode`` within the ``LoadLimits``, straight from libyaml's events.
///
/// The composer is iterative and checks every limit as it goes, so no input can exhaust the stack, the
/// clock or memory: nesting is counted per event (an alias counts the height of what it repeats), every
/// value and every alias expansion is charged to a node budget (a "billion laughs" file stops early),
/// keys must be plain scalars (a key that is a collection or an alias to one would otherwise be hashed
/// whole), and only the standard tags are accepted (loading never constructs objects or runs code).
/// Duplicate keys are left to ``ObjectReader``, which reports them with the rest of the file's problems.
///
/// libyaml is the copy Yams bundles (its `CYaml` module); Yams' own composer is not used, because it
/// recurses per level and hashes whole keys while checking for duplicates.
enum YAMLDocument {
    /// The tags a scenario file may spell out: the YAML core schema's, nothing that names a type to construct.
    static let allowedTags: Set<String> = ["!", "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
                                           "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:seq",
                                           "tag:yaml.org,2002:map"]

    static func parse(_ text: String, file: String, limits: LoadLimits) throws(YAMLLoadError) -> YNode {
        func fail(_ code: DiagnosticCode, _ line: Int, _ column: Int, _ message: String, _ hint: String? = nil) -> YAMLLoadError {
            .failed(Diagnostic(file: file, line: line, column: column, code: code, message: message, hint: hint))
        }
        if text.utf8.count > limits.maximumBytes {
            throw fail(.fileTooLarge, 1, 1, "the file is \(text.utf8.count) bytes; scenario files are limited to \(limits.maximumBytes) bytes",
                       "split the scenario, or shorten narrative texts")
        }
        if let bad = text.unicodeScalars.firstIndex(where: { $0.value == 0 || ($0.value < 0x20 && $0 != "\n" && $0 != "\r" && $0 != "\t") }) {
            let prefix = text.unicodeScalars[..<bad]
            let line = prefix.filter { $0 == "\n" }.count + 1
            let column = prefix.count - (prefix.lastIndex(of: "\n").map { prefix.distance(from: prefix.startIndex, to: $0) + 1 } ?? 0) + 1
            throw fail(.notText, line, column, "the file contains a control character (U+\(String(text.unicodeScalars[bad].value, radix: 16, uppercase: true))); it is not a text scenario file",
                       "save the file as UTF-8 text")
        }
        var composer = EventComposer(file: file, limits: limits)
        return try composer.compose(Array(text.utf8))
    }
}

/// Builds ``YNode`` values from libyaml events with an explicit stack.
private struct EventComposer {
    let file: String
    let limits: LoadLimits

    /// A collection being read: its items so far, and for a mapping the key waiting for its value.
    private struct Frame {
        var isMapping: Bool
        var position: SourcePosition
        var anchor: String?
        var items: [YNode] = []
        var pairs: [(key: String, keyPosition: SourcePosition, value: YNode)] = []
        var pendingKey: (String, SourcePosition)?
        /// Nodes in this collection, its own included, aliases expanded.
        var size = 1
        /// Levels of collections below this one (0 when it holds only scalars).
        var height = 0
    }

    private var stack: [Frame] = []
    private var anchors: [String: (node: YNode, size: Int, height: Int)] = [:]
    private var budget: Int
    private var usedAliases = false

    init(file: String, limits: LoadLimits) {
        self.file = file; self.limits = limits; self.budget = limits.maximumNodes
    }

    private func fail(_ code: DiagnosticCode, _ at: SourcePosition, _ message: String, _ hint: String? = nil) -> YAMLLoadError {
        .failed(Diagnostic(file: file, line: at.line, column: at.column, code: code, message: message, hint: hint))
    }

    private func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
    }

    mutating func compose(_ bytes: [UInt8]) throws(YAMLLoadError) -> YNode {
        guard bytes.contains(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) else {
            throw fail(.emptyFile, .start, "the file is empty", "start from `regdrill new NAME`")
        }
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { throw fail(.yamlLimit, .start, "out of memory while reading YAML") }
        defer { yaml_parser_delete(&parser) }
        var root: YNode?
        var documents = 0
        let end = TextEnd(bytes)
        let result: Result<YNode?, YAMLLoadError> = bytes.withUnsafeBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return .failure(syntaxError(parser, bytes, end: end)) }
                defer { yaml_event_delete(&event) }
                let at = position(of: event.start_mark, end: end)
                do throws(YAMLLoadError) {
                    switch event.type {
                    case YAML_STREAM_END_EVENT:
                        return .success(root)
                    case YAML_DOCUMENT_START_EVENT:
                        documents += 1
                        if documents > 1 {
                            throw fail(.yamlSyntax, at, "a scenario file holds one YAML document; this is a second one", "remove the '---' line and what follows, or split the file")
                        }
                    case YAML_SCALAR_EVENT:
                        let s = event.data.scalar
                        try checkTag(string(s.tag), at)
                        let value = s.value.map { String(decoding: UnsafeBufferPointer(start: $0, count: s.length), as: UTF8.self) } ?? ""
                        let node = YNode.scalar(value, quoted: s.style != YAML_PLAIN_SCALAR_STYLE && s.style != YAML_ANY_SCALAR_STYLE, at)
                        try add(node, size: 1, height: 0, anchor: string(s.anchor), at, into: &root)
                    case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                        let isMapping = event.type == YAML_MAPPING_START_EVENT
                        let tag = isMapping ? event.data.mapping_start.tag : event.data.sequence_start.tag
                        let anchor = isMapping ? event.data.mapping_start.anchor : event.data.sequence_start.anchor
                        try checkTag(string(tag), at)
                        if let top = stack.last, top.isMapping, top.pendingKey == nil {
                            throw fail(.yamlSyntax, at, "a key must be a plain name, not \(isMapping ? "a mapping" : "a list")", "write the key as plain text")
                        }
                        if stack.count + 1 > limits.maximumDepth {
                            throw fail(.yamlLimit, at, "nesting deeper than \(limits.maximumDepth) levels", "scenario files nest a few levels; flatten the data")
                        }
                        try charge(1, at)
                        stack.append(Frame(isMapping: isMapping, position: at, anchor: string(anchor)))
                    case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                        let frame = stack.removeLast()
                        let node: YNode = frame.isMapping ? .mapping(frame.pairs, frame.position) : .sequence(frame.items, frame.position)
                        try add(node, size: frame.size, height: frame.height, anchor: frame.anchor, frame.position, into: &root, charged: true)
                    case YAML_ALIAS_EVENT:
                        let name = string(event.data.alias.anchor) ?? ""
                        guard let target = anchors[name] else { throw fail(.yamlSyntax, at, "the alias *\(name) names no anchor above it", "define &\(name) before using *\(name)") }
                        usedAliases = true
                        if !isScalar(target.node) && stack.count + 1 + target.height > limits.maximumDepth {
                            throw fail(.yamlLimit, at, "nesting deeper than \(limits.maximumDepth) levels (through the alias *\(name))")
                        }
                        if let top = stack.last, top.isMapping, top.pendingKey == nil, !isScalar(target.node) {
                            throw fail(.yamlSyntax, at, "a key must be a plain name, not an alias to \(target.node.kindName)", "write the key as plain text")
                        }
                        try add(target.node, size: target.size, height: target.height, anchor: nil, at, into: &root)
                    default:
                        break
                    }
                } catch {
                    return .failure(error)
                }
            }
        }
        switch result {
        case .failure(let error): throw error
        case .success(let node):
            guard let node else { throw fail(.emptyFile, .start, "the file is empty", "start from `regdrill new NAME`") }
            return node
        }
    }

    private func isScalar(_ node: YNode) -> Bool { if case .scalar = node { true } else { false } }

    private func checkTag(_ tag: String?, _ at: SourcePosition) throws(YAMLLoadError) {
        guard let tag, !YAMLDocument.allowedTags.contains(tag) else { return }
        throw fail(.yamlSyntax, at, "the tag \(tag) is not allowed: scenario files are plain data", "remove the tag")
    }

    private mutating func charge(_ nodes: Int, _ at: SourcePosition) throws(YAMLLoadError) {
        budget -= nodes
        if budget < 0 {
            throw usedAliases
                ? fail(.yamlLimit, at, "the document expands to more than \(limits.maximumNodes) values (YAML aliases multiply what they repeat)",
                       "write the data out instead of repeating it through anchors and aliases")
                : fail(.yamlLimit, at, "the document has more than \(limits.maximumNodes) values", "split the scenario")
        }
    }

    /// Adds a finished node to the collection being read (or makes it the root), registering its anchor.
    private mutating func add(_ node: YNode, size: Int, height: Int, anchor: String?, _ at: SourcePosition,
                              into root: inout YNode?, charged: Bool = false) throws(YAMLLoadError) {
        if !charged { try charge(size, at) }
        if let anchor { anchors[anchor] = (node, size, height) }
        guard !stack.isEmpty else { root = node; return }
        let isCollection = !isScalar(node)
        stack[stack.count - 1].size += size
        stack[stack.count - 1].height = max(stack[stack.count - 1].height, isCollection ? height + 1 : 0)
        if !stack[stack.count - 1].isMapping {
            stack[stack.count - 1].items.append(node)
        } else if let (key, keyPosition) = stack[stack.count - 1].pendingKey {
            stack[stack.count - 1].pairs.append((key, keyPosition, node))
            stack[stack.count - 1].pendingKey = nil
        } else {
            guard case .scalar(let key, _, _) = node else {
                throw fail(.yamlSyntax, at, "a key must be a plain name", "write the key as plain text")
            }
            stack[stack.count - 1].pendingKey = (key, at)
        }
    }

    /// A diagnostic for libyaml's complaint, at the place it names.
    private func syntaxError(_ parser: yaml_parser_t, _ bytes: [UInt8], end: TextEnd) -> YAMLLoadError {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown problem"
        if parser.error == YAML_READER_ERROR {
            // The reader reports a byte offset: count lines and characters up to it.
            let offset = min(Int(parser.problem_offset), bytes.count)
            var line = 1, column = 1
            for b in bytes[..<offset] {
                if b == 0x0A { line += 1; column = 1 } else if b & 0xC0 != 0x80 { column += 1 }
            }
            return fail(.notText, SourcePosition(line: line, column: column), "this is not valid YAML text: \(problem)", "save the file as UTF-8 text")
        }
        let mark = parser.problem_mark
        if problem.hasPrefix("Maximum nesting level reached") {
            // libyaml's own bound (1,000 levels), met while its scanner reads ahead, before the composer counts.
            let at = parser.context_mark
            return fail(.yamlLimit, SourcePosition(line: Int(at.line) + 1, column: Int(at.column) + 1), "nesting deeper than \(limits.maximumDepth) levels",
                        "scenario files nest a few levels; flatten the data")
        }
        var message = "this is not valid YAML: \(problem)"
        if let context = parser.context.map({ String(cString: $0) }) {
            message += " (\(context) at line \(parser.context_mark.line + 1), column \(parser.context_mark.column + 1))"
        }
        return fail(.yamlSyntax, position(of: mark, end: end), message, "check the indentation and the quotes on this line and the one above")
    }

    /// Where a libyaml mark is in the file.
    ///
    /// At the end of a file whose last line has no line break, libyaml's scanner starts a new line before it
    /// reports the end of the stream, so what it finds there would name a line past the last one: an error (an
    /// unclosed bracket or quote), and the empty value of a file that is only `---` (found by the coverage-guided
    /// fuzzer). Such a mark is placed at the end of the last line instead.
    private func position(of mark: yaml_mark_t, end: TextEnd) -> SourcePosition {
        guard mark.column == 0, mark.line > 0, Int(mark.index) >= end.characters, let lastLine = end.lastLineLength else {
            return SourcePosition(line: Int(mark.line) + 1, column: Int(mark.column) + 1)
        }
        return SourcePosition(line: Int(mark.line), column: lastLine + 1)
    }
}

/// What ``EventComposer`` needs to know of the end of a text to place marks found there, counted once per file.
/// libyaml counts characters (Unicode scalars, a leading byte order mark aside), and \r, \r\n, U+0085, U+2028 and
/// U+2029 as line breaks, as here.
struct TextEnd {
    /// The text's length as libyaml counts it.
    var characters: Int
    /// The length of the last line, when the text does not end with a line break; nil when it does.
    var lastLineLength: Int?

    init(_ bytes: [UInt8]) {
        let scalars = String(decoding: bytes, as: UTF8.self).unicodeScalars
        let isBreak: (Unicode.Scalar) -> Bool = { ["\n", "\r", "\u{85}", "\u{2028}", "\u{2029}"].contains($0) }
        characters = scalars.count - (scalars.first == "\u{FEFF}" ? 1 : 0)
        lastLineLength = scalars.last.map(isBreak) == false ? scalars.reversed().prefix { !isBreak($0) }.count : nil
    }
}

/// Reads one mapping strictly: every key must be known, every value of the right type; problems go to the sink.
final class ObjectReader {
    let node: YNode
    let sink: DiagnosticSink
    let context: String
    let pairs: [(key: String, keyPosition: SourcePosition, value: YNode)]
    /// The declared shape this object has: only its keys are accepted, and the reader asks for no other. Nil for a
    /// mapping whose keys are the file's own (install scripts by name).
    private(set) var shape: Shape?
    private var known: [String] = []
    /// Required keys that are absent, reported by ``finish(allowed:)`` unless an unknown key there is their misspelling.
    private var missingKeys: [(key: String, hint: String?)] = []
    private var finished = false
    /// Set when the object's keys are not all read (a step whose action is unknown): only unknown keys are reported.
    private var abandoned = false

    /// Reads an object of a declared shape: diagnostics name it by the shape's context.
    /// - Returns: nil (with a diagnostic) when `node` is not a mapping.
    convenience init?(_ node: YNode, _ shape: Shape, sink: DiagnosticSink) {
        self.init(node, shape.context, sink: sink)
        self.shape = shape
    }

    /// - Returns: nil (with a diagnostic) when `node` is not a mapping.
    init?(_ node: YNode, _ context: String, sink: DiagnosticSink) {
        guard case .mapping(let pairs, _) = node else {
            sink.error(.notMapping, node.position, "\(context) must be a mapping of keys to values, not \(node.kindName)",
                       hint: "write `key: value` lines (or `{ key: value }`) here")
            return nil
        }
        self.node = node; self.sink = sink; self.context = context; self.pairs = pairs
        var seen: [String: SourcePosition] = [:]
        for p in pairs {
            if let first = seen[p.key] {
                sink.error(.duplicateKey, p.keyPosition, "'\(p.key)' appears twice in \(context) (first at line \(first.line))", hint: "keep one of them")
            }
            seen[p.key] = p.keyPosition
        }
    }

    var position: SourcePosition { node.position }

    /// Gives up reading the object's values (its kind is unknown); ``finish(allowed:)`` still reports unknown keys.
    func abandon() { abandoned = true }

    /// Narrows the shape once the object says which it is (a step, once its action is read).
    func narrow(to shape: Shape) {
        assert(shape.keys.allSatisfy { self.shape?.field($0) != nil }, "\(shape.name) is not a narrowing of \(self.shape?.name ?? "no shape")")
        self.shape = shape
    }

    func value(_ key: String) -> YNode? {
        assert(shape == nil || shape?.field(key) != nil, "the loader reads '\(key)', which \(shape?.name ?? "") does not declare")
        known.append(key)
        return pairs.first { $0.key == key }?.value
    }

    func has(_ key: String) -> Bool { pairs.contains { $0.key == key } }

    private func missing(_ key: String, _ hint: String?) {
        if !missingKeys.contains(where: { $0.key == key }) { missingKeys.append((key, hint)) }
    }

    deinit { if !finished { reportMissing(except: []) } }

    private func reportMissing(except misspelled: Set<String>) {
        for m in missingKeys where !misspelled.contains(m.key) {
            sink.error(.missingKey, node.position, "\(context) is missing '\(m.key)'", hint: m.hint ?? "add `\(m.key): …`")
        }
        missingKeys = []
    }

    // The declaration of the shape decides what the accessors below do not say: whether a key is required, and its
    // limits (a range, a count). A limit given here is a load limit of the caller's (the steps' count).

    /// The declared field of `key` in this object's shape.
    private func declared(_ key: String) -> Field? { shape?.field(key) }

    /// Whether `key` must be there: the declaration says (a reader without a shape says it itself).
    private func mustHave(_ key: String, _ required: Bool) -> Bool {
        assert(!required || shape == nil || declared(key)?.required == true, "the loader requires '\(key)', which \(shape?.name ?? "") declares optional")
        return required || declared(key)?.required == true
    }

    func string(_ key: String, required: Bool = false, hint: String? = nil, maxLength: Int = 20_000) -> String? {
        guard let v = value(key), !v.isNull else { if mustHave(key, required) { missing(key, hint) }; return nil }
        guard case .scalar(let s, _, _) = v else {
            sink.error(.wrongType, v.position, "'\(key)' in \(context) must be text, not \(v.kindName)", hint: hint ?? "write it as text on the same line, quoted if it holds ': ' or starts with [ or {"); return nil
        }
        if s.count > maxLength { sink.error(.outOfRange, v.position, "'\(key)' is \(s.count) characters; at most \(maxLength)", hint: "shorten it"); return nil }
        // An id or a name is what reports, the console and other steps quote: no control character (a line break, an
        // escape sequence, a bidirectional override) in it. Narrative texts may hold line breaks and tabs.
        if Self.identifyingKeys.contains(key), let control = s.unicodeScalars.first(where: UntrustedText.isControl) {
            sink.error(.invalidValue, v.position, "'\(key)' in \(context) holds a control character (U+\(String(control.value, radix: 16, uppercase: true)))",
                       hint: "ids and names are plain text on one line: remove it")
        }
        return s
    }

    /// The keys whose values name something: ids of steps, machines, tokens and goals, names of accounts and packages.
    static let identifyingKeys: Set<String> = ["id", "name"]

    func int(_ key: String, required: Bool = false, range given: ClosedRange<Int>? = nil, hint: String? = nil) -> Int? {
        let declaredRange: ClosedRange<Int>? = if case .whole(let r)? = declared(key)?.type { r } else { nil }
        assert(given == nil || declaredRange == nil || given == declaredRange, "'\(key)': the loader's range is not the declared one")
        let range = given ?? declaredRange ?? Int.min...Int.max
        guard let v = value(key), !v.isNull else { if mustHave(key, required) { missing(key, hint) }; return nil }
        guard case .scalar(let s, let quoted, _) = v, !quoted, let n = Int(s.replacingOccurrences(of: "_", with: "")) else {
            sink.error(.wrongType, v.position, "'\(key)' in \(context) must be a whole number", hint: hint ?? "write a number from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        guard range.contains(n) else {
            sink.error(.outOfRange, v.position, "'\(key)' is \(n); it must be from \(range.lowerBound) to \(range.upperBound)",
                       hint: "write a number from \(range.lowerBound) to \(range.upperBound)"); return nil
        }
        return n
    }

    func double(_ key: String, range given: ClosedRange<Double>? = nil) -> Double? {
        let declaredRange: ClosedRange<Double>? = if case .number(let r)? = declared(key)?.type { r } else { nil }
        assert(given == nil || declaredRange == nil || given == declaredRange, "'\(key)': the loader's range is not the declared one")
        let range = given ?? declaredRange ?? -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude
        guard let v = value(key), !v.isNull else { return nil }
        guard case .scalar(let s, let quoted, _) = v, !quoted, let n = Double(s.replacingOccurrences(of: "_", with: "")), n.isFinite else {
            sink.error(.wrongType, v.position, "'\(key)' in \(context) must be a number", hint: "write a number from \(range.lowerBound) to \(range.upperBound), like 1.5"); return nil
        }
        guard range.contains(n) else {
            sink.error(.outOfRange, v.position, "'\(key)' is \(n); it must be from \(range.lowerBound) to \(range.upperBound)",
                       hint: "write a number from \(range.lowerBound) to \(range.upperBound)"); return nil
        }
        return n
    }

    func bool(_ key: String) -> Bool? {
        guard let v = value(key), !v.isNull else { return nil }
        guard case .scalar(let s, let quoted, _) = v, !quoted, s == "true" || s == "false" else {
            sink.error(.wrongType, v.position, "'\(key)' in \(context) must be true or false", hint: "write true or false"); return nil
        }
        return s == "true"
    }

    /// What a key of type ``ValueType/booleanOr(_:)`` holds.
    enum FlagOrWord<E> {
        case flag(Bool)
        case word(E)
    }

    /// `true` or `false`, or one of `E`'s words; nil when absent or wrong (reported).
    func boolOr<E: RawRepresentable & CaseIterable>(_ key: String, _ type: E.Type) -> FlagOrWord<E>? where E.RawValue == String {
        guard let v = value(key), !v.isNull else { return nil }
        let options = ["true", "false"] + E.allCases.map(\.rawValue)
        guard case .scalar(let s, let quoted, _) = v else {
            sink.error(.wrongType, v.position, "'\(key)' in \(context) must be one of: \(options.joined(separator: ", "))", hint: "write one of them"); return nil
        }
        if !quoted && (s == "true" || s == "false") { return .flag(s == "true") }
        if let word = E(rawValue: s) { return .word(word) }
        let suggestion = sink.closest(to: s, in: options).map { "write '\($0)'" } ?? "write one of: \(options.joined(separator: ", "))"
        sink.error(.unknownWord, v.position, "'\(s)' is not a valid \(key)", hint: suggestion)
        return nil
    }

    func choice<E: RawRepresentable & CaseIterable>(_ key: String, _ type: E.Type, required: Bool = false) -> E? where E.RawValue == String {
        let options = E.allCases.map(\.rawValue)
        guard let v = value(key), !v.isNull else {
            if mustHave(key, required) { missing(key, "one of: " + options.joined(separator: ", ")) }
            return nil
        }
        guard case .scalar(let s, _, _) = v else {
            sink.error(.wrongType, v.position, "'\(key)' must be one of: \(options.joined(separator: ", "))", hint: "write one of them as text"); return nil
        }
        guard let e = E(rawValue: s) else {
            let suggestion = sink.closest(to: s, in: options).map { "write '\($0)'" } ?? "write one of: \(options.joined(separator: ", "))"
            sink.error(.unknownWord, v.position, "'\(s)' is not a valid \(key)", hint: suggestion)
            return nil
        }
        return e
    }

    /// A time such as `2018-07-12T09:49:00Z`, between 2010 and 2100.
    func time(_ key: String, required: Bool = false) -> Int64? {
        guard let s = string(key, required: required, hint: "write a UTC time like 2018-07-12T09:49:00Z") else { return nil }
        guard let t = Timestamp.parse(s) else {
            sink.error(.invalidValue, value(key)!.position, "'\(s)' is not a time", hint: "write a UTC time like 2018-07-12T09:49:00Z")
            return nil
        }
        guard (1_262_304_000...4_102_444_800).contains(t) else {
            sink.error(.outOfRange, value(key)!.position, "\(s) is outside the years 2010 to 2100", hint: "write a UTC time from 2010-01-01T00:00:00Z to 2100-01-01T00:00:00Z"); return nil
        }
        return t
    }

    func strings(_ key: String, required: Bool = false) -> [String]? {
        let maxCount = if case .list(_, let n)? = declared(key)?.type { n } else { 1_000 }
        guard let v = value(key), !v.isNull else { if mustHave(key, required) { missing(key, nil) }; return nil }
        if case .scalar(let s, _, _) = v { return [s] }
        guard case .sequence(let items, _) = v else {
            sink.error(.wrongType, v.position, "'\(key)' in \(context) must be a list", hint: "write a list: [a, b] or one `- item` line each"); return nil
        }
        if items.count > maxCount { sink.error(.outOfRange, v.position, "'\(key)' has \(items.count) entries; at most \(maxCount)", hint: "keep at most \(maxCount)"); return nil }
        var out: [String] = []
        for item in items {
            guard case .scalar(let s, _, _) = item else {
                sink.error(.wrongType, item.position, "each entry of '\(key)' must be text, not \(item.kindName)", hint: "write the entry as text"); continue
            }
            out.append(s)
        }
        return out
    }

    func list(_ key: String, required: Bool = false, maxCount given: Int? = nil) -> [YNode]? {
        let maxCount = given ?? { if case .objects(_, _, let n)? = declared(key)?.type { n } else { 10_000 } }()
        guard let v = value(key), !v.isNull else { if mustHave(key, required) { missing(key, nil) }; return nil }
        guard case .sequence(let items, _) = v else {
            sink.error(.wrongType, v.position, "'\(key)' in \(context) must be a list, not \(v.kindName)", hint: "write one `- ` entry per line under '\(key):'"); return nil
        }
        if items.count > maxCount {
            sink.error(.outOfRange, v.position, "'\(key)' has \(items.count) entries; at most \(maxCount)", hint: "keep at most \(maxCount), or split the scenario")
            return Array(items.prefix(maxCount))
        }
        return items
    }

    func object(_ key: String, required: Bool = false) -> ObjectReader? {
        guard let v = value(key), !v.isNull else { if mustHave(key, required) { missing(key, nil) }; return nil }
        if case .object(let inner) = shape?.field(key)?.type { return ObjectReader(v, inner, sink: sink) }
        return ObjectReader(v, "'\(key)'", sink: sink)
    }

    func stringMap(_ key: String) -> [String: String]? {
        guard let v = value(key), !v.isNull, let r = ObjectReader(v, "'\(key)'", sink: sink) else { return nil }
        var out: [String: String] = [:]
        for p in r.pairs {
            guard case .scalar(let s, _, _) = p.value else { sink.error(.wrongType, p.value.position, "'\(p.key)' must be text", hint: "write it as text"); continue }
            out[p.key] = s
        }
        r.known = r.pairs.map(\.key)
        return out
    }

    /// Reports every key its shape does not declare (without a shape: every key that was never asked for), with the
    /// nearest known key as a hint. A required key that is absent because it was misspelled is reported once, as the
    /// unknown key with the hint.
    func finish(allowed extra: [String] = []) {
        finished = true
        if let shape, !abandoned {
            // The declaration and the loader agree: every declared key the file holds was read.
            assert(pairs.allSatisfy { p in shape.field(p.key) == nil || known.contains(p.key) },
                   "\(shape.name) declares keys the loader never reads: \(pairs.map(\.key).filter { shape.field($0) != nil && !known.contains($0) })")
        }
        let all = (shape?.keys ?? known) + extra
        var misspelled = Set<String>()
        for p in pairs where !all.contains(p.key) {
            let suggestion = sink.closest(to: p.key, in: all)
            let hint = suggestion.map { "did you mean '\($0)'?" } ?? "known keys here: " + Set(all).sorted().joined(separator: ", ")
            sink.error(.unknownKey, p.keyPosition, "unknown key '\(p.key)' in \(context)", hint: hint)
            if let suggestion, missingKeys.contains(where: { $0.key == suggestion }) { misspelled.insert(suggestion) }
        }
        reportMissing(except: misspelled)
    }
}
