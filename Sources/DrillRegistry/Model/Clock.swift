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

/// ISO 8601 rendering of registry times (UTC, whole seconds).
public enum Timestamp {
    public static func iso8601(_ seconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    /// Parses `2018-07-12T09:49:00Z` (or with fractional seconds); nil when it is not such a time.
    public static func parse(_ text: String) -> Int64? {
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        if let d = plain.date(from: text) { return Int64(d.timeIntervalSince1970) }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = fractional.date(from: text) { return Int64(d.timeIntervalSince1970) }
        return nil
    }
}
