/// A catalog (defenses, profiles, rules, scenarios) as sections of entries, drawn by every format the same
/// way. The entries come straight from the code's own tables, so the printed catalog cannot drift from them.
struct CatalogDocument {
    enum TextLayoutKind {
        /// An entry per paragraph: `id  title`, the text, then `label  value` lines. For long prose.
        case blocks
        /// One aligned row per entry. For short fields.
        case grid
    }

    struct Entry {
        var id: String
        var title: String = ""
        var text: String = ""
        /// Labelled values; every entry of a section has the same labels in the same order.
        var fields: [(label: String, value: String)] = []
    }

    struct Section {
        var heading: String
        var intro: String = ""
        /// What the `text` of an entry is called in a table header.
        var textLabel: String = "description"
        var layout: TextLayoutKind = .blocks
        var entries: [Entry]

        var hasTitles: Bool { entries.contains { !$0.title.isEmpty } }
        var hasText: Bool { entries.contains { !$0.text.isEmpty } }
        var fieldLabels: [String] { entries.first?.fields.map(\.label) ?? [] }

        /// The table header and rows for the markup formats (and the text grid).
        var header: [String] { ["id"] + (hasTitles ? ["title"] : []) + (hasText ? [textLabel] : []) + fieldLabels }
        var rows: [[String]] {
            entries.map { e in [e.id] + (hasTitles ? [e.title] : []) + (hasText ? [e.text] : []) + e.fields.map(\.value) }
        }
    }

    var title: String
    var intro: String = ""
    var sections: [Section]
}
