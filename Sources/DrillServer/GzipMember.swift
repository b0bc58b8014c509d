import DrillCrypto

/// What the server checks of a published tarball's format: that its bytes are a gzip member (RFC 1952 §2.3), as the
/// `.tgz` that `npm publish` packs is. A zip, a bare tar, plain text or an empty attachment is refused before the
/// registry sees the publish.
///
/// The check lives here, on the wire, and not in the registry: the registry never unpacks a tarball (it hashes and
/// stores it), and a scenario's replay publishes synthetic tarballs that stand for a package without being one. Only
/// the header is read (no decompression), so the check costs the same for 1 byte as for 10 MB.
enum GzipMember {
    /// The shortest gzip member: a 10-byte header, an empty deflate block (2 bytes), the CRC-32 and the size (8).
    static let minimumLength = 20

    /// Why `bytes` cannot be a gzip member, or nil when its header is one.
    static func problem(_ bytes: [UInt8]) -> String? {
        guard bytes.count >= minimumLength else {
            return "it is \(bytes.count) byte\(bytes.count == 1 ? "" : "s") long, shorter than any gzip file (\(minimumLength))"
        }
        guard bytes[0] == 0x1f, bytes[1] == 0x8b else {
            let start = bytes.prefix(4).map { Hex.encode([$0]) }.joined(separator: " ")
            return "it starts with \(start)\(Self.knownFormat(bytes).map { " (\($0))" } ?? ""), not gzip's 1f 8b"
        }
        // RFC 1952 §2.3.1: CM 8 is deflate, the only method defined; FLG bits 5-7 are reserved and must be zero.
        guard bytes[2] == 8 else { return "its compression method is \(bytes[2]), not deflate (8)" }
        guard bytes[3] & 0xE0 == 0 else { return "its header sets reserved flag bits (\(Hex.encode([bytes[3]])))" }
        return nil
    }

    /// A name for formats people send by mistake, to make the refusal easier to act on.
    static func knownFormat(_ bytes: [UInt8]) -> String? {
        if bytes.starts(with: [0x50, 0x4b, 0x03, 0x04]) { return "a zip archive" }
        if bytes.starts(with: Array("BZh".utf8)) { return "bzip2" }
        if bytes.starts(with: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]) { return "xz" }
        if bytes.starts(with: [0x28, 0xb5, 0x2f, 0xfd]) { return "zstd" }
        if bytes.count >= 262, Array(bytes[257..<262]) == Array("ustar".utf8) { return "an uncompressed tar" }
        return nil
    }
}
