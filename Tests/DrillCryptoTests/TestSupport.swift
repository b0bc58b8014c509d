import DrillCrypto

/// Bytes from a hex literal in a test table; traps on a typo in the table itself.
func hexBytes(_ hex: String) -> [UInt8] {
    guard let bytes = Hex.decode(hex) else { fatalError("bad hex in test table: \(hex)") }
    return bytes
}

/// The ASCII bytes of a string literal.
func ascii(_ string: String) -> [UInt8] { Array(string.utf8) }

func repeated(_ byte: UInt8, _ count: Int) -> [UInt8] { [UInt8](repeating: byte, count: count) }
