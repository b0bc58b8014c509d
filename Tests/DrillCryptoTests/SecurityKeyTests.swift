import Foundation
import Testing
import DrillCrypto

@Suite struct SecurityKeyTests {
    let origin = "https://www.npmjs.com"

    @Test func signVerifyRoundTrip() throws {
        let key = try SecurityKeyPair.generate()
        let challenge = SecureRandom.bytes(32)
        let assertion = try key.sign(challenge: challenge, origin: origin)
        #expect(assertion.origin == origin)
        #expect(assertion.challenge == challenge)
        #expect(assertion.signature.first == 0x30)   // DER SEQUENCE
        #expect(SecurityKeyVerifier.verify(assertion, publicKeyDER: key.publicKeyDER,
                                           expectedOrigin: origin, expectedChallenge: challenge))
    }

    @Test func privateKeyDERRoundTrips() throws {
        let key = try SecurityKeyPair.generate()
        let restored = try SecurityKeyPair(privateKeyDER: key.privateKeyDER)
        #expect(restored.privateKeyDER == key.privateKeyDER)
        #expect(restored.publicKeyDER == key.publicKeyDER)
        let challenge = SecureRandom.bytes(16)
        let assertion = try restored.sign(challenge: challenge, origin: origin)
        #expect(SecurityKeyVerifier.verify(assertion, publicKeyDER: key.publicKeyDER,
                                           expectedOrigin: origin, expectedChallenge: challenge))
        #expect(key.publicKeyDER.count == 91)   // P-256 SubjectPublicKeyInfo, uncompressed point
    }

    @Test func anotherOriginFails() throws {
        let key = try SecurityKeyPair.generate()
        let challenge = SecureRandom.bytes(32)
        // The phishing proxy relays the real challenge, but the key signs the origin it sees.
        let phished = try key.sign(challenge: challenge, origin: "https://www.npmjs.help")
        #expect(!SecurityKeyVerifier.verify(phished, publicKeyDER: key.publicKeyDER,
                                            expectedOrigin: origin, expectedChallenge: challenge))
        // Lying about the origin in the assertion does not help either.
        var relabeled = phished
        relabeled.origin = origin
        #expect(!SecurityKeyVerifier.verify(relabeled, publicKeyDER: key.publicKeyDER,
                                            expectedOrigin: origin, expectedChallenge: challenge))
        // And the assertion's own claims are not trusted in the other direction.
        let genuine = try key.sign(challenge: challenge, origin: origin)
        var claimsOther = genuine
        claimsOther.origin = "https://evil.example"
        #expect(SecurityKeyVerifier.verify(claimsOther, publicKeyDER: key.publicKeyDER,
                                           expectedOrigin: origin, expectedChallenge: challenge))
    }

    @Test func anotherChallengeFails() throws {
        let key = try SecurityKeyPair.generate()
        let assertion = try key.sign(challenge: SecureRandom.bytes(32), origin: origin)
        #expect(!SecurityKeyVerifier.verify(assertion, publicKeyDER: key.publicKeyDER,
                                            expectedOrigin: origin, expectedChallenge: SecureRandom.bytes(32)))
        #expect(!SecurityKeyVerifier.verify(assertion, publicKeyDER: key.publicKeyDER,
                                            expectedOrigin: origin, expectedChallenge: []))
    }

    @Test func anotherKeyFails() throws {
        let key = try SecurityKeyPair.generate()
        let other = try SecurityKeyPair.generate()
        #expect(key.publicKeyDER != other.publicKeyDER)
        let challenge = SecureRandom.bytes(32)
        let assertion = try key.sign(challenge: challenge, origin: origin)
        #expect(!SecurityKeyVerifier.verify(assertion, publicKeyDER: other.publicKeyDER,
                                            expectedOrigin: origin, expectedChallenge: challenge))
    }

    @Test func flippedSignatureBitsFail() throws {
        let key = try SecurityKeyPair.generate()
        let challenge = SecureRandom.bytes(32)
        let assertion = try key.sign(challenge: challenge, origin: origin)
        for index in assertion.signature.indices {
            for bit in [0, 7] {
                var tampered = assertion
                tampered.signature[index] ^= UInt8(1) << UInt8(bit)
                #expect(!SecurityKeyVerifier.verify(tampered, publicKeyDER: key.publicKeyDER,
                                                    expectedOrigin: origin, expectedChallenge: challenge),
                        "byte \(index) bit \(bit)")
            }
        }
        var truncated = assertion
        truncated.signature.removeLast()
        #expect(!SecurityKeyVerifier.verify(truncated, publicKeyDER: key.publicKeyDER,
                                            expectedOrigin: origin, expectedChallenge: challenge))
        var extended = assertion
        extended.signature.append(0)
        #expect(!SecurityKeyVerifier.verify(extended, publicKeyDER: key.publicKeyDER,
                                            expectedOrigin: origin, expectedChallenge: challenge))
        var empty = assertion
        empty.signature = []
        #expect(!SecurityKeyVerifier.verify(empty, publicKeyDER: key.publicKeyDER,
                                            expectedOrigin: origin, expectedChallenge: challenge))
    }

    @Test func garbagePublicKeyDERFailsWithoutCrashing() throws {
        let key = try SecurityKeyPair.generate()
        let challenge = SecureRandom.bytes(32)
        let assertion = try key.sign(challenge: challenge, origin: origin)
        var candidates: [[UInt8]] = [[], [0x30], [0x30, 0x82, 0xff, 0xff], SecureRandom.bytes(91),
                                     Array(key.publicKeyDER.dropLast()), key.publicKeyDER + [0],
                                     key.privateKeyDER]
        var flipped = key.publicKeyDER
        flipped[flipped.count - 5] ^= 0xff   // point no longer on the curve (almost surely)
        candidates.append(flipped)
        for der in candidates {
            #expect(!SecurityKeyVerifier.verify(assertion, publicKeyDER: der,
                                                expectedOrigin: origin, expectedChallenge: challenge))
        }
    }

    @Test func garbagePrivateKeyDERThrows() throws {
        let valid = try SecurityKeyPair.generate().privateKeyDER
        for der in [[], [0x30], SecureRandom.bytes(138), Array(valid.dropLast()), valid + [0]] as [[UInt8]] {
            #expect(throws: SecurityKeyError.self) { try SecurityKeyPair(privateKeyDER: der) }
        }
        do {
            _ = try SecurityKeyPair(privateKeyDER: [1, 2, 3])
        } catch {
            #expect(error.description.contains("invalid security-key private key"))
        }
    }

    @Test func otherCurvesAndKeyTypesAreRefused() throws {
        // Throwaway test keys made with the openssl command line tool:
        //   openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -outform DER   (SEC1)
        //   openssl genpkey -algorithm ed25519 -outform DER                                (PKCS#8)
        let p384 = hexBytes("3081a4020101043054aa53493617cf2b5d20e3374de42aa47d644a113afac26ba648cd2a4ea0681894fc263bf3"
            + "d8de9afbf57e02dc4f85a1a00706052b81040022a16403620004c02e0980102fb5a4aaa4b1fcf827f64e94553ea7f4e3c9d5"
            + "647deecc9fe37110f016ffc0e397ade1e58a11561ee546081804baac4c9db3198db5ae82f6afa79021f1e99d6a88c925f5"
            + "9974f9b1404079c56da362537ae32e070fa75508b7162e")
        let ed25519 = hexBytes("302e020100300506032b657004220420a9bc34a375bd952a7a52bf2b5a72f36dbb34a894811b8624dc644efe6daae9c6")
        for der in [p384, ed25519] {
            #expect(throws: SecurityKeyError.self) { try SecurityKeyPair(privateKeyDER: der) }
            do {
                _ = try SecurityKeyPair(privateKeyDER: der)
            } catch {
                guard case .unsupportedKey = error else {
                    Issue.record("expected unsupportedKey, got \(error)")
                    continue
                }
            }
        }
    }

    @Test func emptyChallengeIsRefused() throws {
        let key = try SecurityKeyPair.generate()
        #expect(throws: SecurityKeyError.emptyChallenge) { try key.sign(challenge: [], origin: origin) }
    }

    @Test func assertionIsCodable() throws {
        let key = try SecurityKeyPair.generate()
        let assertion = try key.sign(challenge: [1, 2, 3], origin: origin)
        let decoded = try JSONDecoder().decode(SecurityKeyAssertion.self, from: JSONEncoder().encode(assertion))
        #expect(decoded == assertion)
    }

    @Test func concurrentSigningAndVerifying() async throws {
        let key = try SecurityKeyPair.generate()
        let origin = self.origin
        let results = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<32 {
                group.addTask {
                    let challenge = SecureRandom.bytes(32)
                    guard let assertion = try? key.sign(challenge: challenge, origin: origin) else { return false }
                    return SecurityKeyVerifier.verify(assertion, publicKeyDER: key.publicKeyDER,
                                                      expectedOrigin: origin, expectedChallenge: challenge)
                }
            }
            var all: [Bool] = []
            for await result in group { all.append(result) }
            return all
        }
        #expect(results.count == 32 && results.allSatisfy { $0 })
    }
}
