import DrillRegistry
import Foundation
@testable import DrillServer
import Testing

/// A published tarball must be gzip (issue 21: tarballs that were not gzip were accepted). The registry stores
/// tarballs unread, so the check is the server's, on the gzip header (RFC 1952 §2.3).
@Suite struct GzipMemberTests {
    static func zeros(_ count: Int) -> [UInt8] { [UInt8](repeating: 0, count: count) }
    static let notGzip: [(bytes: [UInt8], fragment: String)] = [
        ([], "0 bytes long"),
        ([0x1f, 0x8b], "2 bytes long"),
        (Array("this is a package, honestly, this is a package".utf8), "starts with 74 68 69 73, not gzip"),
        ([0x50, 0x4b, 0x03, 0x04] + zeros(40), "(a zip archive)"),
        (Array("BZh91AY&SY".utf8) + zeros(20), "(bzip2)"),
        ([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00] + zeros(20), "(xz)"),
        ([0x28, 0xb5, 0x2f, 0xfd] + zeros(20), "(zstd)"),
        (zeros(257) + Array("ustar".utf8) + zeros(250), "(an uncompressed tar)"),
        ([0x1f, 0x8b, 7, 0] + zeros(20), "method is 7, not deflate"),
        ([0x1f, 0x8b, 8, 0x20] + zeros(20), "reserved flag bits (20)"),
    ]

    @Test(arguments: notGzip)
    func notGzipIsNamed(case: (bytes: [UInt8], fragment: String)) {
        let (bytes, fragment) = `case`
        let problem = GzipMember.problem(bytes)
        #expect(problem?.contains(fragment) == true, "\(problem ?? "accepted")")
    }

    @Test(arguments: [0, 1, 100, 70_000])
    func gzipIsAccepted(size: Int) {
        let wrapped = Gzip.wrap([UInt8](repeating: 0x61, count: size))
        #expect(GzipMember.problem(wrapped) == nil)
        // Every flag defined by RFC 1952 (FTEXT, FHCRC, FEXTRA, FNAME, FCOMMENT) is accepted.
        var flagged = wrapped
        flagged[3] = 0x1f
        #expect(GzipMember.problem(flagged) == nil)
    }

    /// The tests' own gzip is real gzip: the system's `gzip` unpacks it to the bytes that went in.
    @Test func testGzipIsRealGzip() throws {
        let gzip = ["/usr/bin/gzip", "/bin/gzip"].first { FileManager.default.isExecutableFile(atPath: $0) }
        try #require(gzip != nil || ProcessInfo.processInfo.environment["CI"] == nil, "gzip is not installed")
        guard let gzip else { return }
        let data = (0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: gzip)
        process.arguments = ["-dc"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let writer = Thread { input.fileHandleForWriting.write(Data(Gzip.wrap(data))); try? input.fileHandleForWriting.close() }
        writer.start()
        let unpacked = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect([UInt8](unpacked) == data)
    }

    /// On the wire: a publish whose tarball is plain text is refused with a 400 that says why, and nothing is stored;
    /// the same publish with the bytes gzipped goes through.
    @Test func publishRefusesPlainTarball() async throws {
        let world = try TestWorld()
        try world.account("alice")
        let token = try world.token("alice")
        try await withRouter(world) { client async throws in
            let plain = Array("tarball of wshop-demo@1.0.0\n".utf8)
            let refused = try await client.send(.put, "/wshop-demo", PublishBody.make("wshop-demo", "1.0.0", tarball: plain), token: token)
            #expect(refused.status == .badRequest)
            #expect(refused.errorText.contains("not a gzipped tar"))
            #expect(try world.registry.package("wshop-demo") == nil)
            let gzipped = try await client.send(.put, "/wshop-demo", PublishBody.make("wshop-demo", "1.0.0", tarball: Gzip.wrap(plain)), token: token)
            #expect(gzipped.status == .created)
        }
    }
}
