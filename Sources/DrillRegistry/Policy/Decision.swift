/// How a refusal travels over the npm protocol. The server maps each to the exact status and
/// header npm 10 understands (see the protocol notes: 401 + `WWW-Authenticate: OTP` is EOTP, and so on).
public enum WireResponse: String, Sendable, Codable {
    /// 401 with `WWW-Authenticate: OTP`: npm prompts for a one-time password (EOTP).
    case otpChallenge = "otp-challenge"
    /// 401 with `WWW-Authenticate: ipaddress`: npm prints EAUTHIP.
    case ipAddress = "ip-address"
    /// 401 with `WWW-Authenticate: Basic`: "Incorrect or missing password."
    case badPassword = "bad-password"
    /// 401 with `WWW-Authenticate: Bearer`: "your authentication token seems to be invalid".
    case badToken = "bad-token"
    /// 403 with a JSON `error` that names the defense and rule.
    case forbidden
    /// 404.
    case notFound = "not-found"
    /// 400.
    case badRequest = "bad-request"
    /// 500: the registry itself failed (its storage), not a refusal. npm retries it, which is what a passing fault wants.
    case serverFault = "server-fault"
}

/// A refusal by the policy: which rule, which defense, a sentence for the audience, and the source.
public struct Denial: Error, Sendable, Equatable, CustomStringConvertible {
    public var rule: RuleID
    public var defense: DefenseID
    public var message: String
    public var source: String
    public var response: WireResponse
    /// Whether the same request with a valid second factor would pass: the rule asked for one and none came. Mostly
    /// travels as npm's EOTP challenge; a bypass-2FA token's barred action is a 403 that asks for `--otp` instead.
    public var liftedBySecondFactor: Bool

    public init(rule: RuleID, defense: DefenseID, message: String, source: String, response: WireResponse, liftedBySecondFactor: Bool = false) {
        self.rule = rule; self.defense = defense; self.message = message; self.source = source; self.response = response
        self.liftedBySecondFactor = liftedBySecondFactor
    }

    public var description: String { "\(message) [rule \(rule), defense \(defense.rawValue)]" }
}

/// The policy's answer.
public enum Decision: Sendable, Equatable {
    case allowed
    case denied(Denial)

    public var denial: Denial? { if case .denied(let d) = self { d } else { nil } }
    public var isAllowed: Bool { self == .allowed }
}
