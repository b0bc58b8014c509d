import DrillCrypto
import DrillRegistry
@testable import DrillServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Malformed or hostile requests get a 4xx with a JSON `error` saying what is wrong, change nothing,
/// never echo secrets, and the server keeps serving.
@Suite struct BadInputTests {
    @Test func malformedJSONWrongContentTypeAndNonObjects() async throws {
        let world = try TestWorld()
        try world.account("alice")
        let token = try world.token("alice")
        try await withRouter(world) { client async throws in
            let broken = try await client.execute(uri: "/wshop-demo", method: .put, headers: Req.headers(token: token), body: Req.body("{\"name\": \"wshop-demo\", "))
            #expect(broken.status == .badRequest)
            #expect(broken.errorText.contains("not valid JSON"))
            let text = try await client.execute(uri: "/-/npm/v1/tokens", method: .post,
                                                headers: Req.headers(token: token, json: false, extra: [.contentType: "text/plain"]),
                                                body: Req.body("{\"password\":\"alice-pass\"}"))
            #expect(text.status == .unsupportedMediaType)
            #expect(text.errorText.contains("application/json"))
            let array = try await client.send(.post, "/-/npm/v1/tokens", ["not", "an", "object"], token: token)
            #expect(array.status == .badRequest)
            #expect(array.errorText.contains("JSON object"))
            let empty = try await client.execute(uri: "/-/npm/v1/user", method: .post, headers: Req.headers(token: token))
            #expect(empty.status == .badRequest)
            let form = try await client.execute(uri: "/-/v1/login/web/" + String(repeating: "0", count: 32), method: .post,
                                                headers: [.contentType: "application/json"], body: Req.body("{}"))
            #expect(form.status == .notFound)   // no such session, whatever the body
        }
        #expect(try world.registry.tokens(of: "alice").count == 1)
    }

    @Test func oversizedBodiesAre413BeforeBeingRead() async throws {
        let world = try TestWorld()
        try world.account("alice")
        let token = try world.token("alice")
        try await withRouter(world, maximumJSONBytes: 1024, maximumDocumentBytes: 4096) { client async throws in
            let big = JSONValue.object(["password": .string(String(repeating: "p", count: 5000))])
            let r = try await client.send(.post, "/-/npm/v1/tokens", big, token: token)
            #expect(r.status == .contentTooLarge)
            #expect(r.errorText.contains("at most 1024"))
            #expect(r.headers[.connection] == "close")
            let publish = try await client.send(.put, "/wshop-demo", PublishBody.make("wshop-demo", "1.0.0", tarball: Array(repeating: 7, count: 8000)), token: token)
            #expect(publish.status == .contentTooLarge)
        }
        #expect(try world.registry.package("wshop-demo") == nil)
    }

    @Test(arguments: ["/%2e%2e", "/..", "/%2e%2e%2fetc%2fpasswd", "/@scope%2f..%2f..", "/.hidden", "/@scope/..",
                      "/%2E%2E/-/x-1.0.0.tgz", "/-/package/%2e%2e/dist-tags", "/-/package/..%2f..%2fetc/access", "/bad%zzname",
                      "/na%00me", "/%c3%28"])
    func traversingOrInvalidPackagePathsAre400(path: String) async throws {
        let world = try TestWorld()
        try world.account("alice")
        let token = try world.token("alice")
        try await withRouter(world) { client async throws in
            for method in [HTTPRequest.Method.get, .put, .delete, .post] {
                let r = try await client.execute(uri: path, method: method, headers: Req.headers(token: token), body: Req.body("{}"))
                #expect(r.status == .badRequest, "\(method) \(path) answered \(r.status)")
                #expect(!r.errorText.isEmpty)
            }
        }
    }

    @Test func integrityLengthShasumAndBase64Mismatches() async throws {
        let world = try TestWorld()
        try world.account("alice")
        let token = try world.token("alice")
        try await withRouter(world) { client async throws in
            let other = Registry.integrity(of: Array("something else".utf8))
            let wrongIntegrity = try await client.send(.put, "/wshop-demo", PublishBody.make("wshop-demo", "1.0.0", integrity: other), token: token)
            #expect(wrongIntegrity.status == .badRequest)
            #expect(wrongIntegrity.errorText.contains("integrity does not match"))
            #expect(wrongIntegrity.errorText.contains("rule input.integrity-mismatch"))

            var badLength = PublishBody.make("wshop-demo", "1.0.0")
            badLength["_attachments"]?["wshop-demo-1.0.0.tgz"]?["length"] = 1
            #expect(try await client.send(.put, "/wshop-demo", badLength, token: token).errorText.contains("length"))

            var badShasum = PublishBody.make("wshop-demo", "1.0.0")
            badShasum["versions"]?["1.0.0"]?["dist"]?["shasum"] = .string(String(repeating: "0", count: 40))
            #expect(try await client.send(.put, "/wshop-demo", badShasum, token: token).errorText.contains("shasum"))

            var badBase64 = PublishBody.make("wshop-demo", "1.0.0")
            badBase64["_attachments"]?["wshop-demo-1.0.0.tgz"]?["data"] = "!!! not base64 !!!"
            #expect(try await client.send(.put, "/wshop-demo", badBase64, token: token).errorText.contains("base64"))

            var twoVersions = PublishBody.make("wshop-demo", "1.0.0")
            let firstVersion = twoVersions["versions"]?["1.0.0"]
            twoVersions["versions"]?["1.0.1"] = firstVersion
            #expect(try await client.send(.put, "/wshop-demo", twoVersions, token: token).errorText.contains("exactly one version"))

            let wrongName = PublishBody.make("other-name", "1.0.0")
            #expect(try await client.send(.put, "/wshop-demo", wrongName, token: token).status == .badRequest)

            var badVersion = PublishBody.make("wshop-demo", "1.0")
            badVersion["dist-tags"] = ["latest": "1.0"]
            #expect(try await client.send(.put, "/wshop-demo", badVersion, token: token).errorText.contains("rule input.version"))

            #expect(try await client.send(.put, "/wshop-demo", ["name": "wshop-demo"], token: token).status == .badRequest)
        }
        #expect(try world.registry.package("wshop-demo") == nil)
        #expect(try world.registry.auditLog().allSatisfy { $0.outcome != "allowed" })
    }

    @Test func malformedAuthorizationHeaders() async throws {
        let world = try TestWorld()
        try await withRouter(world) { client async throws in
            for value in ["Bearer", "Basic !!!", "Basic " + Data("no-colon".utf8).base64EncodedString(), "Digest abc"] {
                let r = try await client.execute(uri: "/-/whoami", method: .get, headers: [.authorization: value])
                #expect(r.status == .badRequest, "\(value)")
                #expect(r.errorText.contains("Authorization"))
            }
            let basic = try await client.execute(uri: "/-/whoami", method: .get, headers: Req.headers(basic: ("ghost", "ghost-pass"), json: false))
            #expect(basic.status == .unauthorized)
        }
    }

    @Test func secretsNeverComeBackInAnswers() async throws {
        let world = try TestWorld()
        try world.account("alice", .authOnly)
        let token = try world.token("alice")
        let password = "alice-pass"
        try await withRouter(world) { client async throws in
            var answers: [TestResponse] = []
            answers.append(try await client.get("/" + token))
            answers.append(try await client.get("/-/npm/v1/tokens/\(token)", token: token))
            answers.append(try await client.send(.delete, "/-/npm/v1/tokens/token/\(token)x", token: token))
            answers.append(try await client.send(.post, "/-/npm/v1/tokens", ["password": .string(password)], token: token))
            answers.append(try await client.send(.post, "/-/npm/v1/tokens", ["password": .string("wrong-\(password)")], token: token))
            answers.append(try await client.legacyLogin("alice", password).0)
            answers.append(try await client.get("/-/npm/v1/user", token: token))
            answers.append(try await client.get("/-/npm/v1/tokens", token: token))
            answers.append(try await client.send(.delete, "/-/user/token/\(token)-nope", token: token))
            for a in answers {
                #expect(!a.text.contains(token), "\(a.status): \(a.text)")
                #expect(!a.text.contains(password), "\(a.status): \(a.text)")
                #expect(!(a.headers[HTTPField.Name("npm-notice")!] ?? "").contains(token))
            }
        }
    }
}
