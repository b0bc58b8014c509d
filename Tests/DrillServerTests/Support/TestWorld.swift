import DrillCrypto
import DrillRegistry
@testable import DrillServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Synchronization

/// A registry for one test: bulk password hashing, a clock the test moves, emailed login codes off
/// unless asked (they have their own tests), and helpers to seed accounts and tokens.
struct TestWorld {
    let registry: Registry
    let clock: ManualClock
    let mail: MailBox

    /// A fixed TOTP secret per test account name, so a test can compute codes.
    static func secret(for name: String) -> String { Base32.encode(Array(Digest.hash(Array(name.utf8), algorithm: .sha256).prefix(20))) }

    init(era: String = "2024-06-01", emailedLoginCodes: Bool = false, store: RegistryStore? = nil, now: Int64? = nil) throws {
        var parameters = PolicyParameters()
        parameters.emailedLoginCodes = emailedLoginCodes
        clock = ManualClock(now ?? Int64(Date().timeIntervalSince1970))
        registry = try Registry(configuration: RegistryConfiguration(era: try RegistryEra(era), parameters: parameters,
                                                                     passwordCost: .bulkSimulation),
                                clock: clock, store: store)
        mail = MailBox()
    }

    /// An account `name` with password `<name>-pass` and email `<name>@example.com`.
    @discardableResult
    func account(_ name: String, _ mode: TwoFactorMode = .disabled) throws -> String {
        try registry.seedAccount(name: name, email: "\(name)@example.com", password: "\(name)-pass", twoFactor: mode,
                                 totpSecret: mode == .disabled ? nil : Self.secret(for: name))
        return "\(name)-pass"
    }

    /// An organisation whose first member owns it; its members create packages in `@name/`.
    func org(_ name: String, members: [String]) throws {
        try registry.seedOrg(name: name, members: members)
    }

    func token(_ owner: String, _ request: TokenRequest = .classicPublish) throws -> String {
        try registry.seedToken(owner: owner, request: request)
    }

    /// The current TOTP code of a seeded account.
    func code(_ name: String) -> String {
        try! TOTP(base32Secret: Self.secret(for: name)).code(at: clock.now())
    }

    /// Moves the clock to the next 30-second step, so a new code is not a reuse of the last one.
    func nextStep() { clock.advance(by: 30) }

    func server(sourceAddress: IPAddress = .loopback, host: String = "127.0.0.1", port: Int = 0,
                maximumJSONBytes: Int = 1 << 20, maximumDocumentBytes: Int? = nil, webLoginPollHold: Duration = .seconds(25),
                connectionLimits: ConnectionLimits = .init()) -> RegistryServer {
        let box = mail
        var logger = Logger(label: "regdrill.test")
        logger.logLevel = ProcessInfo.processInfo.environment["DRILL_TEST_LOG"] != nil ? .info : .critical
        return RegistryServer(registry: registry,
                              configuration: .init(host: host, port: port, maximumJSONBytes: maximumJSONBytes,
                                                   maximumDocumentBytes: maximumDocumentBytes, webLoginPollHold: webLoginPollHold,
                                                   sourceAddressWhenUnknown: sourceAddress, deliverMail: { box.append($0) },
                                                   connectionLimits: connectionLimits),
                              logger: logger)
    }
}

/// What the simulated mail system delivered during a test.
final class MailBox: Sendable {
    private let mails = Mutex<[Mail]>([])
    func append(_ m: Mail) { mails.withLock { $0.append(m) } }
    var all: [Mail] { mails.withLock { $0 } }
}

// MARK: - Requests in router mode

extension HTTPField.Name {
    static let otp = HTTPField.Name("npm-otp")!
}

struct Req {
    static func headers(token: String? = nil, basic: (String, String)? = nil, otp: String? = nil, json: Bool = true,
                        extra: HTTPFields = [:]) -> HTTPFields {
        var h = extra
        if let token { h[.authorization] = "Bearer \(token)" }
        if let (u, p) = basic { h[.authorization] = "Basic " + Data("\(u):\(p)".utf8).base64EncodedString() }
        if let otp { h[.otp] = otp }
        if json, h[.contentType] == nil { h[.contentType] = "application/json" }
        return h
    }

    static func body(_ value: JSONValue) -> ByteBuffer { ByteBuffer(bytes: value.encoded()) }
    static func body(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }
}

extension TestResponse {
    var json: JSONValue? { JSONValue.parse(Array(body.readableBytesView)) }
    var text: String { String(buffer: body) }
    var errorText: String { json?["error"]?.stringValue ?? "" }
}

// MARK: - Publish bodies as npm builds them (npm-protocol.md §5)

enum PublishBody {
    /// A small tarball: gzip, as the server requires, around a line naming the version (the registry never unpacks
    /// it; npm's own tests publish real tars).
    static func tarball(_ name: String, _ version: String) -> [UInt8] {
        Gzip.wrap(Array("tarball of \(name)@\(version)\n".utf8))
    }

    static func make(_ name: String, _ version: String, tarball: [UInt8]? = nil, tag: String = "latest",
                     scripts: [String: String] = [:], integrity: String? = nil, extraManifest: [String: JSONValue] = [:]) -> JSONValue {
        let bytes = tarball ?? Self.tarball(name, version)
        var manifest: [String: JSONValue] = [
            "name": .string(name), "version": .string(version), "description": "test package",
            "_id": .string("\(name)@\(version)"), "_nodeVersion": "20.20.2", "_npmVersion": "10.8.2",
            "scripts": .object(scripts.mapValues(JSONValue.string)),
            "dist": [
                "integrity": .string(integrity ?? Registry.integrity(of: bytes)),
                "shasum": .string(Digest.sha1Hex(bytes: bytes)),
                "tarball": .string("http://127.0.0.1:48730/\(name)/-/\(name)-\(version).tgz"),
            ],
        ]
        for (k, v) in extraManifest { manifest[k] = v }
        let bare = name.split(separator: "/").last.map(String.init) ?? name
        return [
            "_id": .string(name), "name": .string(name), "description": "test package",
            "dist-tags": .object([tag: .string(version)]),
            "versions": .object([version: .object(manifest)]),
            "access": .null,
            "_attachments": .object(["\(name.hasPrefix("@") ? name : bare)-\(version).tgz": [
                "content_type": "application/octet-stream",
                "data": .string(Data(bytes).base64EncodedString()),
                "length": .number(Double(bytes.count)),
            ]]),
        ]
    }
}
