import DrillRegistry
@testable import DrillServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore

/// Runs `body` against the server in HummingbirdTesting's router mode: requests go straight to the
/// responder, no socket. `source` is the address the registry judges (the router mode has no peer).
func withRouter(_ world: TestWorld, source: IPAddress = .loopback, maximumJSONBytes: Int = 1 << 20,
                maximumDocumentBytes: Int? = nil, webLoginPollHold: Duration = .zero,
                _ body: @Sendable @escaping (any TestClientProtocol) async throws -> Void) async throws {
    let app = world.server(sourceAddress: source, maximumJSONBytes: maximumJSONBytes, maximumDocumentBytes: maximumDocumentBytes,
                           webLoginPollHold: webLoginPollHold).makeApplication()
    try await app.test(.router) { client in try await body(client) }
}

extension TestClientProtocol {
    func get(_ uri: String, token: String? = nil, otp: String? = nil) async throws -> TestResponse {
        try await execute(uri: uri, method: .get, headers: Req.headers(token: token, otp: otp, json: false))
    }

    func send(_ method: HTTPRequest.Method, _ uri: String, _ body: JSONValue? = nil, token: String? = nil,
              basic: (String, String)? = nil, otp: String? = nil) async throws -> TestResponse {
        try await execute(uri: uri, method: method, headers: Req.headers(token: token, basic: basic, otp: otp, json: body != nil),
                          body: body.map(Req.body))
    }

    /// A legacy login (`PUT /-/user/org.couchdb.user:NAME`); returns the token or nil.
    func legacyLogin(_ name: String, _ password: String, otp: String? = nil, email: String? = nil) async throws -> (TestResponse, String?) {
        var body: JSONValue = ["_id": .string("org.couchdb.user:\(name)"), "name": .string(name), "password": .string(password),
                               "type": "user", "roles": [], "date": "2026-11-29T00:00:00.000Z"]
        if let email { body["email"] = .string(email) }
        let r = try await send(.put, "/-/user/org.couchdb.user:\(name)", body, otp: otp)
        return (r, r.json?["token"]?.stringValue)
    }

    func publish(_ name: String, _ version: String, token: String, otp: String? = nil, tag: String = "latest",
                 scripts: [String: String] = [:]) async throws -> TestResponse {
        let path = "/" + name.replacingOccurrences(of: "/", with: "%2f")
        return try await send(.put, path, PublishBody.make(name, version, tag: tag, scripts: scripts), token: token, otp: otp)
    }

    func packument(_ name: String) async throws -> JSONValue? {
        try await get("/" + name.replacingOccurrences(of: "/", with: "%2f") + "?write=true").json
    }
}
