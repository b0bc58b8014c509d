/// A catalog for the terminal: sections of paragraphs (or an aligned grid for short entries).
struct TextCatalog {
    let document: CatalogDocument
    let style: TextStyle

    /// Profiles and scenarios come from files: their text is made terminal-safe first.
    init(_ document: CatalogDocument, style: TextStyle) {
        var d = document
        d.sections = d.sections.map { s in
            var s = s
            s.entries = s.entries.map { e in
                CatalogDocument.Entry(id: Escape.terminal(e.id), title: Escape.terminal(e.title), text: Escape.terminal(e.text),
                                      fields: e.fields.map { ($0.label, Escape.terminal($0.value)) })
            }
            return s
        }
        self.document = d
        self.style = style
    }

    func render() -> String {
        var out = [style.paint(document.title.uppercased(), .heading)]
        if !document.intro.isEmpty { out += TextLayout.wrap(document.intro).map { style.paint($0, .muted) } }
        for section in document.sections {
            if document.sections.count > 1 {
                out.append("")
                out.append(style.paint(section.heading, .heading))
                out.append(TextLayout.rule(section.heading.count))
                if !section.intro.isEmpty { out += TextLayout.wrap(section.intro).map { style.paint($0, .muted) } }
            }
            if section.entries.isEmpty {
                out.append("")
                out.append("  (none)")
                continue
            }
            switch section.layout {
            case .blocks: out += blocks(section)
            case .grid: out += grid(section)
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    func blocks(_ section: CatalogDocument.Section) -> [String] {
        var out: [String] = []
        let labelWidth = section.fieldLabels.map(\.count).max() ?? 0
        let indent = "    "
        for e in section.entries {
            out.append("")
            out.append(style.paint(e.id, .heading) + (e.title.isEmpty ? "" : "  " + e.title))
            if !e.text.isEmpty { out += TextLayout.wrap(e.text, indent: indent) }
            let valueIndent = indent + String(repeating: " ", count: labelWidth + 2)
            for f in e.fields where !f.value.isEmpty {
                out += TextLayout.wrap(f.value, indent: valueIndent, firstIndent: indent + TextLayout.pad(f.label, labelWidth) + "  ")
            }
        }
        return out
    }

    func grid(_ section: CatalogDocument.Section) -> [String] {
        var columns: [TextGrid.Column] = [.init(header: "id", maxWidth: 40)]
        if section.hasTitles { columns.append(.init(header: "title", maxWidth: 70, minWidth: 20)) }
        columns += section.fieldLabels.map { .init(header: $0, maxWidth: 40) }
        var grid = TextGrid(columns)
        grid.indent = ""
        for e in section.entries {
            grid.add([.init(e.id)] + (section.hasTitles ? [.init(e.title)] : []) + e.fields.map { .init($0.value) })
        }
        return [""] + grid.render(style)
    }
}
