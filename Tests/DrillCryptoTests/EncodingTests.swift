import Testing
import DrillCrypto

/// RFC 4648 section 10 test vectors, padding included as printed there.
let base32Vectors: [(plain: String, encoded: String)] = [
    ("", ""),
    ("f", "MY======"),
    ("fo", "MZXQ===="),
    ("foo", "MZXW6==="),
    ("foob", "MZXW6YQ="),
    ("fooba", "MZXW6YTB"),
    ("foobar", "MZXW6YTBOI======"),
]

@Suite struct Base32Tests {
    @Test(arguments: base32Vectors)
    func encodesWithoutPadding(_ vector: (plain: String, encoded: String)) {
        let unpadded = vector.encoded.filter { $0 != "=" }
        #expect(Base32.encode(ascii(vector.plain)) == unpadded)
    }

    @Test(arguments: base32Vectors)
    func decodesPaddedUnpaddedAndLowercase(_ vector: (plain: String, encoded: String)) throws {
        #expect(try Base32.decode(vector.encoded) == ascii(vector.plain))
        #expect(try Base32.decode(vector.encoded.filter { $0 != "=" }) == ascii(vector.plain))
        #expect(try Base32.decode(vector.encoded.lowercased()) == ascii(vector.plain))
    }

    @Test func ignoresSpaces() throws {
        #expect(try Base32.decode("mzxw 6ytb oi") == ascii("foobar"))
        #expect(try Base32.decode("GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ") == ascii("12345678901234567890"))
    }

    @Test func roundTripsRandomBytes() throws {
        for count in 0..<40 {
            let bytes = SecureRandom.bytes(count)
            #expect(try Base32.decode(Base32.encode(bytes)) == bytes)
        }
    }

    @Test(arguments: [
        ("MZXW1YTB", "1", 4),
        ("MZXW6YT!", "!", 7),
        ("MZ XW 8Y", "8", 6),
        ("0", "0", 0),
        ("MZXW6YTBé", "é", 8),
    ])
    func invalidCharacterReportsPosition(_ input: String, _ character: Character, _ position: Int) {
        #expect(throws: Base32Error.invalidCharacter(character, position: position)) {
            try Base32.decode(input)
        }
    }

    @Test func errorMessageNamesCharacterAndPosition() {
        do {
            _ = try Base32.decode("ABC!")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("'!'"))
            #expect(error.description.contains("position 3"))
        }
    }

    @Test(arguments: ["A", "ABC", "ABCDEF", "MZXW6YTBA"])
    func impossibleLengthsAreRejected(_ input: String) {
        #expect(throws: Base32Error.self) { try Base32.decode(input) }
    }
}

@Suite struct HexTests {
    @Test func roundTrip() {
        #expect(Hex.encode([0x00, 0x0f, 0xab, 0xff]) == "000fabff")
        #expect(Hex.decode("000FabfF") == [0x00, 0x0f, 0xab, 0xff])
        #expect(Hex.decode("") == [])
        #expect(Hex.encode([]) == "")
    }

    @Test(arguments: ["abc", "zz", "0x00", " 00", "0g"])
    func rejectsNonHex(_ input: String) {
        #expect(Hex.decode(input) == nil)
    }
}
