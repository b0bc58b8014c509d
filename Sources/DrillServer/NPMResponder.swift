import DrillRegistry
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOPosix

typealias RegistryRequest = DrillRegistry.RequestContext

/// Turns every HTTP request into a registry call and its answer back into HTTP. Never throws:
/// bad input is a 4xx with a JSON `error`, a refusal is mapped by ``WireMapping``, and only a real
/// fault of the server (its storage failing) is a 500.
struct NPMResponder: HTTPResponder {
    typealias Context = DrillRequestContext
    let core: ServerCore

    func respond(to request: Request, context: DrillRequestContext) async throws -> Response {
        let started = ContinuousClock.now
        var route = Route.unknown
        var outcome = ""
        let response: Response
        do {
            route = try Route.parse(rawPath: request.uri.path)
            var answer = try await core.handle(route, request, context)
            // npm prints each `npm-notice` header as `npm notice <text>` (a revoked token honoured from cache, say).
            for notice in context.notices.all { answer.headers.append(HTTPField(name: .npmNotice, value: Text.headerSafe(notice))) }
            response = answer
        } catch let bad as BadInput {
            outcome = " (\(bad.message))"
            response = Reply.badInput(bad)
        } catch let refusal as Refusal {
            outcome = refusal.response == .serverFault ? " failed: \(refusal.message)" : " refused: rule \(refusal.rule), defense \(refusal.defense.rawValue)"
            // A request made with the password (HTTP Basic, a legacy `_auth`) and no code: the registry has just mailed
            // one, as it does for a login (whose handler delivers its own).
            if refusal.isEmailedCodeChallenge, ServerCore.secondFactor(request.headers[.npmOTP]) == .none,
               case .password(let username, _)? = try? core.credential(request) {
                await core.deliverLoginCode(account: username)
            }
            response = WireMapping.response(for: refusal)
        } catch {
            core.logger.error("internal error on \(request.method) \(route.logName): \(error)")
            // The details (which may name files or statements) go to the console only.
            response = Reply.error(.internalServerError, "The simulated registry failed to handle this request; its console says why.")
        }
        // The console shows what a workshop watches: every write and every refusal. Successful reads (npm sends many)
        // are logged at debug level; the line is only put together when it is going to be written.
        let level: Logger.Level = response.status.code >= 500 ? .error : (request.method == .get && response.status.code < 300 ? .debug : .info)
        core.logger.log(level: level, "\(request.method) \(route.logName) \(response.status.code) \(Self.milliseconds(since: started))ms\(outcome)")
        return response
    }

    static func milliseconds(since started: ContinuousClock.Instant) -> Int64 {
        let elapsed = (ContinuousClock.now - started).components
        return elapsed.seconds * 1000 + elapsed.attoseconds / 1_000_000_000_000_000
    }
}

/// The server's state shared by all requests: the registry, the limits, the pending web logins.
final class ServerCore: Sendable {
    let registry: Registry
    let configuration: RegistryServer.Configuration
    let logger: Logger
    let webLogins: WebLoginSessions
    let packuments = PackumentCache()

    init(registry: Registry, configuration: RegistryServer.Configuration, logger: Logger) {
        self.registry = registry
        self.configuration = configuration
        self.logger = logger
        self.webLogins = WebLoginSessions(lifetime: configuration.webLoginLifetime)
    }

    func handle(_ route: Route, _ request: Request, _ context: DrillRequestContext) async throws -> Response {
        let method = request.method
        func allow(_ methods: HTTPRequest.Method...) throws(BadInput) {
            guard methods.contains(method) else {
                throw BadInput(.methodNotAllowed, "\(method) is not supported on \(route.logName); use \(methods.map(\.rawValue).joined(separator: " or ")).")
            }
        }
        switch route {
        case .webLoginStart:
            try allow(.post); return try await webLoginStart(request, context)
        case .webLoginPage(let id):
            try allow(.get, .post)
            if method == .get { return webLoginPage(id: id) }
            return try await webLoginSubmit(id: id, request, context)
        case .webLoginDone(let id):
            try allow(.get); return await webLoginDone(id: id)
        case .couchUser(let name):
            try allow(.get, .put)
            if method == .get { return try await userDocument(name) }
            return try await legacyLogin(name: name, request, context)
        case .logout(let token):
            try allow(.delete); return try await logout(token: token, request, context)
        case .whoami:
            try allow(.get); return try await whoami(request, context)
        case .profile:
            try allow(.get, .post)
            if method == .get { return try await profile(request, context) }
            return try await updateProfile(request, context)
        case .tokens:
            try allow(.get, .post)
            if method == .get { return try await listTokens(request, context) }
            return try await createToken(request, context)
        case .token(let keyOrToken):
            try allow(.delete); return try await revokeToken(keyOrToken, request, context)
        case .packument(let name):
            try allow(.get, .put)
            if method == .get { return try await packument(name, request, context) }
            return try await putPackage(name, rev: nil, request, context)
        case .packageRevision(let name, let rev):
            try allow(.put, .delete)
            if method == .put { return try await putPackage(name, rev: rev, request, context) }
            return try await unpublishPackage(name, rev: rev, request, context)
        case .tarball(let name, let file):
            try allow(.get); return try await tarball(name, file: file, request, context)
        case .tarballRevision(let name, let file, let rev):
            try allow(.delete); return try await deleteTarball(name, file: file, rev: rev, request, context)
        case .distTags(let name):
            try allow(.get); return try await distTags(name)
        case .distTag(let name, let tag):
            try allow(.put, .delete)
            if method == .put { return try await setDistTag(name, tag: tag, request, context) }
            return try await removeDistTag(name, tag: tag, request, context)
        case .access(let name):
            try allow(.post); return try await setAccess(name, request, context)
        case .visibility(let name):
            try allow(.get); return try await visibility(name)
        case .collaborators(let name):
            try allow(.get); return try await collaborators(name)
        case .userPackages(let user):
            try allow(.get); return try await userPackages(user)
        case .orgPackages, .teamPackages:
            try allow(.get)
            return Reply.error(.notFound, "This simulated registry does not list organisation or team packages.")
        case .ping:
            try allow(.get); return Reply.json([:])
        case .audit:
            return Reply.error(.notFound, "This simulated registry has no security advisories (run npm with --no-audit).")
        case .unknown:
            return Reply.error(.notFound, "Unknown endpoint: \(method) \(Self.redactedPath(request.uri.path)). This registry speaks the npm registry API.")
        }
    }

    /// The path for an error message: the first three segments, the rest elided (a token never shows).
    static func redactedPath(_ path: String) -> String {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        let shown = segments.prefix(4).map { $0.count > 24 ? "…" : String($0) }.joined(separator: "/")
        return String((segments.count > 4 ? shown + "/…" : shown).prefix(160))
    }

    // MARK: - Requests to registry contexts

    /// The base URL the client used (`Host`), for the URLs the server hands out; the bound address when the header is odd.
    func baseURL(_ request: Request) -> String { baseURL(authority: request.head.authority) }

    func baseURL(authority: String?) -> String {
        if let authority, !authority.isEmpty, authority.utf8.count <= 255,
           authority.utf8.allSatisfy(Self.isHostByte) {
            return "http://\(authority)"
        }
        let h = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
        return "http://\(h):\(configuration.port)"
    }

    /// The bytes a `Host` header may hold to be echoed into tarball URLs: letters, digits and `. - : [ ]`.
    static func isHostByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: ":"), UInt8(ascii: "["), UInt8(ascii: "]"): true
        default: false
        }
    }

    func sourceAddress(_ context: DrillRequestContext) -> IPAddress {
        guard let remote = context.remoteAddress else { return configuration.sourceAddressWhenUnknown }
        if let ip = remote.ipAddress, let parsed = IPAddress(ip) { return parsed }
        // A Unix-domain socket is local.
        return .loopback
    }

    /// The credential from `Authorization`: a bearer token, or HTTP Basic username and password.
    func credential(_ request: Request) throws(BadInput) -> Credential {
        try Self.credential(authorization: request.headers[.authorization])
    }

    /// The credential an `Authorization` header's value holds. A refusal never quotes the value: it is a secret.
    static func credential(authorization: String?) throws(BadInput) -> Credential {
        guard let header = authorization?.trimmingCharacters(in: .whitespaces), !header.isEmpty else { return .none }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2 else { throw .badRequest("The Authorization header is malformed: send 'Bearer <token>' or 'Basic <base64 user:password>'.") }
        let value = parts[1].trimmingCharacters(in: .whitespaces)
        switch parts[0].lowercased() {
        case "bearer":
            guard !value.isEmpty, value.count <= 4096 else { throw .badRequest("The bearer token in the Authorization header is empty or too long.") }
            return .bearer(value)
        case "basic":
            guard let data = Data(base64Encoded: value), let text = String(data: data, encoding: .utf8),
                  let colon = text.firstIndex(of: ":") else {
                throw .badRequest("The Basic Authorization header is not base64 of 'username:password'.")
            }
            return .password(username: String(text[..<colon]), password: String(text[text.index(after: colon)...]))
        default:
            // Name the scheme only when it looks like one: a token pasted where the scheme goes must not come back.
            let scheme = parts[0].count <= 12 && parts[0].allSatisfy({ $0.isASCII && $0.isLetter }) ? " '\(parts[0])'" : ""
            throw .badRequest("Unsupported Authorization scheme\(scheme): send Bearer or Basic.")
        }
    }

    /// The second factor from `npm-otp`: a TOTP code, or a recovery code (64 hex characters, what npm's prompt accepts).
    /// For an account without 2FA the registry reads the same header as the emailed login code.
    ///
    /// A value of white space alone is no code, whichever white space: the header may carry a NEL (`c2 85`) or a line
    /// separator as bytes HTTP allows, which trimming spaces and tabs left in place, and the registry was handed an
    /// empty code to judge (found by the request-decoding fuzzer).
    static func secondFactor(_ value: String?) -> SecondFactor {
        guard let raw = value, raw.count <= 256 else { return .none }
        let compact = raw.filter { !$0.isWhitespace }
        guard !compact.isEmpty else { return .none }
        if compact.count == 64, compact.allSatisfy(\.isHexDigit) { return .recoveryCode(compact.lowercased()) }
        return .totp(compact)
    }

    func registryRequest(_ request: Request, _ context: DrillRequestContext) throws(BadInput) -> RegistryRequest {
        RegistryRequest(credential: try credential(request), secondFactor: Self.secondFactor(request.headers[.npmOTP]),
                        sourceAddress: sourceAddress(context), notices: context.notices)
    }

    // MARK: - Bodies

    /// Reads at most `limit` bytes of body: a declared length over the limit is refused before reading anything.
    func body(_ request: Request, limit: Int) async throws(BadInput) -> [UInt8] {
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > limit {
            throw BadInput(.contentTooLarge, "The request body is \(declared) bytes; this endpoint takes at most \(limit).", closeConnection: true)
        }
        do {
            let buffer = try await request.body.collect(upTo: limit)
            return Array(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            throw BadInput(.contentTooLarge, "The request body is larger than this endpoint's limit of \(limit) bytes.", closeConnection: true)
        } catch {
            // Not a size problem: the chunked framing was malformed or the connection ended before the declared length.
            throw BadInput(.badRequest, "The request body could not be read: it ended before its declared length or its chunked encoding is malformed.",
                           closeConnection: true)
        }
    }

    /// The largest body of a login or of a request open to anonymous callers (signing up): npm's are a few hundred bytes.
    static let anonymousOperationBodyLimit = 16 * 1024
    /// Bodies up to this size are parsed where the request runs (an event loop); larger ones on ``bodyParsing``.
    static let inlineParseLimit = 64 * 1024

    /// One thread for parsing large bodies, so that however many arrive at once they take one core, and neither the
    /// event loops (every other client) nor the registry's thread pool wait for them.
    static let bodyParsing: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        return pool
    }()

    /// A JSON body (`Content-Type: application/json`), parsed, for a request that performs `operation`.
    ///
    /// The work a request can cause before its credential is looked at is bounded: a request for an operation open to
    /// anonymous callers, or a login (whose credential is in the body), carries at most ``anonymousOperationBodyLimit`` bytes; any other whose body is
    /// larger than ``inlineParseLimit`` (or of unannounced length) has its credential judged first, by the registry's
    /// authentication rules (``Registry/judgeCredential(for:_:target:)``), so an anonymous or forged publish of 15 MB
    /// is refused before a byte of it is read. Smaller bodies cost little to parse, and are refused as before.
    func json(_ request: Request, _ context: DrillRequestContext, for operation: OperationKind, target: String? = nil,
              limit: Int? = nil, allowEmpty: Bool = false) async throws -> JSONValue {
        let type = request.headers[.contentType]?.lowercased() ?? ""
        let mediaType = type.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard mediaType == "application/json" || (mediaType.hasPrefix("application/") && mediaType.hasSuffix("+json")) else {
            if allowEmpty, request.headers[.contentLength] == nil || request.headers[.contentLength] == "0", mediaType.isEmpty {
                return .object([:])
            }
            throw BadInput(.unsupportedMediaType, "Send a JSON body with Content-Type: application/json (got '\(String(type.prefix(60)))').")
        }
        var limit = limit ?? configuration.maximumJSONBytes
        if operation == .login || operation.isAnonymous {
            // The credential, if any, is in the body (a login) or none is needed (signing up).
            limit = min(limit, Self.anonymousOperationBodyLimit)
        } else if request.headers[.contentLength].flatMap(Int.init).map({ $0 > Self.inlineParseLimit }) ?? true {
            let ctx = try registryRequest(request, context)
            try await call { registry throws(Refusal) in try registry.judgeCredential(for: operation, ctx, target: target) }
        }
        let bytes = try await body(request, limit: limit)
        if bytes.isEmpty {
            if allowEmpty { return .object([:]) }
            throw BadInput.badRequest("The request body is empty; this endpoint needs a JSON body.")
        }
        let parsed: JSONValue?
        if bytes.count > Self.inlineParseLimit {
            parsed = try await Self.bodyParsing.runIfActive { JSONValue.parse(bytes) }
        } else {
            parsed = JSONValue.parse(bytes)
        }
        guard let parsed else { throw BadInput.badRequest("The request body is not valid JSON.") }
        return parsed
    }

    func jsonObject(_ request: Request, _ context: DrillRequestContext, for operation: OperationKind, target: String? = nil,
                    limit: Int? = nil, allowEmpty: Bool = false) async throws -> [String: JSONValue] {
        guard let object = try await json(request, context, for: operation, target: target, limit: limit, allowEmpty: allowEmpty).objectValue else {
            throw BadInput.badRequest("The request body must be a JSON object.")
        }
        return object
    }

    // MARK: - Registry calls, off the cooperative pool

    /// One thread for logins and sign-ups, which hash a password (scrypt: about 40 ms of a core and 16 MiB at the
    /// interactive cost), taking turns between source addresses. However many arrive at once, they take one core, and
    /// every other request keeps the registry's pool; a participant's login waits for one hash of each other address
    /// with logins queued, not for every guess one address sent. Password guessing is bounded by the registry's
    /// throttle (`auth.password-rate-limited`), whose refusals hash nothing.
    static let passwordHashing = FairQueue()

    /// Runs a registry operation that hashes the password of a login or sign-up from `source` on ``passwordHashing``.
    func callHashing<T: Sendable>(from source: IPAddress, _ body: @escaping @Sendable (Registry) throws(Refusal) -> T) async throws -> T {
        let registry = self.registry
        let result: Result<T, Refusal> = await Self.passwordHashing.run(source: source.description) {
            do throws(Refusal) { return .success(try body(registry)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Runs a registry operation on NIO's blocking pool (SQLite and scrypt block); a refusal is rethrown as ``Refusal``.
    func call<T: Sendable>(_ body: @escaping @Sendable (Registry) throws(Refusal) -> T) async throws -> T {
        let registry = self.registry
        let result: Result<T, Refusal> = try await NIOThreadPool.singleton.runIfActive {
            do throws(Refusal) { return .success(try body(registry)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// A plain read of registry state (no decision involved).
    func read<T: Sendable>(_ body: @escaping @Sendable (Registry) throws -> T) async throws -> T {
        let registry = self.registry
        return try await NIOThreadPool.singleton.runIfActive { try body(registry) }
    }

    func loadRecord(_ name: String) async throws -> PackageRecord? {
        try await read { try $0.package(name) }
    }

    func requireRecord(_ name: String) async throws -> PackageRecord {
        guard let record = try await loadRecord(name) else { throw BadInput.notFound("Package \(name) is not in this registry.") }
        return record
    }

    /// Emails of the named accounts (for maintainers and publishers in documents).
    func emails(_ names: [String]) async throws -> [String: String] {
        let unique = Array(Set(names))
        return try await read { registry in
            var out: [String: String] = [:]
            for n in unique { if let a = try registry.account(n) { out[n] = a.email } }
            return out
        }
    }

    /// Delivers the newest login code mailed to `account` (the registry mails it when it refuses a login for lack of it).
    func deliverLoginCode(account: String) async {
        guard let profile = try? await read({ try $0.account(account) }) else { return }
        let domain = profile.email.split(separator: "@").last.map(String.init) ?? ""
        guard let mail = try? await read({ try $0.mailbox(domain: domain) }).last(where: { $0.account == account && $0.purpose == "login-code" }) else { return }
        configuration.deliverMail(mail)
    }
}

extension Refusal {
    var isEmailedCodeChallenge: Bool { rule == .emailedLoginCode }
}
