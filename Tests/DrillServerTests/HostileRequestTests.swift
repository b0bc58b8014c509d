import DrillCrypto
import DrillRegistry
@testable import DrillServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

/// The hostile corpus (`Hostile/`) replayed over real sockets against a live server, wrong one-time codes in bulk,
/// and a search of every log line and answer for secrets.
///
/// Requests go out as raw bytes because what matters here is what no well-behaved client sends: cut-off
/// bodies, lying lengths, bad chunk sizes, bytes that are not UTF-8, CR inside header values.
@Suite(.serialized) struct HostileRequestTests {
    // MARK: - The corpus

    @Test func everyHostileRequestIsRefusedWithA4xxAndChangesNothing() async throws {
        let corpus = try HostileCorpus.load()
        let kinds = Set(corpus.map(\.manifest.kind))
        // The kinds the hardening issue names, plus the ones the real world adds; each needs several cases.
        for kind in Self.requiredKinds {
            #expect(corpus.filter { $0.manifest.kind == kind }.count >= 3, "the corpus needs several \(kind) cases")
        }
        #expect(kinds.isSuperset(of: Self.requiredKinds))

        let hostile = try HostileWorld()
        let stateBefore = try hostile.observableState()
        let auditBefore = try hostile.registry.auditLog().count
        var tally: [String: Tally] = [:]

        try await withLiveServer(hostile.world.server()) { port in
            let values = try hostile.placeholders(port: port)
            for c in corpus {
                let answer = try await RawHTTPClient.exchange(try c.request(values), port: port, halfClose: c.manifest.halfClose ?? false, timeout: 10)
                let verdict = Self.judge(c, answer)
                tally[c.manifest.kind, default: Tally()].add(verdict)
                if case .wrong(let why) = verdict { Issue.record("\(c.name): \(why)") }
                // The server keeps serving after every hostile request.
                let alive = try await RawHTTPClient.exchange(Self.plainGet("/wshop-demo", port: port), port: port)
                #expect(alive.status == 200, "after \(c.name) a plain GET answered \(alive.status.map(String.init) ?? "nothing")")
            }
        }

        // Nothing observable changed; the audit log only grew by refusals; only carol's wrong codes were counted.
        let stateAfter = try hostile.observableState()
        for table in Set(stateBefore.keys).union(stateAfter.keys).sorted() where stateBefore[table] != stateAfter[table] {
            Issue.record("table \(table) changed; new or changed rows: \(Array(Set(stateAfter[table] ?? []).subtracting(stateBefore[table] ?? []).prefix(3)))")
        }
        let added = try hostile.registry.auditLog().dropFirst(auditBefore)
        #expect(added.allSatisfy { $0.outcome != "allowed" }, "\(added.filter { $0.outcome == "allowed" }.map { "\($0.operation) \($0.target ?? "")" })")
        #expect(try hostile.secondFactorFailures().allSatisfy { $0 == "carol" })

        print(Self.figures(tally))
    }

    /// The kinds named in the hardening issue and those added from real-world attacks.
    static let requiredKinds: Set<String> = [
        "malformed-json", "truncated-request", "huge-headers", "huge-bodies", "percent-encoding", "path-traversal",
        "duplicate-versions", "integrity-mismatch", "forged-token", "expired-token", "wrong-otp",
        "crlf-injection", "content-length-mismatch", "bad-chunked", "tarball-too-large", "non-utf8", "type-confusion",
        "attachment-traversal", "encoded-slash", "foreign-package", "dist-tag-like-version", "malformed-http",
    ]

    enum Verdict: Equatable {
        /// The server's own 4xx with a JSON error containing an expected fragment.
        case refused
        /// The HTTP parser refused before the server's code ran: a 400 saying so (rule `http.malformed`), or a closed connection.
        case parserRefused
        case wrong(String)
    }

    struct Tally {
        var cases = 0, refused = 0, parserRefused = 0, wrong = 0
        mutating func add(_ v: Verdict) {
            cases += 1
            switch v { case .refused: refused += 1; case .parserRefused: parserRefused += 1; case .wrong: wrong += 1 }
        }
    }

    static func judge(_ c: HostileCase, _ answer: RawAnswer) -> Verdict {
        let m = c.manifest
        let parserMayRefuse = m.parserMayRefuse ?? false
        // Header injection never reaches the answer, whatever the status.
        if answer.headers.contains(where: { $0.name == "x-injected" || $0.name == "set-cookie" }) {
            return .wrong("an injected header came back in the answer")
        }
        guard let status = answer.status else {
            if answer.timedOut { return .wrong("no answer within the timeout") }
            return parserMayRefuse ? .parserRefused : .wrong("the connection closed without an answer")
        }
        // npm retries 5xx and 429 (with backoff): a refusal must never look like either.
        guard (400...499).contains(status), status != 429 else { return .wrong("status \(status): \(answer.text.prefix(300))") }
        // Bytes the HTTP parser refuses are answered by the server's front handler: a 400 whose JSON says what is wrong.
        if parserMayRefuse, status == 400, answer.ruleText == "http.malformed" {
            guard let error = answer.errorText, error.hasPrefix("The request") else { return .wrong("a parser refusal without a clear error: \(answer.text.prefix(300))") }
            return .parserRefused
        }
        guard m.acceptedStatuses.contains(status) else {
            return .wrong("status \(status), expected \(m.acceptedStatuses): \(answer.text.prefix(300))")
        }
        guard let error = answer.errorText, !error.isEmpty else { return .wrong("status \(status) without a JSON error: \(answer.text.prefix(300))") }
        if !m.error.isEmpty, !m.error.contains(where: { error.contains($0) }) {
            return .wrong("error '\(error.prefix(300))' has none of \(m.error)")
        }
        return .refused
    }

    static func figures(_ tally: [String: Tally]) -> String {
        var lines = ["Hostile requests per kind (server's own 4xx / refused by the HTTP parser / wrong):"]
        for (kind, t) in tally.sorted(by: { $0.key < $1.key }) {
            lines.append("  \(kind.padding(toLength: 26, withPad: " ", startingAt: 0)) \(t.cases)  (\(t.refused) / \(t.parserRefused) / \(t.wrong))")
        }
        let total = tally.values.reduce(Tally()) { Tally(cases: $0.cases + $1.cases, refused: $0.refused + $1.refused,
                                                          parserRefused: $0.parserRefused + $1.parserRefused, wrong: $0.wrong + $1.wrong) }
        lines.append("  \("total".padding(toLength: 26, withPad: " ", startingAt: 0)) \(total.cases)  (\(total.refused) / \(total.parserRefused) / \(total.wrong))")
        return lines.joined(separator: "\n")
    }

    static func plainGet(_ path: String, port: Int, headers: [String] = []) -> [UInt8] {
        Array((["GET \(path) HTTP/1.1", "Host: 127.0.0.1:\(port)"] + headers + ["", ""]).joined(separator: "\r\n").utf8)
    }

    // MARK: - Wrong one-time codes in bulk

    @Test func wrongCodesInBulkAreRateLimitedPerAccountAndTheAuditLogShowsIt() async throws {
        let hostile = try HostileWorld()
        let world = hostile.world
        try world.account("dave", .authAndWrites)
        let daveToken = try world.token("dave")
        let parameters = world.registry.configuration.parameters
        let allowance = parameters.otpRateLimitAttempts
        let attempts = 50
        #expect(attempts > allowance + 1)
        let auditBefore = try world.registry.auditLog().count

        try await world.server().makeApplication().test(.live) { client in
            var statuses: [HTTPResponse.Status] = []
            var rules: [String] = []
            for code in hostile.wrongOTPs(attempts) {
                let r = try await client.publish("wshop-carol", "2.0.0", token: hostile.carolToken, otp: code)
                statuses.append(r.status)
                rules.append(r.json?["rule"]?.stringValue ?? "")
                #expect(r.headers[.wwwAuthenticate] == (r.status == .unauthorized ? "OTP" : nil))
            }
            // Within the allowance each wrong code is an OTP challenge (npm asks again); after it, a 403 — never 429.
            #expect(statuses.prefix(allowance).allSatisfy { $0 == .unauthorized }, "\(statuses)")
            #expect(rules.prefix(allowance).allSatisfy { $0 == "otp.invalid" }, "\(rules)")
            #expect(statuses.dropFirst(allowance).allSatisfy { $0 == .forbidden }, "\(statuses)")
            #expect(rules.dropFirst(allowance).allSatisfy { $0 == "otp.rate-limited" }, "\(rules)")
            #expect(!statuses.contains(.tooManyRequests))

            // Now even the right code is refused, for carol only: the limit is per account.
            let right = try await client.publish("wshop-carol", "2.0.0", token: hostile.carolToken, otp: hostile.otp())
            #expect(right.status == .forbidden)
            #expect(right.json?["rule"]?.stringValue == "otp.rate-limited")
            #expect(right.errorText.contains("Too many wrong one-time passwords"))
            let dave = try await client.publish("dave-pkg", "1.0.0", token: daveToken, otp: world.code("dave"))
            #expect(dave.status == .created, "\(dave.text)")

            // Shortly before the window has passed it still holds; once it has, carol's right code works again.
            world.clock.advance(by: parameters.otpRateLimitWindow - 60)
            let almost = try await client.publish("wshop-carol", "2.0.0", token: hostile.carolToken, otp: hostile.otp())
            #expect(almost.status == .forbidden)
            #expect(almost.json?["rule"]?.stringValue == "otp.rate-limited")
            world.clock.advance(by: 90)
            let later = try await client.publish("wshop-carol", "2.0.0", token: hostile.carolToken, otp: hostile.otp())
            #expect(later.status == .created, "\(later.text)")
        }

        let entries = try world.registry.auditLog().dropFirst(auditBefore).filter { $0.actor == "carol" }
        let wrong = entries.filter { $0.rule == "otp.invalid" }
        let limited = entries.filter { $0.rule == "otp.rate-limited" }
        #expect(wrong.count == allowance)
        #expect(limited.count == attempts - allowance + 2)   // the wrong codes past the allowance, then the right code twice
        #expect(limited.allSatisfy { $0.defense == DefenseID.otpRateLimit.rawValue && $0.outcome == "denied" && $0.operation == "publish" })
        #expect(limited.allSatisfy { $0.message?.contains("Too many wrong one-time passwords") == true })
        #expect(entries.last?.outcome == "allowed")
        // The codes themselves are not in the audit log.
        let codes = Set(hostile.wrongOTPs(attempts))
        #expect(!entries.contains { e in codes.contains { code in "\(e.message ?? "") \(e.target ?? "") \(e.credential)".contains(code) } })
    }

    // MARK: - Secrets in logs and answers

    @Test func secretsNeverAppearInLogLinesOrAnswers() async throws {
        let hostile = try HostileWorld()
        let world = hostile.world
        let capture = LogCapture()
        var logger = Logger(label: "regdrill.hostile") { _ in CapturingLogHandler(capture: capture) }
        logger.logLevel = .trace
        let server = RegistryServer(registry: world.registry,
                                    configuration: .init(host: "127.0.0.1", port: 0, webLoginPollHold: .zero, deliverMail: { _ in }),
                                    logger: logger)
        var answers: [(what: String, answer: RawAnswer)] = []
        /// Answers that legitimately carry one newly created token: (index in `answers`, the token).
        var issued: [(Int, String)] = []
        let newPassword = "carol-new-pass-7f3a"
        var usedCodes: [String] = []

        try await withLiveServer(server) { port in
            let values = try hostile.placeholders(port: port)
            usedCodes.append(values["OTP"] ?? "")
            // The corpus, without the multi-megabyte cases (they carry no other secrets and only cost time here).
            for c in try HostileCorpus.load() where (c.manifest.generate.map { $0.text.utf8.count * $0.count } ?? 0) < 1_000_000 {
                answers.append((c.name, try await RawHTTPClient.exchange(try c.request(values), port: port, halfClose: c.manifest.halfClose ?? false)))
            }
            func send(_ what: String, _ method: String, _ path: String, token: String? = nil, basic: (String, String)? = nil,
                      otp: String? = nil, json: String? = nil) async throws -> RawAnswer {
                var lines = ["\(method) \(path) HTTP/1.1", "Host: 127.0.0.1:\(port)"]
                if let token { lines.append("Authorization: Bearer \(token)") }
                if let (u, p) = basic { lines.append("Authorization: Basic " + Data("\(u):\(p)".utf8).base64EncodedString()) }
                if let otp { lines.append("npm-otp: \(otp)") }
                if let json { lines += ["Content-Type: application/json", "Content-Length: \(json.utf8.count)"] }
                let answer = try await RawHTTPClient.exchange(Array((lines.joined(separator: "\r\n") + "\r\n\r\n" + (json ?? "")).utf8), port: port)
                answers.append((what, answer))
                return answer
            }
            /// carol's current code, remembered as a secret.
            func otp() -> String {
                let code = hostile.otp()
                usedCodes.append(code)
                return code
            }
            func newToken(_ answer: RawAnswer) -> String? {
                (try? JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any])?["token"] as? String
            }

            // The corpus's wrong codes rate-limited carol; let that window pass before her ordinary requests.
            world.clock.advance(by: world.registry.configuration.parameters.otpRateLimitWindow + 30)

            // Ordinary flows with every kind of secret in them.
            let login = try await send("legacy login", "PUT", "/-/user/org.couchdb.user:alice",
                                       json: #"{"_id":"org.couchdb.user:alice","name":"alice","password":"alice-pass","type":"user"}"#)
            #expect(login.status == 201)
            if let t = newToken(login) { issued.append((answers.count - 1, t)) }
            _ = try await send("login, wrong password", "PUT", "/-/user/org.couchdb.user:alice",
                               json: #"{"_id":"org.couchdb.user:alice","name":"alice","password":"alice-pass-wrong","type":"user"}"#)
            let noCode = try await send("2FA login without code", "PUT", "/-/user/org.couchdb.user:carol",
                                        json: #"{"_id":"org.couchdb.user:carol","name":"carol","password":"carol-pass","type":"user"}"#)
            #expect(noCode.status == 401)
            let carolLogin = try await send("2FA login", "PUT", "/-/user/org.couchdb.user:carol", otp: otp(),
                                            json: #"{"_id":"org.couchdb.user:carol","name":"carol","password":"carol-pass","type":"user"}"#)
            #expect(carolLogin.status == 201, "\(carolLogin.text)")
            if let t = newToken(carolLogin) { issued.append((answers.count - 1, t)) }
            world.nextStep()
            let created = try await send("token create", "POST", "/-/npm/v1/tokens", token: hostile.token, json: #"{"password":"alice-pass"}"#)
            #expect(created.status == 201)
            if let t = newToken(created) { issued.append((answers.count - 1, t)) }
            _ = try await send("token create, wrong password", "POST", "/-/npm/v1/tokens", token: hostile.token, json: #"{"password":"not-alice-pass"}"#)
            let body = String(decoding: PublishBody.make("wshop-carol", "3.0.0").encoded(), as: UTF8.self)
            let published = try await send("publish with code", "PUT", "/wshop-carol", token: hostile.carolToken, otp: otp(), json: body)
            #expect(published.status == 201, "\(published.text)")
            _ = try await send("publish the same version again", "PUT", "/wshop-carol", token: hostile.carolToken, otp: otp(), json: body)
            world.nextStep()
            let changed = try await send("password change", "POST", "/-/npm/v1/user", token: hostile.carolToken, otp: otp(),
                                         json: #"{"password":{"old":"carol-pass","new":"\#(newPassword)"}}"#)
            #expect(changed.status == 200, "\(changed.text)")
            _ = try await send("basic auth whoami", "GET", "/-/whoami", basic: ("alice", "alice-pass"))
            _ = try await send("token list", "GET", "/-/npm/v1/tokens", token: hostile.token)
            _ = try await send("token in path", "GET", "/\(hostile.token)")
            _ = try await send("token as package of tarball", "GET", "/wshop-demo/-/\(hostile.token).tgz")
            _ = try await send("revoke by token, wrong owner", "DELETE", "/-/npm/v1/tokens/token/\(hostile.carolToken)", token: hostile.token)
            _ = try await send("whoami with secret as otp", "GET", "/-/whoami", token: hostile.token, otp: TestWorld.secret(for: "carol"))
            _ = try await send("profile", "GET", "/-/npm/v1/user", token: hostile.carolToken)
            _ = try await send("logout", "DELETE", "/-/user/token/\(hostile.token)", token: hostile.token)
            _ = try await send("whoami after logout", "GET", "/-/whoami", token: hostile.token)
        }

        let passwords = ["alice-pass", "bob-pass", "carol-pass", "alice-pass-wrong", "not-alice-pass", newPassword]
        let tokens = [hostile.token, hostile.readOnlyToken, hostile.expiredToken, hostile.revokedToken, hostile.carolToken] + issued.map { $0.1 }
        let secrets = passwords + tokens + [TestWorld.secret(for: "carol")] + Set(usedCodes)
        #expect(issued.count == 3)

        let lines = capture.all
        #expect(lines.count > answers.count, "the server logged too little to search: \(lines.count) lines")
        for line in lines {
            for secret in secrets where Self.leaks(secret, in: line) {
                Issue.record("a secret (\(secret.prefix(4))…) appears in the log line: \(line.prefix(300))")
            }
        }
        for (index, (what, answer)) in answers.enumerated() {
            let own = issued.first { $0.0 == index }?.1
            for secret in secrets where secret != own && Self.leaks(secret, in: answer.wholeText) {
                Issue.record("a secret (\(secret.prefix(4))…) appears in the answer to \(what): \(answer.wholeText.prefix(300))")
            }
        }
    }

    @Test func aCodeLeaksAsANumberOfItsOwnNotInsideADigest() {
        #expect(Self.leaks("123456", in: #"{"otp":"123456"}"#))
        #expect(Self.leaks("123456", in: "code 123456."))
        #expect(!Self.leaks("123456", in: "f6496cf1c3d2123456ba8adc"))
        #expect(!Self.leaks("123456", in: "1234567"))
        #expect(Self.leaks("alice-pass", in: "xalice-passx"))
    }

    /// Whether `text` reveals `secret`: long secrets also by any 16-character piece (a prefix of a token is enough to
    /// recognise it), short ones (passwords, six-digit codes) whole. A code counts as a number of its own: the same six
    /// digits inside a hex digest or a token's base62 (a token list shows both) are a coincidence, not a leak, and made
    /// this test fail about once in a few hundred runs.
    static func leaks(_ secret: String, in text: String) -> Bool {
        let s = Array(secret)
        if s.count <= 8, s.allSatisfy(\.isNumber) {
            return text.range(of: "(?<![0-9A-Za-z])\(secret)(?![0-9A-Za-z])", options: .regularExpression) != nil
        }
        guard s.count > 16 else { return text.contains(secret) }
        return (0...(s.count - 16)).contains { text.contains(String(s[$0..<$0 + 16])) }
    }

    // MARK: - Support

    func withLiveServer(_ server: RegistryServer, _ body: (Int) async throws -> Void) async throws {
        let running = try await server.start()
        do { try await body(running.port) } catch { await running.stop(); throw error }
        await running.stop()
    }
}
