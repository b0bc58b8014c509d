import DrillCrypto
import DrillRegistry
import Foundation

/// Replays a scenario through the registry: every step becomes a request the registry's policy decides.
public enum ReplayEngine {
    /// Seeds and replays `scenario` under `profile`.
    public static func run(_ scenario: Scenario, profile: Profile) throws -> RunOutcome {
        try replay(PreparedWorld.prepare(scenario, profile: profile))
    }

    /// Replays a prepared world on a fresh copy of its store.
    public static func replay(_ world: PreparedWorld, meter: StoreMeter? = nil) throws -> RunOutcome {
        let clock = ManualClock(world.startTime)
        let registry = try world.template.copy(clock: clock, meter: meter)
        var replay = Replayer(world: world, registry: registry, clock: clock)
        return replay.run()
    }

    /// Which single defenses, each added alone to the historical world, stop the attack, and where.
    public static func explain(_ scenario: Scenario) throws -> Explanation {
        let historical = try run(scenario, profile: .historical)
        var verdicts: [DefenseVerdict] = []
        for entry in DefenseCatalog.entries {
            let profile = Profile(id: entry.id, title: entry.title, description: entry.whatItIs, era: nil, defenses: [entry.setting])
            let outcome = try run(scenario, profile: profile)
            let step = outcome.steps.first { $0.id == outcome.stoppedAtStep }
            verdicts.append(DefenseVerdict(defense: entry.id, title: entry.title, stops: !outcome.attackSucceeded,
                                           stoppedAtStep: outcome.attackSucceeded ? nil : outcome.stoppedAtStep,
                                           rule: outcome.attackSucceeded ? nil : step?.rule, message: outcome.attackSucceeded ? nil : step?.message))
        }
        return Explanation(scenario: scenario.id, scenarioTitle: scenario.title, historicalSucceeded: historical.attackSucceeded, verdicts: verdicts)
    }
}

/// The mutable state of one replay.
struct Replayer {
    let world: PreparedWorld
    let registry: Registry
    let clock: ManualClock
    var scenario: Scenario { world.scenario }

    var outcomes: [StepOutcome] = []
    var statusByStep: [String: StepOutcome] = [:]
    /// Passwords the attacker holds, by account.
    var attackerPasswords: [String: String] = [:]
    /// Each account's current password (the owner knows it; the attacker may change it).
    var passwords: [String: String] = [:]
    var attackerTokens: [String: String] = [:]
    var harvested: [(id: String, secret: String, owner: String, address: IPAddress)] = []
    var relays: [String: (origin: String, until: Int64)] = [:]
    /// Lapsed mail domains the attacker registered: mail to them reaches the attacker, no longer the owners.
    var boughtDomains: Set<String> = []
    var credentialsByStep: [String: (secret: String, account: String)] = [:]
    var oidcByStep: [String: String] = [:]
    /// Accounts whose second factor the attacker enrolled (they hold it now), with its TOTP secret.
    var attackerFactors: [String: String] = [:]
    var takeovers: Set<String> = []
    /// A version the attacker made live with a payload: when, and where its code runs.
    typealias MaliciousVersion = (package: String, version: String, payload: Payload, at: Int64, runs: CodeTrigger)
    /// One package an install brings, at a version, and the dependent that pulls it in (nil for the package installed).
    typealias InstalledPackage = (package: String, version: String, via: String?)

    var malicious: [MaliciousVersion] = []
    /// Releases with no payload of their own whose dependencies bring a malicious version, with that version
    /// (`package@version`): installing one runs the other's code.
    var carriers: [(package: String, version: String, at: Int64, carries: String)] = []
    var removedAt: [String: Int64] = [:]
    /// Versions a publish staged where the registry refused it directly, by package@version, with what they carry.
    var staged: [String: Release] = [:]
    /// Accounts the steps created: their address, and who created them (and so reads their mail).
    var createdAccounts: [String: (email: String, creator: StepActor)] = [:]
    /// Addresses change-email steps set, by account, with who set them (and so reads their mail).
    var changedEmails: [String: (email: String, by: StepActor)] = [:]
    /// What the attacker's own successful steps did, for the goals that are about it.
    var unpublishedByAttacker: Set<String> = []
    var ownersChangedByAttacker: Set<String> = []
    var accountsControlledByAttacker: Set<String> = []
    var wormUsed: Set<String> = []

    init(world: PreparedWorld, registry: Registry, clock: ManualClock) {
        self.world = world; self.registry = registry; self.clock = clock
        for a in world.scenario.world.accounts {
            passwords[a.name] = a.password
            if a.controlledBy == .attacker { attackerPasswords[a.name] = a.password }
        }
        for name in world.scenario.attacker.knowsPasswords { attackerPasswords[name] = passwords[name] }
        for t in world.scenario.attacker.holdsTokens { if let s = world.tokenSecrets[t] { attackerTokens[t] = s } }
    }

    mutating func run() -> RunOutcome {
        for step in scenario.steps {
            clock.set(step.at)
            var outcome = execute(step)
            if outcome.status == .succeeded && actsForAttacker(step) { noteEffect(of: step.action) }
            outcome.narrative = step.narrative
            outcomes.append(outcome)
            statusByStep[step.id] = outcome
        }
        let reached = goalsReached()
        let succeeded = !reached.isEmpty
        var stoppedAt: StepOutcome? = nil
        if !succeeded {
            stoppedAt = outcomes.first { $0.status == .blocked || ($0.status == .notApplicable && $0.defense != nil) }
                ?? outcomes.first { $0.status != .succeeded }
        }
        return RunOutcome(scenario: scenario.id, scenarioTitle: scenario.title, profile: world.profile.id, era: world.era.date,
                          attackSucceeded: succeeded, goalsReached: reached, stoppedBy: stoppedAt?.defense, stoppedAtStep: stoppedAt?.id,
                          steps: outcomes, blastRadius: blastRadius())
    }

    /// Whether a step is the attacker's doing: theirs, or an account they control acting.
    func actsForAttacker(_ step: Step) -> Bool {
        switch step.actor {
        case .attacker: true
        case .account(let a): scenario.world.accounts.first { $0.name == a }?.controlledBy == .attacker
        case .staff, .consumers: false
        }
    }

    /// Records what a successful step of the attacker's changed, for the goals about packages and accounts.
    mutating func noteEffect(of action: Action) {
        switch action {
        case .unpublish(let p, _, _): unpublishedByAttacker.insert(p)
        case .addOwner(let p, _, _), .removeOwner(let p, _, _): ownersChangedByAttacker.insert(p)
        case .changeEmail(let a, _, _), .changePassword(let a, _, _), .enableTwoFactor(let a, _, _), .disableTwoFactor(let a, _):
            accountsControlledByAttacker.insert(a)
        default: break
        }
    }

    // MARK: Outcomes

    func make(_ step: Step, _ status: StepStatus, _ message: String, rule: RuleID? = nil, defense: String? = nil, details: [String] = []) -> StepOutcome {
        let actor: String = switch step.actor {
        case .attacker: "attacker"
        case .staff: "registry staff"
        case .consumers: "consumers"
        case .account(let a): a
        }
        return StepOutcome(id: step.id, action: step.action.name, actor: actor, at: step.at, status: status, rule: rule?.rawValue, defense: defense,
                           message: message, narrative: step.narrative, details: details)
    }

    func refused(_ step: Step, _ refusal: Refusal, details: [String] = []) -> StepOutcome {
        make(step, .blocked, refusal.message, rule: refusal.rule, defense: refusal.defense.rawValue, details: details)
    }

    /// Why an earlier step's product is missing.
    func because(_ id: String) -> String {
        guard let o = statusByStep[id] else { return "step '\(id)' did not run" }
        switch o.status {
        case .blocked: return "step '\(id)' was blocked (\(o.rule ?? "?"))"
        case .skipped: return "step '\(id)' was skipped"
        case .notApplicable: return "step '\(id)' did not apply"
        case .succeeded: return "step '\(id)' yielded nothing usable"
        }
    }

    // MARK: Credentials

    enum Resolved {
        case credential(Credential, account: String)
        case skip(String)
        case notApplicable(String, defense: String)
    }

    func actingAccount(_ step: Step, _ explicit: String?) -> String? {
        if let a = step.account ?? explicit { return a }
        if case .account(let a) = step.actor { return a }
        return nil
    }

    func acquisitionStep(for account: String) -> String? {
        scenario.steps.first { $0.action.passwordAcquired == account }?.id
    }

    func resolve(_ ref: CredentialRef, _ step: Step, account explicit: String?) -> Resolved {
        switch ref {
        case .password:
            guard let who = actingAccount(step, explicit) else { return .skip("no account to log in as") }
            if step.actor == .attacker {
                guard let pw = attackerPasswords[who] else {
                    return .skip("the attacker never got the password of \(who)" + (acquisitionStep(for: who).map { ": " + because($0) } ?? ""))
                }
                return .credential(.password(username: who, password: pw), account: who)
            }
            return .credential(.password(username: who, password: passwords[who] ?? ""), account: who)
        case .step(let id):
            if let c = credentialsByStep[id] { return .credential(.bearer(c.secret), account: c.account) }
            return .skip("it needs the credential of step '\(id)', but \(because(id))")
        case .token(let t):
            if let defense = world.removedTokens[t] { return .notApplicable("token '\(t)' does not exist under this profile (\(defense) removed it)", defense: defense) }
            let owner = scenario.world.machines.flatMap(\.tokens).first { $0.id == t }?.owner ?? ""
            if step.actor == .attacker {
                guard let s = attackerTokens[t] else {
                    let stealer = scenario.steps.first { if case .stealToken(let x) = $0.action { x == t } else { false } }?.id
                    return .skip("the attacker does not hold token '\(t)'" + (stealer.map { ": " + because($0) } ?? ""))
                }
                return .credential(.bearer(s), account: owner)
            }
            guard let s = world.tokenSecrets[t] else { return .skip("token '\(t)' does not exist") }
            return .credential(.bearer(s), account: owner)
        case .harvested:
            return .skip("harvested tokens are used one by one")
        }
    }

    /// The source address of a step's requests: the attacker's, or the acting account's first machine.
    func address(_ step: Step, account: String?) -> IPAddress {
        if step.actor == .attacker { return scenario.attacker.address }
        let owner = account ?? actingAccount(step, nil)
        return scenario.world.machines.first { $0.owner == owner }?.address ?? IPAddress("198.51.100.10")!
    }

    // MARK: Second factors

    /// The second factor the actor can present for `account` now, if any (computed fresh each time).
    func secondFactor(_ step: Step, account: String, nextCode: Bool = false) -> SecondFactor? {
        let now = clock.now()
        let mode = world.effectiveMode[account] ?? .disabled
        if let secret = attackerFactors[account] {
            guard step.actor == .attacker else { return nil }
            return totp(secret, now, nextCode)
        }
        guard mode != .disabled else { return nil }
        let spec = scenario.world.accounts.first { $0.name == account }
        let ownsIt = step.actor == .account(account) || (step.actor == .attacker && spec?.controlledBy == .attacker)
        let relay = step.actor == .attacker ? relays[account].flatMap { now <= $0.until ? $0 : nil } : nil
        guard ownsIt || relay != nil else { return nil }
        if world.effectiveFactor[account] == .securityKey {
            guard let pair = world.securityKeys[account], let challenge = try? registry.securityKeyChallenge(for: account) else { return nil }
            // The browser binds the assertion to the origin the person is on: the real registry, or the phishing page.
            let origin = ownsIt ? registry.configuration.origin : relay!.origin
            return (try? pair.sign(challenge: challenge, origin: origin)).map { .securityKey($0) }
        }
        guard let secret = world.totpSecrets[account] else { return nil }
        return totp(secret, now, nextCode)
    }

    func totp(_ secret: String, _ now: Int64, _ next: Bool) -> SecondFactor? {
        guard let t = try? TOTP(base32Secret: secret) else { return nil }
        return .totp(t.code(at: now + (next ? 30 : 0)))
    }

    /// Sends a request as npm does: without a code first; on an OTP challenge, again with the actor's second
    /// factor (once more with the next code if that one was used); on an emailed-code challenge, with the code
    /// from the mailbox if the actor controls the mail domain.
    mutating func attempt<T>(_ step: Step, account: String, credential: Credential, _ op: (RequestContext) throws(Refusal) -> T) -> (Result<T, Refusal>, [String]) {
        var details: [String] = []
        let notices = RequestNotices()
        var context = RequestContext(credential: credential, sourceAddress: address(step, account: account), notices: notices)
        func send(_ ctx: RequestContext) -> Result<T, Refusal> {
            do { return .success(try op(ctx)) } catch { return .failure(error) }
        }
        var result = send(context)
        if case .failure(.denied(let d)) = result, d.liftedBySecondFactor {
            if let factor = secondFactor(step, account: account) {
                details.append(factorNote(step, account: account, factor))
                context.secondFactor = factor
                result = send(context)
                if case .failure(.denied(let again)) = result, again.rule == .otpReused, let next = secondFactor(step, account: account, nextCode: true) {
                    details.append("that code was already used; the next one is typed")
                    context.secondFactor = next
                    result = send(context)
                }
            } else if d.rule != .emailedLoginCode {
                details.append("asked for a second factor of \(account); the \(step.actor == .attacker ? "attacker has" : "actor has") none to give")
            }
        }
        if case .failure(.denied(let d)) = result, d.rule == .emailedLoginCode {
            let domain = mailDomain(of: account)
            let code = (try? registry.mailbox(domain: domain))?.last(where: { $0.account == account && $0.purpose == "login-code" })?.code
            // A phishing proxy relays every code the victim types while on its page, the emailed login code as much as a TOTP code.
            let relay = step.actor == .attacker ? relays[account].flatMap { clock.now() <= $0.until ? $0 : nil } : nil
            if canReadMail(of: account, step.actor), let code {
                details.append("the login code was emailed to \(domain), which the \(step.actor == .attacker ? "attacker" : "owner") controls")
                context.secondFactor = .emailCode(code)
                result = send(context)
            } else if let relay, canReadMail(of: account, .account(account)), let code {
                details.append("the login code was emailed to \(domain); the victim reads it and types it into \(relay.origin), and the attacker relays it")
                context.secondFactor = .emailCode(code)
                result = send(context)
            } else {
                details.append("the login code was emailed to \(domain), which the attacker cannot read")
            }
        }
        // What the registry said about the request it allowed (a revoked token honoured from cache).
        details.append(contentsOf: notices.all)
        return (result, details)
    }

    /// How long tokens just revoked keep working, for a step's detail.
    static func graceNote(_ grace: Int64) -> String {
        grace > 0 ? "(they keep working from the registry's cache for up to \(grace / 60) minutes)" : "(they stop working at once)"
    }

    /// When `package@version` went out of the registry in this replay, the version alone or its whole package, if it did.
    func removal(of package: String, version: String) -> Int64? {
        removedAt[package + "@" + version] ?? removedAt[package + "@*"]
    }

    /// The mail domain of an account's address: the one a change-email step set, else the world's or the sign-up's.
    func mailDomain(of account: String) -> String {
        if let changed = changedEmails[account] { return AccountSpec.mailDomain(of: changed.email) }
        return scenario.world.accounts.first { $0.name == account }?.mailDomain
            ?? createdAccounts[account].map { AccountSpec.mailDomain(of: $0.email) } ?? ""
    }

    /// Whether `actor` reads the mail sent to `account`: its owner does, unless the attacker bought the lapsed
    /// domain; the attacker does for a bought domain and for accounts they control. Owners who share a mail
    /// provider read only their own mailbox.
    func canReadMail(of account: String, _ actor: StepActor) -> Bool {
        // Whoever changed the account's address chose one they read [I]: an attacker who changes it gets its resets
        // and emailed codes from then on (the lock-out of chalk 2025 and axios 2026).
        if let changed = changedEmails[account] { return actor == changed.by }
        if boughtDomains.contains(mailDomain(of: account)) { return actor == .attacker }
        if actor == .account(account) { return true }
        if let created = createdAccounts[account] { return actor == created.creator }
        return actor == .attacker && scenario.world.accounts.first { $0.name == account }?.controlledBy == .attacker
    }

    func factorNote(_ step: Step, account: String, _ factor: SecondFactor) -> String {
        let relayed = step.actor == .attacker && relays[account] != nil && attackerFactors[account] == nil
            && scenario.world.accounts.first(where: { $0.name == account })?.controlledBy != .attacker
        switch factor {
        case .securityKey(let a):
            return relayed ? "the victim touches their security key on \(a.origin); the attacker relays the assertion" : "the owner touches their security key"
        case .totp:
            return relayed ? "the victim types a fresh code into the phishing page; the attacker relays it" : "a one-time code from the authenticator is sent"
        default:
            return "a second factor is sent"
        }
    }
}
