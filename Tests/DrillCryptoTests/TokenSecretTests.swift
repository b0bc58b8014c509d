import Foundation
import Testing
import DrillCrypto

@Suite struct TokenSecretTests {
    @Test func format() throws {
        let pattern = try Regex("^npm_[A-Za-z0-9]{36}$")
        for _ in 0..<100 {
            let token = TokenSecret.generate()
            #expect(token.wholeMatch(of: pattern) != nil, "\(token)")
        }
    }

    @Test func uniqueOver1000() {
        let tokens = Set((0..<1000).map { _ in TokenSecret.generate() })
        #expect(tokens.count == 1000)
    }

    @Test func usesTheWholeAlphabet() {
        // 36 * 300 characters: every one of the 62 symbols shows up (the chance one is missing
        // is about 62 * (61/62)^10800, far below 1e-70).
        let characters = Set((0..<300).flatMap { _ in TokenSecret.generate().dropFirst(4) })
        #expect(characters.count == 62)
    }

    @Test func keyIsSHA512HexOfTheToken() {
        let token = TokenSecret.generate()
        let key = TokenSecret.key(of: token)
        #expect(key.count == 128)
        #expect(key.allSatisfy { ("0"..."9").contains($0) || ("a"..."f").contains($0) })
        #expect(key == Digest.sha512Hex(token))
        #expect(key == Hex.encode(Digest.hash(Array(token.utf8), algorithm: .sha512)))
        #expect(TokenSecret.key(of: "abc") == "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
            + "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f")
    }
}
