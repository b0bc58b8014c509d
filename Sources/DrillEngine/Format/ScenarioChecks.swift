import DrillRegistry

/// The checks that need the whole scenario: duplicate ids, dangling references, time order, and steps that can never run.
struct ScenarioChecks {
    let sink: DiagnosticSink
    let scenario: Scenario

    func run() {
        let world = scenario.world
        let accounts = Set(world.accounts.map(\.name))
        let tokens = world.machines.flatMap(\.tokens)
        let tokenIDs = Set(tokens.map(\.id))
        let machines = Set(world.machines.map(\.id))
        var packages = Set(world.packages.map(\.name))
        let domains = Set(world.mailDomains.map(\.domain))

        duplicates(world.accounts.map { ($0.name, $0.position) }, "account")
        duplicates(world.machines.map { ($0.id, $0.position) }, "machine")
        duplicates(tokens.map { ($0.id, $0.position) }, "token")
        duplicates(world.packages.map { ($0.name, $0.position) }, "package")
        duplicates(scenario.steps.map { ($0.id, $0.position) }, "step")
        duplicates(scenario.goals.map { ($0.id, $0.position) }, "goal")

        func account(_ name: String, _ at: SourcePosition, _ what: String) {
            guard !name.isEmpty, !accounts.contains(name) else { return }
            let hint = closest(to: name, in: Array(accounts)).map { "did you mean '\($0)'?" } ?? "add an account named '\(name)' under world.accounts"
            sink.error(at, "\(what) '\(name)' is not an account of this world", hint: hint)
        }
        for m in world.machines {
            account(m.owner, m.position, "the machine's owner")
            for t in m.tokens {
                account(t.owner, t.position, "the token's owner")
                if t.kind == .session { sink.error(t.position, "a session cannot sit in a file as a token", hint: "use kind: publish (what npm login wrote to ~/.npmrc before Dec 2025)") }
            }
        }
        for p in world.packages { for m in p.maintainers { account(m, p.position, "maintainer") } }
        for o in world.orgs { for m in o.members { account(m, o.position, "org member") } }
        for name in scenario.attacker.knowsPasswords { account(name, .start, "attacker.knowsPasswords entry") }
        for t in scenario.attacker.holdsTokens where !tokenIDs.contains(t) { sink.error(.start, "attacker.holdsTokens names '\(t)', which is no token of this world") }

        // Walk the steps in order, tracking what the attacker could hold.
        var attackerPasswords = Set(scenario.attacker.knowsPasswords)
        attackerPasswords.formUnion(world.accounts.filter { $0.controlledBy == .attacker }.map(\.name))
        var attackerTokens = Set(scenario.attacker.holdsTokens)
        var boughtDomains = Set<String>()
        var canHarvest = !scenario.attacker.holdsTokens.isEmpty
        var credentialSteps: [String: String] = [:]  // step id -> action name
        var previousTime: Int64 = .min
        var seen = Set<String>()

        for step in scenario.steps {
            let at = step.position
            if step.at < previousTime { sink.error(at, "step '\(step.id)' happens before the step above it", hint: "order steps by their 'at' time") }
            previousTime = max(previousTime, step.at)
            if case .account(let name) = step.actor { account(name, at, "the actor") }
            if let a = step.account { account(a, at, "the step's account") }
            func package(_ name: String) {
                if !packages.contains(name) {
                    let hint = closest(to: name, in: Array(packages)).map { "did you mean '\($0)'?" } ?? "add it under world.packages"
                    sink.error(at, "package '\(name)' is not in this world at this step", hint: hint)
                }
            }
            func using(_ ref: CredentialRef, account acting: String?) {
                switch ref {
                case .password:
                    let who = step.account ?? acting ?? { if case .account(let n) = step.actor { return n } else { return nil } }()
                    guard let who else { sink.error(at, "step '\(step.id)' uses a password but names no account", hint: "add account: <name>"); return }
                    if step.actor == .attacker && !attackerPasswords.contains(who) {
                        sink.error(at, "step '\(step.id)' can never run: the attacker has no password for '\(who)' at this point",
                                   hint: "acquire it first (reuse-breached-password, phish or reset-password), or list it in attacker.knowsPasswords")
                    }
                case .step(let id):
                    if let kind = credentialSteps[id] {
                        if kind != "login" && kind != "create-token" { sink.error(at, "step '\(id)' (\(kind)) yields no credential", hint: "use a login or create-token step") }
                    } else if scenario.steps.contains(where: { $0.id == id }) {
                        sink.error(at, "step '\(step.id)' can never run: it uses step '\(id)', which comes later", hint: "move '\(id)' above this step")
                    } else {
                        let hint = closest(to: id, in: Array(seen)).map { "did you mean 'step:\($0)'?" }
                        sink.error(at, "step '\(step.id)' uses 'step:\(id)', which is no step of this scenario", hint: hint)
                    }
                case .token(let t):
                    if !tokenIDs.contains(t) {
                        let hint = closest(to: t, in: Array(tokenIDs)).map { "did you mean 'token:\($0)'?" } ?? "add it to a machine's tokens"
                        sink.error(at, "step '\(step.id)' uses 'token:\(t)', which is no token of this world", hint: hint)
                    } else if step.actor == .attacker && !attackerTokens.contains(t) {
                        sink.error(at, "step '\(step.id)' can never run: the attacker does not hold token '\(t)' at this point",
                                   hint: "steal it first with a steal-token step, or list it in attacker.holdsTokens")
                    }
                case .harvested:
                    if !canHarvest { sink.error(at, "step '\(step.id)' can never run: no earlier step harvests tokens", hint: "add an install step of a version with payload harvest-tokens or worm") }
                }
            }
            switch step.action {
            case .reuseBreachedPassword(let a):
                account(a, at, "the account")
                if let spec = world.accounts.first(where: { $0.name == a }), !spec.passwordReused {
                    sink.error(at, "step '\(step.id)' can never succeed: '\(a)' does not reuse its password", hint: "set passwordReused: true on the account, or drop the step")
                }
                attackerPasswords.insert(a)
            case .phish(let a, let origin, _):
                account(a, at, "the phished account")
                if !(origin.hasPrefix("https://") || origin.hasPrefix("http://")) { sink.error(at, "'\(origin)' is not a web origin", hint: "write it like https://npmjs.help") }
                attackerPasswords.insert(a)
            case .stealToken(let t):
                if !tokenIDs.contains(t) { sink.error(at, "there is no token '\(t)' to steal", hint: closest(to: t, in: Array(tokenIDs)).map { "did you mean '\($0)'?" }) }
                attackerTokens.insert(t)
            case .buyExpiredDomain(let d):
                if !domains.contains(d) { sink.error(at, "mail domain '\(d)' is not in world.mailDomains", hint: "add it with its expiry time") }
                else if let spec = world.mailDomains.first(where: { $0.domain == d }), spec.expires == nil || spec.expires! > step.at {
                    sink.error(at, "step '\(step.id)' can never succeed: '\(d)' has not expired at this time", hint: "set its 'expires' before the step")
                }
                boughtDomains.insert(d)
            case .resetPassword(let a):
                account(a, at, "the account")
                if step.actor == .attacker, let spec = world.accounts.first(where: { $0.name == a }) {
                    let domain = spec.email.split(separator: "@").last.map(String.init) ?? ""
                    if !boughtDomains.contains(domain) {
                        sink.error(at, "step '\(step.id)' can never run: the attacker does not control \(domain), where the reset mail goes", hint: "add a buy-expired-domain step for \(domain) before it")
                    }
                }
                attackerPasswords.insert(a)
            case .login(let a):
                account(a, at, "the account")
                using(.password, account: a)
            case .createToken(let a, let ref, _, _, let cidr, let pkgs, _, _):
                account(a, at, "the account"); using(ref, account: a)
                for c in cidr { do { _ = try CIDRBlock(c) } catch { sink.error(at, error.description) } }
                for p in pkgs where !packages.contains(p) { sink.warning(at, "the token names package '\(p)', which is not in this world") }
            case .publish(let p, let v, let ref, let payload, _):
                using(ref, account: nil)
                if let problem = PackageName.problem(with: p) { sink.error(at, "invalid package name '\(p)': \(problem)") }
                if SemanticVersion(v) == nil { sink.error(at, "'\(v)' is not a semantic version", hint: "write a version like 1.2.3") }
                if let spec = world.packages.first(where: { $0.name == p }), spec.versions.contains(v) {
                    sink.error(at, "\(p)@\(v) already exists in the world; npm refuses to publish over it", hint: "publish a new version")
                }
                packages.insert(p)
                if payload == .harvestTokens || payload == .worm { canHarvest = true }
            case .unpublish(let p, _, let ref), .deprecate(let p, _, let ref), .distTag(let p, _, _, let ref), .setPublishing(let p, _, let ref):
                package(p); using(ref, account: nil)
            case .addOwner(let p, let u, let ref), .removeOwner(let p, let u, let ref):
                package(p); account(u, at, "the user"); using(ref, account: nil)
            case .changeEmail(let a, _, let ref), .changePassword(let a, _, let ref), .enableTwoFactor(let a, _, let ref), .disableTwoFactor(let a, let ref):
                account(a, at, "the account"); using(ref, account: a)
            case .revokeToken(let t, let ref):
                if !tokenIDs.contains(t) && credentialSteps[t] == nil { sink.error(at, "there is no token or earlier create-token step '\(t)' to revoke") }
                using(ref, account: nil)
            case .mintOIDC(let p, let m):
                package(p)
                if !machines.contains(m) { sink.error(at, "there is no machine '\(m)'", hint: closest(to: m, in: Array(machines)).map { "did you mean '\($0)'?" }) }
            case .publishWithOIDC(let p, _, let minted, let payload):
                if credentialSteps[minted] != "mint-oidc" { sink.error(at, "step '\(step.id)' can never run: 'mintedBy' must name an earlier mint-oidc step") }
                packages.insert(p)
                if payload == .harvestTokens || payload == .worm { canHarvest = true }
            case .install(let p, _, let consumers):
                package(p)
                for c in consumers { account(c, at, "the consumer") }
            case .wormSpread:
                if !canHarvest { sink.error(at, "step '\(step.id)' can never run: no earlier step harvests tokens for the worm") }
            case .staffRevokeTokens(_, let accts):
                for a in accts ?? [] { account(a, at, "the account") }
            case .staffRemoveVersion(let p, _):
                package(p)
            }
            credentialSteps[step.id] = step.action.name
            seen.insert(step.id)
        }
        for goal in scenario.goals {
            for p in goal.packages where !packages.contains(p) { sink.error(goal.position, "the goal names package '\(p)', which is neither in the world nor published by a step") }
            if let a = goal.account { account(a, goal.position, "the goal's account") }
        }
    }

    func duplicates(_ items: [(String, SourcePosition)], _ what: String) {
        var seen: [String: SourcePosition] = [:]
        for (id, pos) in items where !id.isEmpty {
            if let first = seen[id] { sink.error(pos, "duplicate \(what) id '\(id)' (first at line \(first.line))", hint: "give each \(what) its own id") }
            else { seen[id] = pos }
        }
    }
}
