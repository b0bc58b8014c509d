internal import COpenSSL

/// Why a security-key operation failed.
public enum SecurityKeyError: Error, CustomStringConvertible, Equatable, Sendable {
    /// OpenSSL could not generate a P-256 key pair.
    case keyGenerationFailed(String)
    /// The private key DER could not be parsed (or had trailing bytes).
    case invalidPrivateKey(String)
    /// The key parsed but is not an EC key on P-256.
    case unsupportedKey(String)
    /// The challenge to sign is empty, which would make the assertion replayable.
    case emptyChallenge
    /// OpenSSL could not sign or encode the key.
    case operationFailed(String)

    public var description: String {
        switch self {
        case let .keyGenerationFailed(detail): "could not generate a P-256 security key: \(detail)"
        case let .invalidPrivateKey(detail): "invalid security-key private key DER: \(detail)"
        case let .unsupportedKey(detail): "unsupported security key: \(detail) (only EC P-256 keys are supported)"
        case .emptyChallenge: "refusing to sign an empty challenge: the assertion could be replayed"
        case let .operationFailed(detail): "security-key operation failed: \(detail)"
        }
    }
}

/// A phishing-resistant security-key factor: a P-256 key pair per key; an assertion is an ECDSA signature over
/// sha256(origin) || challenge (like WebAuthn binds rpIdHash and clientDataHash), so a proxy on another origin cannot replay it.
///
/// ECDSA over P-256 with SHA-256 (FIPS 186-5, the COSE ES256 algorithm of RFC 8152 that
/// WebAuthn authenticators use). The key is stored as DER bytes and parsed for each signature,
/// so the value is a plain `Sendable` struct with no OpenSSL object to share or free.
public struct SecurityKeyPair: Sendable {
    /// The private key as PKCS#8 `PrivateKeyInfo` DER (RFC 5208).
    public let privateKeyDER: [UInt8]
    /// The public key as `SubjectPublicKeyInfo` DER (RFC 5480).
    public let publicKeyDER: [UInt8]

    private init(privateKeyDER: [UInt8], publicKeyDER: [UInt8]) {
        self.privateKeyDER = privateKeyDER
        self.publicKeyDER = publicKeyDER
    }

    /// A new random P-256 key pair.
    ///
    /// `EVP_PKEY_generate` with group P-256 (secp256r1, RFC 5480 section 2.1.1.1).
    public static func generate() throws(SecurityKeyError) -> SecurityKeyPair {
        guard let context = EVP_PKEY_CTX_new_from_name(nil, "EC", nil) else {
            throw .keyGenerationFailed(drainOpenSSLErrors())
        }
        defer { EVP_PKEY_CTX_free(context) }
        var generated: OpaquePointer?
        guard EVP_PKEY_keygen_init(context) == 1,
              EVP_PKEY_CTX_set_group_name(context, "P-256") == 1,
              EVP_PKEY_generate(context, &generated) == 1,
              let key = generated
        else {
            throw .keyGenerationFailed(drainOpenSSLErrors())
        }
        defer { EVP_PKEY_free(key) }
        return SecurityKeyPair(privateKeyDER: try OpenSSLKey.pkcs8DER(key), publicKeyDER: try OpenSSLKey.publicDER(key))
    }

    /// A key pair from a P-256 private key in DER.
    ///
    /// Accepts PKCS#8 (RFC 5208) or SEC1 `ECPrivateKey` (RFC 5915) DER; stores it re-encoded as
    /// PKCS#8. Malformed DER, trailing bytes or a key that is not EC P-256 throw; nothing traps.
    public init(privateKeyDER: [UInt8]) throws(SecurityKeyError) {
        let (pkcs8, publicDER) = try OpenSSLKey.withPrivateKey(privateKeyDER) { key throws(SecurityKeyError) in
            (try OpenSSLKey.pkcs8DER(key), try OpenSSLKey.publicDER(key))
        }
        self.init(privateKeyDER: pkcs8, publicKeyDER: publicDER)
    }

    /// An assertion: ECDSA-SHA256 over sha256(origin) || challenge.
    ///
    /// The origin is hashed as its exact UTF-8 bytes (no normalization), mirroring WebAuthn's
    /// rpIdHash (W3C WebAuthn Level 2, section 6.1); the signature is a DER `ECDSA-Sig-Value`
    /// (RFC 3279 section 2.2.3). An empty challenge throws `.emptyChallenge`.
    public func sign(challenge: [UInt8], origin: String) throws(SecurityKeyError) -> SecurityKeyAssertion {
        guard !challenge.isEmpty else { throw .emptyChallenge }
        let message = SecurityKeyVerifier.signedMessage(origin: origin, challenge: challenge)
        let signature = try OpenSSLKey.withPrivateKey(privateKeyDER) { key throws(SecurityKeyError) in
            try OpenSSLKey.sign(message, with: key)
        }
        return SecurityKeyAssertion(origin: origin, challenge: challenge, signature: signature)
    }
}

/// What a security key returns for a login challenge.
///
/// `origin` and `challenge` are what the key claims it signed; a verifier must ignore them and
/// check against the origin and challenge it expects.
public struct SecurityKeyAssertion: Sendable, Equatable, Codable {
    /// The origin the key saw and signed for (a claim; verifiers use their own expected origin).
    public var origin: String
    /// The challenge the key signed (a claim; verifiers use their own expected challenge).
    public var challenge: [UInt8]
    /// DER-encoded ECDSA signature (RFC 3279 section 2.2.3).
    public var signature: [UInt8]

    /// An assertion from its parts, e.g. as received over the wire.
    ///
    /// Nothing is checked here; see `SecurityKeyVerifier.verify`.
    public init(origin: String, challenge: [UInt8], signature: [UInt8]) {
        self.origin = origin
        self.challenge = challenge
        self.signature = signature
    }
}

/// Checks security-key assertions.
///
/// ECDSA P-256 / SHA-256 verification through `EVP_DigestVerify`.
public enum SecurityKeyVerifier {
    /// true iff signature is valid for publicKeyDER over sha256(expectedOrigin) || expectedChallenge. The assertion's own origin claim is not trusted.
    ///
    /// Returns false, never traps, for malformed or non-P-256 public keys, malformed signatures
    /// and an empty expected challenge. OpenSSL rejects non-DER signature encodings.
    public static func verify(_ assertion: SecurityKeyAssertion, publicKeyDER: [UInt8], expectedOrigin: String, expectedChallenge: [UInt8]) -> Bool {
        defer { ERR_clear_error() }
        guard !expectedChallenge.isEmpty, !assertion.signature.isEmpty, !publicKeyDER.isEmpty else { return false }
        let parsed: OpaquePointer? = publicKeyDER.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            guard let key = d2i_PUBKEY(nil, &cursor, buffer.count) else { return nil }
            guard cursor == buffer.baseAddress! + buffer.count else {
                EVP_PKEY_free(key)
                return nil
            }
            return key
        }
        guard let key = parsed else { return false }
        defer { EVP_PKEY_free(key) }
        guard OpenSSLKey.isP256(key), let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestVerifyInit(context, nil, EVP_sha256(), nil, key) == 1 else { return false }
        let message = signedMessage(origin: expectedOrigin, challenge: expectedChallenge)
        let status = assertion.signature.withUnsafeBufferPointer { signature in
            message.withUnsafeBufferPointer { tbs in
                EVP_DigestVerify(context, signature.baseAddress, signature.count, tbs.baseAddress, tbs.count)
            }
        }
        return status == 1
    }

    /// The signed bytes: sha256(origin UTF-8) || challenge.
    static func signedMessage(origin: String, challenge: [UInt8]) -> [UInt8] {
        Digest.hash(Array(origin.utf8), algorithm: .sha256) + challenge
    }
}

/// Helpers around OpenSSL `EVP_PKEY` handles; every handle is freed before returning.
enum OpenSSLKey {
    /// Parses a private key DER, checks it is P-256 and runs `body` with it.
    static func withPrivateKey<R>(_ der: [UInt8], _ body: (OpaquePointer) throws(SecurityKeyError) -> R) throws(SecurityKeyError) -> R {
        guard !der.isEmpty, der.count <= Int(Int32.max) else { throw .invalidPrivateKey("empty or oversized input") }
        let parsed: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            guard let key = d2i_AutoPrivateKey(nil, &cursor, buffer.count) else { return nil }
            guard cursor == buffer.baseAddress! + buffer.count else {
                EVP_PKEY_free(key)
                return nil
            }
            return key
        }
        guard let key = parsed else {
            let detail = drainOpenSSLErrors()
            throw .invalidPrivateKey(detail == "no OpenSSL error reported" ? "not a complete DER private key" : detail)
        }
        defer { EVP_PKEY_free(key) }
        guard isP256(key) else {
            _ = drainOpenSSLErrors()
            throw .unsupportedKey("the DER holds a different key type or curve")
        }
        return try body(key)
    }

    /// Whether `key` is an EC key on the P-256 curve.
    static func isP256(_ key: OpaquePointer) -> Bool {
        guard EVP_PKEY_is_a(key, "EC") == 1 else { return false }
        var name = [CChar](repeating: 0, count: 80)
        var length = 0
        let ok = name.withUnsafeMutableBufferPointer { buffer in
            EVP_PKEY_get_group_name(key, buffer.baseAddress, buffer.count, &length) == 1
        }
        guard ok else { return false }
        let nid = name.withUnsafeBufferPointer { buffer in
            let byName = OBJ_txt2nid(buffer.baseAddress)
            return byName != NID_undef ? byName : EC_curve_nist2nid(buffer.baseAddress)
        }
        return nid == NID_X9_62_prime256v1
    }

    /// The PKCS#8 DER of a private key.
    static func pkcs8DER(_ key: OpaquePointer) throws(SecurityKeyError) -> [UInt8] {
        guard let info = EVP_PKEY2PKCS8(key) else { throw .operationFailed(drainOpenSSLErrors()) }
        defer { PKCS8_PRIV_KEY_INFO_free(info) }
        let length = i2d_PKCS8_PRIV_KEY_INFO(info, nil)
        guard length > 0 else { throw .operationFailed(drainOpenSSLErrors()) }
        var output = [UInt8](repeating: 0, count: Int(length))
        let written = output.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor = buffer.baseAddress
            return i2d_PKCS8_PRIV_KEY_INFO(info, &cursor)
        }
        guard written == length else { throw .operationFailed(drainOpenSSLErrors()) }
        return output
    }

    /// The SubjectPublicKeyInfo DER of a key's public half.
    static func publicDER(_ key: OpaquePointer) throws(SecurityKeyError) -> [UInt8] {
        let length = i2d_PUBKEY(key, nil)
        guard length > 0 else { throw .operationFailed(drainOpenSSLErrors()) }
        var output = [UInt8](repeating: 0, count: Int(length))
        let written = output.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor = buffer.baseAddress
            return i2d_PUBKEY(key, &cursor)
        }
        guard written == length else { throw .operationFailed(drainOpenSSLErrors()) }
        return output
    }

    /// ECDSA-SHA256 signature of `message`, DER-encoded.
    static func sign(_ message: [UInt8], with key: OpaquePointer) throws(SecurityKeyError) -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else { throw .operationFailed(drainOpenSSLErrors()) }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestSignInit(context, nil, EVP_sha256(), nil, key) == 1 else {
            throw .operationFailed(drainOpenSSLErrors())
        }
        let maximum = Int(EVP_PKEY_get_size(key))
        guard maximum > 0 else { throw .operationFailed(drainOpenSSLErrors()) }
        var signature = [UInt8](repeating: 0, count: maximum)
        var length = maximum
        let status = signature.withUnsafeMutableBufferPointer { out in
            message.withUnsafeBufferPointer { tbs in
                EVP_DigestSign(context, out.baseAddress, &length, tbs.baseAddress, tbs.count)
            }
        }
        guard status == 1, length > 0, length <= maximum else { throw .operationFailed(drainOpenSSLErrors()) }
        return Array(signature.prefix(length))
    }
}
