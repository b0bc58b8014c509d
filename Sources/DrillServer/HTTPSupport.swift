import DrillRegistry
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// A request the server itself cannot take: malformed JSON, a wrong content type, a body too large, a bad path.
///
/// These are not registry decisions (the registry never saw the request); each says what is wrong.
struct BadInput: Error, Sendable {
    var status: HTTPResponse.Status
    var message: String
    /// Close the connection after answering (for a body we refuse to read).
    var closeConnection = false

    init(_ status: HTTPResponse.Status, _ message: String, closeConnection: Bool = false) {
        self.status = status; self.message = message; self.closeConnection = closeConnection
    }

    static func badRequest(_ message: String) -> BadInput { BadInput(.badRequest, message) }
    static func notFound(_ message: String) -> BadInput { BadInput(.notFound, message) }
}

enum Reply {
    static let jsonContentType = "application/json"

    /// A JSON response. Every answer of the API is `no-store`: npm must never serve a stale packument
    /// or token list from its cache, and `npm-notice` lines only show on uncached responses.
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = jsonContentType
        fields[.cacheControl] = "no-store"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: value.encoded())))
    }

    /// JSON already encoded (a cached packument). The buffer is shared, not copied.
    static func json(encoded buffer: ByteBuffer) -> Response {
        Response(status: .ok, headers: jsonHeaders, body: .init(byteBuffer: buffer))
    }

    /// The headers of every successful JSON answer, made once.
    static let jsonHeaders: HTTPFields = [.contentType: jsonContentType, .cacheControl: "no-store"]

    static func error(_ status: HTTPResponse.Status, _ message: String, extra: [String: JSONValue] = [:], headers: HTTPFields = [:]) -> Response {
        var body = extra
        body["error"] = .string(message)
        return json(.object(body), status: status, headers: headers)
    }

    static func badInput(_ e: BadInput) -> Response {
        var headers: HTTPFields = [:]
        if e.closeConnection { headers[.connection] = "close" }
        return error(e.status, e.message, headers: headers)
    }

    static func bytes(_ bytes: [UInt8], contentType: String, status: HTTPResponse.Status = .ok) -> Response {
        var fields: HTTPFields = [:]
        fields[.contentType] = contentType
        fields[.cacheControl] = "no-store"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        var fields: HTTPFields = [:]
        fields[.contentType] = "text/html; charset=utf-8"
        fields[.cacheControl] = "no-store"
        // The page is self-contained: no scripts, no outside resources, never framed.
        fields[.contentSecurityPolicy] = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'"
        fields[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func noContent() -> Response {
        var fields: HTTPFields = [:]
        fields[.cacheControl] = "no-store"
        return Response(status: .noContent, headers: fields)
    }
}

extension HTTPField.Name {
    static let npmOTP = HTTPField.Name("npm-otp")!
    static let npmNotice = HTTPField.Name("npm-notice")!
    static let npmCommand = HTTPField.Name("npm-command")!
}

enum Text {
    /// `%xx` decoding of one path segment; nil for a malformed escape or bytes that are not UTF-8.
    static func percentDecode(_ s: Substring) -> String? {
        guard s.utf8.contains(UInt8(ascii: "%")) else { return String(s) }
        var out: [UInt8] = []
        var it = Array(s.utf8)[...]
        while let b = it.popFirst() {
            if b == UInt8(ascii: "%") {
                guard it.count >= 2, let hi = hexValue(it[it.startIndex]), let lo = hexValue(it[it.startIndex + 1]) else { return nil }
                out.append(hi << 4 | lo)
                it = it.dropFirst(2)
            } else {
                out.append(b)
            }
        }
        return String(validating: out, as: UTF8.self)
    }

    static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): b - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// `application/x-www-form-urlencoded` fields (`+` is a space).
    static func formFields(_ body: [UInt8]) -> [String: String]? {
        guard let text = String(validating: body, as: UTF8.self) else { return nil }
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let key = percentDecode(Substring(parts[0].replacingOccurrences(of: "+", with: " "))),
                  let value = percentDecode(Substring((parts.count > 1 ? String(parts[1]) : "").replacingOccurrences(of: "+", with: " ")))
            else { return nil }
            fields[key] = value
        }
        return fields
    }

    /// HTML-escapes text for the login page (``UntrustedText/html(_:)``).
    static func html(_ s: String) -> String { UntrustedText.html(s) }

    /// Text for the facilitator's terminal, several lines allowed (the banner): controls but line feed and tab shown
    /// as `\u{1B}` (``UntrustedText/terminal(_:)``).
    static func consoleSafe(_ s: String) -> String { UntrustedText.terminal(s) }

    /// A header value: printable ASCII only, at most 512 characters.
    static func headerSafe(_ s: String) -> String {
        String(String(s.unicodeScalars.map { ($0.isASCII && $0.value >= 0x20 && $0.value < 0x7f) ? Character($0) : "?" }).prefix(512))
    }
}

