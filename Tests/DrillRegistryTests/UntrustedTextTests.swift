import DrillRegistry
import Testing

/// The one rule for untrusted text (reports, console, error messages), by code point.
@Suite struct UntrustedTextTests {
    @Test("Every control a terminal acts on is a control", arguments: [
        0x00, 0x07, 0x08, 0x09, 0x0A, 0x0D, 0x1B, 0x7F, 0x80, 0x85, 0x9B, 0x9C, 0x9D, 0x9F,
        0x061C, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0x2028, 0x2029,
    ] as [UInt32])
    func controls(_ value: UInt32) {
        #expect(UntrustedText.isControl(Unicode.Scalar(value)!))
        #expect(!UntrustedText.line("a\(Unicode.Scalar(value)!)b").unicodeScalars.contains(Unicode.Scalar(value)!))
    }

    @Test("Printable text is left alone", arguments: ["plain", "ünïcode ✓", "日本語", "👩‍👩‍👧 (a joiner is not a control)", "a\u{301}", "\u{A0}nbsp"])
    func printable(_ s: String) {
        #expect(UntrustedText.terminal(s) == s)
        #expect(UntrustedText.line(s) == s)
    }

    @Test func terminalTextKeepsLinesAndTabs() {
        #expect(UntrustedText.terminal("a\nb\tc\u{1B}[2J") == "a\nb\tc\\u{1B}[2J")
        #expect(UntrustedText.line("a\nb\tc") == "a\\u{A}b\\u{9}c")
    }

    @Test("Markdown: a combining mark or a prepend character cannot hide markup from the escaper", arguments: [
        // A grapheme cluster starting with `[` (a combining accent after it) or ending with it (U+0600, a prepend
        // character, before it) is one Character: escaping by Character missed the bracket.
        ("[\u{301}x](javascript:alert(1))", "\\[\u{301}x\\](javascript:alert(1))"),
        ("\u{600}[x](https://evil.example)", "\u{600}\\[x\\](https://evil.example)"),
        ("!\u{600}[img](https://evil.example/p.png)", "!\u{600}\\[img\\](https://evil.example/p.png)"),
        ("<\u{301}script>alert(1)<\u{301}/script>", "&lt;\u{301}script&gt;alert(1)&lt;\u{301}/script&gt;"),
        (">\u{301} quote", "&gt;\u{301} quote"),
        ("a\r\nb", "a b"), ("a\r\n\r\n# heading", "a \\# heading"), ("x\u{2028}y\u{85}z", "x y z"), ("  lead  and trail  ", "lead and trail"),
        ("bell\u{7}rlo\u{202E}", "bell\u{FFFD}rlo\u{FFFD}"), ("a|b", "a\\|b"),
    ])
    func markdown(_ raw: String, _ escaped: String) {
        #expect(UntrustedText.markdown(raw) == escaped)
    }

    @Test func htmlByCodePoint() {
        #expect(UntrustedText.html("<\u{301}img src=x onerror='a'>&") == "&lt;\u{301}img src=x onerror=&#39;a&#39;&gt;&amp;")
        #expect(UntrustedText.html("\"") == "&quot;")
    }

    @Test func oneLineTreatsEveryBreakAsASpace() {
        #expect(UntrustedText.oneLine("a\r\nb\rc\u{B}d\u{C}e\u{85}f\u{2028}g\u{2029}h\t i") == "a b c d e f g h i")
    }

    @Test("Long text keeps its start and end", arguments: [10, 2_000])
    func bounded(_ limit: Int) {
        let s = String(repeating: "a", count: 5_000) + "END"
        let cut = UntrustedText.line(s, limit: limit)
        #expect(cut.hasPrefix("aaa") && cut.hasSuffix("END"))
        #expect(cut.contains("characters left out"))
        #expect(cut.unicodeScalars.count < limit + 60)
        #expect(UntrustedText.line("short", limit: limit) == "short")
    }
}
