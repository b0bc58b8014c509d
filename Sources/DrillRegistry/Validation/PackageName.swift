/// npm's package-name rules, as validate-npm-package-name (the npm CLI's own validator) applies them to new packages.
///
/// Source: github.com/npm/validate-npm-package-name (README "Naming rules").
public enum PackageName {
    public static let maximumLength = 214

    /// Core module names npm refuses for new packages (a subset of Node's builtins: the common ones).
    static let blocked: Set<String> = ["node_modules", "favicon.ico"]
    static let builtins: Set<String> = [
        "assert", "buffer", "child_process", "cluster", "console", "constants", "crypto", "dgram", "dns", "domain",
        "events", "fs", "http", "https", "module", "net", "os", "path", "punycode", "querystring", "readline",
        "repl", "stream", "string_decoder", "sys", "timers", "tls", "tty", "url", "util", "vm", "zlib",
    ]

    /// The problem with `name`, or nil when it is a valid new package name.
    public static func problem(with name: String) -> String? {
        // Every GET of a packument checks the name from its path: the common case (a valid name) is one pass over the
        // bytes. The rules below decide the rest and phrase the answer.
        isPlainValid(name) ? nil : ruleProblem(with: name)
    }

    /// The rules one by one, in validate-npm-package-name's order: the first that fails phrases the problem.
    static func ruleProblem(with name: String) -> String? {
        if name.isEmpty { return "a package name cannot be empty" }
        if name.count > maximumLength { return "a package name can be at most \(maximumLength) characters" }
        if name != name.trimmingCharacters(in: .whitespacesAndNewlines) { return "a package name cannot have leading or trailing spaces" }
        if name.hasPrefix(".") { return "a package name cannot start with a period" }
        if name.hasPrefix("_") { return "a package name cannot start with an underscore" }
        if name.lowercased() != name { return "a new package name cannot contain capital letters" }
        if blocked.contains(name) { return "'\(name)' is a blocked name" }
        if builtins.contains(name) { return "'\(name)' is a Node.js core module name" }
        var bare = name
        if name.hasPrefix("@") {
            let parts = name.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                return "a scoped package name must look like @scope/name"
            }
            if let p = urlSafetyProblem(String(parts[0])) { return "the scope " + p }
            bare = String(parts[1])
            if bare.hasPrefix(".") || bare.hasPrefix("_") { return "the name after the scope cannot start with a period or underscore" }
        } else if name.contains("/") {
            return "an unscoped package name cannot contain '/'"
        }
        if let p = urlSafetyProblem(bare) { return "the name " + p }
        // URL-safe, but "no longer" allowed in new names (validate-npm-package-name warns, which refuses new packages).
        if let special = bare.first(where: { "~'!()*".contains($0) }) {
            return "a new package name cannot contain '\(special)' (none of ~ ' ! ( ) *)"
        }
        return nil
    }

    /// True for a name every rule of ``problem(with:)`` accepts, decided on its bytes: `[@scope/]name` where scope and
    /// name are non-empty runs of `a-z 0-9 - . _` not starting with `.` or `_`, the whole at most ``maximumLength``
    /// long and neither blocked nor a core module name. False means "ask the full rules", not "invalid".
    static func isPlainValid(_ name: String) -> Bool {
        let bytes = name.utf8
        guard !bytes.isEmpty, bytes.count <= maximumLength else { return false }
        var slashes = 0, segmentStart = true
        for (i, b) in bytes.enumerated() {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"):
                segmentStart = false
            case UInt8(ascii: "."), UInt8(ascii: "_"):
                if segmentStart { return false }
            case UInt8(ascii: "@") where i == 0:
                segmentStart = true
            case UInt8(ascii: "/") where bytes.first == UInt8(ascii: "@") && !segmentStart:
                slashes += 1
                segmentStart = true
            default:
                return false
            }
        }
        if segmentStart { return false }
        if bytes.first == UInt8(ascii: "@") { return slashes == 1 }
        return !blocked.contains(name) && !builtins.contains(name)
    }

    /// The characters `encodeURIComponent` leaves as they are.
    static let urlSafe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!*'()")

    /// npm requires `encodeURIComponent(name) === name`: only these characters survive it.
    static func urlSafetyProblem(_ s: String) -> String? {
        if let bad = s.first(where: { !urlSafe.contains($0) }) {
            return "contains '\(bad)', which is not URL-safe (new names may use a-z, 0-9, - . _)"
        }
        return nil
    }

    /// Scopes the registry keeps for itself: nobody, whatever account or organisation they create, publishes into them.
    ///
    /// Source: the `npm` organisation owns `@npm` on registry.npmjs.org (npmjs.com/org/npm).
    public static let reservedScopes: Set<String> = ["npm"]

    /// The name with `.`, `-` and `_` removed and ASCII letters lowered: two unscoped names with the same squashed
    /// form differ "in punctuation only", which npm refuses for a new package from Dec 2017 (npm blog, 'New Package
    /// Moniker Rules': "we remove punctuation from its name and compare it to existing package names").
    ///
    /// The store indexes the same function of `package.name` (``RegistryStore/squashedNameSQL``); the two must agree.
    public static func squashed(_ name: String) -> String {
        String(decoding: name.utf8.compactMap { b -> UInt8? in
            switch b {
            case UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "_"): nil
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): b + 32
            default: b
            }
        }, as: UTF8.self)
    }

    /// `@scope` of a scoped name, or nil.
    public static func scope(of name: String) -> String? {
        guard name.hasPrefix("@"), let slash = name.firstIndex(of: "/") else { return nil }
        return String(name[..<slash])
    }
}

/// Semantic Versioning 2.0.0 (semver.org), strictly: `MAJOR.MINOR.PATCH[-pre][+build]`, no leading zeros.
public struct SemanticVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let major: UInt64, minor: UInt64, patch: UInt64
    public let prerelease: [String]
    public let build: [String]

    public init?(_ text: String) {
        guard text.count <= 256 else { return nil }
        var core = Substring(text)
        var build: [String] = []
        if let plus = core.firstIndex(of: "+") {
            build = core[core.index(after: plus)...].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            core = core[..<plus]
            guard build.allSatisfy({ !$0.isEmpty && $0.allSatisfy(SemanticVersion.isIdentifierCharacter) }) else { return nil }
        }
        var pre: [String] = []
        if let dash = core.firstIndex(of: "-") {
            pre = core[core.index(after: dash)...].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            core = core[..<dash]
            for id in pre {
                guard !id.isEmpty, id.allSatisfy(SemanticVersion.isIdentifierCharacter) else { return nil }
                if id.allSatisfy(\.isNumber) && id.count > 1 && id.first == "0" { return nil }
            }
        }
        let nums = core.split(separator: ".", omittingEmptySubsequences: false)
        guard nums.count == 3 else { return nil }
        var values: [UInt64] = []
        for n in nums {
            guard !n.isEmpty, n.allSatisfy({ ("0"..."9").contains($0) }), !(n.count > 1 && n.first == "0"), let v = UInt64(n) else { return nil }
            values.append(v)
        }
        major = values[0]; minor = values[1]; patch = values[2]
        prerelease = pre; self.build = build
    }

    static func isIdentifierCharacter(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c.isNumber || c == "-")
    }

    public var description: String {
        var s = "\(major).\(minor).\(patch)"
        if !prerelease.isEmpty { s += "-" + prerelease.joined(separator: ".") }
        if !build.isEmpty { s += "+" + build.joined(separator: ".") }
        return s
    }

    public static func < (a: SemanticVersion, b: SemanticVersion) -> Bool {
        if (a.major, a.minor, a.patch) != (b.major, b.minor, b.patch) { return (a.major, a.minor, a.patch) < (b.major, b.minor, b.patch) }
        if a.prerelease.isEmpty { return false }
        if b.prerelease.isEmpty { return true }
        for (x, y) in zip(a.prerelease, b.prerelease) where x != y {
            switch (UInt64(x), UInt64(y)) {
            case let (i?, j?): return i < j
            case (.some, nil): return true
            case (nil, .some): return false
            default: return x < y
            }
        }
        return a.prerelease.count < b.prerelease.count
    }
}
