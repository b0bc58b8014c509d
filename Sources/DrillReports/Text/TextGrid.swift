/// An aligned table for the terminal: column widths from the content, headers broken at hyphens onto
/// several lines (long profile names stay readable in narrow columns), overlong cells cut with `…`, and the
/// whole grid shrunk, widest column first, to stay under a total width.
struct TextGrid {
    struct Column {
        var header: String
        /// The column never grows past this.
        var maxWidth: Int = .max
        /// Shrinking to fit the total width stops here.
        var minWidth: Int = 6
        var alignRight = false
    }

    struct Cell: ExpressibleByStringLiteral {
        var text: String
        var tone: TextStyle.Tone?
        init(_ text: String, _ tone: TextStyle.Tone? = nil) { self.text = text; self.tone = tone }
        init(stringLiteral value: String) { self.init(value) }
    }

    var columns: [Column]
    var rows: [[Cell]] = []
    /// Row indices before which a horizontal rule is drawn (a totals row, a verdict row).
    var rulesBefore: Set<Int> = []
    var indent = "  "
    var gap = 2
    /// The total width the grid tries to stay under, indent included.
    var maxTotal = TextLayout.gridWidth

    init(_ columns: [Column]) { self.columns = columns }

    mutating func add(_ row: [Cell]) { rows.append(row) }

    /// A header up to this long stays on one line; a longer one breaks at hyphens or spaces onto two.
    static let shortHeader = 12

    /// The width each column wants: its widest cell, and room for its header on one line (short headers)
    /// or two (long ones).
    func naturalWidths() -> [Int] {
        columns.indices.map { i -> Int in
            let cells = rows.map { i < $0.count ? $0[i].text.count : 0 }.max() ?? 0
            let header = columns[i].header
            let headerWidth = header.count <= Self.shortHeader ? header.count : Self.headerWidth(header, lines: 2)
            return min(columns[i].maxWidth, max(cells, headerWidth, 1))
        }
    }

    func total(_ widths: [Int]) -> Int { indent.count + widths.reduce(0, +) + gap * max(widths.count - 1, 0) }

    /// Whether the grid fits `maxTotal` without cutting anything.
    var fitsWithoutCutting: Bool { total(naturalWidths()) <= maxTotal }

    /// The widths the columns get: natural, then shrunk widest-first (cutting cells) to fit `maxTotal`.
    func widths() -> [Int] {
        var widths = naturalWidths()
        while total(widths) > maxTotal {
            guard let i = widths.indices.filter({ widths[$0] > columns[$0].minWidth }).max(by: { widths[$0] < widths[$1] || (widths[$0] == widths[$1] && $0 > $1) })
            else { break }
            widths[i] -= 1
        }
        return widths
    }

    /// The narrowest width at which `header` breaks onto at most `lines` lines without cutting a part.
    static func headerWidth(_ header: String, lines: Int) -> Int {
        (1...max(header.count, 1)).first { w in
            let broken = TextLayout.breakName(header, width: w)
            return broken.count <= lines && broken.allSatisfy { $0.count <= w && !$0.hasSuffix("…") }
        } ?? header.count
    }

    func render(_ style: TextStyle) -> [String] {
        let widths = widths()
        let space = String(repeating: " ", count: gap)
        let headerLines = columns.indices.map { TextLayout.breakName(columns[$0].header, width: widths[$0]) }
        let headerHeight = headerLines.map(\.count).max() ?? 0
        var out: [String] = []
        for line in 0..<headerHeight {
            let cells = columns.indices.map { i -> String in
                let lines = headerLines[i]
                let offset = headerHeight - lines.count  // bottom-aligned, like a spreadsheet
                let text = line >= offset ? lines[line - offset] : ""
                return columns[i].alignRight ? TextLayout.padLeft(text, widths[i]) : TextLayout.pad(text, widths[i])
            }
            out.append(indent + style.paint(trimRight(cells.joined(separator: space)), .heading))
        }
        let ruleLine = indent + widths.map { TextLayout.rule($0) }.joined(separator: space)
        out.append(ruleLine)
        for (r, row) in rows.enumerated() {
            if rulesBefore.contains(r) { out.append(ruleLine) }
            let cells = columns.indices.map { i -> String in
                let cell = i < row.count ? row[i] : Cell("")
                let text = TextLayout.fit(cell.text, widths[i])
                let padded = columns[i].alignRight ? TextLayout.padLeft(text, widths[i]) : TextLayout.pad(text, widths[i])
                guard let tone = cell.tone else { return padded }
                // Colour the text, not the padding, so trailing spaces stay plain.
                let trailing = padded.count - text.count
                let spaces = String(repeating: " ", count: trailing)
                return columns[i].alignRight ? spaces + style.paint(text, tone) : style.paint(text, tone) + spaces
            }
            out.append(trimRight(indent + cells.joined(separator: space)))
        }
        return out
    }

    private func trimRight(_ s: String) -> String {
        var s = s
        while s.last == " " { s.removeLast() }
        return s
    }
}
