import DrillRegistry
/// Locale-free formatting, so every report reads the same on every machine (golden files depend on it).
enum Fmt {
    /// `1234567` → `1,234,567`.
    static func count(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// A number with at most two decimals, trailing zeros dropped: `1.95`, `2`, `0.5`.
    static func decimal(_ x: Double) -> String {
        guard x.isFinite else { return x.isNaN ? "?" : (x > 0 ? "inf" : "-inf") }
        let hundredths = Int((x * 100).rounded())
        let whole = abs(hundredths) / 100, frac = abs(hundredths) % 100
        let sign = hundredths < 0 ? "-" : ""
        if frac == 0 { return sign + String(whole) }
        let f = frac % 10 == 0 ? String(frac / 10) : (frac < 10 ? "0" + String(frac) : String(frac))
        return sign + String(whole) + "." + f
    }

    static func hours(_ h: Double?) -> String {
        guard let h else { return "unknown" }
        return decimal(h) + " h"
    }

    /// `n thing` or `n things`.
    static func plural(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(n) " + (n == 1 ? singular : (plural ?? singular + "s"))
    }

    /// Collapses runs of whitespace (YAML folded text keeps newlines) into single spaces.
    /// Every run of whitespace or line breaks, of any kind, as one space (``UntrustedText/oneLine(_:)``).
    static func oneLine(_ s: String) -> String { UntrustedText.oneLine(s) }
}

/// How step times are shown in one report: the time of day when every step falls on one day (named once
/// in the header), else date and time.
struct TimeStyle: Equatable {
    /// The one day of every step, if there is one.
    let singleDay: String?

    init(_ times: [Int64]) {
        let days = Set(times.map { Timestamp.day($0) })
        singleDay = days.count == 1 ? days.first : nil
    }

    func show(_ at: Int64) -> String {
        singleDay == nil ? Timestamp.day(at) + " " + Timestamp.clock(at) : Timestamp.clock(at)
    }

    /// What the time column means, for a header.
    var caption: String {
        singleDay.map { "times are UTC on \($0)" } ?? "times are UTC"
    }
}
