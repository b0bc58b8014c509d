import DrillRegistry
import Foundation
import Logging
import Synchronization

/// The server's console log: one line per event, `HH:MM:SS level message` (UTC), control characters and line breaks
/// made visible and the line bounded (``UntrustedText/line(_:limit:)``); at debug and trace levels the
/// metadata follows as `key=value` (Hummingbird's request id, say), which the workshop's console does not need.
///
/// swift-log's `StreamLogHandler` renders its metadata again each time a key is set, and Hummingbird sets a request id
/// on every request's logger: on a packument GET that alone cost a few percent of the server's time. Here metadata is
/// only rendered for a line that is written.
public struct ConsoleLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    let label: String
    let sink: @Sendable (String) -> Void

    /// A handler writing to standard output at `level` and above.
    public init(label: String, level: Logger.Level = .info, sink: @escaping @Sendable (String) -> Void = ConsoleLogHandler.standardOutput) {
        self.label = label
        self.logLevel = level
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var line = Timestamp.time(SystemClock().now()) + " " + event.level.rawValue + " " + event.message.description
        if event.level <= .debug {
            var all = metadata
            if let extra = event.metadata { all.merge(extra) { _, new in new } }
            for key in all.keys.sorted() { line += " \(key)=\(all[key]!)" }
        }
        // One event, one line: a request's fields quoted in a message cannot start a line of their own.
        sink(UntrustedText.line(line, limit: Self.lineLimit) + "\n")
    }

    /// The longest line written; a longer one keeps its start and end (``UntrustedText/line(_:limit:)``).
    public static let lineLimit = 2_000

    /// Writes whole lines to standard output, one at a time.
    public static let standardOutput: @Sendable (String) -> Void = { line in
        outputLock.withLock { _ in FileHandle.standardOutput.write(Data(line.utf8)) }
    }
    static let outputLock = Mutex(())
}
