import DrillRegistry
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Loads scenario files: parse, read strictly, check references and reachability. Every problem of a
/// file is reported in one pass, each with file:line:column and what to write instead.
public enum ScenarioLoader {
    /// The keys a scenario file's top level takes (declared in ``ScenarioFormat/scenario``).
    public static var topLevelKeys: [String] { ScenarioFormat.scenario.keys }

    /// Loads and validates a file. Warnings come back with the scenario; errors are thrown together.
    public static func load(path: String, limits: LoadLimits = .init()) throws(ValidationFailure) -> (Scenario, [Diagnostic]) {
        try parse(SourceFile.read(path: path, limits: limits, what: "scenario"), file: path, limits: limits)
    }

    /// Loads and validates a file's bytes as `load(path:)` would the file: the same size limit, UTF-8 check and
    /// diagnostics, with `file` naming it. The coverage-guided fuzzer drives the loader through this.
    public static func load(bytes: [UInt8], file: String, limits: LoadLimits = .init()) throws(ValidationFailure) -> (Scenario, [Diagnostic]) {
        try parse(SourceFile.text(bytes, file: file, limits: limits, what: "scenario"), file: file, limits: limits)
    }

    /// Loads and validates scenario text; `file` names it in diagnostics.
    public static func parse(_ text: String, file: String, limits: LoadLimits = .init()) throws(ValidationFailure) -> (Scenario, [Diagnostic]) {
        let root: YNode
        do { root = try YAMLDocument.parse(text, file: file, limits: limits) } catch {
            if case .failed(let d) = error { throw ValidationFailure([d]) }
            throw ValidationFailure([])
        }
        let sink = DiagnosticSink(file: file)
        let scenario = ScenarioReader(sink: sink, file: file, limits: limits).read(root)
        if sink.hasErrors || scenario == nil {
            throw ValidationFailure(sink.diagnostics.filter { $0.severity == .error } + sink.diagnostics.filter { $0.severity == .warning })
        }
        return (scenario!, sink.diagnostics)
    }
}

/// Reads the scenario document into the model, reporting into the sink.
struct ScenarioReader {
    let sink: DiagnosticSink
    let file: String
    let limits: LoadLimits
    /// Steps whose time could not be read: reported once, and kept out of the time-order check.
    private let untimed = ReaderNotes()
    var untimedSteps: [SourcePosition] { untimed.positions }
    /// Accounts whose entry has a mistake: their settings are not judged again by the step checks.
    private let doubtful = ReaderNotes()

    init(sink: DiagnosticSink, file: String, limits: LoadLimits) {
        self.sink = sink; self.file = file; self.limits = limits
    }

    func read(_ root: YNode) -> Scenario? {
        guard let top = ObjectReader(root, ScenarioFormat.scenario, sink: sink) else { return nil }
        let id = top.string("id", required: true, hint: "a short kebab-case name like my-incident-2024")
        if let id, !isIdentifier(id) { sink.error(.invalidValue, top.value("id")!.position, "'\(id)' is not a valid id", hint: "use lowercase letters, digits and '-'") }
        let title = top.string("title", required: true)
        var date: RegistryEra?
        if let d = top.string("date", required: true, hint: "the incident's day, like 2018-07-12") {
            do { date = try RegistryEra(d) } catch { sink.error(.invalidValue, top.value("date")!.position, error.description, hint: "write the incident's day as yyyy-MM-dd, like 2018-07-12") }
        }
        let summary = top.string("summary", required: true) ?? ""
        let references = top.strings("references") ?? []
        let techniques = top.strings("techniques") ?? []
        if let tnode = top.value("techniques"), case .sequence(let items, _) = tnode {
            for (t, item) in zip(techniques, items) where t.range(of: ScenarioFormat.techniquePattern, options: .regularExpression) == nil {
                sink.error(.invalidValue, item.position, "'\(t)' is not a technique id", hint: "write a MITRE ATT&CK id like T1078 or T1110.004, or an attack-tree id like AV-602")
            }
        }
        let world = top.object("world", required: true).map(readWorld)
        let attacker = top.object("attacker").map(readAttacker) ?? Attacker(address: IPAddress("203.0.113.66")!, knowsPasswords: [], holdsTokens: [])
        var steps: [Step] = []
        if let stepNodes = top.list("steps", required: true, maxCount: limits.maximumSteps) {
            if stepNodes.isEmpty { sink.error(.emptyList, top.value("steps")!.position, "a scenario needs at least one step", hint: "add a step under 'steps:'") }
            for node in stepNodes { if let s = readStep(node) { steps.append(s) } }
        }
        var goals: [Goal] = []
        if let goalNodes = top.list("goals", required: true) {
            if goalNodes.isEmpty { sink.error(.emptyList, top.value("goals")!.position, "a scenario needs at least one goal", hint: "add a goal such as `- { id: g, kind: publish-malicious, packages: [name] }`") }
            for node in goalNodes { if let g = readGoal(node) { goals.append(g) } }
        }
        let teaching = top.object("teaching").map(readTeaching) ?? Teaching(hints: [], whatHappened: "", remediation: [])
        let blast = top.object("blastRadius").map { r -> BlastRadiusInputs in
            let b = BlastRadiusInputs(hoursLive: r.double("hoursLive"), tokensExposed: r.int("tokensExposed"),
                                      note: r.string("note"))
            r.finish()
            return b
        }
        top.finish()
        guard let id, let title, let date, let world else { return nil }
        let scenario = Scenario(id: id, title: title, date: date, summary: summary, references: references, techniques: techniques,
                                world: world, attacker: attacker, steps: steps, goals: goals, teaching: teaching, blastRadius: blast, file: file)
        ScenarioChecks(sink: sink, scenario: scenario, locator: NodeLocator(root), untimedSteps: untimedSteps, doubtfulAccounts: doubtful.names).run()
        return scenario
    }

    func isIdentifier(_ s: String) -> Bool {
        !s.isEmpty && s.count <= 100 && s.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-" || $0 == "." || $0 == "_") }
    }

    func readWorld(_ r: ObjectReader) -> World {
        var accounts: [AccountSpec] = []
        for node in r.list("accounts", required: true) ?? [] {
            guard let a = ObjectReader(node, ScenarioFormat.account, sink: sink) else { continue }
            let errorsBefore = sink.errorCount
            let name = a.string("name", required: true) ?? ""
            let given = a.string("email")
            if let given { check(email: given, in: a) }
            let email = given ?? "\(name)@example.com"
            let account = AccountSpec(name: name, email: email, password: a.string("password") ?? "\(name)-password",
                                      passwordReused: a.bool("passwordReused") ?? false,
                                      twoFactor: a.choice("twoFactor", TwoFactorMode.self) ?? .disabled,
                                      factor: a.choice("factor", SecondFactorKind.self) ?? .totp,
                                      controlledBy: a.choice("controlledBy", AccountSpec.Controller.self) ?? .owner, position: a.position)
            a.finish()
            if !name.isEmpty && !isIdentifier(name) { sink.error(.invalidValue, a.position, "'\(name)' is not a valid account name", hint: "use lowercase letters, digits, '-', '.' and '_'") }
            if sink.errorCount > errorsBefore { doubtful.names.insert(name) }
            accounts.append(account)
        }
        var machines: [MachineSpec] = []
        for node in r.list("machines") ?? [] {
            guard let m = ObjectReader(node, ScenarioFormat.machine, sink: sink) else { continue }
            let id = m.string("id", required: true) ?? ""
            let owner = m.string("owner", required: true) ?? ""
            var address = IPAddress("198.51.100.10")!
            if let text = m.string("address") {
                if let a = IPAddress(text) { address = a } else { sink.error(.invalidValue, m.value("address")!.position, "'\(text)' is not an IP address", hint: "write an IPv4 address like 198.51.100.7") }
            }
            let kind = m.choice("kind", MachineSpec.Kind.self) ?? .laptop
            var tokens: [TokenSpec] = []
            for tnode in m.list("tokens") ?? [] {
                guard let t = ObjectReader(tnode, ScenarioFormat.token, sink: sink) else { continue }
                tokens.append(TokenSpec(id: t.string("id", required: true) ?? "", kind: t.choice("kind", TokenKind.self) ?? .publish,
                                        location: t.choice("location", TokenSpec.Location.self) ?? (kind == .ci ? .ciSecret : .npmrc),
                                        owner: t.string("owner") ?? owner, packages: t.strings("packages") ?? [],
                                        bypassTwoFactor: t.bool("bypass2fa") ?? false,
                                        createdDaysBefore: t.int("createdDaysBefore") ?? 30, position: t.position,
                                        created: t.time("created"), expires: t.time("expires")))
                if t.has("created") && t.has("createdDaysBefore") {
                    sink.error(.invalidValue, t.value("created")!.position, "a token has one creation time: 'created' and 'createdDaysBefore' both give one",
                               hint: "keep one of them")
                }
                t.finish()
            }
            var sessions: [SessionSpec] = []
            for snode in m.list("sessions") ?? [] {
                guard let o = ObjectReader(snode, ScenarioFormat.session, sink: sink) else { continue }
                sessions.append(SessionSpec(id: o.string("id", required: true) ?? "", account: o.string("account") ?? owner,
                                            started: o.time("started", required: true) ?? 0, skippedTwoFactor: o.bool("skipped2fa") ?? false,
                                            location: o.choice("location", SessionSpec.Location.self) ?? .browser, position: o.position))
                o.finish()
            }
            machines.append(MachineSpec(id: id, kind: kind, owner: owner, address: address, tokens: tokens, repository: m.string("repository"),
                                        npmClient: m.int("npmClient"), position: m.position, sessions: sessions, installs: m.strings("installs")))
            m.finish()
        }
        var packages: [PackageSpec] = []
        for node in r.list("packages", required: true) ?? [] {
            guard let p = ObjectReader(node, ScenarioFormat.package, sink: sink) else { continue }
            let name = p.string("name", required: true) ?? ""
            if !name.isEmpty, let problem = PackageName.problem(with: name) {
                sink.error(.invalidValue, p.value("name")!.position, "invalid package name '\(name)': \(problem)", hint: PackageNameHint.text)
            }
            let versions = p.strings("versions") ?? ["1.0.0"]
            if let vnode = p.value("versions") {
                let items: [YNode] = if case .sequence(let all, _) = vnode { all } else { [vnode] }
                for (v, item) in zip(versions, items) where SemanticVersion(v) == nil {
                    sink.error(.invalidValue, item.position, "'\(v)' is not a semantic version", hint: "write versions like 1.2.3")
                }
            }
            packages.append(PackageSpec(name: name, maintainers: p.strings("maintainers", required: true) ?? [], versions: versions,
                                        weeklyDownloads: p.int("weeklyDownloads") ?? 0,
                                        publishing: p.choice("publishing", PublishingPolicy.self) ?? .twoFactorNotRequired,
                                        repository: p.string("repository"), releaseWorkflow: p.string("releaseWorkflow"),
                                        trustedPublisher: p.bool("trustedPublisher") ?? false, position: p.position,
                                        dependencies: p.strings("dependencies") ?? []))
            p.finish()
        }
        var orgs: [OrgSpec] = []
        for node in r.list("orgs") ?? [] {
            guard let o = ObjectReader(node, ScenarioFormat.org, sink: sink) else { continue }
            orgs.append(OrgSpec(name: o.string("name", required: true) ?? "", members: o.strings("members", required: true) ?? [],
                                requiresTwoFactor: o.bool("requires2fa") ?? false, position: o.position))
            o.finish()
        }
        var domains: [MailDomainSpec] = []
        for node in r.list("mailDomains") ?? [] {
            guard let d = ObjectReader(node, ScenarioFormat.mailDomain, sink: sink) else { continue }
            domains.append(MailDomainSpec(domain: d.string("domain", required: true) ?? "", expires: d.time("expires"), position: d.position))
            d.finish()
        }
        r.finish()
        return World(accounts: accounts, machines: machines, packages: packages, orgs: orgs, mailDomains: domains)
    }

    func readAttacker(_ r: ObjectReader) -> Attacker {
        var address = IPAddress("203.0.113.66")!
        if let text = r.string("address") {
            if let a = IPAddress(text) { address = a } else { sink.error(.invalidValue, r.value("address")!.position, "'\(text)' is not an IP address", hint: "write an IPv4 address like 203.0.113.66") }
        }
        let a = Attacker(address: address, knowsPasswords: r.strings("knowsPasswords") ?? [], holdsTokens: r.strings("holdsTokens") ?? [])
        r.finish()
        return a
    }

    func readTeaching(_ r: ObjectReader) -> Teaching {
        let t = Teaching(hints: r.strings("hints") ?? [], whatHappened: r.string("whatHappened") ?? "", remediation: r.strings("remediation") ?? [])
        r.finish()
        return t
    }

    func readGoal(_ node: YNode) -> Goal? {
        guard let g = ObjectReader(node, ScenarioFormat.goal, sink: sink) else { return nil }
        let goal = Goal(id: g.string("id", required: true) ?? "", kind: g.choice("kind", Goal.Kind.self, required: true) ?? .publishMalicious,
                        packages: g.strings("packages") ?? [], account: g.string("account"), description: g.string("description") ?? "",
                        position: g.position)
        // What each kind needs besides its id and kind (declared with the kind).
        if g.has("kind") {
            for key in goal.kind.requiredKeys where key == "packages" ? goal.packages.isEmpty : goal.account == nil {
                sink.error(.missingKey, g.position, "a \(goal.kind.rawValue) goal needs '\(key)'", hint: key == "packages" ? "add packages: [name, ...]" : "add account: <name>")
            }
        }
        g.finish()
        return goal
    }

    /// Checks an address the file gives under `email` as the registry checks it when the scenario is replayed. An
    /// address the loader makes up from an account's name is not checked: a bad name has its own error.
    func check(email: String, in r: ObjectReader) {
        guard let problem = Registry.emailProblem(email), let at = r.value("email")?.position else { return }
        sink.error(.invalidValue, at, "'\(email)' is not an email address the registry takes: \(problem)", hint: "write it like name@example.com")
    }

    func credential(_ r: ObjectReader, required: Bool = true) -> CredentialRef {
        guard let text = r.string("using", required: required, hint: "password, step:<step id>, token:<token id> or harvested") else { return .password }
        if text == "password" { return .password }
        if text == "harvested" { return .harvested }
        if text.hasPrefix("step:") { return .step(String(text.dropFirst(5))) }
        if text.hasPrefix("token:") { return .token(String(text.dropFirst(6))) }
        sink.error(.unknownWord, r.value("using")!.position, "'\(text)' is not a credential",
                   hint: sink.didYouMean(text, in: ["password", "harvested"], otherwise: "write password, step:<step id>, token:<token id> or harvested"))
        return .password
    }

    func readStep(_ node: YNode) -> Step? {
        guard let s = ObjectReader(node, ScenarioFormat.anyStep, sink: sink) else { return nil }
        let id = s.string("id", required: true) ?? ""
        let time = s.time("at", required: true)
        if time == nil { untimed.positions.append(s.position) }
        let at = time ?? 0
        let actorText = s.string("actor") ?? "attacker"
        let actor: StepActor = switch actorText {
        case "attacker": .attacker
        case "staff": .staff
        case "consumers": .consumers
        default: .account(actorText)
        }
        let narrative = s.string("narrative") ?? ""
        guard let actionName = s.string("action", required: true, hint: "one of: " + Action.allNames.joined(separator: ", ")) else {
            s.abandon(); s.finish(); return nil
        }
        guard let kind = ActionKind(rawValue: actionName) else {
            let hint = sink.didYouMean(actionName, in: Action.allNames, otherwise: "one of: " + Action.allNames.joined(separator: ", "))
            sink.error(.unknownWord, s.value("action")!.position, "unknown action '\(actionName)'", hint: hint)
            // With no action to go by, only keys that no action takes are unknown.
            s.abandon(); s.finish(); return nil
        }
        s.narrow(to: ScenarioFormat.step(kind))
        let action: Action
        var createsPackage = false
        func need(_ key: String) -> String { s.string(key, required: true) ?? "" }
        switch kind {
        case .reuseBreachedPassword: action = .reuseBreachedPassword(account: need("account"))
        case .phish: action = .phish(account: need("account"), origin: s.string("origin") ?? "https://npmjs.help",
                                      minutes: s.int("minutes") ?? 30)
        case .stealToken: action = .stealToken(token: need("token"))
        case .stealSession: action = .stealSession(session: need("session"))
        case .compromiseCI: action = .compromiseCI(machine: need("machine"), package: s.string("package"))
        case .buyExpiredDomain: action = .buyExpiredDomain(domain: need("domain"))
        case .resetPassword: action = .resetPassword(account: need("account"))
        case .login: action = .login(account: need("account"))
        case .createAccount:
            let name = need("account")
            let given = s.string("email")
            if let given { check(email: given, in: s) }
            action = .createAccount(account: name, email: given ?? "\(name)@example.com", password: s.string("password") ?? "\(name)-password")
        case .createToken:
            let bypass: BypassRequest = switch s.boolOr("bypass2fa", BypassRequest.Word.self) {
            case .flag(let asks)?: .flag(asks)
            case .word(.whenAvailable)?: .whenAvailable
            case nil: false
            }
            action = .createToken(account: need("account"), using: credential(s), kind: s.choice("kind", TokenKind.self) ?? .publish,
                                  readOnly: s.bool("readOnly") ?? false, cidr: s.strings("cidr") ?? [], packages: s.strings("packages") ?? [],
                                  bypassTwoFactor: bypass,
                                  lifetimeDays: s.int("lifetimeDays"))
        case .publish:
            createsPackage = s.bool("newPackage") ?? false
            let defaultPayload: Payload = actor == .attacker ? .malware : .none
            action = .publish(package: need("package"), version: need("version"), using: credential(s),
                              release: Release(payload: s.choice("payload", Payload.self) ?? defaultPayload, installScripts: s.stringMap("installScripts") ?? [:],
                                               runs: s.choice("runs", CodeTrigger.self) ?? .install, fallback: s.choice("fallback", PublishFallback.self) ?? .none,
                                               dependencies: s.strings("dependencies")))
        case .unpublish: action = .unpublish(package: need("package"), version: s.string("version"), using: credential(s))
        case .deprecate: action = .deprecate(package: need("package"), message: need("message"), using: credential(s))
        case .distTag: action = .distTag(package: need("package"), tag: s.string("tag") ?? "latest", version: need("version"), using: credential(s))
        case .addOwner: action = .addOwner(package: need("package"), user: need("user"), using: credential(s))
        case .removeOwner: action = .removeOwner(package: need("package"), user: need("user"), using: credential(s))
        case .changeEmail:
            let email = need("email")
            // An empty one is the missing key, reported as such.
            if !email.isEmpty { check(email: email, in: s) }
            action = .changeEmail(account: need("account"), email: email, using: credential(s))
        case .changePassword: action = .changePassword(account: need("account"), newPassword: need("newPassword"), using: credential(s))
        case .enableTwoFactor: action = .enableTwoFactor(account: need("account"), mode: s.choice("mode", TwoFactorMode.self) ?? .authAndWrites, using: credential(s))
        case .disableTwoFactor: action = .disableTwoFactor(account: need("account"), using: credential(s))
        case .deleteAccount: action = .deleteAccount(account: need("account"), using: credential(s))
        case .setPublishing: action = .setPublishing(package: need("package"), policy: s.choice("policy", PublishingPolicy.self, required: true) ?? .twoFactorNotRequired, using: credential(s))
        case .revokeToken: action = .revokeToken(token: need("token"), using: credential(s))
        case .removeDistTag: action = .removeDistTag(package: need("package"), tag: need("tag"), using: credential(s))
        case .setAccess: action = .setAccess(package: need("package"), isPublic: s.bool("public") ?? true, using: credential(s))
        case .setTrustedPublisher:
            action = .setTrustedPublisher(package: need("package"), repository: s.string("repository"), workflow: s.string("workflow"), using: credential(s))
        case .createOrg: action = .createOrg(org: need("org"), using: credential(s))
        case .addOrgMember: action = .addOrgMember(org: need("org"), user: need("user"), using: credential(s))
        case .orgRequireTwoFactor: action = .orgRequireTwoFactor(org: need("org"), required: s.bool("required") ?? true, using: credential(s))
        case .mintOIDC: action = .mintOIDC(package: need("package"), machine: need("machine"))
        case .publishWithOIDC:
            createsPackage = s.bool("newPackage") ?? false
            action = .publishWithOIDC(package: need("package"), version: need("version"), mintedBy: need("mintedBy"),
                                      release: Release(payload: s.choice("payload", Payload.self) ?? .malware, runs: s.choice("runs", CodeTrigger.self) ?? .install,
                                                       fallback: s.choice("fallback", PublishFallback.self) ?? .none))
        case .promote: action = .promote(package: need("package"), version: need("version"), using: credential(s))
        case .install: action = .install(package: need("package"), version: s.string("version"), consumers: s.strings("consumers", required: true) ?? [])
        case .wormSpread: action = .wormSpread(generations: s.int("generations") ?? 1)
        case .staffRevokeTokens: action = .staffRevokeTokens(createdBefore: s.time("createdBefore", required: true) ?? 0, accounts: s.strings("accounts"))
        case .staffRemoveVersion: action = .staffRemoveVersion(package: need("package"), version: need("version"))
        }
        let account = s.string("account")
        s.finish()
        return Step(id: id, at: at, actor: actor, action: action, account: account, narrative: narrative, position: s.position, createsPackage: createsPackage)
    }
}

/// What a reader notes while reading, shared by its copies (the reader is a value; its notes are not).
final class ReaderNotes {
    var positions: [SourcePosition] = []
    var names: Set<String> = []
}

/// Reads a scenario or profile file as UTF-8 text, never more than the size limit. Only a regular file is read: a
/// folder, a named pipe (which would block until something writes to it), a device or a socket is refused at once.
enum SourceFile {
    /// A problem with the whole file, at its start.
    static func failure(_ code: DiagnosticCode, _ path: String, _ message: String, _ hint: String? = nil) -> ValidationFailure {
        ValidationFailure([Diagnostic(file: path, line: 1, column: 1, code: code, message: message, hint: hint)])
    }

    static func read(path: String, limits: LoadLimits, what: String) throws(ValidationFailure) -> String {
        func failure(_ code: DiagnosticCode, _ message: String, _ hint: String? = nil) -> ValidationFailure { Self.failure(code, path, message, hint) }
        // Opened without blocking (a named pipe with no writer would block the open itself), then judged by what was
        // opened, not by the path, so nothing can be swapped in between.
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            switch errno {
            case ENOENT, ENOTDIR: throw failure(.fileUnreadable, "there is no file \(path)", "check the path")
            case EACCES, EPERM: throw failure(.fileUnreadable, "cannot open the \(what) file: permission denied", "check its permissions")
            case ENXIO: throw failure(.fileUnreadable, "\(path) is a socket, not a \(what) file", "name a .yaml file")
            default: throw failure(.fileUnreadable, "cannot open the \(what) file: \(String(cString: strerror(errno)))")
            }
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw failure(.fileUnreadable, "cannot read the \(what) file: \(String(cString: strerror(errno)))") }
        switch status.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw failure(.fileUnreadable, "\(path) is a folder, not a \(what) file", "name a .yaml file in it")
        case S_IFIFO: throw failure(.fileUnreadable, "\(path) is a named pipe, not a \(what) file", "save the \(what) to a file and name that")
        case S_IFCHR, S_IFBLK: throw failure(.fileUnreadable, "\(path) is a device, not a \(what) file", "name a .yaml file")
        case S_IFSOCK: throw failure(.fileUnreadable, "\(path) is a socket, not a \(what) file", "name a .yaml file")
        default: throw failure(.fileUnreadable, "\(path) is not a regular file", "name a .yaml file")
        }
        let data: Data
        do { data = try handle.read(upToCount: limits.maximumBytes + 1) ?? Data() } catch {
            throw failure(.fileUnreadable, "cannot read the \(what) file: \(error.localizedDescription)")
        }
        return try text([UInt8](data), file: path, limits: limits, what: what)
    }

    /// A file's bytes as its text, as a file on disk is read: at most the size limit, and UTF-8. Diagnostics name
    /// `file`.
    static func text(_ bytes: [UInt8], file path: String, limits: LoadLimits, what: String) throws(ValidationFailure) -> String {
        guard bytes.count <= limits.maximumBytes else {
            throw failure(.fileTooLarge, path, "the file is more than \(limits.maximumBytes) bytes; \(what) files are limited to \(limits.maximumBytes) bytes",
                          "split the \(what), or shorten narrative texts")
        }
        guard let text = String(bytes: bytes, encoding: .utf8) else {
            // Point at the first byte that is not UTF-8, so an editor can jump to it.
            var line = 1, column = 1
            var i = 0
            while i < bytes.count {
                let b = bytes[i]
                let width = b < 0x80 ? 1 : b & 0xE0 == 0xC0 ? 2 : b & 0xF0 == 0xE0 ? 3 : b & 0xF8 == 0xF0 ? 4 : 0
                if width == 0 || i + width > bytes.count || String(bytes: bytes[i..<(i + width)], encoding: .utf8) == nil { break }
                if b == 0x0A { line += 1; column = 1 } else { column += 1 }
                i += width
            }
            throw ValidationFailure([Diagnostic(file: path, line: line, column: column, code: .notText, message: "the file is not UTF-8 text (byte \(i + 1) is not UTF-8)",
                                                hint: "save it as UTF-8")])
        }
        return text
    }
}
