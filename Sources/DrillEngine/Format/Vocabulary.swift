import DrillRegistry

// The scenario language, declared once. Every object a scenario file holds is a `Shape`: its keys, the type of each,
// whether it is required, what the loader assumes when it is absent, and what it means. Every step action is an
// `ActionKind` with a declaration of its own keys and an example. From these declarations come:
//   - the loader's accepted keys and its "did you mean" hints (`ObjectReader` is given the shape it reads, and refuses
//     any key the shape does not declare);
//   - the JSON Schema (`regdrill schema scenario`, shipped as scenarios/scenario.schema.json; see `SchemaWriter`);
//   - the format reference (`regdrill schema scenario --format markdown`, shipped as docs/format.md).
// Tests hold the loader to the declaration both ways: it reads no key the declaration lacks, and a file that uses
// every declared key of every shape and action loads without a single unknown-key error.

/// The type of a value in a scenario file.
public indirect enum ValueType: Sendable {
    /// Free text (at most 20,000 characters).
    case text
    /// The name of something declared elsewhere in the file (an account, a token, a step, a package, a machine...).
    case reference(String)
    /// An id: lowercase ASCII letters, digits, '-', '.', '_'; at most 100 characters.
    case identifier
    /// A name that other keys refer to: text on one line.
    case name
    /// A day, yyyy-MM-dd.
    case day
    /// A UTC time, RFC 3339.
    case time
    /// Whose registry rules apply: `scenario` (the scenario's own date) or a day.
    case era
    case email
    case ipAddress
    case cidr
    case packageName
    case version
    /// A web origin, http:// or https://.
    case origin
    /// Which credential a step presents.
    case credential
    /// A MITRE ATT&CK or attack-tree technique id.
    case technique
    case whole(ClosedRange<Int>)
    case number(ClosedRange<Double>)
    case boolean
    /// `true`, `false`, or one of a few words.
    case booleanOr(Choice)
    case choice(Choice)
    /// A list; one value alone stands for a one-item list.
    case list(ValueType, maxItems: Int)
    /// A list of objects of one shape (always a list).
    case objects(Shape, minItems: Int, maxItems: Int)
    case object(Shape)
    /// A mapping of names to text.
    case textMap(maxEntries: Int)

    /// How the format reference names the type.
    public var reading: String {
        switch self {
        case .text: "text"
        case .reference(let what): "name of \(what)"
        case .identifier: "id (a-z, 0-9, '-', '.', '_')"
        case .name: "name"
        case .day: "day (yyyy-MM-dd)"
        case .time: "time (2018-07-12T09:49:00Z)"
        case .era: "`scenario` or a day (yyyy-MM-dd)"
        case .email: "email address"
        case .ipAddress: "IP address"
        case .cidr: "IPv4 block (a.b.c.d/n)"
        case .packageName: "package name"
        case .version: "semantic version"
        case .origin: "web origin"
        case .credential: "credential"
        case .technique: "technique id"
        case .whole(let r): "whole number, \(r.lowerBound) to \(r.upperBound)"
        case .number(let r): "number, \(Self.plain(r.lowerBound)) to \(Self.plain(r.upperBound))"
        case .boolean: "true or false"
        case .booleanOr(let c): "true, false or " + c.values.map { "`\($0.value)`" }.joined(separator: ", ")
        case .choice(let c) where c.documentedApart != nil: "\(c.documentedApart!) (each is below)"
        case .choice(let c): "one of " + c.values.map { "`\($0.value)`" }.joined(separator: ", ")
        case .list(let item, _): "list of \(item.reading)"
        case .objects(let shape, _, _): "list of \(shape.title)"
        case .object(let shape): shape.title
        case .textMap: "mapping of names to text"
        }
    }

    static func plain(_ d: Double) -> String { d == d.rounded() ? String(Int(d)) : String(d) }
}

/// A closed set of words a key takes, each with what it means.
public struct Choice: Sendable {
    /// Its name in the JSON Schema's definitions.
    public let name: String
    public let values: [(value: String, meaning: String)]
    /// For a choice the reference documents word by word in a section of its own (the actions, the defenses): what
    /// one of its words is called there.
    public let documentedApart: String?

    public init(_ name: String, _ values: [(value: String, meaning: String)], documentedApart: String? = nil) {
        self.name = name; self.values = values; self.documentedApart = documentedApart
    }

    /// A choice over every case of an enum that says what each case means.
    public init<E: Meaningful>(_ name: String, _ type: E.Type, excluding excluded: [E] = []) {
        self.name = name
        values = E.allCases.filter { !excluded.contains($0) }.map { ($0.rawValue, $0.meaning) }
        documentedApart = nil
    }
}

/// An enum of the format whose cases each say what they mean; the format reference and the schema quote it.
public protocol Meaningful: CaseIterable, RawRepresentable, Equatable where RawValue == String {
    var meaning: String { get }
}

/// One key of an object.
public struct Field: Sendable {
    public let key: String
    public let type: ValueType
    public let required: Bool
    /// What the loader assumes when the key is absent, as the reference says it; nil when nothing is assumed.
    public let absent: String?
    public let meaning: String

    public init(_ key: String, _ type: ValueType, required: Bool = false, absent: String? = nil, _ meaning: String) {
        self.key = key; self.type = type; self.required = required; self.absent = absent; self.meaning = meaning
    }
}

/// An object of the format: its keys, declared once.
public struct Shape: Sendable {
    /// Its name in the JSON Schema's definitions.
    public let name: String
    /// How the reference's headings name it.
    public let title: String
    /// How diagnostics name it: "unknown key 'x' in an account".
    public let context: String
    public let meaning: String
    public let fields: [Field]
    /// For an object whose kind one key says (a step's `action`, a defense's `id`): the shape of each kind. The object's
    /// own fields are then every key some kind takes, for hints while its kind is unknown.
    public let variants: Variants?

    public init(name: String, title: String, context: String, meaning: String, fields: [Field], variants: Variants? = nil) {
        self.name = name; self.title = title; self.context = context; self.meaning = meaning; self.fields = fields; self.variants = variants
    }

    /// An object of several kinds: every key any kind takes (the common ones first), and each kind's shape.
    init(name: String, title: String, context: String, meaning: String, common: [Field], key: String, kinds: [(value: String, shape: Shape)]) {
        var fields = common
        for kind in kinds {
            for f in kind.shape.fields where !fields.contains(where: { $0.key == f.key }) { fields.append(f) }
        }
        self.init(name: name, title: title, context: context, meaning: meaning, fields: fields, variants: Variants(key: key, kinds: kinds))
    }

    public var keys: [String] { fields.map(\.key) }
    public func field(_ key: String) -> Field? { fields.first { $0.key == key } }
}

/// The kinds of an object whose kind one of its keys says.
public struct Variants: Sendable {
    /// The key that says the kind.
    public let key: String
    public let kinds: [(value: String, shape: Shape)]
}

// MARK: - The step actions

/// Every step action, by the name a scenario file gives it.
public enum ActionKind: String, Sendable, CaseIterable {
    // Acquiring credentials
    case reuseBreachedPassword = "reuse-breached-password"
    case phish
    case stealToken = "steal-token"
    case stealSession = "steal-session"
    case compromiseCI = "compromise-ci"
    case buyExpiredDomain = "buy-expired-domain"
    case resetPassword = "reset-password"
    // Registry operations
    case login
    case createAccount = "create-account"
    case createToken = "create-token"
    case publish
    case unpublish
    case deprecate
    case distTag = "dist-tag"
    case addOwner = "owner-add"
    case removeOwner = "owner-rm"
    case changeEmail = "change-email"
    case changePassword = "change-password"
    case enableTwoFactor = "enable-2fa"
    case disableTwoFactor = "disable-2fa"
    case deleteAccount = "delete-account"
    case setPublishing = "set-publishing"
    case revokeToken = "revoke-token"
    case removeDistTag = "dist-tag-rm"
    case setAccess = "set-access"
    case setTrustedPublisher = "set-trusted-publisher"
    case createOrg = "create-org"
    case addOrgMember = "org-add-member"
    case orgRequireTwoFactor = "org-require-2fa"
    case mintOIDC = "mint-oidc"
    case publishWithOIDC = "publish-oidc"
    case promote
    // Consumers
    case install
    case wormSpread = "worm-spread"
    // Registry staff
    case staffRevokeTokens = "staff-revoke-tokens"
    case staffRemoveVersion = "staff-remove-version"

    /// Whether a later step can present what a step of this action produced, as `step:<id>`.
    public var yieldsCredential: Bool { self == .login || self == .createToken || self == .stealSession }

    public enum Group: String, Sendable, CaseIterable {
        case acquiring = "Acquiring credentials"
        case registry = "Registry operations"
        case consumers = "Consumers"
        case staff = "Registry staff"
    }

    /// What a step of this action means, the keys it takes besides those every step takes, and an example.
    public struct Declaration: Sendable {
        public let group: Group
        public let meaning: String
        public let fields: [Field]
        /// The example the reference shows: the keys this action takes, as YAML lines. It is a valid step in the
        /// reference's world (`FormatReference.exampleWorld`), after the steps of `after`; a test loads each one.
        public let example: [String]
        /// Steps the example needs before it (by the other actions' examples), as YAML step bodies.
        public let after: [[String]]

        init(_ group: Group, _ meaning: String, _ fields: [Field], example: [String], after: [[String]] = []) {
            self.group = group; self.meaning = meaning; self.fields = fields; self.example = example; self.after = after
        }
    }

    public var declaration: Declaration {
        let account = Field("account", .reference("an account"), required: true, "The account acted on.")
        let package = Field("package", .reference("a package"), required: true, "The package acted on.")
        let using = Field("using", .credential, required: true,
                          "The credential presented: `password` (the acting account's, which the attacker must hold), `step:<id>` (the session or token an earlier login, create-token or steal-session step produced), `token:<id>` (a token of the world) or `harvested` (each token harvested so far, in turn).")
        let user = Field("user", .reference("an account"), required: true, "The account added or removed.")
        let org = Field("org", .reference("an org"), required: true, "The org acted on.")
        let runs = Field("runs", .choice(Choice("codeTrigger", CodeTrigger.self)), absent: "install",
                         "When the payload's code runs on a consumer's machine: at install (a lifecycle script, which --ignore-scripts and npm 12's default stop) or on import (no script).")
        let fallback = Field("fallback", .choice(Choice("publishFallback", PublishFallback.self)), absent: "none",
                             "What the publisher does when the registry refuses the direct publish and asks for staging (E_STAGE_REQUIRED, from 20 May 2026).")
        let newPackage = Field("newPackage", .boolean, absent: "false",
                               "The step means to create a package the world does not have; without it, validate warns that `package` names none (a typo would silently create one).")
        switch self {
        case .reuseBreachedPassword:
            return .init(.acquiring, "The attacker tries a password leaked from another site; it works when the account's `passwordReused` is true.",
                         [account], example: ["account: maintainer"])
        case .phish:
            return .init(.acquiring, "A phishing page proxies the account's login: it relays the password and any one-time code, but not a security key's signature (bound to the real origin).",
                         [account, Field("origin", .origin, absent: "https://npmjs.help", "The phishing page's web origin."),
                          Field("minutes", .whole(1...1_440), absent: "30", "How long the page relays what the victim types.")],
                         example: ["account: maintainer", "origin: https://npmjs.help"])
        case .stealToken:
            return .init(.acquiring, "The attacker copies a token of the world from where it sits (a laptop's .npmrc, an environment, a CI secret).",
                         [Field("token", .reference("a world token"), required: true, "The token taken.")], example: ["token: laptop-token"])
        case .stealSession:
            return .init(.acquiring, "The attacker takes a login still open on a machine (an info-stealer copies the browser's cookies or npm's stored login) and acts as its account; a later step uses it as `step:<id>`, under the era's rules for what a login yields (its lifetime, and the second factor a session must still give to publish).",
                         [Field("session", .reference("a world session"), required: true, "The session taken.")], example: ["session: laptop-login"])
        case .compromiseCI:
            return .init(.acquiring, "The attacker runs code on a CI machine's runner, through a poisoned workflow (a pull_request_target that runs untrusted input, Nx 2025) or a poisoned cache a release workflow restores. They take every npm token the machine holds (its CI secrets and environment) and, given `package`, mint an OIDC credential for the trusted publisher the machine's repository is, which a publish-oidc step names with `mintedBy`.",
                         [Field("machine", .reference("a CI machine"), required: true, "The CI machine compromised."),
                          Field("package", .reference("a package"), "A package whose trusted publisher runs there: the runner mints an OIDC credential to publish it.")],
                         example: ["machine: ci", "package: left-pad"])
        case .buyExpiredDomain:
            return .init(.acquiring, "The attacker registers a lapsed mail domain, and from then on reads the mail of every account whose address is there.",
                         [Field("domain", .reference("a mail domain"), required: true, "The domain bought.")], example: ["domain: example.org"])
        case .resetPassword:
            return .init(.acquiring, "The attacker resets the account's password through the mail they read.",
                         [account], example: ["account: maintainer"], after: [["action: buy-expired-domain", "domain: example.org"]])
        case .login:
            return .init(.registry, "Logs in as the account with its password (and a second factor when the registry asks for one); a later step can use the session as `step:<id>`.",
                         [account], example: ["account: maintainer"])
        case .createAccount:
            return .init(.registry, "Signs up a new account (`npm adduser`); whoever creates it holds its password and reads its mail.",
                         [Field("account", .identifier, required: true, "The new account's name."),
                          Field("email", .email, absent: "<account>@example.com", "Its address."),
                          Field("password", .text, absent: "<account>-password", "Its password.")],
                         example: ["account: helper", "email: helper@example.net"])
        case .createToken:
            return .init(.registry, "Creates a token for the account; a later step can use it as `step:<id>`.",
                         [account, using,
                          Field("kind", .choice(Choice("createTokenKind", TokenKind.self)), absent: "publish", "The kind of token asked for (the registry refuses kinds its date does not have)."),
                          Field("readOnly", .boolean, absent: "false", "Asks for a read-only token."),
                          Field("cidr", .list(.cidr, maxItems: 1_000), absent: "none", "The address blocks the token may be used from."),
                          Field("packages", .list(.reference("a package"), maxItems: 1_000), absent: "none", "The packages a granular token is limited to."),
                          Field("bypass2fa", .booleanOr(Choice("bypassRequest", BypassRequest.Word.self)), absent: "false",
                                "Asks for a granular token that publishes without a second factor; `when-available` asks where the era has the flag (from 5 Nov 2025) and not before, so that one file asks for the most capable granular token of any date."),
                          Field("lifetimeDays", .whole(1...3_650), "How many days the token lives (the registry's limits of the date apply).")],
                         example: ["actor: maintainer", "account: maintainer", "using: password", "kind: granular", "packages: [left-pad]", "lifetimeDays: 7"])
        case .publish:
            return .init(.registry, "Publishes a version of the package.",
                         [package, Field("version", .version, required: true, "The version published."), using,
                          Field("payload", .choice(Choice("payload", Payload.self)), absent: "malware when the attacker acts, none otherwise", "What the version does when installed."),
                          Field("installScripts", .textMap(maxEntries: 16), "Lifecycle scripts of the version's package.json, by name (preinstall, install, postinstall...)."),
                          runs, fallback, newPackage,
                          Field("dependencies", .list(.reference("a package"), maxItems: 1_000), absent: "those of the package's latest version",
                                "The packages the version depends on: an attacker can add one (a malicious package of their own), which every install of this version then brings.")],
                         example: ["package: left-pad", "version: 1.3.1", "using: token:laptop-token", "payload: harvest-tokens"],
                         after: [["action: steal-token", "token: laptop-token"]])
        case .unpublish:
            return .init(.registry, "Unpublishes one version, or the whole package when no version is given.",
                         [package, Field("version", .reference("a version"), "The version removed; absent: the whole package."), using],
                         example: ["package: left-pad", "version: 1.3.0", "actor: maintainer", "using: password"])
        case .deprecate:
            return .init(.registry, "Deprecates the package with a message.",
                         [package, Field("message", .text, required: true, "The deprecation message."), using],
                         example: ["package: left-pad", "message: use something else", "actor: maintainer", "using: password"])
        case .distTag:
            return .init(.registry, "Points a dist-tag of the package at a version.",
                         [package, Field("tag", .text, absent: "latest", "The tag set (the registry refuses one over 128 characters, or one that reads as a version)."),
                          Field("version", .reference("a version"), required: true, "The version the tag points at."), using],
                         example: ["package: left-pad", "tag: latest", "version: 1.3.0", "actor: maintainer", "using: password"])
        case .addOwner:
            return .init(.registry, "Adds a maintainer to the package.", [package, user, using],
                         example: ["package: left-pad", "user: mallory", "actor: maintainer", "using: password"])
        case .removeOwner:
            return .init(.registry, "Removes a maintainer from the package.", [package, user, using],
                         example: ["package: left-pad", "user: maintainer", "actor: maintainer", "using: password"])
        case .changeEmail:
            return .init(.registry, "Changes the account's email address (the registry asks for the password, and for a second factor when enrolled).",
                         [account, Field("email", .email, required: true, "The new address."), using],
                         example: ["actor: maintainer", "account: maintainer", "email: maintainer@example.com", "using: password"])
        case .changePassword:
            return .init(.registry, "Changes the account's password; the owner's copy stops working.",
                         [account, Field("newPassword", .text, required: true, "The new password."), using],
                         example: ["actor: maintainer", "account: maintainer", "newPassword: mine-now", "using: password"])
        case .enableTwoFactor:
            return .init(.registry, "Enrolls a second factor on the account (the attacker's own authenticator, when the attacker does it).",
                         [account, Field("mode", .choice(Choice("twoFactorMode", TwoFactorMode.self)), absent: "auth-and-writes", "What the second factor guards."), using],
                         example: ["actor: maintainer", "account: maintainer", "mode: auth-and-writes", "using: password"])
        case .disableTwoFactor:
            return .init(.registry, "Removes the account's second factor.", [account, using], example: ["actor: maintainer", "account: maintainer", "using: password"])
        case .deleteAccount:
            return .init(.registry, "Deletes the account, as npm's website does: the packages it alone maintains are deleted where the era's unpublish policy allows and deprecated otherwise, others' packages lose it as a maintainer, and it cannot log in again. The sole owner of an organization is refused.",
                         [account, using], example: ["actor: maintainer", "account: maintainer", "using: password"])
        case .setPublishing:
            return .init(.registry, "Changes the package's publishing policy.",
                         [package, Field("policy", .choice(Choice("publishingPolicy", PublishingPolicy.self)), required: true, "The policy set."), using],
                         example: ["package: left-pad", "policy: 2fa-not-required", "actor: maintainer", "using: password"])
        case .revokeToken:
            return .init(.registry, "Revokes a token of the world.",
                         [Field("token", .reference("a world token"), required: true, "The token revoked."), using],
                         example: ["token: laptop-token", "actor: maintainer", "using: password"])
        case .removeDistTag:
            return .init(.registry, "Removes a dist-tag of the package.",
                         [package, Field("tag", .text, required: true, "The tag removed."), using],
                         example: ["package: left-pad", "tag: next", "actor: maintainer", "using: password"],
                         after: [["actor: maintainer", "action: dist-tag", "package: left-pad", "tag: next", "version: 1.3.0", "using: password"]])
        case .setAccess:
            return .init(.registry, "Makes the package public or private.",
                         [package, Field("public", .boolean, absent: "true", "Public (true) or private (false)."), using],
                         example: ["package: left-pad", "public: true", "actor: maintainer", "using: password"])
        case .setTrustedPublisher:
            return .init(.registry, "Sets (or, with neither key, removes) the package's trusted publisher: the repository and workflow whose OIDC identity may publish it.",
                         [package, Field("repository", .text, "owner/repo of the trusted repository."),
                          Field("workflow", .text, "The trusted workflow file."), using],
                         example: ["package: left-pad", "repository: acme/left-pad", "workflow: release.yml", "actor: maintainer", "using: password"])
        case .createOrg:
            return .init(.registry, "Creates an org with the acting account as its owner.", [org, using], example: ["org: new-org", "actor: maintainer", "using: password"])
        case .addOrgMember:
            return .init(.registry, "Adds an account to an org.", [org, user, using],
                         example: ["org: acme", "user: mallory", "actor: maintainer", "using: password"])
        case .orgRequireTwoFactor:
            return .init(.registry, "Makes the org require (or stop requiring) 2FA of its members.",
                         [org, Field("required", .boolean, absent: "true", "Require (true) or stop requiring (false)."), using],
                         example: ["org: acme", "required: true", "actor: maintainer", "using: password"])
        case .mintOIDC:
            return .init(.registry, "A workflow on a CI machine mints an OIDC identity token for publishing the package; a later publish-oidc step names this step.",
                         [package, Field("machine", .reference("a CI machine"), required: true, "The CI machine whose workflow mints it.")],
                         example: ["package: left-pad", "machine: ci"])
        case .publishWithOIDC:
            return .init(.registry, "Publishes through trusted publishing, with the identity an earlier mint-oidc step minted.",
                         [package, Field("version", .version, required: true, "The version published."),
                          Field("mintedBy", .reference("a mint-oidc or compromise-ci step"), required: true, "The mint-oidc step, or the compromise-ci step with a package, whose identity is presented."),
                          Field("payload", .choice(Choice("payload", Payload.self)), absent: "malware", "What the version does when installed."), runs, fallback, newPackage],
                         example: ["package: left-pad", "version: 1.3.1", "mintedBy: mint", "payload: none"],
                         after: [["id: mint", "action: mint-oidc", "package: left-pad", "machine: ci"]])
        case .promote:
            return .init(.registry, "Promotes a staged version (`npm stage promote`): it goes live. The registry asks the account for an interactive second factor, whatever the credential.",
                         [package, Field("version", .reference("a version an earlier publish staged"), required: true, "The staged version."), using],
                         example: ["package: left-pad", "version: 1.3.1", "actor: maintainer", "using: password"],
                         after: [["action: steal-token", "token: laptop-token"],
                                 ["action: publish", "package: left-pad", "version: 1.3.1", "using: token:laptop-token", "fallback: stage"]])
        case .install:
            return .init(.consumers, "Accounts of the world install the package on their machines; a harvesting payload takes the npm tokens it finds there.",
                         [package, Field("version", .reference("a version"), absent: "the latest", "The version installed."),
                          Field("consumers", .list(.reference("an account"), maxItems: 1_000), required: true, "The accounts whose machines install it.")],
                         example: ["actor: consumers", "package: left-pad", "consumers: [maintainer]"],
                         after: [["action: steal-token", "token: laptop-token"],
                                 ["action: publish", "package: left-pad", "version: 1.3.1", "using: token:laptop-token", "payload: harvest-tokens"]])
        case .wormSpread:
            return .init(.consumers, "A worm republishes itself with every token it harvested, generation after generation.",
                         [Field("generations", .whole(1...5), absent: "1", "How many generations it spreads.")], example: ["generations: 2"],
                         after: [["action: steal-token", "token: laptop-token"],
                                 ["action: publish", "package: left-pad", "version: 1.3.1", "using: token:laptop-token", "payload: worm"],
                                 ["actor: consumers", "action: install", "package: left-pad", "consumers: [maintainer]"]])
        case .staffRevokeTokens:
            return .init(.staff, "Registry staff revoke every token created before a time (of the given accounts, or of everyone).",
                         [Field("createdBefore", .time, required: true, "Tokens created before this are revoked."),
                          Field("accounts", .list(.reference("an account"), maxItems: 1_000), absent: "every account", "Whose tokens.")],
                         example: ["actor: staff", "createdBefore: 2018-07-12T12:00:00Z"])
        case .staffRemoveVersion:
            return .init(.staff, "Registry staff take a malicious version down.",
                         [package, Field("version", .reference("a version"), required: true, "The version removed.")],
                         example: ["actor: staff", "package: left-pad", "version: 1.3.0"])
        }
    }
}

extension Action {
    /// The kind of this action, by which the format declares it.
    public var kind: ActionKind {
        switch self {
        case .reuseBreachedPassword: .reuseBreachedPassword
        case .phish: .phish
        case .stealToken: .stealToken
        case .stealSession: .stealSession
        case .compromiseCI: .compromiseCI
        case .buyExpiredDomain: .buyExpiredDomain
        case .resetPassword: .resetPassword
        case .login: .login
        case .createAccount: .createAccount
        case .createToken: .createToken
        case .publish: .publish
        case .unpublish: .unpublish
        case .deprecate: .deprecate
        case .distTag: .distTag
        case .addOwner: .addOwner
        case .removeOwner: .removeOwner
        case .changeEmail: .changeEmail
        case .changePassword: .changePassword
        case .enableTwoFactor: .enableTwoFactor
        case .disableTwoFactor: .disableTwoFactor
        case .deleteAccount: .deleteAccount
        case .setPublishing: .setPublishing
        case .revokeToken: .revokeToken
        case .removeDistTag: .removeDistTag
        case .setAccess: .setAccess
        case .setTrustedPublisher: .setTrustedPublisher
        case .createOrg: .createOrg
        case .addOrgMember: .addOrgMember
        case .orgRequireTwoFactor: .orgRequireTwoFactor
        case .mintOIDC: .mintOIDC
        case .publishWithOIDC: .publishWithOIDC
        case .promote: .promote
        case .install: .install
        case .wormSpread: .wormSpread
        case .staffRevokeTokens: .staffRevokeTokens
        case .staffRemoveVersion: .staffRemoveVersion
        }
    }

    /// The action's name in a scenario file.
    public var name: String { kind.rawValue }

    /// Every action's name, in the order of their declaration.
    public static var allNames: [String] { ActionKind.allCases.map(\.rawValue) }
}

// MARK: - What the words mean

extension TwoFactorMode: Meaningful {
    public var meaning: String {
        switch self {
        case .disabled: "no second factor"
        case .authOnly: "the second factor guards login and account changes (and, from Aug 2022, token management)"
        case .authAndWrites: "the second factor also guards every write: publish, unpublish, owners, tags"
        }
    }
}

extension SecondFactorKind: Meaningful {
    public var meaning: String {
        switch self {
        case .totp: "an authenticator app's RFC 6238 codes, which a phishing page can relay"
        case .securityKey: "a security key, whose signature is bound to the real origin and cannot be relayed"
        }
    }
}

extension TokenKind: Meaningful {
    public var meaning: String {
        switch self {
        case .readOnly: "classic read-only token: reads and installs only"
        case .publish: "classic publish token: can do all the account can (what a login minted until Dec 2025)"
        case .automation: "classic automation token (Oct 2020 to Dec 2025): publishes without a second factor"
        case .granular: "granular access token (from Dec 2022): packages, expiry, CIDR, bypass-2FA flag"
        case .session: "a login session (from Dec 2025); it comes from logging in, and cannot sit in a file"
        }
    }
}

extension PublishingPolicy: Meaningful {
    public var meaning: String {
        switch self {
        case .twoFactorNotRequired: "2FA not required (`mfa=none`)"
        case .twoFactorOrToken: "2FA or an automation or bypass-2FA token (`mfa=automation`)"
        case .twoFactorAndDisallowTokens: "2FA required and tokens refused: an interactive publish with a second factor, or trusted publishing (`mfa=publish`)"
        }
    }
}

extension PublishFallback: Meaningful {
    public var meaning: String {
        switch self {
        case .none: "nothing: the step is refused"
        case .stage: "stages the version instead: it waits, unseen by installs, until a maintainer promotes it with an interactive second factor"
        }
    }
}

extension CodeTrigger: Meaningful {
    public var meaning: String {
        switch self {
        case .install: "at install, from a lifecycle script (postinstall unless the step lists its own): --ignore-scripts and npm 12's default stop it"
        case .onImport: "when the consumer's code imports or requires the package: there is no script to stop, so install-script defenses do not apply"
        }
    }
}

extension Payload: Meaningful {
    public var meaning: String {
        switch self {
        case .none: "a legitimate release"
        case .harvestTokens: "sends the installer's npm tokens (~/.npmrc, environment) to the attacker"
        case .malware: "steals other secrets or money, or sabotages: harms consumers, spreads no further"
        case .worm: "harvests tokens and republishes itself with them"
        }
    }
}

extension Goal.Kind: Meaningful {
    public var meaning: String {
        switch self {
        case .publishMalicious: "a version of one of `packages` that runs malicious code for its installers is published: code of its own, or a malicious dependency it brings"
        case .takeOverAccount: "the attacker logs in as `account`"
        case .harvestTokens: "the attacker ends up holding npm tokens of other people"
        case .packageUnavailable: "one of `packages`, or a version of it, is gone: the attacker unpublished it, or deleted the account that alone maintained it"
        case .ownershipChanged: "the maintainers of one of `packages` changed at the attacker's hand (owner-add, owner-rm, or deleting a maintainer's account), or a maintainer is locked out of their account (account control of a maintainer)"
        case .accountControl: "the attacker changed `account`'s email, password or second factor"
        }
    }

    /// The keys a goal of this kind must have besides `id` and `kind`.
    public var requiredKeys: [String] {
        switch self {
        case .publishMalicious, .packageUnavailable, .ownershipChanged: ["packages"]
        case .takeOverAccount, .accountControl: ["account"]
        case .harvestTokens: []
        }
    }
}

extension SessionSpec.Location: Meaningful {
    public var meaning: String {
        switch self {
        case .browser: "a browser's npm session (its cookie), which an info-stealer copies"
        case .npmrc: "npm's stored login in ~/.npmrc, which an install script that harvests tokens reads too"
        }
    }
}

extension TokenSpec.Location: Meaningful {
    public var meaning: String {
        switch self {
        case .npmrc: "the machine's ~/.npmrc"
        case .environment: "an environment variable of the machine"
        case .ciSecret: "a CI secret, in the environment of the workflows that run there"
        }
    }
}

extension MachineSpec.Kind: Meaningful {
    public var meaning: String {
        switch self {
        case .laptop: "a person's computer"
        case .ci: "a CI system, which runs a repository's workflows"
        }
    }
}

extension AccountSpec.Controller: Meaningful {
    public var meaning: String {
        switch self {
        case .owner: "its owner, a legitimate maintainer"
        case .attacker: "the attacker (an insider, or a maintainer account they made)"
        }
    }
}

// MARK: - The objects of a scenario file

/// The scenario format's declaration: every object and its keys.
public enum ScenarioFormat {
    public static let account = Shape(name: "account", title: "account", context: "an account", meaning: "An npm account of the world.", fields: [
        Field("name", .identifier, required: true, "The account's user name."),
        Field("email", .email, absent: "<name>@example.com", "Its address; whoever controls the address's domain reads the account's mail."),
        Field("password", .text, absent: "<name>-password", "Its password."),
        Field("passwordReused", .boolean, absent: "false", "The password is also used on a site whose database leaked."),
        Field("twoFactor", .choice(Choice("twoFactorMode", TwoFactorMode.self)), absent: "disabled", "Its 2FA mode (profiles may change it)."),
        Field("factor", .choice(Choice("secondFactorKind", SecondFactorKind.self)), absent: "totp", "The second factor it uses when it has 2FA (profiles may change it)."),
        Field("controlledBy", .choice(Choice("controller", AccountSpec.Controller.self)), absent: "owner", "Who controls the account."),
    ])

    public static let token = Shape(name: "token", title: "token", context: "a token", meaning: "An npm token stored on a machine.", fields: [
        Field("id", .name, required: true, "The token's id, by which steps name it."),
        Field("kind", .choice(Choice("tokenKind", TokenKind.self, excluding: [.session])), absent: "publish", "Its kind."),
        Field("location", .choice(Choice("tokenLocation", TokenSpec.Location.self)), absent: "npmrc on a laptop, ci-secret on CI", "Where it is stored."),
        Field("owner", .reference("an account"), absent: "the machine's owner", "The account it belongs to."),
        Field("packages", .list(.reference("a package"), maxItems: 1_000), absent: "none", "The packages a granular token is limited to."),
        Field("bypass2fa", .boolean, absent: "false", "A granular token that publishes without a second factor."),
        Field("createdDaysBefore", .whole(0...3_650), absent: "30", "How many days before the first step it was created."),
        Field("created", .time, absent: "createdDaysBefore days before the first step", "When it was created (instead of createdDaysBefore); before the first step."),
        Field("expires", .time, absent: "never, unless a profile makes it short-lived", "When it expires: from then on the registry refuses it."),
    ])

    public static let session = Shape(name: "session", title: "session", context: "a session", meaning: "A login an account made on a machine that is still open there (a browser's npm session, or npm's stored login). What it is follows the era: before 9 Dec 2025 a login left a token that never expires; from then a session that lasts 2 hours and publishes only with a second factor.", fields: [
        Field("id", .name, required: true, "The session's id, by which a steal-session step names it."),
        Field("account", .reference("an account"), absent: "the machine's owner", "The account logged in."),
        Field("started", .time, required: true, "When the login happened; before the first step."),
        Field("skipped2fa", .boolean, absent: "false", "At the login's 2FA prompt the holder ticked \"skip 2FA for the next 5 minutes\" (from 11 Feb 2026): for five minutes the session stands for a second factor."),
        Field("location", .choice(Choice("sessionLocation", SessionSpec.Location.self)), absent: "browser", "Where the login lives."),
    ])

    public static let machine = Shape(name: "machine", title: "machine", context: "a machine", meaning: "A computer or CI system that holds tokens and open logins.", fields: [
        Field("id", .name, required: true, "The machine's id, by which steps name it."),
        Field("owner", .reference("an account"), required: true, "The account whose machine it is."),
        Field("address", .ipAddress, absent: "198.51.100.10", "The address its requests come from (CIDR allowlists judge it)."),
        Field("kind", .choice(Choice("machineKind", MachineSpec.Kind.self)), absent: "laptop", "What it is."),
        Field("tokens", .objects(token, minItems: 0, maxItems: 100), absent: "none", "The tokens stored on it."),
        Field("sessions", .objects(session, minItems: 0, maxItems: 100), absent: "none", "The logins still open on it."),
        Field("installs", .list(.reference("a package"), maxItems: 1_000), absent: "every package of the world its owner does not maintain",
              "The packages its projects depend on: a worm reaches it through any of them or their dependencies."),
        Field("repository", .text, "For CI: owner/repo of the repository whose workflows run here."),
        Field("npmClient", .whole(1...99), absent: "a client before npm 12, which runs install scripts",
              "The major version of the npm CLI that installs here; from npm 12 (8 Jul 2026) dependency install scripts run only when the project allows them."),
    ])

    public static let package = Shape(name: "package", title: "package", context: "a package", meaning: "A package on the registry.", fields: [
        Field("name", .packageName, required: true, "Its name, as the registry would take a new one."),
        Field("maintainers", .list(.reference("an account"), maxItems: 1_000), required: true, "The accounts that maintain it."),
        Field("versions", .list(.version, maxItems: 1_000), absent: "[1.0.0]", "Its published versions."),
        Field("weeklyDownloads", .whole(0...10_000_000_000), absent: "0", "Weekly downloads, for the blast-radius estimate."),
        Field("publishing", .choice(Choice("publishingPolicy", PublishingPolicy.self)), absent: "2fa-not-required", "Its publishing policy."),
        Field("repository", .text, "owner/repo of its source, for trusted publishing."),
        Field("releaseWorkflow", .text, "The workflow file that releases it, for trusted publishing."),
        Field("trustedPublisher", .boolean, absent: "false", "Its repository's release workflow is its trusted publisher."),
        Field("dependencies", .list(.reference("a package"), maxItems: 1_000), absent: "none",
              "Packages of the world its versions depend on: installing it installs their latest versions too (a caret range takes a new release), and npm's unpublish policy keeps a package others depend on."),
    ])

    public static let org = Shape(name: "org", title: "org", context: "an org", meaning: "An npm organization.", fields: [
        Field("name", .name, required: true, "The org's name."),
        Field("members", .list(.reference("an account"), maxItems: 1_000), required: true, "Its members; the first is its owner."),
        Field("requires2fa", .boolean, absent: "false", "The org requires 2FA of its members."),
    ])

    public static let mailDomain = Shape(name: "mailDomain", title: "mail domain", context: "a mail domain", meaning: "A mail domain whose registration lapses.", fields: [
        Field("domain", .reference("a domain of an account's address"), required: true, "The domain."),
        Field("expires", .time, "When its registration lapsed: anyone can buy it after that."),
    ])

    public static let world = Shape(name: "world", title: "world", context: "'world'", meaning: "The registry and the machines as they were before the first step.", fields: [
        Field("accounts", .objects(account, minItems: 0, maxItems: 1_000), required: true, "The accounts."),
        Field("machines", .objects(machine, minItems: 0, maxItems: 1_000), absent: "none", "The computers and CI systems that hold tokens."),
        Field("packages", .objects(package, minItems: 0, maxItems: 1_000), required: true, "The packages."),
        Field("orgs", .objects(org, minItems: 0, maxItems: 100), absent: "none", "The organizations."),
        Field("mailDomains", .objects(mailDomain, minItems: 0, maxItems: 100), absent: "none", "Mail domains whose registration lapses."),
    ])

    public static let attacker = Shape(name: "attacker", title: "attacker", context: "'attacker'", meaning: "What the attacker has at the start.", fields: [
        Field("address", .ipAddress, absent: "203.0.113.66", "The address the attacker's requests come from."),
        Field("knowsPasswords", .list(.reference("an account"), maxItems: 1_000), absent: "none", "Accounts whose passwords the attacker holds at the start."),
        Field("holdsTokens", .list(.reference("a world token"), maxItems: 1_000), absent: "none", "World tokens the attacker holds at the start."),
    ])

    public static let goal = Shape(name: "goal", title: "goal", context: "a goal", meaning: "What the attacker is after; the replay says whether and where each goal is reached.", fields: [
        Field("id", .name, required: true, "The goal's id."),
        Field("kind", .choice(Choice("goalKind", Goal.Kind.self)), required: true, "What kind of goal."),
        Field("packages", .list(.reference("a package"), maxItems: 1_000), "For publish-malicious, package-unavailable and ownership-changed: the packages."),
        Field("account", .reference("an account"), "For take-over-account and account-control: the account."),
        Field("description", .text, "What reaching it means."),
    ])

    public static let teaching = Shape(name: "teaching", title: "teaching", context: "'teaching'", meaning: "What a workshop says about the scenario.", fields: [
        Field("hints", .list(.text, maxItems: 1_000), "Hints, from gentle to specific."),
        Field("whatHappened", .text, "What happened in reality."),
        Field("remediation", .list(.text, maxItems: 1_000), "What would have prevented or contained it."),
    ])

    public static let blastRadius = Shape(name: "blastRadius", title: "blast radius", context: "'blastRadius'", meaning: "Figures of reality for the blast-radius estimate; every estimate names them.", fields: [
        Field("hoursLive", .number(0...100_000), "Hours a malicious version stayed live in reality (when no step removes it)."),
        Field("tokensExposed", .whole(0...100_000_000), "Tokens exposed in reality."),
        Field("note", .text, "Where the figures come from."),
    ])

    /// The keys every step takes, whatever its action.
    public static let stepFields: [Field] = [
        Field("id", .name, required: true, "The step's id, by which later steps and reports name it."),
        Field("at", .time, required: true, "When it happens; steps are in time order."),
        Field("actor", .text, absent: "attacker", "Who acts: attacker, staff, consumers, or the name of an account acting as itself."),
        Field("action", .choice(Choice("action", ActionKind.allCases.map { (value: $0.rawValue, meaning: $0.declaration.meaning) }, documentedApart: "an action")), required: true, "What the step does."),
        Field("narrative", .text, "What happened, in words, for the report."),
        Field("account", .reference("an account"), "The account whose password a `using: password` step presents (absent: the account the action acts on, or the acting account)."),
    ]

    /// A step of one action: the keys every step takes, with the action's own (which override a common key of the
    /// same name).
    public static func step(_ kind: ActionKind) -> Shape {
        let own = kind.declaration.fields
        let fields = stepFields.map { common in own.first { $0.key == common.key } ?? common } + own.filter { f in !stepFields.contains { $0.key == f.key } }
        return Shape(name: "step-\(kind.rawValue)", title: "\(kind.rawValue) step", context: "a step", meaning: kind.declaration.meaning, fields: fields)
    }

    /// A step whose action is not known yet (or not known at all): it may carry any key some action takes.
    public static let anyStep = Shape(name: "step", title: "step", context: "a step", meaning: "One step of the incident; the keys it takes depend on its action.",
                                      common: stepFields, key: "action", kinds: ActionKind.allCases.map { (value: $0.rawValue, shape: step($0)) })

    public static let scenario = Shape(name: "scenario", title: "scenario", context: "the scenario", meaning: "An incident as data: the world it started from, what the attacker had, the steps, the goals, the lessons.", fields: [
        Field("id", .identifier, required: true, "The scenario's id, by which the command line names it."),
        Field("title", .text, required: true, "Its title."),
        Field("date", .day, required: true, "The incident's day: the registry's rules of that day apply under the `historical` profile."),
        Field("summary", .text, required: true, "What happened, in a few sentences."),
        Field("references", .list(.text, maxItems: 1_000), "Public sources."),
        Field("techniques", .list(.technique, maxItems: 1_000), "MITRE ATT&CK ids (T1078, T1110.004) and supply-chain attack-tree ids (AV-602)."),
        Field("world", .object(world), required: true, "The world before the first step."),
        Field("attacker", .object(attacker), absent: "an attacker at 203.0.113.66 who holds nothing", "What the attacker has at the start."),
        Field("steps", .objects(anyStep, minItems: 1, maxItems: LoadLimits().maximumSteps), required: true, "The steps, in time order."),
        Field("goals", .objects(goal, minItems: 1, maxItems: 100), required: true, "What the attacker is after."),
        Field("teaching", .object(teaching), "What a workshop says about it."),
        Field("blastRadius", .object(blastRadius), "Figures for the blast-radius estimate."),
    ])

    /// Every shape of the format, in the order the reference presents them.
    public static var shapes: [Shape] { [scenario, world, account, machine, token, session, package, org, mailDomain, attacker, goal, teaching, blastRadius] }

    /// The pattern of a technique id, which the loader and the schema both check.
    public static let techniquePattern = #"^(T[0-9]{4}(\.[0-9]{3})?|AV-[0-9]{3})$"#
}
