@testable import DrillServer
import Logging
import Synchronization
import Testing

/// The console log a facilitator watches: the message at info level, metadata only when debugging.
@Suite struct ConsoleLogTests {
    final class Lines: Sendable {
        let lines = Mutex<[String]>([])
        var all: [String] { lines.withLock { $0 } }
    }

    func logger(_ lines: Lines, level: Logger.Level) -> Logger {
        var logger = Logger(label: "test") { ConsoleLogHandler(label: $0, level: level) { line in lines.lines.withLock { $0.append(line) } } }
        logger[metadataKey: "hb.request.id"] = "42"
        return logger
    }

    @Test func infoLinesCarryTheMessageAndNoMetadata() throws {
        let lines = Lines()
        let log = logger(lines, level: .info)
        log.info("PUT /left-pad 201 3ms")
        log.debug("GET /left-pad 200 1ms")
        let line = try #require(lines.all.first)
        #expect(lines.all.count == 1)
        #expect(line.wholeMatch(of: /\d\d:\d\d:\d\d info PUT \/left-pad 201 3ms\n/) != nil, "\(line)")
    }

    @Test func debugLinesCarryTheMetadata() throws {
        let lines = Lines()
        let log = logger(lines, level: .debug)
        log.debug("GET /left-pad 200 1ms", metadata: ["extra": "1"])
        let line = try #require(lines.all.first)
        #expect(line.hasSuffix(" debug GET /left-pad 200 1ms extra=1 hb.request.id=42\n"), "\(line)")
    }

    @Test("Control characters a participant chose are shown, not obeyed", arguments: [
        ("plain text", "plain text"), ("a\u{1B}[2Jb", "a\\u{1B}[2Jb"), ("tab\there", "tab\there"),
        ("bell\u{07}", "bell\\u{7}"), ("c1\u{9B}31m", "c1\\u{9B}31m"), ("del\u{7F}", "del\\u{7F}"), ("two\nlines", "two\nlines"),
        ("ünïcode ✓", "ünïcode ✓"), ("cr\rover", "cr\\u{D}over"), ("rlo\u{202E}gpj.exe", "rlo\\u{202E}gpj.exe"),
        ("nel\u{85}ls\u{2028}", "nel\\u{85}ls\\u{2028}"),
    ])
    func consoleSafe(_ raw: String, _ shown: String) {
        #expect(Text.consoleSafe(raw) == shown)
    }

    @Test func aRequestCannotForgeAConsoleLine() throws {
        // A request field with a line break in it, quoted in an error message: still one line, the break shown.
        let lines = Lines()
        logger(lines, level: .info).info("PUT /x 400 (The e-mail 'a@x\n[mail] to alice@example.com: Your npm login code: 12345678' is invalid)")
        let line = try #require(lines.all.first)
        #expect(lines.all.count == 1)
        #expect(line.filter { $0 == "\n" }.count == 1 && line.hasSuffix("\n"))
        #expect(line.contains("a@x\\u{A}[mail] to alice@example.com"))
        // CR LF, NEL and the Unicode line separators are line breaks too.
        logger(lines, level: .info).info("x\r\ny\u{85}z\u{2028}w\u{2029}v")
        #expect(lines.all[1] .hasSuffix("x\\u{D}\\u{A}y\\u{85}z\\u{2028}w\\u{2029}v\n"))
    }

    @Test func aLogLineIsBounded() throws {
        let lines = Lines()
        logger(lines, level: .info).info("PUT /x 400 (\(String(repeating: "A", count: 900_000)))")
        let line = try #require(lines.all.first)
        #expect(line.count < ConsoleLogHandler.lineLimit + 100)
        #expect(line.contains("characters left out"))
        #expect(line.hasSuffix("AAA)\n"))
    }

    @Test func aLogLineCannotCarryEscapes() throws {
        let lines = Lines()
        logger(lines, level: .info).info("PUT /x 400 (The e-mail 'a\u{1B}]0;pwned\u{07}@x' is invalid)")
        let line = try #require(lines.all.first)
        #expect(!line.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
    }
}
