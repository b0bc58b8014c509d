internal import COpenSSL

/// Cryptographically secure random bytes from OpenSSL's `RAND_bytes`.
///
/// OpenSSL 3's default DRBG (NIST SP 800-90A) seeded from the operating system; thread-safe.
public enum SecureRandom {
    /// `count` random bytes; an empty array for a count of zero or less.
    ///
    /// Stops the process if OpenSSL cannot produce randomness: silently returning weak bytes
    /// for salts, tokens or keys would be worse.
    public static func bytes(_ count: Int) -> [UInt8] {
        guard count > 0 else { return [] }
        var output = [UInt8](repeating: 0, count: count)
        output.withUnsafeMutableBufferPointer { buffer in
            var offset = 0
            while offset < buffer.count {
                let chunk = min(buffer.count - offset, Int(Int32.max))
                let status = RAND_bytes(buffer.baseAddress! + offset, Int32(chunk))
                precondition(status == 1, "OpenSSL RAND_bytes failed: \(drainOpenSSLErrors())")
                offset += chunk
            }
        }
        return output
    }
}

/// Comparisons whose running time does not depend on where the inputs differ.
///
/// Uses OpenSSL's `CRYPTO_memcmp`, for MACs, one-time codes and password hashes.
public enum ConstantTime {
    /// Whether `a` and `b` hold the same bytes.
    ///
    /// Different lengths return false without looking at the contents (the length is not
    /// treated as secret); equal lengths are compared in time that depends only on the length.
    public static func equals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        guard !a.isEmpty else { return true }
        return a.withUnsafeBytes { pa in
            b.withUnsafeBytes { pb in
                CRYPTO_memcmp(pa.baseAddress!, pb.baseAddress!, pa.count) == 0
            }
        }
    }

    /// Whether two strings have the same UTF-8 bytes, compared in constant time.
    ///
    /// No Unicode normalization: "é" precomposed and decomposed are different.
    public static func equals(_ a: String, _ b: String) -> Bool {
        equals(Array(a.utf8), Array(b.utf8))
    }
}
