import Foundation
import Testing
import DrillCrypto

@Suite struct HOTPTests {
    /// RFC 4226 Appendix D: secret "12345678901234567890", counters 0-9.
    static let appendixD = ["755224", "287082", "359152", "969429", "338314",
                            "254676", "287922", "162583", "399871", "520489"]

    @Test(arguments: appendixD.enumerated().map { ($0.offset, $0.element) })
    func appendixDVector(_ counter: Int, _ expected: String) throws {
        let hotp = try HOTP(secret: ascii("12345678901234567890"))
        #expect(hotp.code(counter: UInt64(counter)) == expected)
    }

    @Test(arguments: [0, 1, 5, 9, 10, -1])
    func rejectsDigitsOutside6to8(_ digits: Int) {
        #expect(throws: OTPError.invalidDigits(digits)) {
            try HOTP(secret: ascii("12345678901234567890"), digits: digits)
        }
    }

    @Test func rejectsEmptySecret() {
        #expect(throws: OTPError.emptySecret) { try HOTP(secret: []) }
    }

    @Test func zeroPads() throws {
        // Some of the first 200 codes start with zero; all must keep the full length.
        let hotp = try HOTP(secret: ascii("12345678901234567890"), digits: 8)
        let codes = (0..<200).map { hotp.code(counter: UInt64($0)) }
        #expect(codes.allSatisfy { $0.count == 8 && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) })
        #expect(codes.contains { $0.hasPrefix("0") })
    }
}

struct TOTPVector: Sendable, CustomTestStringConvertible {
    let time: Int64
    let algorithm: HashAlgorithm
    let code: String
    var testDescription: String { "t=\(time) \(algorithm) → \(code)" }
}

@Suite struct TOTPTests {
    /// RFC 6238 Appendix B seeds (errata-corrected: the seed is as long as the hash output).
    static func seed(_ algorithm: HashAlgorithm) -> [UInt8] {
        switch algorithm {
        case .sha1: ascii("12345678901234567890")
        case .sha256: ascii("12345678901234567890123456789012")
        case .sha512: ascii("1234567890123456789012345678901234567890123456789012345678901234")
        }
    }

    /// RFC 6238 Appendix B, all 18 rows, 8 digits, period 30.
    static let appendixB: [TOTPVector] = [
        .init(time: 59, algorithm: .sha1, code: "94287082"),
        .init(time: 59, algorithm: .sha256, code: "46119246"),
        .init(time: 59, algorithm: .sha512, code: "90693936"),
        .init(time: 1111111109, algorithm: .sha1, code: "07081804"),
        .init(time: 1111111109, algorithm: .sha256, code: "68084774"),
        .init(time: 1111111109, algorithm: .sha512, code: "25091201"),
        .init(time: 1111111111, algorithm: .sha1, code: "14050471"),
        .init(time: 1111111111, algorithm: .sha256, code: "67062674"),
        .init(time: 1111111111, algorithm: .sha512, code: "99943326"),
        .init(time: 1234567890, algorithm: .sha1, code: "89005924"),
        .init(time: 1234567890, algorithm: .sha256, code: "91819424"),
        .init(time: 1234567890, algorithm: .sha512, code: "93441116"),
        .init(time: 2000000000, algorithm: .sha1, code: "69279037"),
        .init(time: 2000000000, algorithm: .sha256, code: "90698825"),
        .init(time: 2000000000, algorithm: .sha512, code: "38618901"),
        .init(time: 20000000000, algorithm: .sha1, code: "65353130"),
        .init(time: 20000000000, algorithm: .sha256, code: "77737706"),
        .init(time: 20000000000, algorithm: .sha512, code: "47863826"),
    ]

    @Test(arguments: appendixB)
    func appendixBVector(_ vector: TOTPVector) throws {
        let totp = try TOTP(secret: Self.seed(vector.algorithm), digits: 8, algorithm: vector.algorithm)
        #expect(totp.code(at: vector.time) == vector.code)
        #expect(totp.matchingStep(for: vector.code, at: vector.time, window: 0) == vector.time / 30)
    }

    @Test func base32SecretAt59() throws {
        let totp = try TOTP(base32Secret: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", digits: 8)
        #expect(totp.code(at: 59) == "94287082")
        let lowercaseSpaced = try TOTP(base32Secret: "gezd gnbv gy3t qojq gezd gnbv gy3t qojq", digits: 8)
        #expect(lowercaseSpaced.code(at: 59) == "94287082")
    }

    @Test func sixDigitCodesAreTheLowDigits() throws {
        let totp6 = try TOTP(secret: Self.seed(.sha1))
        #expect(totp6.digits == 6 && totp6.period == 30 && totp6.algorithm == .sha1)
        for vector in Self.appendixB where vector.algorithm == .sha1 {
            let code = totp6.code(at: vector.time)
            #expect(code.count == 6)
            #expect(code == String(vector.code.suffix(6)))
        }
        #expect(totp6.code(at: 59) == "287082")   // also RFC 4226 counter 1
    }

    @Test func timeStepIsFloorDivision() throws {
        let totp = try TOTP(secret: Self.seed(.sha1))
        #expect(totp.timeStep(at: 0) == 0)
        #expect(totp.timeStep(at: 29) == 0)
        #expect(totp.timeStep(at: 30) == 1)
        #expect(totp.timeStep(at: 59) == 1)
        #expect(totp.timeStep(at: -1) == -1)
        #expect(totp.timeStep(at: -30) == -1)
        #expect(totp.timeStep(at: -31) == -2)
        #expect(totp.timeStep(at: .min) == Int64.min / 30 - 1)
        let totp60 = try TOTP(secret: Self.seed(.sha1), period: 60)
        #expect(totp60.timeStep(at: 119) == 1)
        #expect(totp.code(at: -1).count == 6)   // before 1970: no trap
    }

    @Test func matchingStepAcceptsOneStepEitherSideAndRefusesTwo() throws {
        let totp = try TOTP(secret: Self.seed(.sha1))
        let now: Int64 = 1_700_000_000
        let step = totp.timeStep(at: now)
        #expect(totp.matchingStep(for: totp.code(forStep: step), at: now) == step)
        #expect(totp.matchingStep(for: totp.code(forStep: step - 1), at: now) == step - 1)
        #expect(totp.matchingStep(for: totp.code(forStep: step + 1), at: now) == step + 1)
        #expect(totp.matchingStep(for: totp.code(forStep: step - 2), at: now) == nil)
        #expect(totp.matchingStep(for: totp.code(forStep: step + 2), at: now) == nil)
        #expect(totp.matchingStep(for: totp.code(forStep: step + 2), at: now, window: 2) == step + 2)
        #expect(totp.matchingStep(for: totp.code(forStep: step - 1), at: now, window: 0) == nil)
        #expect(totp.matchingStep(for: totp.code(forStep: step - 1), at: now, window: -3) == nil)
    }

    @Test(arguments: ["", "12345", "1234567", "abcdef", " 287082", "287082 "])
    func matchingStepRejectsMalformedCandidates(_ candidate: String) throws {
        let totp = try TOTP(secret: Self.seed(.sha1))
        #expect(totp.matchingStep(for: candidate, at: 59) == nil)
    }

    @Test func wrongDigitsCountIsRejected() throws {
        // A 6-digit generator never accepts the 8-digit code of the same step, and vice versa.
        let totp6 = try TOTP(secret: Self.seed(.sha1))
        let totp8 = try TOTP(secret: Self.seed(.sha1), digits: 8)
        #expect(totp6.matchingStep(for: "94287082", at: 59) == nil)
        #expect(totp8.matchingStep(for: "287082", at: 59) == nil)
        #expect(throws: OTPError.invalidDigits(5)) { try TOTP(secret: Self.seed(.sha1), digits: 5) }
        #expect(throws: OTPError.invalidDigits(9)) { try TOTP(base32Secret: "GEZDGNBV", digits: 9) }
    }

    @Test func invalidPeriodAndSecretAreRejected() {
        #expect(throws: OTPError.invalidPeriod(0)) { try TOTP(secret: Self.seed(.sha1), period: 0) }
        #expect(throws: OTPError.emptySecret) { try TOTP(base32Secret: "") }
        #expect(throws: OTPError.invalidBase32Secret(.invalidCharacter("1", position: 2))) {
            try TOTP(base32Secret: "GE1DGNBV")
        }
        let message = OTPError.invalidBase32Secret(.invalidCharacter("1", position: 2)).description
        #expect(message.contains("'1'") && message.contains("position 2"))
    }

    @Test func otpauthURIFormat() throws {
        let totp = try TOTP(base32Secret: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
        #expect(totp.otpauthURI(issuer: "npm", account: "alice")
            == "otpauth://totp/npm:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=npm&algorithm=SHA1&digits=6&period=30")
        let sha512 = try TOTP(secret: Self.seed(.sha1), digits: 8, algorithm: .sha512, period: 60)
        #expect(sha512.otpauthURI(issuer: "", account: "bob")
            == "otpauth://totp/bob?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&algorithm=SHA512&digits=8&period=60")
    }

    @Test func otpauthURIPercentEncodesLabelAndIssuer() throws {
        let totp = try TOTP(secret: Self.seed(.sha1))
        let uri = totp.otpauthURI(issuer: "ACME Co", account: "ops:alice@example.com")
        #expect(uri.hasPrefix("otpauth://totp/ACME%20Co:ops%3Aalice%40example.com?"))
        #expect(uri.contains("&issuer=ACME%20Co&"))
        #expect(!uri.contains(" "))
    }

    @Test(arguments: [
        ("npm", "alice"),
        ("ACME Co", "ops:alice@example.com"),
        ("Réseau & Co?", "a/b#c d"),
    ])
    func otpauthURIRoundTripsThroughURLComponents(_ issuer: String, _ account: String) throws {
        let secret = SecureRandom.bytes(20)
        let totp = try TOTP(secret: secret, digits: 7, algorithm: .sha256, period: 45)
        let uri = totp.otpauthURI(issuer: issuer, account: account)
        let components = try #require(URLComponents(string: uri))
        #expect(components.scheme == "otpauth")
        #expect(components.host == "totp")
        #expect(components.path == "/" + issuer + ":" + account)
        let query = Dictionary(uniqueKeysWithValues: (components.queryItems ?? []).map { ($0.name, $0.value ?? "") })
        #expect(query["issuer"] == issuer)
        #expect(query["algorithm"] == "SHA256")
        #expect(query["digits"] == "7")
        #expect(query["period"] == "45")
        let parsedSecret = try #require(query["secret"])
        #expect(try Base32.decode(parsedSecret) == secret)
        let reparsed = try TOTP(base32Secret: parsedSecret, digits: 7, algorithm: .sha256, period: 45)
        #expect(reparsed.code(at: 1_700_000_000) == totp.code(at: 1_700_000_000))
    }
}
