import DrillRegistry
import HTTPTypes
import Hummingbird

/// How a registry refusal travels to npm: the status and `WWW-Authenticate` header that npm 10
/// turns into EOTP, EAUTHIP, E401 or E403 (npm-protocol.md §3.1), never a 5xx or 429 (npm would retry).
enum WireMapping {
    static func response(for refusal: Refusal) -> Response {
        let rule = refusal.rule.rawValue
        let defense = refusal.defense.rawValue
        let tagged = "\(refusal.message) [rule \(rule), defense \(defense)]"
        // npm prints `npm notice <text>` for this header, even on an error: the defense shows whatever npm's canned text says.
        var headers: HTTPFields = [.npmNotice: Text.headerSafe(tagged)]
        let extra: [String: JSONValue] = ["rule": .string(rule), "defense": .string(defense)]
        switch refusal.response {
        case .otpChallenge:
            headers[.wwwAuthenticate] = "OTP"
            return Reply.error(.unauthorized, refusal.message, extra: extra, headers: headers)
        case .ipAddress:
            headers[.wwwAuthenticate] = "ipaddress"
            return Reply.error(.unauthorized, tagged, extra: extra, headers: headers)
        case .badPassword:
            headers[.wwwAuthenticate] = "Basic"
            return Reply.error(.unauthorized, tagged, extra: extra, headers: headers)
        case .badToken:
            headers[.wwwAuthenticate] = "Bearer"
            return Reply.error(.unauthorized, tagged, extra: extra, headers: headers)
        case .forbidden:
            return Reply.error(.forbidden, tagged, extra: extra, headers: headers)
        case .notFound:
            return Reply.error(.notFound, tagged, extra: extra, headers: headers)
        case .badRequest:
            return Reply.error(.badRequest, tagged, extra: extra, headers: headers)
        case .serverFault:
            return Reply.error(.internalServerError, refusal.message, extra: ["rule": .string(rule)])
        }
    }
}
