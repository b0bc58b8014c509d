/// Why a one-time-password generator could not be created.
public enum OTPError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The code length is outside 6...8.
    case invalidDigits(Int)
    /// The time step is zero or negative.
    case invalidPeriod(Int)
    /// The shared secret is empty.
    case emptySecret
    /// The base32 secret could not be decoded.
    case invalidBase32Secret(Base32Error)

    public var description: String {
        switch self {
        case let .invalidDigits(digits):
            "invalid number of OTP digits: \(digits) (must be 6, 7 or 8; RFC 4226 section 5.3)"
        case let .invalidPeriod(period):
            "invalid TOTP period: \(period) seconds (must be at least 1; RFC 6238 section 4.1)"
        case .emptySecret:
            "the OTP shared secret is empty (RFC 4226 section 4 asks for at least 128 bits)"
        case let .invalidBase32Secret(error):
            "the TOTP secret is not valid base32: \(error)"
        }
    }
}

/// HMAC-based one-time passwords.
///
/// RFC 4226: HMAC over the 8-byte big-endian counter, dynamic truncation (section 5.3),
/// then the low `digits` decimal digits, zero-padded. SHA-256 and SHA-512 are allowed as in
/// RFC 6238 section 1.2.
public struct HOTP: Sendable {
    /// The code length, 6...8.
    public let digits: Int
    /// The HMAC hash function.
    public let algorithm: HashAlgorithm
    private let secret: [UInt8]

    /// A generator for `secret`.
    ///
    /// Throws `OTPError.invalidDigits` unless `digits` is 6...8 (RFC 4226 requires at least 6,
    /// and 10^8 is the most a 31-bit truncated value distinguishes usefully) and
    /// `OTPError.emptySecret` for an empty secret. Shorter secrets than RFC 4226's recommended
    /// 160 bits are accepted, because common workshop examples use 80-bit secrets.
    public init(secret: [UInt8], digits: Int = 6, algorithm: HashAlgorithm = .sha1) throws(OTPError) {
        guard (6...8).contains(digits) else { throw .invalidDigits(digits) }
        guard !secret.isEmpty else { throw .emptySecret }
        self.secret = secret
        self.digits = digits
        self.algorithm = algorithm
    }

    /// The code for `counter`, zero-padded to `digits` characters.
    ///
    /// RFC 4226 section 5.3 (HOTP(K, C) = Truncate(HMAC(K, C)) mod 10^Digit).
    public func code(counter: UInt64) -> String {
        let message = withUnsafeBytes(of: counter.bigEndian) { Array($0) }
        let mac = HMAC.authenticationCode(for: message, key: secret, algorithm: algorithm)
        let offset = Int(mac[mac.count - 1] & 0x0f)
        let binary = UInt32(mac[offset] & 0x7f) << 24
            | UInt32(mac[offset + 1]) << 16
            | UInt32(mac[offset + 2]) << 8
            | UInt32(mac[offset + 3])
        var modulus: UInt32 = 1
        for _ in 0..<digits { modulus *= 10 }
        let value = String(binary % modulus)
        return String(repeating: "0", count: digits - value.count) + value
    }
}

/// Time-based one-time passwords.
///
/// RFC 6238: HOTP with the counter T = floor((unixTime - T0) / period), T0 = 0.
public struct TOTP: Sendable {
    /// The most steps `matchingStep(for:at:window:)` looks either side of the current one.
    ///
    /// RFC 6238 section 5.2 recommends at most one step of network delay; larger windows are clamped.
    public static let maximumWindow = 10

    /// The code length, 6...8.
    public var digits: Int { hotp.digits }
    /// The HMAC hash function.
    public var algorithm: HashAlgorithm { hotp.algorithm }
    /// The time step in seconds.
    public let period: Int
    private let hotp: HOTP
    private let secret: [UInt8]

    /// A generator for a raw `secret`.
    ///
    /// Throws for digits outside 6...8, a period below 1 second or an empty secret
    /// (RFC 6238 section 4; RFC 4226 section 5.3).
    public init(secret: [UInt8], digits: Int = 6, algorithm: HashAlgorithm = .sha1, period: Int = 30) throws(OTPError) {
        guard period >= 1 else { throw .invalidPeriod(period) }
        self.hotp = try HOTP(secret: secret, digits: digits, algorithm: algorithm)
        self.secret = secret
        self.period = period
    }

    /// A generator for a base32 secret as shown by authenticator apps.
    ///
    /// Decoded with `Base32.decode` (RFC 4648, case-insensitive, spaces and padding ignored);
    /// a bad secret throws `OTPError.invalidBase32Secret` naming the offending character.
    public init(base32Secret: String, digits: Int = 6, algorithm: HashAlgorithm = .sha1, period: Int = 30) throws(OTPError) {
        let secret: [UInt8]
        do {
            secret = try Base32.decode(base32Secret)
        } catch {
            throw .invalidBase32Secret(error)
        }
        try self.init(secret: secret, digits: digits, algorithm: algorithm, period: period)
    }

    /// The time step containing `unixSeconds`.
    ///
    /// RFC 6238 section 4.2, T = floor(unixSeconds / period); floor division, so -1 is in step -1.
    public func timeStep(at unixSeconds: Int64) -> Int64 {
        let p = Int64(period)
        let quotient = unixSeconds / p
        return (unixSeconds % p != 0 && unixSeconds < 0) ? quotient - 1 : quotient
    }

    /// The code at `unixSeconds`.
    ///
    /// RFC 6238 section 4.2: the HOTP code of the current time step.
    public func code(at unixSeconds: Int64) -> String {
        code(forStep: timeStep(at: unixSeconds))
    }

    /// The code for time step `step`.
    ///
    /// The step is used as RFC 4226's 8-byte counter; negative steps (before 1970) are taken by
    /// their two's-complement bit pattern, which no RFC covers but which never traps.
    public func code(forStep step: Int64) -> String {
        hotp.code(counter: UInt64(bitPattern: step))
    }

    /// The step within ±window of `at` whose code equals `candidate` (constant-time compare per step), or nil.
    ///
    /// RFC 6238 section 5.2 (resynchronization window). Every step in the window is computed
    /// and compared with `ConstantTime.equals`, with no early exit; if more than one matches,
    /// the one closest to the current step wins (the current one, then earlier before later).
    /// `window` is clamped to 0...`maximumWindow`. The candidate is compared as given: no
    /// trimming, so "123 456" never matches. Callers should also refuse a step at or below the
    /// last one accepted for the account, so that a code cannot be replayed (section 5.2).
    public func matchingStep(for candidate: String, at unixSeconds: Int64, window: Int = 1) -> Int64? {
        let window = Int64(min(max(window, 0), Self.maximumWindow))
        let current = timeStep(at: unixSeconds)
        let candidateBytes = Array(candidate.utf8)
        var best: (step: Int64, distance: Int64)?
        for offset in -window...window {
            let (step, overflow) = current.addingReportingOverflow(offset)
            if overflow { continue }
            let matches = ConstantTime.equals(Array(code(forStep: step).utf8), candidateBytes)
            let distance = offset < 0 ? -offset * 2 - 1 : offset * 2   // 0, -1, +1, -2, +2, ...
            if matches, best.map({ distance < $0.distance }) ?? true {
                best = (step, distance)
            }
        }
        return best?.step
    }

    /// A Key Uri Format provisioning URI for authenticator apps.
    ///
    /// `otpauth://totp/ISSUER:ACCOUNT?secret=BASE32&issuer=ISSUER&algorithm=SHA1&digits=6&period=30`.
    /// Issuer and account are percent-encoded separately (everything but RFC 3986 unreserved
    /// characters, so a space is `%20` and a colon inside either part is `%3A`) and joined with a
    /// literal colon. An empty issuer gives the label `ACCOUNT` and no `issuer` parameter.
    /// The secret is base32 without padding (RFC 4648 section 6).
    public func otpauthURI(issuer: String, account: String) -> String {
        let label = issuer.isEmpty
            ? Self.percentEncode(account)
            : Self.percentEncode(issuer) + ":" + Self.percentEncode(account)
        var query = ["secret=" + Base32.encode(secret)]
        if !issuer.isEmpty { query.append("issuer=" + Self.percentEncode(issuer)) }
        query.append("algorithm=" + algorithm.otpauthName)
        query.append("digits=\(digits)")
        query.append("period=\(period)")
        return "otpauth://totp/" + label + "?" + query.joined(separator: "&")
    }

    /// Percent-encodes everything except RFC 3986 section 2.3 unreserved characters.
    static func percentEncode(_ string: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out = [UInt8]()
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.append(byte)
            default:
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0f)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
