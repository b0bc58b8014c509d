internal import COpenSSL
#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif

/// Password hashing with scrypt.
///
/// scrypt (RFC 7914) through OpenSSL's `EVP_PBE_scrypt`, a 16-byte random salt and a 32-byte
/// output, stored as the self-describing string `scrypt$N$r$p$<salt base64>$<hash base64>`
/// (standard base64 with padding, RFC 4648 section 4). The cost parameters are part of the
/// stored string, so hashes made with the cheap `bulkSimulation` cost verify under any hasher.
public struct PasswordHasher: Sendable {
    /// scrypt cost parameters: CPU/memory cost N, block size r, parallelization p.
    ///
    /// RFC 7914 section 2. Memory use is about 128 * N * r bytes.
    public struct Cost: Sendable, Equatable {
        /// CPU/memory cost N, a power of two.
        public var n: UInt64
        /// Block size r.
        public var r: UInt64
        /// Parallelization p.
        public var p: UInt64

        /// Cost parameters as given; check `isWithinLimits` before using untrusted values.
        ///
        /// RFC 7914 section 2 names them N, r and p.
        public init(n: UInt64, r: UInt64, p: UInt64) {
            self.n = n
            self.r = r
            self.p = p
        }

        /// Cheap parameters for replaying scenarios thousands of times: N=16, r=1, p=1.
        ///
        /// Offers no real protection; never use it for the live server.
        public static let bulkSimulation = Cost(n: 16, r: 1, p: 1)

        /// Realistic interactive-login parameters: N=2^14, r=8, p=1 (16 MiB, tens of milliseconds).
        ///
        /// The values RFC 7914 section 2 and common guidance give for interactive logins.
        public static let interactive = Cost(n: 16384, r: 8, p: 1)

        /// The largest N accepted, 2^20.
        public static let maximumN: UInt64 = 1 << 20
        /// The largest r accepted.
        public static let maximumR: UInt64 = 32
        /// The largest p accepted.
        public static let maximumP: UInt64 = 16
        /// The most memory (128 * N * r) accepted, 1 GiB.
        public static let maximumMemory: UInt64 = 1 << 30
        /// The most work (N * r * p) accepted, 2^24: twice that of N=2^20, r=8, p=1.
        public static let maximumWork: UInt64 = 1 << 24

        /// Whether these parameters are valid scrypt parameters within this hasher's limits.
        ///
        /// N must be a power of two in 2...2^20 (RFC 7914 section 2), r in 1...32, p in 1...16,
        /// memory 128 * N * r at most 1 GiB and work N * r * p at most 2^24. Stored hashes with
        /// other parameters are refused, so a tampered row cannot make the server allocate
        /// gigabytes or spin for minutes.
        public var isWithinLimits: Bool {
            guard n >= 2, n <= Self.maximumN, n & (n - 1) == 0 else { return false }
            guard (1...Self.maximumR).contains(r), (1...Self.maximumP).contains(p) else { return false }
            return 128 * n * r <= Self.maximumMemory && n * r * p <= Self.maximumWork
        }
    }

    /// Salt length in bytes for new hashes.
    public static let saltLength = 16
    /// Derived key length in bytes for new hashes.
    public static let hashLength = 32

    /// The cost used for new hashes.
    public let cost: Cost

    /// A hasher that makes new hashes with `cost`.
    ///
    /// `cost` must satisfy `Cost.isWithinLimits`; anything else is a programming error and stops
    /// the process.
    public init(cost: Cost) {
        precondition(cost.isWithinLimits, "scrypt cost out of limits: n=\(cost.n) r=\(cost.r) p=\(cost.p)")
        self.cost = cost
    }

    /// A new stored hash of `password`: `scrypt$N$r$p$<salt b64>$<hash b64>`.
    ///
    /// A fresh 16-byte salt from `RAND_bytes` each time, so two hashes of one password differ.
    /// The password is hashed as its UTF-8 bytes, without normalization (RFC 7914).
    public func hash(_ password: String) -> String {
        let salt = SecureRandom.bytes(Self.saltLength)
        guard let derived = Self.scrypt(password: Array(password.utf8), salt: salt, cost: cost, length: Self.hashLength) else {
            preconditionFailure("OpenSSL EVP_PBE_scrypt failed for valid parameters: \(drainOpenSSLErrors())")
        }
        return ["scrypt", String(cost.n), String(cost.r), String(cost.p),
                Data(salt).base64EncodedString(), Data(derived).base64EncodedString()]
            .joined(separator: "$")
    }

    /// Whether `password` matches `stored`.
    ///
    /// Parses the cost, salt and hash from `stored`, recomputes scrypt and compares with
    /// `ConstantTime.equals`. A malformed string, parameters outside `Cost.isWithinLimits`,
    /// a salt outside 8...64 bytes or a hash outside 16...64 bytes all give false.
    public func verify(_ password: String, against stored: String) -> Bool {
        guard let parsed = Self.parse(stored) else { return false }
        guard let derived = Self.scrypt(password: Array(password.utf8), salt: parsed.salt, cost: parsed.cost, length: parsed.hash.count) else {
            return false
        }
        return ConstantTime.equals(derived, parsed.hash)
    }

    /// Spends what checking a password against a hash of this hasher's cost spends, and answers nothing.
    ///
    /// For a login naming an account that does not exist: the answer should take as long as a wrong password, so the
    /// time does not tell which names exist. The work is the hasher's own cost, whatever it is configured to.
    public func verifyAgainstNothing(_ password: String) {
        let salt = [UInt8](repeating: 0, count: Self.saltLength)
        _ = Self.scrypt(password: Array(password.utf8), salt: salt, cost: cost, length: Self.hashLength)
    }

    /// Whether `stored` should be re-hashed with this hasher's cost after a successful login.
    ///
    /// True when its cost differs from `cost` or it cannot be parsed.
    public func needsRehash(_ stored: String) -> Bool {
        Self.parse(stored)?.cost != cost
    }

    /// The cost parameters recorded in `stored`, or nil if it is malformed or out of limits.
    ///
    /// Reads the `scrypt$N$r$p$...` prefix without computing anything.
    public static func cost(of stored: String) -> Cost? {
        parse(stored)?.cost
    }

    private static func parse(_ stored: String) -> (cost: Cost, salt: [UInt8], hash: [UInt8])? {
        guard stored.utf8.count <= 512 else { return nil }
        let parts = stored.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "scrypt" else { return nil }
        guard let n = decimal(parts[1]), let r = decimal(parts[2]), let p = decimal(parts[3]) else { return nil }
        let cost = Cost(n: n, r: r, p: p)
        guard cost.isWithinLimits else { return nil }
        guard let salt = Data(base64Encoded: String(parts[4])), (8...64).contains(salt.count),
              let hash = Data(base64Encoded: String(parts[5])), (16...64).contains(hash.count)
        else { return nil }
        return (cost, Array(salt), Array(hash))
    }

    /// Plain ASCII digits only (no sign, no spaces), at most 19 of them.
    private static func decimal(_ text: Substring) -> UInt64? {
        guard !text.isEmpty, text.utf8.count <= 19,
              text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
        else { return nil }
        return UInt64(text)
    }

    /// Raw scrypt (RFC 7914 section 6) through `EVP_PBE_scrypt`, or nil for refused parameters.
    ///
    /// Returns nil for a cost outside `Cost.isWithinLimits`, a length below 1 or an OpenSSL
    /// failure. The memory limit passed to OpenSSL is what the parameters need, so
    /// `isWithinLimits` is the only policy. Most callers want `hash(_:)` and `verify(_:against:)`.
    public static func scrypt(password: [UInt8], salt: [UInt8], cost: Cost, length: Int) -> [UInt8]? {
        guard cost.isWithinLimits, length > 0 else { return nil }
        // OpenSSL needs 128*r*(N + p + 2) bytes plus a little; allow 1 MiB of slack.
        let maxMemory = 128 * cost.r * (cost.n + cost.p + 2) + (1 << 20)
        var output = [UInt8](repeating: 0, count: length)
        let status = password.withNonNullBytes { passwordPointer, passwordCount in
            salt.withNonNullBytes { saltPointer, saltCount in
                output.withUnsafeMutableBufferPointer { out in
                    passwordPointer.withMemoryRebound(to: CChar.self, capacity: max(passwordCount, 1)) { pass in
                        EVP_PBE_scrypt(pass, passwordCount, saltPointer, saltCount,
                                       cost.n, cost.r, cost.p, maxMemory, out.baseAddress, out.count)
                    }
                }
            }
        }
        guard status == 1 else {
            _ = drainOpenSSLErrors()
            return nil
        }
        return output
    }
}
