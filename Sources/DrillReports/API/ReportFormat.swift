/// The output formats every report comes in.
public enum ReportFormat: String, CaseIterable, Sendable {
    /// Aligned columns for a terminal or a projector; ANSI colour only when ``RenderOptions/color`` is set.
    case text
    /// Headings, tables and the teaching text, for handouts.
    case markdown
    /// Versioned (``Reports/jsonSchemaVersion``), keys sorted, nulls explicit.
    case json
    /// One self-contained page: inline CSS, no scripts, no external assets.
    case html
    /// JUnit XML, so CI can treat "profile P stops scenario S" as a test.
    case junit

    /// The usual file extension for the format.
    public var fileExtension: String {
        switch self {
        case .text: "txt"
        case .markdown: "md"
        case .json: "json"
        case .html: "html"
        case .junit: "xml"
        }
    }
}

/// How a human-readable report is drawn.
///
/// Both switches apply to the text, Markdown and HTML formats. JSON and JUnit are for programs and always
/// carry the outcomes and never colour.
public struct RenderOptions: Sendable, Equatable {
    /// ANSI colour in text output. The CLI sets it on a terminal when `NO_COLOR` is not set.
    public var color: Bool
    /// `false` hides what the registry did (statuses, answers, rules, verdicts, blast radius, what happened
    /// and the remediation) for a facilitator's step-by-step reveal; the story, actors and hints stay.
    public var showOutcomes: Bool

    public init(color: Bool = false, showOutcomes: Bool = true) {
        self.color = color
        self.showOutcomes = showOutcomes
    }
}
