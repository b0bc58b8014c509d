/// Why a base32 string could not be decoded.
///
/// Positions are zero-based offsets into the input string, counted in `Character`s.
public enum Base32Error: Error, CustomStringConvertible, Equatable, Sendable {
    /// A character outside the RFC 4648 alphabet (after ignoring case, whitespace and `=`).
    case invalidCharacter(Character, position: Int)
    /// A number of data characters (1, 3 or 6 modulo 8) that no byte string encodes to.
    case invalidLength(Int)

    public var description: String {
        switch self {
        case let .invalidCharacter(character, position):
            let shown = character.unicodeScalars.map { $0.escaped(asASCII: true) }.joined()
            return "invalid base32 character '\(shown)' at position \(position) (0-based); "
                + "allowed are A-Z and 2-7, case-insensitive, plus spaces and '=' padding"
        case let .invalidLength(count):
            return "invalid base32 length: \(count) data characters is not a whole number of bytes "
                + "(a length modulo 8 of 1, 3 or 6 cannot occur)"
        }
    }
}

/// Base 32 encoding with the RFC 4648 section 6 alphabet (`A`-`Z`, `2`-`7`).
///
/// This is the encoding of TOTP secrets in otpauth URIs and authenticator apps.
public enum Base32 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    /// The base32 string of `bytes`, upper-case and without `=` padding.
    ///
    /// RFC 4648 section 6, with padding omitted as the Key Uri Format recommends.
    public static func encode(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        out.reserveCapacity((bytes.count * 8 + 4) / 5)
        var buffer: UInt32 = 0
        var bits = 0
        for byte in bytes {
            buffer = (buffer << 8 | UInt32(byte)) & 0xFFF
            bits += 8
            while bits >= 5 {
                bits -= 5
                out.append(alphabet[Int((buffer >> UInt32(bits)) & 0x1f)])
            }
        }
        if bits > 0 {
            out.append(alphabet[Int((buffer << UInt32(5 - bits)) & 0x1f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes of a base32 string.
    ///
    /// RFC 4648 section 6 alphabet, decoded case-insensitively; whitespace and `=` padding are
    /// ignored wherever they appear, as authenticator apps do for hand-typed secrets.
    /// Unused trailing bits are dropped.
    public static func decode(_ string: String) throws(Base32Error) -> [UInt8] {
        var out = [UInt8]()
        var buffer: UInt32 = 0
        var bits = 0
        var dataCount = 0
        for (position, character) in string.enumerated() {
            if character == "=" || character.isWhitespace { continue }
            guard let ascii = character.asciiValue, let value = value(of: ascii) else {
                throw .invalidCharacter(character, position: position)
            }
            dataCount += 1
            buffer = (buffer << 5 | UInt32(value)) & 0xFFF
            bits += 5
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
            }
        }
        switch dataCount % 8 {
        case 1, 3, 6: throw .invalidLength(dataCount)
        default: return out
        }
    }

    private static func value(of char: UInt8) -> UInt8? {
        switch char {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): char - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): char - UInt8(ascii: "a")
        case UInt8(ascii: "2")...UInt8(ascii: "7"): char - UInt8(ascii: "2") + 26
        default: nil
        }
    }
}
