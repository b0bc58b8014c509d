/// Real gzip members (RFC 1952) for the tarballs the tests publish, since the server refuses anything else: the data
/// goes in stored deflate blocks (RFC 1951 §3.2.4), so `gunzip` unpacks it as written. The server reads only the
/// header; `GzipTests` checks these bytes against the system's `gzip -t` where it is installed.
enum Gzip {
    static func wrap(_ data: [UInt8]) -> [UInt8] {
        // ID1 ID2, CM deflate, no flags, no time, XFL 0, OS unknown.
        var out: [UInt8] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255]
        var rest = data[...]
        repeat {
            let block = rest.prefix(65_535)
            rest = rest.dropFirst(block.count)
            let length = UInt16(block.count)
            out.append(rest.isEmpty ? 1 : 0)   // BFINAL on the last block, BTYPE 00 (stored)
            out += littleEndian(UInt32(length), bytes: 2) + littleEndian(UInt32(~length), bytes: 2)
            out += block
        } while !rest.isEmpty
        return out + littleEndian(crc32(data), bytes: 4) + littleEndian(UInt32(truncatingIfNeeded: data.count), bytes: 4)
    }

    static func littleEndian(_ value: UInt32, bytes: Int) -> [UInt8] {
        (0..<bytes).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    /// CRC-32 as gzip uses it (ISO 3309, reflected polynomial 0xEDB88320).
    static func crc32(_ data: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}
