/// npm-style access tokens.
///
/// npm's granular and classic tokens look like `npm_` followed by 36 base62 characters; the
/// registry keeps only a SHA-512 digest of each, so a database leak does not leak tokens.
public enum TokenSecret {
    /// The token prefix.
    public static let prefix = "npm_"
    /// The number of base62 characters after the prefix.
    public static let bodyLength = 36

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)

    /// A new npm-style token: "npm_" + 36 base62 characters from RAND_bytes (rejection sampling, no modulo bias).
    ///
    /// Bytes of 248 or more are discarded, so each of the 62 characters is equally likely
    /// (about 214 bits of entropy in total).
    public static func generate() -> String {
        var body = [UInt8]()
        body.reserveCapacity(bodyLength)
        let limit = UInt8(256 / alphabet.count * alphabet.count)   // 248
        while body.count < bodyLength {
            for byte in SecureRandom.bytes(48) where byte < limit && body.count < bodyLength {
                body.append(alphabet[Int(byte) % alphabet.count])
            }
        }
        return prefix + String(decoding: body, as: UTF8.self)
    }

    /// What npm lists and revokes by: the lowercase sha512 hex of the token string. This digest is all the registry stores.
    ///
    /// 128 lowercase hex characters: SHA-512 (FIPS 180-4) of the token's UTF-8 bytes.
    public static func key(of token: String) -> String {
        Digest.sha512Hex(token)
    }
}
