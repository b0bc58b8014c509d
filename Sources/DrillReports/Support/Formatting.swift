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
    static func oneLine(_ s: String) -> String {
        s.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).joined(separator: " ")
    }
}

/// UTC calendar arithmetic without Foundation's locale- and time-zone-dependent formatters.
enum UTC {
    struct Parts: Equatable { var year, month, day, hour, minute, second: Int }

    static func parts(_ seconds: Int64) -> Parts {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let rem = Int(seconds - days * 86_400)
        // Days to civil date (Howard Hinnant's algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return Parts(year: Int(y), month: Int(m), day: Int(d), hour: rem / 3_600, minute: rem % 3_600 / 60, second: rem % 60)
    }

    private static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// `2018-07-12`.
    static func day(_ seconds: Int64) -> String {
        let p = parts(seconds)
        return "\(p.year)-\(two(p.month))-\(two(p.day))"
    }

    /// `09:35`.
    static func clock(_ seconds: Int64) -> String {
        let p = parts(seconds)
        return "\(two(p.hour)):\(two(p.minute))"
    }

    /// `2018-07-12T09:35:00Z`.
    static func iso8601(_ seconds: Int64) -> String {
        let p = parts(seconds)
        return "\(day(seconds))T\(two(p.hour)):\(two(p.minute)):\(two(p.second))Z"
    }
}

/// How step times are shown in one report: the time of day when every step falls on one day (named once
/// in the header), else date and time.
struct TimeStyle: Equatable {
    /// The one day of every step, if there is one.
    let singleDay: String?

    init(_ times: [Int64]) {
        let days = Set(times.map(UTC.day))
        singleDay = days.count == 1 ? days.first : nil
    }

    func show(_ at: Int64) -> String {
        singleDay == nil ? UTC.day(at) + " " + UTC.clock(at) : UTC.clock(at)
    }

    /// What the time column means, for a header.
    var caption: String {
        singleDay.map { "times are UTC on \($0)" } ?? "times are UTC"
    }
}
