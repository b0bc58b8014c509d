import Foundation

/// An IPv4 or IPv6 address, parsed strictly (no hostnames, no zone ids).
public struct IPAddress: Sendable, Hashable, CustomStringConvertible, Codable {
    /// 4 bytes for IPv4, 16 for IPv6, network order.
    public let bytes: [UInt8]
    public var isIPv4: Bool { bytes.count == 4 }

    public init?(_ text: String) {
        if let v4 = IPAddress.parseIPv4(text) { bytes = v4 }
        else if let v6 = IPAddress.parseIPv6(text) {
            // An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is the IPv4 address: sockets report loopback that way.
            if v6[0..<10].allSatisfy({ $0 == 0 }) && v6[10] == 0xff && v6[11] == 0xff { bytes = Array(v6[12...]) }
            else { bytes = v6 }
        } else { return nil }
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let parsed = IPAddress(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an IP address: \(text)"))
        }
        self = parsed
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer(); try c.encode(description)
    }

    public static let loopback = IPAddress("127.0.0.1")!

    public var description: String {
        if isIPv4 { return bytes.map(String.init).joined(separator: ".") }
        var groups: [String] = []
        for i in stride(from: 0, to: 16, by: 2) { groups.append(String(UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1]), radix: 16)) }
        return groups.joined(separator: ":")
    }

    static func parseIPv4(_ text: String) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var out: [UInt8] = []
        for p in parts {
            guard !p.isEmpty, p.count <= 3, p.allSatisfy(\.isASCIIDigit), let v = Int(p), v <= 255 else { return nil }
            if p.count > 1 && p.first == "0" { return nil } // no octal-looking octets
            out.append(UInt8(v))
        }
        return out
    }

    static func parseIPv6(_ text: String) -> [UInt8]? {
        guard text.contains(":"), text.count <= 45 else { return nil }
        var head: [UInt16] = [], tail: [UInt16] = []
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ s: String, allowV4: Bool) -> [UInt16]? {
            if s.isEmpty { return [] }
            var out: [UInt16] = []
            let parts = s.split(separator: ":", omittingEmptySubsequences: false)
            for (i, p) in parts.enumerated() {
                if allowV4 && i == parts.count - 1, p.contains(".") {
                    guard let v4 = parseIPv4(String(p)) else { return nil }
                    out.append(UInt16(v4[0]) << 8 | UInt16(v4[1])); out.append(UInt16(v4[2]) << 8 | UInt16(v4[3]))
                    continue
                }
                guard (1...4).contains(p.count), p.allSatisfy(\.isHexDigit), let v = UInt16(p, radix: 16) else { return nil }
                out.append(v)
            }
            return out
        }
        if halves.count == 2 {
            guard let h = groups(halves[0], allowV4: false), let t = groups(halves[1], allowV4: true), h.count + t.count <= 7 else { return nil }
            head = h; tail = t
            head += Array(repeating: 0, count: 8 - h.count - t.count)
        } else {
            guard let h = groups(halves[0], allowV4: true), h.count == 8 else { return nil }
            head = h
        }
        let all = head + tail
        guard all.count == 8 else { return nil }
        return all.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xff)] }
    }
}

private extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

/// A CIDR block, such as `10.0.0.0/8`, for token allowlists.
///
/// npm's token allowlists take IPv4 only (the CLI refuses IPv6 with EINVALIDCIDR); this simulator
/// matches that: an IPv6 block is refused with ``CIDRError/ipv6NotSupported``.
public struct CIDRBlock: Sendable, Hashable, CustomStringConvertible, Codable {
    public let network: IPAddress
    public let prefixLength: Int

    public init(_ text: String) throws(CIDRError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let parts = trimmed.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw .malformed(text, "write an IPv4 block as a.b.c.d/n, for example 10.0.0.0/8") }
        guard let address = IPAddress(String(parts[0])) else { throw .malformed(text, "'\(parts[0])' is not an IP address") }
        guard address.isIPv4 else { throw .ipv6NotSupported(text) }
        guard parts[1].count <= 2, parts[1].allSatisfy(\.isASCIIDigit), let length = Int(parts[1]), (0...32).contains(length) else {
            throw .malformed(text, "the prefix length must be a number from 0 to 32")
        }
        network = address
        prefixLength = length
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        self = try CIDRBlock(text)
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer(); try c.encode(description)
    }

    public var description: String { "\(network)/\(prefixLength)" }

    /// Whether `address` lies inside the block. An IPv6 address never lies in an IPv4 block.
    public func contains(_ address: IPAddress) -> Bool {
        guard address.bytes.count == network.bytes.count else { return false }
        var remaining = prefixLength
        for i in 0..<network.bytes.count {
            if remaining <= 0 { return true }
            let bits = min(8, remaining)
            let mask: UInt8 = bits == 8 ? 0xff : ~(0xff >> UInt8(bits))
            if (network.bytes[i] & mask) != (address.bytes[i] & mask) { return false }
            remaining -= bits
        }
        return true
    }
}

public enum CIDRError: Error, Equatable, CustomStringConvertible {
    case malformed(String, String)
    case ipv6NotSupported(String)
    public var description: String {
        switch self {
        case .malformed(let text, let why): "'\(text)' is not a CIDR block: \(why)"
        case .ipv6NotSupported(let text): "'\(text)' is an IPv6 block; npm token allowlists take IPv4 blocks only (as the npm CLI does)"
        }
    }
}
