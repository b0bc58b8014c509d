import DrillRegistry
import Foundation
@testable import DrillServer
import Testing

/// Paths to routes: scoped names in either spelling, traversal refused, token values kept out of logs.
@Suite struct RouteTests {
    @Test(arguments: [
        ("/wshop-demo", Route.packument(package: "wshop-demo")),
        ("/@wshop%2fsecret", .packument(package: "@wshop/secret")),
        ("/@wshop%2Fsecret", .packument(package: "@wshop/secret")),
        ("/@wshop/secret", .packument(package: "@wshop/secret")),
        ("/wshop-demo/-rev/3-abc", .packageRevision(package: "wshop-demo", rev: "3-abc")),
        ("/@wshop%2fsecret/-rev/3-abc", .packageRevision(package: "@wshop/secret", rev: "3-abc")),
        ("/wshop-demo/-/wshop-demo-1.0.0.tgz", .tarball(package: "wshop-demo", file: "wshop-demo-1.0.0.tgz")),
        ("/@wshop/secret/-/secret-0.1.0.tgz", .tarball(package: "@wshop/secret", file: "secret-0.1.0.tgz")),
        ("/wshop-demo/-/wshop-demo-1.0.2.tgz/-rev/4-x", .tarballRevision(package: "wshop-demo", file: "wshop-demo-1.0.2.tgz", rev: "4-x")),
        ("/-/v1/login", .webLoginStart),
        ("/-/whoami", .whoami),
        ("/-/ping", .ping),
        ("/-/user/org.couchdb.user:alice", .couchUser(name: "alice")),
        ("/-/user/org.couchdb.user%3Aalice", .couchUser(name: "alice")),
        ("/-/user/org.couchdb.user:alice/-rev/1-x", .couchUser(name: "alice")),
        ("/-/user/token/npm_abc", .logout(token: "npm_abc")),
        ("/-/npm/v1/user", .profile),
        ("/-/npm/v1/tokens", .tokens),
        ("/-/npm/v1/tokens/token/abc123", .token(keyOrToken: "abc123")),
        ("/-/package/wshop-demo/dist-tags", .distTags(package: "wshop-demo")),
        ("/-/package/@wshop%2fsecret/dist-tags/beta", .distTag(package: "@wshop/secret", tag: "beta")),
        ("/-/package/@wshop/secret/access", .access(package: "@wshop/secret")),
        ("/-/package/wshop-demo/visibility", .visibility(package: "wshop-demo")),
        ("/-/package/wshop-demo/collaborators", .collaborators(package: "wshop-demo")),
        ("/-/user/alice/package", .userPackages(user: "alice")),
        ("/-/org/wshop/package", .orgPackages(org: "wshop")),
        ("/-/npm/v1/security/advisories/bulk", .audit),
        ("/-/nope", .unknown),
        ("/wshop-demo/extra/segments", .unknown),
        ("/", .unknown),
    ])
    func parses(path: String, route: Route) throws {
        #expect(try Route.parse(rawPath: path) == route)
    }

    @Test(arguments: ["/..", "/%2e%2e", "/%2E%2E%2Fetc", "/@x%2f..", "/.npmrc", "/a%", "/a%g0", "/%00", "/UPPER", "/a/-/..%2f..%2fx.tgz",
                      "/wshop-demo/-/x.txt", "/wshop-demo/-rev/..%2f"])
    func refuses(path: String) {
        #expect(throws: BadInput.self) { try Route.parse(rawPath: path) }
    }

    @Test func tokensNeverAppearInLogNamesOrErrorPaths() throws {
        let token = "npm_" + String(repeating: "Q", count: 36)
        #expect(!(try Route.parse(rawPath: "/-/user/token/\(token)").logName.contains(token)))
        #expect(!(try Route.parse(rawPath: "/-/npm/v1/tokens/token/\(token)").logName.contains(token)))
        #expect(!ServerCore.redactedPath("/-/npm/v1/tokens/\(token)").contains(token))
        #expect(!ServerCore.redactedPath("/-/x/\(token)").contains(token))
        do {
            _ = try Route.parse(rawPath: "/\(token)")
            Issue.record("a token-shaped package name should be refused")
        } catch {
            #expect(!error.message.contains(token))
        }
    }

    @Test func tarballFileNames() {
        #expect(Packument.tarballFile(package: "@wshop/secret", version: "0.1.0") == "secret-0.1.0.tgz")
        #expect(Packument.version(fromFile: "secret-0.1.0.tgz", package: "@wshop/secret") == "0.1.0")
        #expect(Packument.version(fromFile: "wshop-demo-2.0.0-beta.1.tgz", package: "wshop-demo") == "2.0.0-beta.1")
        #expect(Packument.version(fromFile: "other-1.0.0.tgz", package: "wshop-demo") == nil)
        #expect(Packument.version(fromFile: "wshop-demo-latest.tgz", package: "wshop-demo") == nil)
    }

    @Test func isoTimesMatchFoundationsFormatterToTheSecond() {
        // The registry computes times without a formatter; Foundation's ISO 8601 formatter is the reference.
        let reference = ISO8601DateFormatter()
        reference.formatOptions = [.withInternetDateTime]
        for t: Int64 in [0, 1, 86_399, 86_400, 951_782_400, 1_531_388_940, 1_764_979_200, 4_102_444_799, 1_709_164_800, -1, -86_401] {
            let expected = reference.string(from: Date(timeIntervalSince1970: TimeInterval(t)))
            #expect(Timestamp.iso8601(t) == expected, "\(t)")
            #expect(Timestamp.iso8601(t, milliseconds: true) == expected.replacingOccurrences(of: "Z", with: ".000Z"), "\(t)")
            #expect(Timestamp.day(t) == String(expected.prefix(10)), "\(t)")
            #expect(Timestamp.parse(expected) == t, "\(t)")
        }
    }
}
