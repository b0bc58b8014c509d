import DrillRegistry
import Foundation
@testable import DrillServer
import Testing

/// The request-decoding fuzz target's invariants (``RequestDecodingProbe``): that they hold for the hostile corpus and
/// the regression inputs, and that each can fail (a check that cannot fail proves nothing).
@Suite struct RequestDecodingProbeTests {
    static let resources = Bundle.module.resourceURL!

    static func inputs(_ folder: String) -> [URL] {
        let root = resources.appendingPathComponent(folder)
        let found = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        return found.filter { $0.pathExtension == "http" }.sorted { $0.path < $1.path }
    }

    @Test func theHostileCorpusAndTheRegressionInputsKeepTheInvariants() throws {
        let corpus = Self.inputs("Hostile"), regressions = Self.inputs("FuzzRegressions")
        #expect(corpus.count >= 150 && !regressions.isEmpty)
        for url in corpus + regressions {
            let problems = RequestDecodingProbe.violations([UInt8](try Data(contentsOf: url)))
            #expect(problems.isEmpty, "\(url.lastPathComponent): \(problems)")
        }
    }

    @Test func theRequestIsSplitAsHTTPSplitsIt() {
        let crlf = RequestDecodingProbe.RawRequest(Array("PUT /a%2fb?x=1 HTTP/1.1\r\nHost: h\r\nNPM-OTP:  123456 \r\n\r\n{\"a\":1}".utf8))
        #expect(crlf.target == "/a%2fb?x=1")
        #expect(crlf.header("host") == "h" && crlf.header("npm-otp") == "123456")
        #expect(crlf.body == Array("{\"a\":1}".utf8))
        let bare = RequestDecodingProbe.RawRequest(Array("/only-a-line".utf8))
        #expect(bare.target == "/only-a-line" && bare.headers.isEmpty && bare.body.isEmpty)
    }

    @Test func aRefusalThatIsNotA4xxOrSaysNothingIsCaught() {
        #expect(!RequestDecodingProbe.refusalProblems(BadInput(.internalServerError, "x")).isEmpty)
        #expect(!RequestDecodingProbe.refusalProblems(BadInput.badRequest("  ")).isEmpty)
        #expect(!RequestDecodingProbe.refusalProblems(CocoaError(.fileNoSuchFile)).isEmpty)
        #expect(RequestDecodingProbe.refusalProblems(BadInput.badRequest("The path is bad.")) == [])
    }

    /// A reading of `Authorization` that quoted the secret would be caught, and so would one whose refusal merely
    /// depends on it; the server's own refuses a secret of `Bearer` (the first finding of the fuzzer, a false alarm
    /// of the check as first written, which looked for the secret in the message) without a problem.
    @Test func aCredentialRefusalThatDependsOnTheSecretIsCaught() {
        let leaky: (String?) throws(BadInput) -> Credential = { header throws(BadInput) in
            throw BadInput.badRequest("Unsupported credential \(header ?? "")")
        }
        #expect(RequestDecodingProbe.credentialProblems("Token npm_secret1234", decode: leaky).contains { $0.contains("depends on its secret") })
        let byLength: (String?) throws(BadInput) -> Credential = { header throws(BadInput) in
            throw BadInput.badRequest(header?.contains("s") == true ? "one" : "other")
        }
        #expect(!RequestDecodingProbe.credentialProblems("Token secret", decode: byLength).isEmpty)
        #expect(RequestDecodingProbe.credentialProblems("\u{0}\u{0}\u{0} Bearer") == [])
    }

    /// Malformed Authorization headers of every shape are refused without their secret in the answer.
    @Test(arguments: ["Bearer", "Bearer ", "Basic npm_notbase64secret!", "Basic " + Data("no-colon-secret".utf8).base64EncodedString(),
                      "Token npm_ABCDEFGHIJKLMNOP", "npmABCDEFGHIJ npm_ABCDEFGHIJKLMNOP", "Bearer " + String(repeating: "x", count: 5000),
                      "Basic " + Data([0xff, 0xfe, 0x3a]).base64EncodedString()])
    func credentialRefusalsDoNotQuoteTheSecret(header: String) {
        #expect(RequestDecodingProbe.credentialProblems(header) == [])
        #expect(throws: BadInput.self) { try ServerCore.credential(authorization: header) }
    }

    /// `npm-otp` of white space alone is no code (it was an empty TOTP code for a NEL, a line separator or a CR, which
    /// trimming spaces and tabs left: the fuzzer's second finding, kept as `otp-of-a-carriage-return.http`).
    @Test(arguments: [("\r", SecondFactor.none), ("\u{85}", .none), ("\u{2028}", .none), (" \t ", .none), ("", .none),
                      (" 123 456 ", .totp("123456")), ("\u{85}123456", .totp("123456")),
                      (String(repeating: "Ab", count: 32), .recoveryCode(String(repeating: "ab", count: 32)))])
    func secondFactorHeaders(value: String, factor: SecondFactor) {
        #expect(ServerCore.secondFactor(value) == factor)
        #expect(RequestDecodingProbe.secondFactorProblems(value) == [])
    }

    @Test func bodiesReadBackAsTheyWereRead() {
        for body in ["{\"a\":[1,-0,1e308,\"\\ud83d\\ude00\",null,true]}", "\u{FEFF}[]", "\"\\u0000\"", "5e-324", "{\"a\":1,\"a\":2}"] {
            #expect(RequestDecodingProbe.bodyProblems(Array(body.utf8)) == [], "\(body)")
        }
    }
}
