import Testing
import DrillCrypto

@Suite struct PasswordHasherTests {
    let hasher = PasswordHasher(cost: .bulkSimulation)

    /// RFC 7914 section 12, the first two vectors (the others are too slow for a unit test).
    @Test func scryptMatchesRFC7914() {
        let first = PasswordHasher.scrypt(password: [], salt: [], cost: .init(n: 16, r: 1, p: 1), length: 64)
        #expect(first.map(Hex.encode) == "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442"
            + "fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906")
        let second = PasswordHasher.scrypt(password: ascii("password"), salt: ascii("NaCl"),
                                           cost: .init(n: 1024, r: 8, p: 16), length: 64)
        #expect(second.map(Hex.encode) == "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"
            + "2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640")
    }

    @Test func verifiesRightPasswordOnly() {
        let stored = hasher.hash("correct horse battery staple")
        #expect(hasher.verify("correct horse battery staple", against: stored))
        #expect(!hasher.verify("correct horse battery stapler", against: stored))
        #expect(!hasher.verify("", against: stored))
    }

    @Test func emptyAndUnicodePasswords() {
        let empty = hasher.hash("")
        #expect(hasher.verify("", against: empty))
        #expect(!hasher.verify(" ", against: empty))
        let unicode = hasher.hash("pässwörd🔑")
        #expect(hasher.verify("pässwörd🔑", against: unicode))
        #expect(!hasher.verify("passwörd🔑", against: unicode))
    }

    @Test func saltMakesHashesDiffer() {
        let a = hasher.hash("hunter2")
        let b = hasher.hash("hunter2")
        #expect(a != b)
        #expect(hasher.verify("hunter2", against: a) && hasher.verify("hunter2", against: b))
    }

    @Test func storedFormatRecordsCost() throws {
        let stored = hasher.hash("hunter2")
        let parts = stored.split(separator: "$", omittingEmptySubsequences: false)
        #expect(parts.count == 6)
        #expect(Array(parts.prefix(4)) == ["scrypt", "16", "1", "1"])
        #expect(parts[4].count == 24)   // 16 bytes base64
        #expect(parts[5].count == 44)   // 32 bytes base64
        #expect(PasswordHasher.cost(of: stored) == .bulkSimulation)
        #expect(hasher.needsRehash(stored) == false)
        #expect(PasswordHasher(cost: .interactive).needsRehash(stored))
    }

    @Test func verifiesWithTheStoredCostNotItsOwn() {
        let cheap = hasher.hash("hunter2")
        let other = PasswordHasher(cost: .init(n: 1024, r: 2, p: 1))
        #expect(other.verify("hunter2", against: cheap))
        let stored = other.hash("hunter2")
        #expect(stored.hasPrefix("scrypt$1024$2$1$"))
        #expect(hasher.verify("hunter2", against: stored))
    }

    @Test func interactiveCostWorks() {
        let live = PasswordHasher(cost: .interactive)
        let stored = live.hash("s3cret")
        #expect(stored.hasPrefix("scrypt$16384$8$1$"))
        #expect(live.verify("s3cret", against: stored))
        #expect(PasswordHasher.Cost.interactive == .init(n: 16384, r: 8, p: 1))
        #expect(PasswordHasher.Cost.bulkSimulation == .init(n: 16, r: 1, p: 1))
    }

    static let salt = "AAAAAAAAAAAAAAAAAAAAAA=="          // 16 zero bytes
    static let hash = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="   // 32 zero bytes

    @Test(arguments: [
        "",
        "scrypt",
        "not a hash",
        "bcrypt$16$1$1$\(salt)$\(hash)",
        "scrypt$16$1$1$\(salt)",
        "scrypt$16$1$1$\(salt)$\(hash)$extra",
        "scrypt$16$1$1$$\(hash)",
        "scrypt$16$1$1$\(salt)$",
        "scrypt$16$1$1$!!!!$\(hash)",
        "scrypt$16$1$1$\(salt)$not-base64",
        "scrypt$16$1$1$\(salt)$AAAA",                     // 3-byte hash
        "scrypt$+16$1$1$\(salt)$\(hash)",
        "scrypt$ 16$1$1$\(salt)$\(hash)",
        "scrypt$0x10$1$1$\(salt)$\(hash)",
        "scrypt$-16$1$1$\(salt)$\(hash)",
        "scrypt$99999999999999999999999$1$1$\(salt)$\(hash)",
    ])
    func malformedStoredStringsAreFalse(_ stored: String) {
        #expect(!hasher.verify("", against: stored))
        #expect(!hasher.verify("password", against: stored))
        #expect(PasswordHasher.cost(of: stored) == nil)
    }

    @Test(arguments: [
        (UInt64(1) << 21, UInt64(1), UInt64(1)),   // N above 2^20
        (UInt64(1) << 40, 8, 1),
        (15, 1, 1),                                 // N not a power of two
        (0, 1, 1), (1, 1, 1),                       // N too small
        (16, 0, 1), (16, 1, 0),                     // r, p zero
        (16, 33, 1), (16, 1, 17),                   // r, p too large
        (UInt64(1) << 20, 16, 1),                   // 2 GiB of memory
        (UInt64(1) << 20, 8, 4),                    // too much work
    ])
    func absurdParametersAreRefused(_ n: UInt64, _ r: UInt64, _ p: UInt64) {
        let cost = PasswordHasher.Cost(n: n, r: r, p: p)
        #expect(!cost.isWithinLimits)
        #expect(PasswordHasher.scrypt(password: [1], salt: [2], cost: cost, length: 32) == nil)
        #expect(!hasher.verify("pw", against: "scrypt$\(n)$\(r)$\(p)$\(Self.salt)$\(Self.hash)"))
    }

    @Test func tamperedCostFailsVerification() {
        let stored = hasher.hash("hunter2")
        let tampered = stored.replacingOccurrences(of: "scrypt$16$1$1$", with: "scrypt$32$1$1$")
        #expect(tampered != stored)
        #expect(!hasher.verify("hunter2", against: tampered))
    }
}
