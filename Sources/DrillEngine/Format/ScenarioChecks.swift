import DrillRegistry

/// The checks that need the whole scenario: duplicate ids, dangling references, time order, and steps that can never run.
///
/// Each finding points at the value at fault (the reference, the id, the time) when the document shows where it
/// was written, and at the step or entry otherwise. A mistake already reported while reading (a missing name, a
/// time that is no time) is not reported again here as a consequence.
struct ScenarioChecks {
    let sink: DiagnosticSink
    let scenario: Scenario
    let locator: NodeLocator
    /// Positions of the steps whose `at` could not be read (reported already; left out of the time-order check).
    var untimedSteps: [SourcePosition] = []
    /// Accounts whose entry has a reported mistake (a setting may be misspelled): their settings are not judged.
    var doubtfulAccounts: Set<String> = []

    func run() {
        let world = scenario.world
        // The world's accounts, and those create-account steps add as the steps go.
        var accounts = Set(world.accounts.map(\.name))
        let tokens = world.machines.flatMap(\.tokens)
        let tokenIDs = Set(tokens.map(\.id))
        let machines = Set(world.machines.map(\.id))
        let sessionIDs = Set(world.machines.flatMap(\.sessions).map(\.id))
        var packages = Set(world.packages.map(\.name))
        let domains = Set(world.mailDomains.map(\.domain))

        duplicates(world.accounts.map { ($0.name, locator.position(in: $0.position, "name")) }, "account")
        duplicates(world.machines.map { ($0.id, locator.position(in: $0.position, "id")) }, "machine")
        duplicates(tokens.map { ($0.id, locator.position(in: $0.position, "id")) }, "token")
        duplicates(world.machines.flatMap(\.sessions).map { ($0.id, locator.position(in: $0.position, "id")) }, "session")
        duplicates(world.packages.map { ($0.name, locator.position(in: $0.position, "name")) }, "package")
        duplicates(world.orgs.map { ($0.name, locator.position(in: $0.position, "name")) }, "org")
        duplicates(world.mailDomains.map { ($0.domain, locator.position(in: $0.position, "domain")) }, "mail domain")
        duplicates(scenario.steps.map { ($0.id, locator.position(in: $0.position, "id")) }, "step")
        duplicates(scenario.goals.map { ($0.id, locator.position(in: $0.position, "id")) }, "goal")

        func account(_ name: String, _ at: SourcePosition, _ what: String) {
            guard !name.isEmpty, !accounts.contains(name) else { return }
            let hint = sink.didYouMean(name, in: Array(accounts), otherwise: "add an account named '\(name)' under world.accounts")
            sink.error(.unknownReference, at, "\(what) '\(name)' is not an account of this world", hint: hint)
        }
        let firstStep = scenario.steps.map(\.at).min()
        for m in world.machines {
            account(m.owner, locator.position(in: m.position, "owner"), "the machine's owner")
            for t in m.tokens {
                // A token without its own owner belongs to the machine's: already checked above.
                if t.owner != m.owner { account(t.owner, locator.position(in: t.position, "owner"), "the token's owner") }
                if let created = t.created, let firstStep, created >= firstStep {
                    sink.error(.invalidValue, locator.position(in: t.position, "created"), "token '\(t.id)' is created after the first step; the world is as it was before it",
                               hint: "give a time before the first step, or create the token with a create-token step")
                }
                if let expires = t.expires, let created = t.created, expires <= created {
                    sink.error(.invalidValue, locator.position(in: t.position, "expires"), "token '\(t.id)' expires before it is created", hint: "give an expiry after its creation")
                }
                if t.kind == .session {
                    sink.error(.invalidValue, locator.position(in: t.position, "kind"), "a session cannot sit in a file as a token",
                               hint: "use kind: publish (what npm login wrote to ~/.npmrc before Dec 2025), or a machine's sessions")
                }
            }
            for session in m.sessions {
                if session.account != m.owner { account(session.account, locator.position(in: session.position, "account"), "the session's account") }
                if let firstStep, session.started >= firstStep {
                    sink.error(.invalidValue, locator.position(in: session.position, "started"), "session '\(session.id)' starts after the first step; the world is as it was before it",
                               hint: "give a time before the first step, or log in with a login step")
                }
            }
        }
        for p in world.packages { for m in p.maintainers { account(m, locator.item(in: p.position, "maintainers", m), "maintainer") } }
        for m in world.machines {
            for p in m.installs ?? [] where !packages.contains(p) {
                sink.error(.unknownReference, locator.item(in: m.position, "installs", p), "machine '\(m.id)' installs '\(p)', which is not in this world",
                           hint: sink.didYouMean(p, in: Array(packages), otherwise: "add it under world.packages"))
            }
        }
        for p in world.packages {
            for d in p.dependencies {
                let at = locator.item(in: p.position, "dependencies", d)
                if d == p.name {
                    sink.error(.invalidValue, at, "package '\(p.name)' depends on itself", hint: "remove it from its own dependencies")
                } else if !packages.contains(d) {
                    sink.error(.unknownReference, at, "package '\(p.name)' depends on '\(d)', which is not in this world",
                               hint: sink.didYouMean(d, in: Array(packages), otherwise: "add it under world.packages"))
                }
            }
        }
        anachronisms()
        for o in world.orgs { for m in o.members { account(m, locator.item(in: o.position, "members", m), "org member") } }
        let attackerNode = locator.value(in: locator.rootPosition, "attacker")?.position ?? .start
        for name in scenario.attacker.knowsPasswords {
            account(name, locator.item(in: attackerNode, "knowsPasswords", name), "attacker.knowsPasswords entry")
        }
        for t in scenario.attacker.holdsTokens where !tokenIDs.contains(t) {
            sink.error(.unknownReference, locator.item(in: attackerNode, "holdsTokens", t), "attacker.holdsTokens names '\(t)', which is no token of this world",
                       hint: sink.didYouMean(t, in: Array(tokenIDs), otherwise: "add it to a machine's tokens"))
        }

        // Walk the steps in order, tracking what the attacker could hold.
        var attackerPasswords = Set(scenario.attacker.knowsPasswords)
        attackerPasswords.formUnion(world.accounts.filter { $0.controlledBy == .attacker }.map(\.name))
        var attackerTokens = Set(scenario.attacker.holdsTokens)
        var boughtDomains = Set<String>()
        // Accounts whose address an earlier attacker step changed: their reset mail goes to the attacker.
        var emailChangedByAttacker = Set<String>()
        // The replay harvests only when consumers install a version whose payload harvests: tokens the
        // attacker starts with are theirs to use by id, not "harvested".
        var harvestingPackages = Set<String>()
        var canHarvest = false
        var credentialSteps: [String: ActionKind] = [:]  // step id -> its action
        var mintingSteps = Set<String>()  // steps that mint an OIDC credential
        var previousTime: Int64 = .min
        var seen = Set<String>()

        for step in scenario.steps {
            let at = step.position
            func value(_ key: String) -> SourcePosition { locator.position(in: step.position, key) }
            func item(_ key: String, _ text: String) -> SourcePosition { locator.item(in: step.position, key, text) }
            if !untimedSteps.contains(step.position) {
                if step.at < previousTime { sink.error(.timeOrder, value("at"), "step '\(step.id)' happens before the step above it", hint: "order steps by their 'at' time") }
                previousTime = max(previousTime, step.at)
            }
            if case .account(let name) = step.actor { account(name, value("actor"), "the actor") }
            // `account` is also the action's own account for most actions: checked once, with the action.
            if let a = step.account, a != step.action.account { account(a, value("account"), "the step's account") }
            func package(_ name: String) {
                guard !name.isEmpty, !packages.contains(name) else { return }
                let hint = sink.didYouMean(name, in: Array(packages), otherwise: "add it under world.packages")
                sink.error(.unknownReference, value("package"), "package '\(name)' is not in this world at this step", hint: hint)
            }
            func using(_ ref: CredentialRef, account acting: String?) {
                switch ref {
                case .password:
                    let who = step.account ?? acting ?? { if case .account(let n) = step.actor { return n } else { return nil } }()
                    guard let who else { sink.error(.missingKey, at, "step '\(step.id)' uses a password but names no account", hint: "add account: <name>"); return }
                    // An unknown or missing account is reported where it is named.
                    guard accounts.contains(who) else { return }
                    if step.actor == .attacker && !attackerPasswords.contains(who) {
                        sink.error(.neverRuns, at, "step '\(step.id)' can never run: the attacker has no password for '\(who)' at this point",
                                   hint: "acquire it first (reuse-breached-password, phish or reset-password), or list it in attacker.knowsPasswords")
                    }
                case .step(let id):
                    if let kind = credentialSteps[id] {
                        if !kind.yieldsCredential { sink.error(.invalidValue, value("using"), "step '\(id)' (\(kind.rawValue)) yields no credential", hint: "use a login, create-token or steal-session step") }
                    } else if id == step.id {
                        // Not "comes later": moving the step cannot help, it needs another step's credential.
                        sink.error(.neverRuns, value("using"), "step '\(step.id)' can never run: it uses its own credential (step:\(id))",
                                   hint: "name an earlier login, create-token or steal-session step")
                    } else if scenario.steps.contains(where: { $0.id == id }) {
                        sink.error(.neverRuns, value("using"), "step '\(step.id)' can never run: it uses step '\(id)', which comes later", hint: "move '\(id)' above this step")
                    } else {
                        let hint = sink.closest(to: id, in: Array(seen)).map { "did you mean 'step:\($0)'?" } ?? "name an earlier login, create-token or steal-session step"
                        sink.error(.unknownReference, value("using"), "step '\(step.id)' uses 'step:\(id)', which is no step of this scenario", hint: hint)
                    }
                case .token(let t):
                    if !tokenIDs.contains(t) {
                        let hint = sink.closest(to: t, in: Array(tokenIDs)).map { "did you mean 'token:\($0)'?" } ?? "add it to a machine's tokens"
                        sink.error(.unknownReference, value("using"), "step '\(step.id)' uses 'token:\(t)', which is no token of this world", hint: hint)
                    } else if step.actor == .attacker && !attackerTokens.contains(t) {
                        sink.error(.neverRuns, value("using"), "step '\(step.id)' can never run: the attacker does not hold token '\(t)' at this point",
                                   hint: "steal it first with a steal-token step, or list it in attacker.holdsTokens")
                    }
                case .harvested:
                    if !canHarvest {
                        sink.error(.neverRuns, value("using"), "step '\(step.id)' can never run: no earlier step harvests tokens",
                                   hint: "add an install step of a version with payload harvest-tokens or worm before it")
                    }
                }
            }
            // A publish to a package the world does not have creates it: say so, unless the step means it.
            func published(_ p: String) {
                // An invalid name has its error already.
                guard !p.isEmpty else { return }
                defer { packages.insert(p) }
                guard PackageName.problem(with: p) == nil else { return }
                if !packages.contains(p) && !step.createsPackage {
                    let nearest = sink.closest(to: p, in: Array(packages))
                    sink.warning(.newPackage, value("package"), "step '\(step.id)' publishes '\(p)', which this world does not have: the replay creates a new package",
                                 hint: (nearest.map { "did you mean '\($0)'? " } ?? "") + "if the step means to create it, add newPackage: true")
                } else if step.createsPackage && world.packages.contains(where: { $0.name == p }) {
                    sink.warning(.newPackage, value("newPackage"), "'\(p)' is a package of the world: this step creates nothing", hint: "remove newPackage: true")
                }
            }
            func version(_ v: String) {
                if !v.isEmpty && SemanticVersion(v) == nil { sink.error(.invalidValue, value("version"), "'\(v)' is not a semantic version", hint: "write a version like 1.2.3") }
            }
            if let a = step.action.passwordAcquired { attackerPasswords.insert(a) }
            switch step.action {
            case .reuseBreachedPassword(let a):
                account(a, value("account"), "the account")
                if let spec = world.accounts.first(where: { $0.name == a }), !spec.passwordReused, !doubtfulAccounts.contains(a) {
                    sink.error(.neverRuns, at, "step '\(step.id)' can never succeed: '\(a)' does not reuse its password", hint: "set passwordReused: true on the account, or drop the step")
                }
            case .phish(let a, let origin, _):
                account(a, value("account"), "the phished account")
                if !(origin.hasPrefix("https://") || origin.hasPrefix("http://")) { sink.error(.invalidValue, value("origin"), "'\(origin)' is not a web origin", hint: "write it like https://npmjs.help") }
            case .stealToken(let t):
                if !t.isEmpty && !tokenIDs.contains(t) {
                    sink.error(.unknownReference, value("token"), "there is no token '\(t)' to steal",
                               hint: sink.didYouMean(t, in: Array(tokenIDs), otherwise: "add it to a machine's tokens"))
                }
                attackerTokens.insert(t)
            case .compromiseCI(let m, let p):
                if let p { package(p) }
                if let spec = world.machines.first(where: { $0.id == m }) {
                    if spec.kind != .ci {
                        sink.error(.invalidValue, value("machine"), "machine '\(m)' is a \(spec.kind.rawValue), not a CI machine", hint: "name a machine of kind ci, or steal its tokens with steal-token")
                    }
                    attackerTokens.formUnion(spec.tokens.map(\.id))
                } else if !m.isEmpty {
                    sink.error(.unknownReference, value("machine"), "there is no machine '\(m)'",
                               hint: sink.didYouMean(m, in: Array(machines), otherwise: "add it under world.machines"))
                }
            case .stealSession(let id):
                if !id.isEmpty && !sessionIDs.contains(id) {
                    sink.error(.unknownReference, value("session"), "there is no session '\(id)' to steal",
                               hint: sink.didYouMean(id, in: Array(sessionIDs), otherwise: "add it to a machine's sessions"))
                }
            case .buyExpiredDomain(let d):
                if d.isEmpty {
                } else if !domains.contains(d) {
                    sink.error(.unknownReference, value("domain"), "mail domain '\(d)' is not in world.mailDomains",
                               hint: sink.didYouMean(d, in: Array(domains), otherwise: "add it under world.mailDomains with its expiry time"))
                } else if let spec = world.mailDomains.first(where: { $0.domain == d }), spec.expires == nil || spec.expires! > step.at {
                    sink.error(.neverRuns, at, "step '\(step.id)' can never succeed: '\(d)' has not expired at this time", hint: "set its 'expires' before the step")
                }
                boughtDomains.insert(d)
            case .resetPassword(let a):
                account(a, value("account"), "the account")
                if step.actor == .attacker, let spec = world.accounts.first(where: { $0.name == a }), !emailChangedByAttacker.contains(a) {
                    let domain = spec.mailDomain
                    if !boughtDomains.contains(domain) {
                        sink.error(.neverRuns, at, "step '\(step.id)' can never run: the attacker does not control \(domain), where the reset mail goes", hint: "add a buy-expired-domain step for \(domain) before it")
                    }
                }
            case .createAccount(let a, _, _):
                if accounts.contains(a) {
                    sink.error(.duplicateID, value("account"), "account '\(a)' exists already: the step creates nothing", hint: "give the new account a name of its own")
                }
                accounts.insert(a)
                if step.actor == .attacker { attackerPasswords.insert(a) }
            case .login(let a):
                account(a, value("account"), "the account")
                using(.password, account: a)
            case .createToken(let a, let ref, _, _, let cidr, let pkgs, _, _):
                account(a, value("account"), "the account"); using(ref, account: a)
                for c in cidr {
                    do { _ = try CIDRBlock(c) } catch { sink.error(.invalidValue, item("cidr", c), error.description, hint: "write an IPv4 block like 198.51.100.0/24") }
                }
                for p in pkgs where !packages.contains(p) { sink.warning(.unknownReference, item("packages", p), "the token names package '\(p)', which is not in this world") }
            case .publish(let p, let v, let ref, let release):
                using(ref, account: nil)
                for d in release.dependencies ?? [] where !packages.contains(d) || d == p {
                    sink.error(d == p ? .invalidValue : .unknownReference, item("dependencies", d),
                               d == p ? "\(p)@\(v) depends on itself" : "\(p)@\(v) depends on '\(d)', which is not in this world at this step",
                               hint: d == p ? "remove it from its dependencies" : sink.didYouMean(d, in: Array(packages), otherwise: "publish it in an earlier step, or add it under world.packages"))
                }
                if !p.isEmpty, let problem = PackageName.problem(with: p) {
                    sink.error(.invalidValue, value("package"), "invalid package name '\(p)': \(problem)", hint: PackageNameHint.text)
                }
                version(v)
                if let spec = world.packages.first(where: { $0.name == p }), spec.versions.contains(v) {
                    sink.error(.versionExists, value("version"), "\(p)@\(v) already exists in the world; npm refuses to publish over it", hint: "publish a new version")
                }
                published(p)
                if release.payload.harvestsTokens { harvestingPackages.insert(p) }
            case .unpublish(let p, _, let ref), .deprecate(let p, _, let ref), .distTag(let p, _, _, let ref), .setPublishing(let p, _, let ref):
                package(p); using(ref, account: nil)
            case .addOwner(let p, let u, let ref), .removeOwner(let p, let u, let ref):
                package(p); account(u, value("user"), "the user"); using(ref, account: nil)
            case .changeEmail(let a, _, let ref), .changePassword(let a, _, let ref), .enableTwoFactor(let a, _, let ref), .disableTwoFactor(let a, let ref),
                 .deleteAccount(let a, let ref):
                account(a, value("account"), "the account"); using(ref, account: a)
                if case .changeEmail = step.action, step.actor == .attacker { emailChangedByAttacker.insert(a) }
            case .revokeToken(let t, let ref):
                if !t.isEmpty && !tokenIDs.contains(t) && credentialSteps[t] == nil {
                    sink.error(.unknownReference, value("token"), "there is no token or earlier create-token step '\(t)' to revoke",
                               hint: sink.didYouMean(t, in: Array(tokenIDs) + Array(seen), otherwise: "name a token of the world or an earlier create-token step"))
                }
                using(ref, account: nil)
            case .removeDistTag(let p, _, let ref), .setAccess(let p, _, let ref), .setTrustedPublisher(let p, _, _, let ref):
                package(p); using(ref, account: nil)
            case .createOrg(_, let ref), .orgRequireTwoFactor(_, _, let ref):
                using(ref, account: nil)
            case .addOrgMember(_, let u, let ref):
                account(u, value("user"), "the user"); using(ref, account: nil)
            case .mintOIDC(let p, let m):
                package(p)
                if !m.isEmpty && !machines.contains(m) {
                    sink.error(.unknownReference, value("machine"), "there is no machine '\(m)'",
                               hint: sink.didYouMean(m, in: Array(machines), otherwise: "add it under world.machines"))
                }
            case .publishWithOIDC(let p, let v, let minted, let release):
                if !mintingSteps.contains(minted) {
                    sink.error(.neverRuns, value("mintedBy"), "step '\(step.id)' can never run: 'mintedBy' must name an earlier mint-oidc step, or a compromise-ci step with a package",
                               hint: "add a mint-oidc step for \(p) above this one and name it here")
                }
                version(v)
                published(p)
                if release.payload.harvestsTokens { harvestingPackages.insert(p) }
            case .promote(let p, let v, let ref):
                package(p)
                version(v)
                if !p.isEmpty && !v.isEmpty && !scenario.steps.prefix(while: { $0.id != step.id }).contains(where: { $0.action.mayStage(package: p, version: v) }) {
                    sink.error(.neverRuns, at, "step '\(step.id)' can never run: no earlier step stages \(p)@\(v)",
                               hint: "give an earlier publish of \(p)@\(v) 'fallback: stage'")
                }
                using(ref, account: nil)
            case .install(let p, _, let consumers):
                package(p)
                for c in consumers { account(c, item("consumers", c), "the consumer") }
                if harvestingPackages.contains(p) {
                    // What the replay's postinstall sends: the tokens on the consumers' machines (CI secrets only from CI).
                    for m in world.machines where consumers.contains(m.owner) {
                        for t in m.tokensAnInstallExposes {
                            attackerTokens.insert(t.id)
                            canHarvest = true
                        }
                        if !m.sessionsAnInstallExposes.isEmpty { canHarvest = true }
                    }
                }
            case .wormSpread:
                if !canHarvest {
                    sink.error(.neverRuns, at, "step '\(step.id)' can never run: no earlier step harvests tokens for the worm",
                               hint: "add an install step of a version with payload harvest-tokens or worm before it")
                }
            case .staffRevokeTokens(_, let accts):
                for a in accts ?? [] { account(a, item("accounts", a), "the account") }
            case .staffRemoveVersion(let p, let v):
                package(p); version(v)
            }
            credentialSteps[step.id] = step.action.kind
            switch step.action {
            case .mintOIDC, .compromiseCI(_, _?): mintingSteps.insert(step.id)
            default: break
            }
            seen.insert(step.id)
        }
        for goal in scenario.goals {
            for p in goal.packages where !packages.contains(p) {
                sink.error(.unknownReference, locator.item(in: goal.position, "packages", p), "the goal names package '\(p)', which is neither in the world nor published by a step",
                           hint: sink.didYouMean(p, in: Array(packages), otherwise: "add it under world.packages, or publish it in a step"))
            }
            if let a = goal.account { account(a, locator.position(in: goal.position, "account"), "the goal's account") }
        }
    }

    /// World elements the registry of the scenario's date did not have: the replay would set them up all the same,
    /// and teach a world that never was. Warnings, so that a file that validated before still does.
    func anachronisms() {
        let era = scenario.date
        func check(_ change: RuleChange, _ owner: SourcePosition, _ key: String, _ what: String) {
            guard !era.has(change) else { return }
            sink.warning(.anachronism, locator.position(in: owner, key), "\(what) did not exist on \(era) (the scenario's date): it came on \(change.effective)",
                         hint: "remove it, or date the scenario on or after \(change.effective); a profile can add it for a replay")
        }
        for a in scenario.world.accounts where a.twoFactor != .disabled {
            check(.twoFactorModes, a.position, "twoFactor", "two-factor authentication")
            if a.factor == .securityKey { check(.securityKeys, a.position, "factor", "a security key as the second factor") }
        }
        for m in scenario.world.machines {
            if let major = m.npmClient, major >= 12 { check(.npmTwelve, m.position, "npmClient", "npm \(major)") }
            for t in m.tokens {
                if t.kind == .automation { check(.automationTokens, t.position, "kind", "an automation token") }
                if t.kind == .granular { check(.granularTokens, t.position, "kind", "a granular token") }
                if t.bypassTwoFactor { check(.bypassTwoFactorFlag, t.position, "bypass2fa", "the bypass-2FA flag of a granular token") }
            }
        }
        for p in scenario.world.packages {
            if p.publishing != .twoFactorNotRequired { check(.packageTwoFactorSetting, p.position, "publishing", "a package's 2FA publishing setting") }
            if p.trustedPublisher { check(.trustedPublishing, p.position, "trustedPublisher", "trusted publishing") }
        }
        for o in scenario.world.orgs where o.requiresTwoFactor { check(.orgTwoFactorEnforcement, o.position, "requires2fa", "an org's 2FA requirement") }
    }

    func duplicates(_ items: [(String, SourcePosition)], _ what: String) {
        var seen: [String: SourcePosition] = [:]
        for (id, pos) in items where !id.isEmpty {
            if let first = seen[id] { sink.error(.duplicateID, pos, "duplicate \(what) id '\(id)' (first at line \(first.line))", hint: "give each \(what) its own id") }
            else { seen[id] = pos }
        }
    }
}

/// What a valid npm package name looks like, for hints.
enum PackageNameHint {
    static let text = "npm package names are lowercase and URL-safe, at most 214 characters, like left-pad or @scope/name"
}

/// Finds where a value was written, from the document's nodes: diagnostics point at the value at fault.
struct NodeLocator {
    private var mappings: [UInt64: [(key: String, keyPosition: SourcePosition, value: YNode)]] = [:]
    let rootPosition: SourcePosition

    init(_ root: YNode?) {
        rootPosition = root?.position ?? .start
        var pending: [YNode] = root.map { [$0] } ?? []
        while let node = pending.popLast() {
            switch node {
            case .scalar: break
            case .sequence(let items, _): pending += items
            case .mapping(let pairs, let p):
                if mappings[NodeLocator.key(p)] == nil { mappings[NodeLocator.key(p)] = pairs; pending += pairs.map(\.value) }
            }
        }
    }

    private static func key(_ p: SourcePosition) -> UInt64 { UInt64(max(0, p.line)) << 32 | UInt64(max(0, p.column)) }

    /// The value of `key` in the mapping that starts at `owner`.
    func value(in owner: SourcePosition, _ key: String) -> YNode? {
        mappings[NodeLocator.key(owner)]?.first { $0.key == key }?.value
    }

    /// Where the value of `key` was written in the mapping at `owner`; the mapping itself when the key is absent.
    func position(in owner: SourcePosition, _ key: String) -> SourcePosition {
        value(in: owner, key)?.position ?? owner
    }

    /// Where `text` was written in the list (or single value) of `key` in the mapping at `owner`.
    func item(in owner: SourcePosition, _ key: String, _ text: String) -> SourcePosition {
        guard let v = value(in: owner, key) else { return owner }
        if case .sequence(let items, _) = v {
            for item in items { if case .scalar(let s, _, let p) = item, s == text { return p } }
        }
        return v.position
    }
}

extension Action {
    /// The account an action names in its own `account` key, if it has one.
    var account: String? {
        switch self {
        case .reuseBreachedPassword(let a), .phish(let a, _, _), .resetPassword(let a), .login(let a), .createAccount(let a, _, _): a
        case .createToken(let a, _, _, _, _, _, _, _): a
        case .changeEmail(let a, _, _), .changePassword(let a, _, _), .enableTwoFactor(let a, _, _), .disableTwoFactor(let a, _), .deleteAccount(let a, _): a
        default: nil
        }
    }
}
