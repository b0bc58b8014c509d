import Testing
import DrillCrypto

struct HMACVector: Sendable, CustomTestStringConvertible {
    let name: String
    let key: [UInt8]
    let message: [UInt8]
    let algorithm: HashAlgorithm
    let expected: String
    var testDescription: String { "\(name) \(algorithm)" }
}

/// RFC 2202 section 3 (HMAC-SHA-1, all seven cases) and RFC 4231 section 4.2-4.5 (cases 1-4).
let hmacVectors: [HMACVector] = [
    // RFC 2202
    .init(name: "RFC 2202 #1", key: repeated(0x0b, 20), message: ascii("Hi There"), algorithm: .sha1,
          expected: "b617318655057264e28bc0b6fb378c8ef146be00"),
    .init(name: "RFC 2202 #2", key: ascii("Jefe"), message: ascii("what do ya want for nothing?"), algorithm: .sha1,
          expected: "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"),
    .init(name: "RFC 2202 #3", key: repeated(0xaa, 20), message: repeated(0xdd, 50), algorithm: .sha1,
          expected: "125d7342b9ac11cd91a39af48aa17b4f63f175d3"),
    .init(name: "RFC 2202 #4", key: Array(1...25), message: repeated(0xcd, 50), algorithm: .sha1,
          expected: "4c9007f4026250c6bc8414f9bf50c86c2d7235da"),
    .init(name: "RFC 2202 #5", key: repeated(0x0c, 20), message: ascii("Test With Truncation"), algorithm: .sha1,
          expected: "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04"),
    .init(name: "RFC 2202 #6", key: repeated(0xaa, 80),
          message: ascii("Test Using Larger Than Block-Size Key - Hash Key First"), algorithm: .sha1,
          expected: "aa4ae5e15272d00e95705637ce8a3b55ed402112"),
    .init(name: "RFC 2202 #7", key: repeated(0xaa, 80),
          message: ascii("Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data"), algorithm: .sha1,
          expected: "e8e99d0f45237d786d6bbaa7965c7808bbff1a91"),
    // RFC 4231
    .init(name: "RFC 4231 #1", key: repeated(0x0b, 20), message: ascii("Hi There"), algorithm: .sha256,
          expected: "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
    .init(name: "RFC 4231 #1", key: repeated(0x0b, 20), message: ascii("Hi There"), algorithm: .sha512,
          expected: "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
            + "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"),
    .init(name: "RFC 4231 #2", key: ascii("Jefe"), message: ascii("what do ya want for nothing?"), algorithm: .sha256,
          expected: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
    .init(name: "RFC 4231 #2", key: ascii("Jefe"), message: ascii("what do ya want for nothing?"), algorithm: .sha512,
          expected: "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
            + "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"),
    .init(name: "RFC 4231 #3", key: repeated(0xaa, 20), message: repeated(0xdd, 50), algorithm: .sha256,
          expected: "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
    .init(name: "RFC 4231 #3", key: repeated(0xaa, 20), message: repeated(0xdd, 50), algorithm: .sha512,
          expected: "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39"
            + "bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb"),
    .init(name: "RFC 4231 #4", key: Array(1...25), message: repeated(0xcd, 50), algorithm: .sha256,
          expected: "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
    .init(name: "RFC 4231 #4", key: Array(1...25), message: repeated(0xcd, 50), algorithm: .sha512,
          expected: "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3db"
            + "a91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd"),
]

@Suite struct HMACTests {
    @Test(arguments: hmacVectors)
    func rfcVector(_ vector: HMACVector) {
        let mac = HMAC.authenticationCode(for: vector.message, key: vector.key, algorithm: vector.algorithm)
        #expect(Hex.encode(mac) == vector.expected)
        #expect(mac.count == vector.algorithm.digestLength)
    }

    @Test(arguments: HashAlgorithm.allCases)
    func emptyKeyAndMessageAreAllowed(_ algorithm: HashAlgorithm) {
        let mac = HMAC.authenticationCode(for: [], key: [], algorithm: algorithm)
        #expect(mac.count == algorithm.digestLength)
        // Deterministic: a null-key "reuse the previous key" quirk would break this.
        #expect(HMAC.authenticationCode(for: [1], key: [2], algorithm: algorithm) != mac)
        #expect(HMAC.authenticationCode(for: [], key: [], algorithm: algorithm) == mac)
    }
}

@Suite struct DigestTests {
    /// FIPS 180-2 appendix examples for "abc" and the empty string.
    @Test func knownVectors() {
        #expect(Digest.sha512Hex("abc") == "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
            + "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f")
        #expect(Digest.sha512Hex(bytes: ascii("abc")) == Digest.sha512Hex("abc"))
        #expect(Digest.sha1Hex(bytes: ascii("abc")) == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(Digest.sha1Hex(bytes: []) == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        #expect(Digest.sha256Hex(bytes: ascii("abc"))
            == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test(arguments: HashAlgorithm.allCases)
    func nonContiguousCollectionsHashTheSame(_ algorithm: HashAlgorithm) {
        let bytes = Array(0..<200).map { UInt8($0) }
        let viaArray = Digest.hash(bytes, algorithm: algorithm)
        let viaRange = Digest.hash((0..<200).lazy.map { UInt8($0) }, algorithm: algorithm)
        let viaSlice = Digest.hash(bytes[...], algorithm: algorithm)
        #expect(viaArray.count == algorithm.digestLength)
        #expect(viaRange == viaArray)
        #expect(viaSlice == viaArray)
    }

    @Test func hashAlgorithmCodesAsRawValue() {
        #expect(HashAlgorithm(rawValue: "sha256") == .sha256)
        #expect(HashAlgorithm.allCases == [.sha1, .sha256, .sha512])
    }
}

@Suite struct ConstantTimeTests {
    @Test func equalBytes() {
        #expect(ConstantTime.equals([1, 2, 3], [1, 2, 3]))
        #expect(ConstantTime.equals([], []))
    }

    @Test func unequalBytes() {
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.equals([0, 2, 3], [1, 2, 3]))
    }

    @Test func differentLengths() {
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2]))
        #expect(!ConstantTime.equals([], [0]))
    }

    @Test func strings() {
        #expect(ConstantTime.equals("123456", "123456"))
        #expect(!ConstantTime.equals("123456", "123457"))
        #expect(!ConstantTime.equals("123456", "1234567"))
        #expect(!ConstantTime.equals("\u{e9}", "e\u{301}"))   // bytes, not canonical equivalence
    }
}

@Suite struct SecureRandomTests {
    @Test func lengthsAndVariety() {
        #expect(SecureRandom.bytes(0).isEmpty)
        #expect(SecureRandom.bytes(-5).isEmpty)
        #expect(SecureRandom.bytes(32).count == 32)
        #expect(SecureRandom.bytes(32) != SecureRandom.bytes(32))
    }
}
