import DrillRegistry

/// Where a request goes, read from its raw path (npm-protocol.md §2).
///
/// The path is split on `/` first and each segment percent-decoded after, so a scoped name sent as
/// `@scope%2fname` and one sent as `@scope/name` both become `@scope/name`, while an escaped
/// traversal (`%2e%2e`) decodes to `..` and is refused as a package name, never used as a path.
enum Route: Equatable, Sendable {
    case webLoginStart
    case webLoginPage(id: String)
    case webLoginDone(id: String)
    case couchUser(name: String)
    case logout(token: String)
    case whoami
    case profile
    case tokens
    case token(keyOrToken: String)
    case distTags(package: String)
    case distTag(package: String, tag: String)
    case access(package: String)
    case visibility(package: String)
    case collaborators(package: String)
    case userPackages(user: String)
    case orgPackages(org: String)
    case teamPackages
    case ping
    case audit
    case packument(package: String)
    case packageRevision(package: String, rev: String)
    case tarball(package: String, file: String)
    case tarballRevision(package: String, file: String, rev: String)
    case unknown

    /// A short, secret-free description of the path for logs and errors (token values never appear).
    var logName: String {
        switch self {
        case .webLoginStart: "/-/v1/login"
        case .webLoginPage: "/-/v1/login/web/<session>"
        case .webLoginDone: "/-/v1/login/done/<session>"
        case .couchUser(let n): "/-/user/org.couchdb.user:\(n)"
        case .logout: "/-/user/token/<redacted>"
        case .whoami: "/-/whoami"
        case .profile: "/-/npm/v1/user"
        case .tokens: "/-/npm/v1/tokens"
        case .token: "/-/npm/v1/tokens/token/<redacted>"
        case .distTags(let p): "/-/package/\(p)/dist-tags"
        case .distTag(let p, let t): "/-/package/\(p)/dist-tags/\(t)"
        case .access(let p): "/-/package/\(p)/access"
        case .visibility(let p): "/-/package/\(p)/visibility"
        case .collaborators(let p): "/-/package/\(p)/collaborators"
        case .userPackages(let u): "/-/user/\(u)/package"
        case .orgPackages(let o): "/-/org/\(o)/package"
        case .teamPackages: "/-/team/<team>/package"
        case .ping: "/-/ping"
        case .audit: "/-/npm/v1/security/<audit>"
        case .packument(let p): "/\(p)"
        case .packageRevision(let p, let r): "/\(p)/-rev/\(r)"
        case .tarball(let p, let f): "/\(p)/-/\(Self.loggedFile(f, package: p))"
        case .tarballRevision(let p, let f, let r): "/\(p)/-/\(Self.loggedFile(f, package: p))/-rev/\(r)"
        case .unknown: "<unknown>"
        }
    }

    /// A tarball file name for the log: shown only when it is one of the package's own (`<name>-<version>.tgz`),
    /// since anything else in that place is unvalidated text (a token pasted into a URL, say).
    static func loggedFile(_ file: String, package: String) -> String {
        Packument.version(fromFile: file, package: package) != nil ? file : "<not a tarball of this package>"
    }

    /// Reads the route from a raw (still percent-encoded) path.
    ///
    /// - Throws: ``BadInput`` for a malformed escape, an over-long path, or an invalid package name.
    static func parse(rawPath: String) throws(BadInput) -> Route {
        guard rawPath.utf8.count <= 2048 else { throw BadInput(.uriTooLong, "The request path is longer than 2048 bytes.") }
        guard rawPath.hasPrefix("/") else { throw .badRequest("The request path must start with '/'.") }
        var segments: [String] = []
        for raw in rawPath.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            guard let decoded = Text.percentDecode(raw) else {
                throw .badRequest("The request path has a malformed percent-escape or is not UTF-8.")
            }
            guard !decoded.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) else {
                throw .badRequest("The request path contains control characters.")
            }
            segments.append(decoded)
        }
        if segments.last == "" && segments.count > 1 { segments.removeLast() }   // tolerate one trailing slash
        guard let first = segments.first, !first.isEmpty else { return .unknown }
        if first == "-" { return try parseAPI(Array(segments.dropFirst())) }
        return try parsePackagePath(segments)
    }

    /// `/<name>`, `/<name>/-rev/<rev>`, `/<name>/-/<file>`, `/<name>/-/<file>/-rev/<rev>`.
    static func parsePackagePath(_ segments: [String]) throws(BadInput) -> Route {
        let (name, rest) = try packageName(segments)
        switch rest.count {
        case 0: return .packument(package: name)
        case 2 where rest[0] == "-rev": return .packageRevision(package: name, rev: try revision(rest[1]))
        case 2 where rest[0] == "-": return .tarball(package: name, file: try fileName(rest[1]))
        case 4 where rest[0] == "-" && rest[2] == "-rev":
            return .tarballRevision(package: name, file: try fileName(rest[1]), rev: try revision(rest[3]))
        default: return .unknown
        }
    }

    static func parseAPI(_ s: [String]) throws(BadInput) -> Route {
        switch s.first {
        case "v1":
            if s == ["v1", "login"] { return .webLoginStart }
            if s.count == 4, s[1] == "login", s[2] == "web" { return .webLoginPage(id: try sessionID(s[3])) }
            if s.count == 4, s[1] == "login", s[2] == "done" { return .webLoginDone(id: try sessionID(s[3])) }
        case "whoami":
            if s.count == 1 { return .whoami }
        case "ping":
            if s.count == 1 { return .ping }
        case "user":
            if s.count >= 2, s[1].hasPrefix("org.couchdb.user:") {
                let name = String(s[1].dropFirst("org.couchdb.user:".count))
                guard !name.isEmpty, name.count <= 214 else { throw .badRequest("The user name in the path is empty or too long.") }
                if s.count == 2 || (s.count == 4 && s[2] == "-rev") { return .couchUser(name: name) }
            }
            if s.count == 3, s[1] == "token" { return .logout(token: s[2]) }
            if s.count == 3, s[2] == "package" { return .userPackages(user: s[1]) }
        case "org":
            if s.count == 3, s[2] == "package" { return .orgPackages(org: s[1]) }
        case "team":
            if s.last == "package" { return .teamPackages }
        case "npm":
            guard s.count >= 3, s[1] == "v1" else { break }
            if s[2] == "user", s.count == 3 { return .profile }
            if s[2] == "tokens", s.count == 3 { return .tokens }
            if s[2] == "tokens", s.count == 5, s[3] == "token", !s[4].isEmpty { return .token(keyOrToken: s[4]) }
            if s[2] == "security" { return .audit }
        case "package":
            guard s.count >= 3 else { break }
            let (name, rest) = try packageName(Array(s.dropFirst()))
            switch rest.first {
            case "dist-tags" where rest.count == 1: return .distTags(package: name)
            case "dist-tags" where rest.count == 2: return .distTag(package: name, tag: rest[1])
            case "access" where rest.count == 1: return .access(package: name)
            case "visibility" where rest.count == 1: return .visibility(package: name)
            case "collaborators" where rest.count == 1: return .collaborators(package: name)
            default: break
            }
        default:
            break
        }
        return .unknown
    }

    /// A package name from one segment (`@scope/name` after decoding `%2f`, or unscoped) or two (`@scope`, `name`).
    static func packageName(_ segments: [String]) throws(BadInput) -> (String, [String]) {
        guard let first = segments.first else { throw .badRequest("The path names no package.") }
        var name = first
        var rest = Array(segments.dropFirst())
        if first.hasPrefix("@") && !first.utf8.contains(UInt8(ascii: "/")), let next = rest.first {
            name = first + "/" + next
            rest.removeFirst()
        }
        if let problem = PackageName.problem(with: name) {
            // The name itself is not echoed: whatever was pasted into the path (a token, say) stays out of answers and logs.
            throw .badRequest("Invalid package name in the path: \(problem).")
        }
        return (name, rest)
    }

    static func revision(_ s: String) throws(BadInput) -> String {
        guard !s.isEmpty, s.count <= 100, s.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
            throw .badRequest("Invalid revision in the path: write it as the packument's _rev, like 3-0123abcd.")
        }
        return s
    }

    static func fileName(_ s: String) throws(BadInput) -> String {
        guard s.hasSuffix(".tgz"), s.count <= 300, !s.hasPrefix("."), !s.contains("/"), !s.contains("\\") else {
            throw .badRequest("Invalid tarball file name in the path: it must be <name>-<version>.tgz.")
        }
        return s
    }

    static func sessionID(_ s: String) throws(BadInput) -> String {
        guard s.count == 32, s.allSatisfy({ $0.isHexDigit && ($0.isNumber || $0.isLowercase) }) else {
            throw .notFound("There is no such login session.")
        }
        return s
    }
}
