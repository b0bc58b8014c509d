/// ANSI colour for the text format, off unless ``RenderOptions/color`` is set.
///
/// Padding is always computed on the plain text and colour wrapped around it afterwards, so columns line up
/// with and without colour.
struct TextStyle {
    enum Tone {
        /// The defense held: stopped, blocked.
        case good
        /// The attack got through.
        case bad
        /// Did not run, does not apply, legends.
        case muted
        /// Headings.
        case heading
        /// Something to notice that is neither good nor bad.
        case note
    }

    let color: Bool

    func paint(_ s: String, _ tone: Tone) -> String {
        guard color, !s.isEmpty else { return s }
        let code = switch tone {
        case .good: "1;32"
        case .bad: "1;31"
        case .muted: "2"
        case .heading: "1"
        case .note: "33"
        }
        return "\u{1B}[\(code)m" + s + "\u{1B}[0m"
    }
}

enum TextLayout {
    /// The width prose is wrapped to: comfortable on a projector.
    static let proseWidth = 78
    /// What a grid tries to stay under.
    static let gridWidth = 160

    /// Words of `text` wrapped to `width`, every line starting with `indent` (the first with `firstIndent` if given).
    static func wrap(_ text: String, width: Int = proseWidth, indent: String = "", firstIndent: String? = nil) -> [String] {
        let words = Fmt.oneLine(text).split(separator: " ")
        guard !words.isEmpty else { return [] }
        var lines: [String] = []
        var current = firstIndent ?? indent
        var lineIsEmpty = true
        for word in words {
            if !lineIsEmpty && current.count + 1 + word.count > width {
                lines.append(current)
                current = indent + word
            } else {
                current += (lineIsEmpty ? "" : " ") + word
            }
            lineIsEmpty = false
        }
        lines.append(current)
        return lines
    }

    /// `s` padded with spaces to `width` characters (never cut).
    static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
    }

    static func padLeft(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
    }

    /// `s` cut to `width` characters, with `…` marking the cut.
    static func fit(_ s: String, _ width: Int) -> String {
        guard s.count > width, width > 1 else { return s }
        return String(s.prefix(width - 1)) + "…"
    }

    /// A name broken at its hyphens (kept at the end of a line) and spaces (dropped) into lines of at most
    /// `width`; a part longer than `width` is cut with `…`.
    static func breakName(_ name: String, width: Int) -> [String] {
        guard name.count > width else { return [name] }
        // Parts: each ends with "-" or " " except the last.
        var parts: [String] = []
        var current = ""
        for c in name {
            current.append(c)
            if c == "-" || c == " " { parts.append(current); current = "" }
        }
        if !current.isEmpty { parts.append(current) }
        var lines: [String] = []
        var line = ""
        for p in parts {
            let candidate = line + p
            if !line.isEmpty && candidate.trimmingTrailingSpace.count > width {
                lines.append(line.trimmingTrailingSpace)
                line = p
            } else {
                line = candidate
            }
        }
        if !line.isEmpty { lines.append(line.trimmingTrailingSpace) }
        return lines.map { fit($0, width) }
    }

    static func rule(_ width: Int, _ char: Character = "-") -> String { String(repeating: char, count: width) }
}

extension String {
    var trimmingTrailingSpace: String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
