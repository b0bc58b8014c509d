import DrillRegistry
/// Escaping for the markup formats. Scenario files are untrusted input: every string that came from one
/// goes through these before it reaches HTML, XML or a Markdown table.
enum Escape {
    /// Text and attribute values in HTML (``UntrustedText/html(_:)``).
    static func html(_ s: String) -> String { UntrustedText.html(s) }

    /// Text and attribute values in XML 1.0. Characters XML 1.0 cannot carry at all (most C0 controls, lone
    /// surrogates cannot occur in Swift strings) become U+FFFD; newlines and tabs in attributes become
    /// character references so they survive attribute-value normalisation.
    static func xml(_ s: String, attribute: Bool = false) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n": out += attribute ? "&#10;" : "\n"
            case "\r": out += "&#13;"
            case "\t": out += attribute ? "&#9;" : "\t"
            default:
                let v = c.value
                if v < 0x20 || v == 0xFFFE || v == 0xFFFF { out += "\u{FFFD}" } else { out.unicodeScalars.append(c) }
            }
        }
        return out
    }

    /// Inline Markdown text, escaped by code point (``UntrustedText/markdown(_:)``).
    static func markdown(_ s: String) -> String { UntrustedText.markdown(s) }

    /// An identifier shown as inline code. Backticks inside get a longer fence; `|` is escaped for tables.
    static func code(_ s: String) -> String {
        let t = Fmt.oneLine(s).replacingOccurrences(of: "|", with: "\\|")
        if !t.contains("`") { return "`" + t + "`" }
        return "`` " + t + " ``"
    }

    /// A fragment identifier: letters, digits, `-` and `_`; everything else becomes `-`.
    static func anchor(_ parts: String...) -> String {
        parts.joined(separator: "--").unicodeScalars.map { c -> String in
            let ok = (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || c == "-" || c == "_"
            return ok ? String(c) : "-"
        }.joined()
    }

    /// Text for a terminal: controls (an ANSI escape in a scenario file, C1 and bidirectional controls) shown as
    /// `\u{1B}` (``UntrustedText/terminal(_:)``).
    static func terminal(_ s: String) -> String { UntrustedText.terminal(s) }
}
