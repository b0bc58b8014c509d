internal import COpenSSL

/// Message digests through OpenSSL's `EVP_Digest`.
///
/// SHA-1, SHA-256 and SHA-512 as specified in FIPS 180-4 (see also RFC 6234).
public enum Digest {
    /// The digest of `bytes` under `algorithm`.
    ///
    /// Contiguous collections are hashed in place; others are copied into an array first.
    public static func hash(_ bytes: some Collection<UInt8>, algorithm: HashAlgorithm) -> [UInt8] {
        if let digest = bytes.withContiguousStorageIfAvailable({ hash(buffer: $0, algorithm: algorithm) }) {
            return digest
        }
        return Array(bytes).withUnsafeBufferPointer { hash(buffer: $0, algorithm: algorithm) }
    }

    /// The lowercase hex SHA-512 of a string's UTF-8 bytes.
    ///
    /// This is the form npm uses for token keys and the `integrity`-style digests in the drill.
    public static func sha512Hex(_ string: String) -> String {
        Hex.encode(hash(Array(string.utf8), algorithm: .sha512))
    }

    /// The lowercase hex SHA-512 of `bytes`.
    ///
    /// 128 hex characters (FIPS 180-4).
    public static func sha512Hex(bytes: [UInt8]) -> String {
        Hex.encode(hash(bytes, algorithm: .sha512))
    }

    /// The lowercase hex SHA-256 of `bytes`.
    ///
    /// 64 hex characters (FIPS 180-4).
    public static func sha256Hex(bytes: [UInt8]) -> String {
        Hex.encode(hash(bytes, algorithm: .sha256))
    }

    /// The lowercase hex SHA-1 of `bytes`.
    ///
    /// 40 hex characters, the form of npm's legacy `shasum` field (FIPS 180-4).
    public static func sha1Hex(bytes: [UInt8]) -> String {
        Hex.encode(hash(bytes, algorithm: .sha1))
    }

    private static func hash(buffer: UnsafeBufferPointer<UInt8>, algorithm: HashAlgorithm) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let status = output.withUnsafeMutableBufferPointer { out in
            // EVP_Digest accepts a null data pointer when the count is zero.
            EVP_Digest(buffer.baseAddress, buffer.count, out.baseAddress, &length, algorithm.evpMD, nil)
        }
        // Hashing with a built-in digest only fails if OpenSSL itself is broken; there is no
        // meaningful recovery and returning a wrong digest would be worse than stopping.
        precondition(status == 1, "OpenSSL EVP_Digest(\(algorithm)) failed: \(drainOpenSSLErrors())")
        return Array(output.prefix(Int(length)))
    }
}
