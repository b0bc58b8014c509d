import DrillCrypto
import DrillRegistry
@testable import DrillServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Publish, packuments, tarballs, unpublish, deprecate, owners, dist-tags, access: npm-protocol.md §2 rows 12-24, §5.
@Suite struct PackageEndpointTests {
    @Test func publishThenPackumentHasEverythingNpmReads() async throws {
        let world = try TestWorld()
        try world.account("alice")
        let token = try world.token("alice")
        try await withRouter(world) { client async throws in
            let r = try await client.publish("wshop-demo", "1.0.0", token: token, scripts: ["postinstall": "node steal.js", "test": "true"])
            #expect(r.status == .created)
            let raw = try await client.get("/wshop-demo")
            #expect(raw.headers[.cacheControl] == "no-store")   // never stale in npm's cache; notices always show
            #expect(raw.headers[.contentType] == "application/json")
            let doc = try #require(try await client.packument("wshop-demo"))
            #expect(doc["_id"] == "wshop-demo")
            #expect(doc["name"] == "wshop-demo")
            let rev1 = try #require(doc["_rev"]?.stringValue)
            #expect(doc["dist-tags"] == ["latest": "1.0.0"])
            #expect(doc["maintainers"] == [["name": "alice", "email": "alice@example.com"]])
            #expect(doc["time"]?["created"] != nil && doc["time"]?["modified"] != nil && doc["time"]?["1.0.0"] != nil)
            let v = try #require(doc["versions"]?["1.0.0"])
            let bytes = PublishBody.tarball("wshop-demo", "1.0.0")
            #expect(v["dist"]?["tarball"] == "http://localhost/wshop-demo/-/wshop-demo-1.0.0.tgz")   // the server's own URL
            #expect(v["dist"]?["integrity"] == .string(Registry.integrity(of: bytes)))
            #expect(v["dist"]?["shasum"] == .string(Digest.sha1Hex(bytes: bytes)))
            #expect(v["_id"] == "wshop-demo@1.0.0")
            #expect(v["_nodeVersion"] == "20.20.2")   // the manifest as published is kept
            #expect(v["scripts"]?["test"] == "true")

            // A second version merges into the document; _rev changes on every write.
            #expect(try await client.publish("wshop-demo", "1.0.1", token: token).status == .created)
            let doc2 = try #require(try await client.packument("wshop-demo"))
            #expect(doc2["versions"]?.objectValue?.keys.sorted() == ["1.0.0", "1.0.1"])
            #expect(doc2["dist-tags"] == ["latest": "1.0.1"])
            #expect(doc2["_rev"]?.stringValue != rev1)

            // The tarball is served byte for byte.
            let tgz = try await client.get("/wshop-demo/-/wshop-demo-1.0.0.tgz")
            #expect(tgz.status == .ok)
            #expect(Array(tgz.body.readableBytesView) == bytes)
            #expect(try await client.get("/wshop-demo/-/wshop-demo-9.9.9.tgz").status == .notFound)
            #expect(try await client.get("/wshop-demo/-/other-1.0.0.tgz").status == .notFound)
        }
        let record = try #require(try world.registry.package("wshop-demo"))
        #expect(record.versions.first?.installScripts == ["postinstall": "node steal.js"])
    }

    @Test func publishingOverAVersionIsRefused() async throws {
        let world = try TestWorld()
        try world.account("alice")
        let token = try world.token("alice")
        try await withRouter(world) { client async throws in
            #expect(try await client.publish("wshop-demo", "1.0.0", token: token).status == .created)
            let again = try await client.publish("wshop-demo", "1.0.0", token: token)
            #expect(again.status == .forbidden)
            #expect(again.errorText.contains("cannot publish over the previously published versions"))
        }
    }

    @Test func scopedPackagesWithEscapedAndPlainSlashes() async throws {
        let world = try TestWorld()
        try world.account("alice")
        try world.org("wshop", members: ["alice"])
        let token = try world.token("alice")
        try await withRouter(world) { client async throws in
            #expect(try await client.publish("@wshop/secret", "0.1.0", token: token).status == .created)
            let escaped = try await client.get("/@wshop%2fsecret")
            let upper = try await client.get("/@wshop%2Fsecret")
            let plain = try await client.get("/@wshop/secret")
            #expect(escaped.status == .ok && upper.status == .ok && plain.status == .ok)
            let tarball = try #require(escaped.json?["versions"]?["0.1.0"]?["dist"]?["tarball"]?.stringValue)
            #expect(tarball == "http://localhost/@wshop/secret/-/secret-0.1.0.tgz")
            #expect(try await client.get("/@wshop/secret/-/secret-0.1.0.tgz").status == .ok)
            #expect(try await client.get("/@wshop%2fsecret/-/secret-0.1.0.tgz").status == .ok)
            #expect(try await client.get("/-/package/@wshop%2fsecret/dist-tags").json == ["latest": "0.1.0"])
        }
    }

    @Test func publishWithATagAndScopedAccess() async throws {
        let world = try TestWorld()
        try world.account("alice")
        try world.org("wshop", members: ["alice"])
        let token = try world.token("alice")
        try await withRouter(world) { client async throws in
            #expect(try await client.publish("wshop-demo", "2.0.0-beta.1", token: token, tag: "beta").status == .created)
            #expect(try await client.get("/-/package/wshop-demo/dist-tags").json == ["beta": "2.0.0-beta.1"])
            var body = PublishBody.make("@wshop/private", "1.0.0")
            body["access"] = "restricted"
            #expect(try await client.send(.put, "/@wshop%2fprivate", body, token: token).status == .created)
            #expect(try await client.get("/-/package/@wshop%2fprivate/visibility").json == ["public": false])
        }
    }

    @Test func deprecateAndUndeprecateByPuttingTheDocumentBack() async throws {
        let world = try TestWorld()
        try world.account("alice")
        let token = try world.token("alice")
        try await withRouter(world) { client async throws in
            _ = try await client.publish("wshop-demo", "1.0.0", token: token)
            _ = try await client.publish("wshop-demo", "1.0.1", token: token)
            var doc = try #require(try await client.packument("wshop-demo"))
            doc["versions"]?["1.0.0"]?["deprecated"] = "use 1.0.1"
            let r = try await client.send(.put, "/wshop-demo", doc, token: token)
            #expect(r.status == .created)
            var after = try #require(try await client.packument("wshop-demo"))
            #expect(after["versions"]?["1.0.0"]?["deprecated"] == "use 1.0.1")
            #expect(after["versions"]?["1.0.1"]?["deprecated"] == nil)
            after["versions"]?["1.0.0"]?["deprecated"] = ""
            #expect(try await client.send(.put, "/wshop-demo", after, token: token).status == .created)
            #expect(try await client.packument("wshop-demo")?["versions"]?["1.0.0"]?["deprecated"] == nil)
            // A stale document is a conflict, not a silent overwrite.
            #expect(try await client.send(.put, "/wshop-demo", doc, token: token).status == .conflict)
        }
        #expect(try world.registry.auditLog().filter { $0.operation == "deprecate" && $0.outcome == "allowed" }.count == 2)
    }

    @Test func ownersAddAndRemoveThroughTheMaintainersDiff() async throws {
        let world = try TestWorld()
        try world.account("alice")
        try world.account("bob")
        let token = try world.token("alice")
        try await withRouter(world) { client async throws in
            _ = try await client.publish("wshop-demo", "1.0.0", token: token)
            let user = try await client.get("/-/user/org.couchdb.user:bob")
            let doc = try #require(try await client.packument("wshop-demo"))
            let rev = try #require(doc["_rev"]?.stringValue)
            let add = try await client.send(.put, "/wshop-demo/-rev/\(rev)",
                                            ["_id": "wshop-demo", "_rev": .string(rev),
                                             "maintainers": [["name": "alice", "email": "alice@example.com"], ["name": user.json?["name"] ?? .null, "email": user.json?["email"] ?? .null]]],
                                            token: token)
            #expect(add.status == .created)
            #expect(add.json?["ok"] == true)
            #expect(try await client.get("/-/package/wshop-demo/collaborators").json == ["alice": "write", "bob": "write"])
            #expect(try await client.get("/-/user/bob/package").json == ["wshop-demo": "write"])

            // The old _rev is stale now.
            let stale = try await client.send(.put, "/wshop-demo/-rev/\(rev)", ["_id": "wshop-demo", "maintainers": [["name": "alice"]]], token: token)
            #expect(stale.status == .conflict)

            let rev2 = try #require(try await client.packument("wshop-demo")?["_rev"]?.stringValue)
            let rm = try await client.send(.put, "/wshop-demo/-rev/\(rev2)", ["_id": "wshop-demo", "_rev": .string(rev2), "maintainers": [["name": "bob"]]], token: token)
            #expect(rm.status == .created)
            #expect(try world.registry.package("wshop-demo")?.maintainers == ["bob"])

            // alice is no longer a maintainer: her writes are refused by the registry.
            let rev3 = try #require(try await client.packument("wshop-demo")?["_rev"]?.stringValue)
            let notOwner = try await client.send(.put, "/wshop-demo/-rev/\(rev3)", ["maintainers": [["name": "alice"]]], token: token)
            #expect(notOwner.status == .forbidden)
            #expect(notOwner.errorText.contains("rule package.not-maintainer"))
        }
    }

    @Test func unpublishOneVersionTheWayNpmDoes() async throws {
        let world = try TestWorld()
        try world.account("alice")
        let token = try world.token("alice")
        try await withRouter(world) { client async throws in
            for v in ["1.0.0", "1.0.1", "1.0.2"] { _ = try await client.publish("wshop-demo", v, token: token) }
            _ = try await client.send(.put, "/-/package/wshop-demo/dist-tags/next", "1.0.2", token: token)
            var doc = try #require(try await client.packument("wshop-demo"))
            let rev = try #require(doc["_rev"]?.stringValue)
            doc["versions"]?["1.0.2"] = nil
            doc["dist-tags"] = ["latest": "1.0.1"]
            let put = try await client.send(.put, "/wshop-demo/-rev/\(rev)", doc, token: token)
            #expect(put.status == .created)
            let after = try #require(try await client.packument("wshop-demo"))
            #expect(after["versions"]?.objectValue?.keys.sorted() == ["1.0.0", "1.0.1"])
            #expect(after["dist-tags"] == ["latest": "1.0.1"])   // latest recomputed, tags on 1.0.2 gone
            let rev2 = try #require(after["_rev"]?.stringValue)
            #expect(rev2 != rev)
            let del = try await client.send(.delete, "/wshop-demo/-/wshop-demo-1.0.2.tgz/-rev/\(rev2)", token: token)
            #expect(del.status == .ok)
            // A document PUT without /-rev/ never unpublishes.
            var partial = after
            partial["versions"]?["1.0.0"] = nil
            #expect(try await client.send(.put, "/wshop-demo", partial, token: token).status == .badRequest)
            // The version number can never be reused.
            #expect(try await client.publish("wshop-demo", "1.0.2", token: token).status == .forbidden)
        }
    }

    @Test func unpublishTheWholePackage() async throws {
        let world = try TestWorld()
        try world.account("alice")
        let token = try world.token("alice")
        try await withRouter(world) { client async throws in
            _ = try await client.publish("wshop-demo", "1.0.0", token: token)
            let rev = try #require(try await client.packument("wshop-demo")?["_rev"]?.stringValue)
            #expect(try await client.send(.delete, "/wshop-demo/-rev/0-stale", token: token).status == .conflict)
            #expect(try await client.send(.delete, "/wshop-demo/-rev/\(rev)", token: token).status == .ok)
            #expect(try await client.get("/wshop-demo").status == .notFound)
            #expect(try await client.send(.delete, "/wshop-demo/-rev/\(rev)", token: token).status == .notFound)
        }
    }

    @Test func distTagsListAddRemove() async throws {
        let world = try TestWorld()
        try world.account("alice")
        let token = try world.token("alice")
        try await withRouter(world) { client async throws in
            _ = try await client.publish("wshop-demo", "1.0.0", token: token)
            _ = try await client.publish("wshop-demo", "1.1.0", token: token)
            #expect(try await client.send(.put, "/-/package/wshop-demo/dist-tags/stable", "1.0.0", token: token).status == .ok)
            #expect(try await client.get("/-/package/wshop-demo/dist-tags").json == ["latest": "1.1.0", "stable": "1.0.0"])
            #expect(try await client.send(.put, "/-/package/wshop-demo/dist-tags/1.x", "1.0.0", token: token).status == .badRequest)
            #expect(try await client.send(.put, "/-/package/wshop-demo/dist-tags/beta", "9.9.9", token: token).status == .notFound)
            #expect(try await client.send(.put, "/-/package/wshop-demo/dist-tags/beta", ["v": "1"], token: token).status == .badRequest)
            #expect(try await client.send(.delete, "/-/package/wshop-demo/dist-tags/stable", token: token).status == .ok)
            #expect(try await client.send(.delete, "/-/package/wshop-demo/dist-tags/latest", token: token).status == .badRequest)
            #expect(try await client.get("/-/package/wshop-demo/dist-tags").json == ["latest": "1.1.0"])
            #expect(try await client.get("/-/package/nothing-here/dist-tags").status == .notFound)
        }
    }

    @Test func accessSettingsMapToPublishingPolicies() async throws {
        let world = try TestWorld()
        // With 2FA: a package that requires it asks for the code for every change, this one included.
        try world.account("alice", .authOnly)
        try world.org("wshop", members: ["alice"])
        let token = try world.token("alice")
        try await withRouter(world) { client async throws in
            _ = try await client.publish("@wshop/demo", "1.0.0", token: token)
            let path = "/-/package/@wshop%2fdemo/access"
            let cases: [(JSONValue, PublishingPolicy)] = [
                (["publish_requires_tfa": true, "automation_token_overrides_tfa": false], .twoFactorAndDisallowTokens),
                (["publish_requires_tfa": true, "automation_token_overrides_tfa": true], .twoFactorOrToken),
                (["publish_requires_tfa": false], .twoFactorNotRequired),
            ]
            for (body, policy) in cases {
                #expect(try await client.send(.post, path, body, token: token, otp: world.code("alice")).status == .ok)
                #expect(try world.registry.package("@wshop/demo")?.publishingPolicy == policy)
            }
            #expect(try await client.send(.post, path, ["access": "restricted"], token: token).status == .ok)
            #expect(try await client.get("/-/package/@wshop%2fdemo/visibility").json == ["public": false])
            #expect(try await client.send(.post, path, ["access": "public"], token: token).status == .ok)
            #expect(try await client.get("/-/package/@wshop%2fdemo/visibility").json == ["public": true])
            #expect(try await client.send(.post, path, ["access": "everyone"], token: token).status == .badRequest)
            #expect(try await client.send(.post, path, ["publish_requires_tfa": "yes"], token: token).status == .badRequest)
            #expect(try await client.send(.post, path, [:], token: token).status == .badRequest)
        }
    }

    @Test func packageRequiring2FARefusesAPublisherWithout2FA() async throws {
        let world = try TestWorld()
        try world.account("alice")
        let token = try world.token("alice")
        try await withRouter(world) { client async throws in
            _ = try await client.publish("wshop-demo", "1.0.0", token: token)
            _ = try await client.send(.post, "/-/package/wshop-demo/access", ["publish_requires_tfa": true, "automation_token_overrides_tfa": false], token: token)
            let r = try await client.publish("wshop-demo", "1.0.1", token: token)
            #expect(r.status == .forbidden)
            // mfa=publish is "require 2FA and disallow tokens": the refusal is attributed to that setting.
            #expect(r.errorText.contains("rule package.requires-two-factor, defense disallow-tokens"))
        }
    }

    @Test func authAndWritesDemandsTheCodeForPublishButAuthOnlyDoesNot() async throws {
        let world = try TestWorld()
        try world.account("carol", .authOnly)
        try world.account("dave", .authAndWrites)
        let carol = try world.token("carol")
        let dave = try world.token("dave")
        try await withRouter(world) { client async throws in
            #expect(try await client.publish("carol-pkg", "1.0.0", token: carol).status == .created)
            let eotp = try await client.publish("dave-pkg", "1.0.0", token: dave)
            #expect(eotp.status == .unauthorized)
            #expect(eotp.headers[.wwwAuthenticate] == "OTP")
            #expect(eotp.json?["rule"] == "2fa.writes")
            #expect(try await client.publish("dave-pkg", "1.0.0", token: dave, otp: world.code("dave")).status == .created)
            // The same code again from the same token (npm resends it on every request of one command) is accepted.
            #expect(try await client.publish("dave-pkg", "1.0.1", token: dave, otp: world.code("dave")).status == .created)
        }
    }

    @Test func pingAuditAndUnknownEndpoints() async throws {
        let world = try TestWorld()
        try await withRouter(world) { client async throws in
            let ping = try await client.get("/-/ping?write=true")
            #expect(ping.status == .ok)
            #expect(ping.json == [:])
            let audit = try await client.execute(uri: "/-/npm/v1/security/advisories/bulk", method: .post,
                                                 headers: [.contentType: "application/json", .contentEncoding: "gzip"], body: Req.body("\u{1f}\u{8b}garbage"))
            #expect(audit.status == .notFound)
            #expect(try await client.get("/-/npm/v1/security/audits/quick").status == .notFound)
            let unknown = try await client.get("/-/no/such/endpoint/here")
            #expect(unknown.status == .notFound)
            #expect(unknown.errorText.contains("Unknown endpoint"))
            #expect(try await client.get("/-/org/wshop/package").status == .notFound)
            let wrongMethod = try await client.send(.delete, "/-/whoami")
            #expect(wrongMethod.status == .methodNotAllowed)
            #expect(wrongMethod.json?["error"] != nil)
            #expect(try await client.get("/missing-package").status == .notFound)
        }
    }
}
