import DrillRegistry
import Foundation
import Hummingbird
import HummingbirdCore

/// The server's reading of a request before any registry call, run on arbitrary bytes, and what must hold whatever
/// the bytes are. It is the body of the coverage-guided fuzz target for request decoding (`regdrill-libfuzzer
/// request`, docs/hardening.md "Coverage-guided fuzzing") and of its regression tests.
///
/// The input is read as HTTP/1.1 writes a request: a request line (`METHOD TARGET VERSION`), header lines, a blank
/// line, the body (line ends LF or CRLF). HTTP framing itself is NIO's parser's (C code, fuzzed upstream); what is
/// fuzzed here is everything of the server's own that reads what a client chose, in the order a request meets it:
///
/// - the target, through Hummingbird's `URI` and ``Route/parse(rawPath:)`` (percent-decoding, package names, scopes,
///   tarball file names, revisions, session ids);
/// - `Authorization` (``ServerCore/credential(authorization:)``: Bearer, Basic in base64) and `npm-otp`
///   (``ServerCore/secondFactor(_:)``);
/// - `Host`, as echoed into tarball URLs (``ServerCore/isHostByte(_:)``);
/// - the body as JSON (``JSONParser``), as a web login form (`Text.formFields`) and as a tarball (``GzipMember``).
public enum RequestDecodingProbe {
    /// The invariants `input` broke; empty when all held. Crashes and traps are the fuzzer's to see.
    public static func violations(_ input: [UInt8]) -> [String] {
        let request = RawRequest(input)
        var problems: [String] = []
        problems += routeProblems(request.target)
        problems += credentialProblems(request.header("authorization"))
        problems += secondFactorProblems(request.header("npm-otp"))
        if let host = request.header("host"), host.utf8.allSatisfy(ServerCore.isHostByte) {
            // Only these bytes are echoed into tarball URLs: nothing that ends the URL or the JSON string early.
            if host.contains(where: { "\"\\/<>? #".contains($0) }) { problems.append("a Host header of '\(host.prefix(80))' would be echoed") }
        }
        problems += bodyProblems(request.body)
        return problems
    }

    // MARK: - The request, as the bytes give it

    /// A request line, header lines and a body, split as HTTP/1.1 splits them; nothing here refuses anything.
    struct RawRequest {
        var target = ""
        var headers: [(name: String, value: String)] = []
        var body: [UInt8] = []

        init(_ input: [UInt8]) {
            // The head ends at the first blank line (CRLF CRLF or LF LF); without one, the whole input is the head.
            var headEnd = input.count, bodyStart = input.count
            var i = 0
            while i < input.count {
                if input[i] == 0x0A {
                    if i + 1 < input.count, input[i + 1] == 0x0A { headEnd = i; bodyStart = i + 2; break }
                    if i + 2 < input.count, input[i + 1] == 0x0D, input[i + 2] == 0x0A { headEnd = i; bodyStart = i + 3; break }
                }
                i += 1
            }
            body = Array(input[bodyStart...])
            let lines = input[..<headEnd].split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
                String(decoding: line.last == 0x0D ? line.dropLast() : line, as: UTF8.self)
            }
            guard let requestLine = lines.first else { return }
            let parts = requestLine.split(separator: " ", omittingEmptySubsequences: false)
            target = parts.count > 1 ? String(parts[1]) : requestLine
            for line in lines.dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers.append((String(line[..<colon]).lowercased(), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
            }
        }

        func header(_ name: String) -> String? { headers.first { $0.name == name }?.value }
    }

    // MARK: - Invariants

    /// A path becomes a route or a 4xx that says what is wrong, and what a route logs is one line, free of secrets.
    static func routeProblems(_ target: String) -> [String] {
        let path = URI(target).path
        do {
            let route = try Route.parse(rawPath: path)
            var problems: [String] = []
            // The console writes what a route logs through the rule for untrusted text: one line, nothing a terminal obeys.
            let logged = route.logName
            let consoleLine = UntrustedText.line(logged, limit: ConsoleLogHandler.lineLimit)
            if consoleLine.unicodeScalars.contains(where: UntrustedText.isControl) {
                problems.append("the route's console line '\(consoleLine.prefix(80))' holds control characters")
            }
            switch route {
            case .logout(let token), .token(let token):
                if token.count >= 8, logged.contains(token) { problems.append("the route's log name shows the token") }
            default: break
            }
            for name in route.packageNames where PackageName.problem(with: name) != nil {
                problems.append("the route names the package '\(name.prefix(80))', which is not a valid name")
            }
            return problems
        } catch {
            return refusalProblems(error)
        }
    }

    /// A credential is read or refused with a 400 that never quotes what was sent: the refusal is the same when the
    /// secret part (after the scheme) is replaced by as many `x`s, so nothing of the secret is in it. (Looking for the
    /// secret in the message would be wrong both ways: a secret of `Bearer` is in every such message.)
    ///
    /// - Parameter decode: the server's reading of the header; a test passes a leaky one to see the check fail.
    static func credentialProblems(_ authorization: String?,
                                   decode: (String?) throws(BadInput) -> Credential = ServerCore.credential(authorization:)) -> [String] {
        do {
            let credential = try decode(authorization)
            if authorization?.trimmingCharacters(in: .whitespaces).isEmpty ?? true, credential != .none {
                return ["an empty Authorization header gave a credential"]
            }
            return []
        } catch let refused {
            var problems = refusalProblems(refused)
            let parts = (authorization ?? "").trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 1)
            if parts.count == 2 {
                let masked = parts[0] + " " + String(repeating: "x", count: parts[1].count)
                do { _ = try decode(masked) } catch {
                    if error.message != refused.message { problems.append("a refusal of a credential depends on its secret: '\(refused.message.prefix(120))'") }
                }
            }
            return problems
        }
    }

    /// A second factor is a TOTP code or a recovery code of 64 lowercase hex digits, without white space.
    static func secondFactorProblems(_ value: String?) -> [String] {
        switch ServerCore.secondFactor(value) {
        case .none: return []
        case .totp(let code):
            return code.isEmpty || code.contains(where: \.isWhitespace) ? ["the code '\(code.prefix(80))' is empty or holds white space"] : []
        case .recoveryCode(let code):
            let wellFormed = code.count == 64 && code.allSatisfy { $0.isHexDigit && !$0.isUppercase }
            return wellFormed ? [] : ["the recovery code '\(code.prefix(80))' is not 64 lowercase hex digits"]
        case .securityKey, .emailCode:
            return ["the npm-otp header was read as \(ServerCore.secondFactor(value)), which only a login body carries"]
        }
    }

    /// A body parsed as JSON reads back as the same value once the server writes it out; a form or a tarball check
    /// never fails on any bytes.
    static func bodyProblems(_ body: [UInt8]) -> [String] {
        var problems: [String] = []
        if let value = JSONParser.parse(body) {
            let written = value.encoded()
            if let again = JSONParser.parse(written) {
                if again != value { problems.append("a JSON body does not read back as the value it was read as") }
            } else {
                problems.append("a JSON body's value, written out, is not JSON the parser reads: \(String(decoding: written.prefix(120), as: UTF8.self))")
            }
        }
        _ = Text.formFields(body)
        if GzipMember.problem(body) == nil, !body.starts(with: [0x1f, 0x8b, 8]) { problems.append("bytes without a gzip header passed as gzip") }
        return problems
    }

    /// A refusal is the server's own: a 4xx whose message says something and whose JSON answer reads back.
    static func refusalProblems(_ error: any Error) -> [String] {
        guard let bad = error as? BadInput else { return ["a decoder threw \(type(of: error)), not a 4xx refusal"] }
        var problems: [String] = []
        if !(400..<500).contains(bad.status.code) { problems.append("a refusal has status \(bad.status.code)") }
        if bad.message.trimmingCharacters(in: .whitespaces).isEmpty { problems.append("a refusal has no message") }
        let answer = JSONValue.object(["error": .string(bad.message)]).encoded()
        if JSONParser.parse(answer)?["error"]?.stringValue != bad.message { problems.append("a refusal's JSON does not read back") }
        return problems
    }
}

extension Route {
    /// The package names a route carries.
    var packageNames: [String] {
        switch self {
        case .distTags(let p), .distTag(let p, _), .access(let p), .visibility(let p), .collaborators(let p), .packument(let p),
             .packageRevision(let p, _), .tarball(let p, _), .tarballRevision(let p, _, _): [p]
        default: []
        }
    }
}
