import DrillRegistry
@testable import DrillServer
import Foundation
import Testing

/// The password throttle over HTTP: what `npm login --auth-type=legacy` sends, from the socket's address.
@Suite struct PasswordThrottleEndpointTests {
    func login(_ password: String, port: Int) async throws -> RawAnswer {
        let body = #"{"_id":"org.couchdb.user:alice","name":"alice","password":"\#(password)","type":"user","roles":[]}"#
        let request = "PUT /-/user/org.couchdb.user:alice HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
        return try await RawHTTPClient.exchange(Array(request.utf8), port: port, timeout: 30)
    }

    @Test func tenWrongPasswordsThenTheRightOneIsRefusedWithTheRule() async throws {
        let world = try TestWorld(era: "2021-06-01")
        let password = try world.account("alice")
        let running = try await world.server().start()
        do {
            for i in 0..<10 {
                let wrong = try await login("wrong-\(i)", port: running.port)
                #expect(wrong.status == 401)
                #expect(wrong.ruleText == RuleID.passwordInvalid.rawValue)
            }
            let right = try await login(password, port: running.port)
            #expect(right.status == 403)
            #expect(right.ruleText == RuleID.passwordRateLimited.rawValue)
            #expect(right.errorText?.contains("Too many wrong passwords") == true)
        } catch { await running.stop(); throw error }
        await running.stop()
        // Counted against the socket's address.
        #expect(try world.registry.auditLog().filter { $0.rule == RuleID.passwordInvalid.rawValue }.map(\.source) == Array(repeating: "127.0.0.1", count: 10))
    }
}
