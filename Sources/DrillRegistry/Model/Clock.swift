import Foundation
import Synchronization

/// Where every time-dependent rule reads the time: OTP windows, token expiry, sessions, grace periods.
public protocol RegistryClock: Sendable {
    /// Seconds since 1970-01-01T00:00:00Z.
    func now() -> Int64
}

/// The wall clock, for the live server.
public struct SystemClock: RegistryClock {
    public init() {}
    public func now() -> Int64 { Int64(Date().timeIntervalSince1970) }
}

/// A clock that moves only when told: scenarios and tests set it to each step's time.
public final class ManualClock: RegistryClock {
    private let seconds: Mutex<Int64>
    public init(_ start: Int64) { seconds = Mutex(start) }
    public func now() -> Int64 { seconds.withLock { $0 } }
    public func set(_ value: Int64) { seconds.withLock { $0 = value } }
    public func advance(by delta: Int64) { seconds.withLock { $0 += delta } }
}

/// UTC renderings of registry times, computed directly: a date formatter per call is slow on Linux, and times are
/// rendered for every step of every report and every packument.
public enum Timestamp {
    /// A time's UTC calendar fields.
    public struct Civil: Sendable, Equatable {
        public var year, month, day, hour, minute, second: Int
    }

    /// The UTC calendar fields of `seconds` since 1970 (proleptic Gregorian; Howard Hinnant's days-to-civil algorithm).
    public static func civil(_ seconds: Int64) -> Civil {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = Int(seconds - days * 86_400)
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return Civil(year: Int(year), month: Int(month), day: Int(day),
                     hour: secondOfDay / 3_600, minute: secondOfDay % 3_600 / 60, second: secondOfDay % 60)
    }

    /// `2018-07-12`.
    public static func day(_ seconds: Int64) -> String {
        let c = civil(seconds)
        let year = String(c.year)
        return String(repeating: "0", count: max(0, 4 - year.count)) + year + "-" + two(c.month) + "-" + two(c.day)
    }

    /// `09:35`.
    public static func clock(_ seconds: Int64) -> String {
        let c = civil(seconds)
        return two(c.hour) + ":" + two(c.minute)
    }

    /// `09:35:00`.
    public static func time(_ seconds: Int64) -> String {
        let c = civil(seconds)
        return two(c.hour) + ":" + two(c.minute) + ":" + two(c.second)
    }

    /// `2018-07-12T09:35:00Z`, or with `milliseconds` npm's `2018-07-12T09:35:00.000Z`.
    public static func iso8601(_ seconds: Int64, milliseconds: Bool = false) -> String {
        day(seconds) + "T" + time(seconds) + (milliseconds ? ".000Z" : "Z")
    }

    /// `Thu, 12 Jul 2018 09:35:00 GMT`: HTTP's `Date` (RFC 9110 §5.6.7, IMF-fixdate).
    public static func http(_ seconds: Int64) -> String {
        let c = civil(seconds)
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        return weekdays[Int(((days % 7) + 7) % 7)] + ", " + two(c.day) + " " + months[c.month - 1] + " " + String(c.year) + " "
            + time(seconds) + " GMT"
    }

    private static let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]   // 1 January 1970 was a Thursday
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    private static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// Parsers for `parse`, made once: ISO8601DateFormatter is costly to create and not known to be thread-safe here.
    private static let parsers = Mutex<(plain: ISO8601DateFormatter, fractional: ISO8601DateFormatter)>({
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return (plain, fractional)
    }())

    /// Parses `2018-07-12T09:49:00Z` (or with fractional seconds); nil when it is not such a time.
    public static func parse(_ text: String) -> Int64? {
        parsers.withLock { p in
            if let d = p.plain.date(from: text) { return Int64(d.timeIntervalSince1970) }
            if let d = p.fractional.date(from: text) { return Int64(d.timeIntervalSince1970) }
            return nil
        }
    }
}
