internal import COpenSSL

/// A hash function supported by DrillCrypto.
///
/// The raw values (`sha1`, `sha256`, `sha512`) are what scenario files, JSON and the CLI use.
/// SHA-1 is offered only because RFC 4226/6238 one-time passwords default to it
/// (HMAC-SHA-1 is still sound for that use, see RFC 6194 section 3.2).
public enum HashAlgorithm: String, Sendable, CaseIterable, Codable {
    case sha1, sha256, sha512

    /// The digest length in bytes.
    ///
    /// 20 for SHA-1, 32 for SHA-256 and 64 for SHA-512 (FIPS 180-4).
    public var digestLength: Int {
        switch self {
        case .sha1: 20
        case .sha256: 32
        case .sha512: 64
        }
    }

    /// The name used in otpauth URIs.
    ///
    /// Upper-case, as the Key Uri Format's `algorithm` parameter expects: `SHA1`, `SHA256`, `SHA512`.
    public var otpauthName: String {
        switch self {
        case .sha1: "SHA1"
        case .sha256: "SHA256"
        case .sha512: "SHA512"
        }
    }

    /// OpenSSL's static `EVP_MD` for this algorithm.
    ///
    /// The returned pointer is owned by OpenSSL and must not be freed.
    var evpMD: OpaquePointer {
        switch self {
        case .sha1: EVP_sha1()
        case .sha256: EVP_sha256()
        case .sha512: EVP_sha512()
        }
    }
}
