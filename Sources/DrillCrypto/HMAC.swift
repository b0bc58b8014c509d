internal import COpenSSL

/// Keyed-hash message authentication codes through OpenSSL's one-shot `HMAC()`.
///
/// HMAC as defined in RFC 2104; test vectors in RFC 2202 (SHA-1) and RFC 4231 (SHA-2).
public enum HMAC {
    /// The HMAC of `message` under `key` with `algorithm`, full length.
    ///
    /// Keys longer than the hash block size are hashed first, as RFC 2104 section 2 requires;
    /// an empty key and an empty message are both valid.
    public static func authenticationCode(for message: [UInt8], key: [UInt8], algorithm: HashAlgorithm) -> [UInt8] {
        precondition(key.count <= Int(Int32.max), "HMAC key too long")
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let ok = key.withNonNullBytes { keyPointer, keyCount in
            message.withNonNullBytes { messagePointer, messageCount in
                output.withUnsafeMutableBufferPointer { out in
                    // A null key means "reuse the previous key" in parts of OpenSSL's HMAC API,
                    // hence the non-null pointers even for empty input.
                    COpenSSL.HMAC(
                        algorithm.evpMD, keyPointer, Int32(keyCount),
                        messagePointer, messageCount, out.baseAddress, &length
                    ) != nil
                }
            }
        }
        precondition(ok, "OpenSSL HMAC(\(algorithm)) failed: \(drainOpenSSLErrors())")
        return Array(output.prefix(Int(length)))
    }
}
