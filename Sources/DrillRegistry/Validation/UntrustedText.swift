/// The one rule for showing text that came from outside: a scenario or profile file, a field of a request, a
/// participant's e-mail address. The reports, the server's console and the CLI's error messages all use it, so a
/// value cannot do on one surface what another forbids.
///
/// Everything works on Unicode scalars (code points), never on `Character`s: a grapheme cluster can hide a `[` or a
/// `<` behind a combining mark, and a CRLF is one `Character`.
public enum UntrustedText {
    /// Whether a terminal would act on `scalar` instead of printing it, or reorder or hide the text around it:
    /// - C0 controls and DEL (ESC starts every ANSI sequence; CR and BS rewrite a line);
    /// - C1 controls, U+0080-U+009F: CSI (U+009B), OSC (U+009D) and ST (U+009C) work like their ESC forms on many
    ///   terminals; NEL (U+0085) breaks lines;
    /// - the bidirectional controls (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069: "Trojan Source",
    ///   CVE-2021-42574) and the line and paragraph separators U+2028 and U+2029.
    ///
    /// Line feed and tab are included; callers that print several lines keep them (``terminal(_:)``).
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0x2028, 0x2029: true
        default: false
        }
    }

    /// Text for a terminal, several lines allowed: every control but line feed and tab shown as `\u{1B}`.
    public static func terminal(_ s: String) -> String {
        escaping(s) { isControl($0) && $0 != "\n" && $0 != "\t" }
    }

    /// One line for a log or a one-line message: every control, line breaks included, shown as `\u{A}`, and at most
    /// `limit` characters: a longer text keeps its start and end with the middle left out and counted. A request can
    /// then neither forge a console line (a fake mailed login code) nor print a line of 900,000 characters.
    public static func line(_ s: String, limit: Int = 2_000) -> String {
        bounded(escaping(s, isControl), limit: limit)
    }

    /// `s` cut to at most about `limit` characters: its first two thirds and last third, the middle counted.
    public static func bounded(_ s: String, limit: Int) -> String {
        let scalars = s.unicodeScalars
        guard scalars.count > limit, limit >= 3 else { return s }
        let head = limit * 2 / 3, tail = limit - head
        let left = String(String.UnicodeScalarView(scalars.prefix(head)))
        let right = String(String.UnicodeScalarView(scalars.suffix(tail)))
        return left + " … (\(scalars.count - head - tail) characters left out) … " + right
    }

    /// Text and attribute values in HTML: `& < > " '` as references.
    public static func html(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Inline Markdown (CommonMark and GitHub's tables): one line, with every character that could start markup
    /// backslash-escaped, HTML neutralised (renderers pass raw HTML through), and controls and bidirectional
    /// characters replaced by U+FFFD. Runs of spaces and line breaks of any kind become one space.
    public static func markdown(_ s: String) -> String {
        var out = ""
        for scalar in oneLine(s).unicodeScalars {
            switch scalar {
            // A link or an image needs `[`; `(` alone starts nothing.
            case "\\", "`", "*", "_", "[", "]", "|", "#", "~": out += "\\" + String(scalar)
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            default: isControl(scalar) ? out.unicodeScalars.append("\u{FFFD}") : out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Runs of whitespace and line breaks of every kind (LF, CR, CRLF, tab, vertical tab, form feed, NEL, U+2028,
    /// U+2029) as one space, trimmed.
    public static func oneLine(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in s.unicodeScalars {
            switch scalar.value {
            case 0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x85, 0x2028, 0x2029:
                pendingSpace = !out.isEmpty
            default:
                if pendingSpace { out.append(" "); pendingSpace = false }
                out.append(scalar)
            }
        }
        return String(out)
    }

    private static func escaping(_ s: String, _ shouldEscape: (Unicode.Scalar) -> Bool) -> String {
        guard s.unicodeScalars.contains(where: shouldEscape) else { return s }
        var out = ""
        for scalar in s.unicodeScalars {
            if shouldEscape(scalar) {
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
