import DrillCrypto
import DrillRegistry
import Foundation

extension Replayer {
    mutating func execute(_ step: Step) -> StepOutcome {
        let registry = self.registry
        switch step.action {
        case .reuseBreachedPassword(let a):
            attackerPasswords[a] = scenario.world.accounts.first { $0.name == a }?.password
            return make(step, .succeeded, "The password of \(a) from another site's breach is the same on the registry.")
        case .phish(let a, let origin, let minutes):
            attackerPasswords[a] = passwords[a]
            relays[a] = (origin, step.at + Int64(minutes) * 60)
            let factor = world.effectiveMode[a] == .disabled ? "" : (world.effectiveFactor[a] == .securityKey ? " and touches a security key" : " and one-time codes")
            return make(step, .succeeded, "\(a) types their password\(factor) into \(origin); the attacker relays them in real time for \(minutes) minutes.")
        case .stealToken(let t):
            switch take(token: t) {
            case .removed(let defense):
                return make(step, .notApplicable, "There is no token '\(t)' to steal: under this profile the workflow publishes without a stored token.", defense: defense)
            case .missing: return make(step, .skipped, "Token '\(t)' does not exist.")
            case .taken: break
            }
            let spec = scenario.world.machines.first { $0.tokens.contains { $0.id == t } }
            return make(step, .succeeded, "The attacker copies token '\(t)' from \(spec.map { "\($0.kind == .ci ? "CI system" : "machine") \($0.id)" } ?? "its machine").")
        case .stealSession(let id):
            guard let login = world.sessions[id], let spec = scenario.world.machines.lazy.flatMap({ m in m.sessions.map { (m, $0) } }).first(where: { $0.1.id == id })
            else { return make(step, .skipped, "There is no session '\(id)' to steal.") }
            credentialsByStep[step.id] = (login.token, spec.1.account)
            let what = if login.kind == .session, let expires = login.expires {
                expires > step.at ? "a login session, which the registry ends at \(Timestamp.iso8601(expires))"
                                  : "a login session that ended at \(Timestamp.iso8601(expires)), which the registry no longer takes"
            } else {
                "what its login left there: a \(login.kind.rawValue) token that never expires"
            }
            return make(step, .succeeded, "The attacker takes \(spec.1.account)'s open login from \(spec.0.kind == .ci ? "CI system" : "machine") \(spec.0.id): \(what).")
        case .buyExpiredDomain(let d):
            boughtDomains.insert(d)
            return make(step, .succeeded, "The attacker registers the lapsed domain \(d): mail to it now reaches them.")
        case .resetPassword(let a):
            return resetPassword(step, account: a)
        case .createAccount(let a, let email, let password):
            do {
                try registry.createAccount(name: a, email: email, password: password,
                                           context: .anonymous(from: step.actor == .attacker ? scenario.attacker.address : .loopback))
            } catch {
                return refused(step, error)
            }
            passwords[a] = password
            if step.actor == .attacker { attackerPasswords[a] = password }
            createdAccounts[a] = (email, step.actor)
            return make(step, .succeeded, "Signed up the account \(a) (\(email)).")
        case .login(let a):
            guard case .credential(let cred, _) = resolve(.password, step, account: a) else { return skipOrNA(step, resolve(.password, step, account: a)) }
            let (result, details) = attempt(step, account: a, credential: cred) { (ctx) throws(Refusal) in try registry.login(ctx) }
            switch result {
            case .success(let login):
                credentialsByStep[step.id] = (login.token, a)
                if step.actor == .attacker { takeovers.insert(a) }
                let what = login.kind == .session ? "a login session (expires in \((login.expires ?? 0) - step.at) s)" : "a \(login.kind.rawValue) token that never expires"
                return make(step, .succeeded, "Logged in as \(a): the registry issued \(what).", details: details)
            case .failure(let r): return refused(step, r, details: details)
            }
        case .createToken(let a, let ref, let kind, let readOnly, let cidr, let packages, let bypass, let days):
            let resolved = resolve(ref, step, account: a)
            guard case .credential(let cred, let owner) = resolved else { return skipOrNA(step, resolved) }
            let request = TokenRequest(kind: readOnly && kind == .publish ? .readOnly : kind, permission: readOnly ? .readOnly : .readWrite,
                                       packages: packages, cidrAllowlist: cidr.compactMap { try? CIDRBlock($0) },
                                       lifetime: days.map { Int64($0) * 86_400 }, bypassTwoFactor: bypass.asksForFlag(in: registry.era))
            let knownPassword = step.actor == .attacker ? attackerPasswords[owner] : passwords[owner]
            let (result, details) = attempt(step, account: owner, credential: cred) { (ctx) throws(Refusal) in
                try registry.createToken(ctx, request: request, password: knownPassword)
            }
            switch result {
            case .success(let issued):
                credentialsByStep[step.id] = (issued.token, owner)
                let flag = switch (bypass, request.bypassTwoFactor) {
                case (_, true): " with the bypass-2FA flag"
                case (.whenAvailable, false): " (no bypass-2FA flag: the registry of this date has none)"
                default: ""
                }
                let kind = issued.summary.kind.rawValue
                let article = kind.first.map { "aeiou".contains($0) } == true ? "an" : "a"
                return make(step, .succeeded, "Created \(article) \(kind) token (\(issued.summary.permission.rawValue))\(flag) for \(owner).", details: details)
            case .failure(let r): return refused(step, r, details: details)
            }
        case .publish(let p, let v, let ref, let release):
            if ref == .harvested { return publishWithHarvested(step, package: p, version: v, release: release) }
            let resolved = resolve(ref, step, account: nil)
            guard case .credential(let cred, let owner) = resolved else { return skipOrNA(step, resolved) }
            return publish(step, package: p, version: v, release: release, credential: cred, account: owner)
        case .unpublish(let p, let v, let ref):
            return simple(step, ref, "Unpublished \(v.map { "\(p)@\($0)" } ?? p).") { (ctx) throws(Refusal) in try registry.unpublish(ctx, package: p, version: v) }
                .also { if $0.status == .succeeded { removedAt[p + "@" + (v ?? "*")] = step.at } }
        case .deprecate(let p, let message, let ref):
            return simple(step, ref, "Deprecated \(p).") { (ctx) throws(Refusal) in try registry.deprecate(ctx, package: p, version: nil, message: message) }
        case .distTag(let p, let tag, let v, let ref):
            return simple(step, ref, "Pointed \(p)@\(tag) at \(v).") { (ctx) throws(Refusal) in try registry.setDistTag(ctx, package: p, tag: tag, version: v) }
        case .addOwner(let p, let u, let ref):
            return simple(step, ref, "Added \(u) as a maintainer of \(p).") { (ctx) throws(Refusal) in try registry.addOwner(ctx, package: p, user: u) }
        case .removeOwner(let p, let u, let ref):
            return simple(step, ref, "Removed \(u) from the maintainers of \(p).") { (ctx) throws(Refusal) in try registry.removeOwner(ctx, package: p, user: u) }
        case .changeEmail(let a, let email, let ref):
            return simple(step, ref, "Changed the email of \(a) to \(email).", account: a) { (ctx) throws(Refusal) in try registry.changeEmail(ctx, to: email) }
                .also { if $0.status == .succeeded { changedEmails[a] = (email, step.actor) } }
        case .changePassword(let a, let new, let ref):
            let old = step.actor == .attacker ? attackerPasswords[a] ?? "" : passwords[a] ?? ""
            let o = simple(step, ref, "Changed the password of \(a).", account: a) { (ctx) throws(Refusal) in try registry.changePassword(ctx, old: old, new: new) }
            if o.status == .succeeded {
                passwords[a] = new
                if step.actor == .attacker { attackerPasswords[a] = new }
            }
            return o
        case .enableTwoFactor(let a, let mode, let ref):
            return enableTwoFactor(step, account: a, mode: mode, ref: ref)
        case .disableTwoFactor(let a, let ref):
            let pw = step.actor == .attacker ? attackerPasswords[a] : passwords[a]
            return simple(step, ref, "Disabled 2FA on \(a).", account: a) { (ctx) throws(Refusal) in try registry.disableTwoFactor(ctx, password: pw) }
        case .deleteAccount(let a, let ref):
            return deleteAccount(step, account: a, ref: ref)
        case .setPublishing(let p, let policy, let ref):
            return simple(step, ref, "Set \(p)'s publishing to \(policy.rawValue).") { (ctx) throws(Refusal) in try registry.setPublishingPolicy(ctx, package: p, policy: policy) }
        case .revokeToken(let t, let ref):
            guard let secret = world.tokenSecrets[t] ?? credentialsByStep[t]?.secret else {
                return make(step, .skipped, "There is no token '\(t)' to revoke" + (credentialsByStep[t] == nil && statusByStep[t] != nil ? ": \(because(t))" : "."))
            }
            return simple(step, ref, "Revoked token '\(t)'.") { (ctx) throws(Refusal) in try registry.revokeToken(ctx, keyOrToken: secret) }
        case .removeDistTag(let p, let tag, let ref):
            return simple(step, ref, "Removed the dist-tag \(tag) of \(p).") { (ctx) throws(Refusal) in try registry.removeDistTag(ctx, package: p, tag: tag) }
        case .setAccess(let p, let isPublic, let ref):
            return simple(step, ref, "Made \(p) \(isPublic ? "public" : "private").") { (ctx) throws(Refusal) in try registry.setAccess(ctx, package: p, isPublic: isPublic) }
        case .setTrustedPublisher(let p, let repository, let workflow, let ref):
            let publisher = repository.map { TrustedPublisher(repository: $0, workflow: workflow ?? "release.yml") }
            return simple(step, ref, publisher.map { "Made \($0.repository)'s \($0.workflow) the trusted publisher of \(p)." } ?? "Removed the trusted publisher of \(p).") {
                (ctx) throws(Refusal) in try registry.setTrustedPublisher(ctx, package: p, publisher: publisher)
            }
        case .createOrg(let org, let ref):
            return simple(step, ref, "Created the organisation \(org).") { (ctx) throws(Refusal) in try registry.createOrg(ctx, name: org) }
        case .addOrgMember(let org, let user, let ref):
            return simple(step, ref, "Added \(user) to \(org).") { (ctx) throws(Refusal) in try registry.addOrgMember(ctx, org: org, user: user) }
        case .orgRequireTwoFactor(let org, let required, let ref):
            return simple(step, ref, "\(org) \(required ? "now requires" : "no longer requires") 2FA of its members.") {
                (ctx) throws(Refusal) in _ = try registry.setOrgRequiresTwoFactor(ctx, org: org, required: required)
            }
        case .mintOIDC(let p, let m):
            do {
                oidcByStep[step.id] = try mintOIDC(package: p, onMachine: m)
                return make(step, .succeeded, "A workflow run on \(m) obtains a short-lived OIDC publishing credential for \(p).")
            } catch {
                return refused(step, error)
            }
        case .compromiseCI(let m, let p):
            guard let machine = scenario.world.machines.first(where: { $0.id == m }) else { return make(step, .skipped, "There is no machine '\(m)'.") }
            var taken: [String] = [], details: [String] = []
            for t in machine.tokens {
                switch take(token: t.id) {
                case .removed(let defense): details.append("no token '\(t.id)' there: \(defense) removed it")
                case .taken: taken.append(t.id)
                case .missing: break
                }
            }
            let tokens = taken.isEmpty ? "finds no npm token" : "takes \(taken.count == 1 ? "the npm token" : "\(taken.count) npm tokens") \(taken.joined(separator: ", "))"
            guard let p else { return make(step, .succeeded, "The attacker runs code on CI system \(m) and \(tokens).", details: details) }
            do {
                oidcByStep[step.id] = try mintOIDC(package: p, onMachine: m)
                return make(step, .succeeded, "The attacker runs code on CI system \(m), \(tokens), and mints a short-lived OIDC publishing credential for \(p).", details: details)
            } catch {
                // The runner is theirs, but its repository is not the package's trusted publisher.
                return refused(step, error, details: ["the attacker \(tokens)"] + details)
            }
        case .publishWithOIDC(let p, let v, let minted, let release):
            guard let secret = oidcByStep[minted] else { return make(step, .skipped, "It needs the OIDC credential of step '\(minted)', but \(because(minted)).") }
            return publish(step, package: p, version: v, release: release, credential: .oidc(secret), account: p)
        case .promote(let p, let v, let ref):
            guard let staged = staged[p + "@" + v] else {
                let stager = scenario.steps.first { $0.action.mayStage(package: p, version: v) }?.id
                let why = stager.map { statusByStep[$0]?.status == .succeeded ? ": step '\($0)' published it directly" : ": \(because($0))" }
                return make(step, .skipped, "There is no staged \(p)@\(v) to promote" + (why ?? "."))
            }
            let what = staged.payload == .none ? "" : " with its \(staged.payload.rawValue) code"
            let o = simple(step, ref, "Promoted \(p)@\(v): it is live\(what).") { (ctx) throws(Refusal) in _ = try registry.promoteStaged(ctx, package: p, version: v) }
            if o.status == .succeeded && staged.payload != .none { malicious.append((p, v, staged.payload, step.at, staged.runs)) }
            return o
        case .install(let p, let v, let consumers):
            return install(step, package: p, version: v, consumers: consumers)
        case .wormSpread(let generations):
            return wormSpread(step, generations: generations)
        case .staffRevokeTokens(let cutoff, let accounts):
            do {
                let n = try registry.staffRevokeTokens(createdBefore: cutoff, accounts: accounts)
                return make(step, .succeeded, "Registry staff revoke \(n) tokens created before \(Timestamp.iso8601(cutoff)) \(Replayer.graceNote(registry.configuration.parameters.revokedTokenGrace(in: registry.configuration.era))).")
            } catch { return make(step, .blocked, "\(error)") }
        case .staffRemoveVersion(let p, let v):
            guard malicious.contains(where: { $0.package == p && $0.version == v }) || ((try? registry.package(p))??.versions.contains { $0.version == v } ?? false) else {
                let publisher = scenario.steps.first { if case .publish(let pp, let vv, _, _) = $0.action { pp == p && vv == v } else { false } }?.id
                return make(step, .skipped, "There is no \(p)@\(v) to remove" + (publisher.map { ": \(because($0))" } ?? "."))
            }
            do {
                try registry.staffRemoveVersion(package: p, version: v)
                removedAt[p + "@" + v] = step.at
                return make(step, .succeeded, "Registry staff remove \(p)@\(v).")
            } catch { return make(step, .skipped, "\(p)@\(v) was already gone: \(error)") }
        }
    }

    /// `why` as a sentence: capitalised, with a full stop.
    func sentence(_ why: String) -> String {
        guard let first = why.first else { return why }
        return first.uppercased() + why.dropFirst() + (why.hasSuffix(".") ? "" : ".")
    }

    func skipOrNA(_ step: Step, _ resolved: Resolved) -> StepOutcome {
        switch resolved {
        case .skip(let why): return make(step, .skipped, sentence(why))
        case .notApplicable(let why, let defense): return make(step, .notApplicable, sentence(why), defense: defense)
        case .credential: return make(step, .skipped, "Nothing to present.")
        }
    }

    mutating func simple(_ step: Step, _ ref: CredentialRef, _ success: String, account explicit: String? = nil,
                         _ op: (RequestContext) throws(Refusal) -> Void) -> StepOutcome {
        let resolved = resolve(ref, step, account: explicit)
        guard case .credential(let cred, let owner) = resolved else { return skipOrNA(step, resolved) }
        let (result, details) = attempt(step, account: explicit ?? owner, credential: cred, op)
        switch result {
        case .success: return make(step, .succeeded, success, details: details)
        case .failure(let r): return refused(step, r, details: details)
        }
    }

    /// Deletes an account: what went with it is the registry's answer (its unpublish policy decides which packages go),
    /// and, done for the attacker, counts for the goals: the packages deleted are unavailable, and every package the
    /// account maintained lost a maintainer.
    mutating func deleteAccount(_ step: Step, account a: String, ref: CredentialRef) -> StepOutcome {
        let resolved = resolve(ref, step, account: a)
        guard case .credential(let cred, _) = resolved else { return skipOrNA(step, resolved) }
        let registry = self.registry
        var deletion = AccountDeletion()
        let (result, details) = attempt(step, account: a, credential: cred) { (ctx) throws(Refusal) in deletion = try registry.deleteAccount(ctx) }
        if case .failure(let r) = result { return refused(step, r, details: details) }
        if actsForAttacker(step) {
            unpublishedByAttacker.formUnion(deletion.deleted)
            ownersChangedByAttacker.formUnion(deletion.deleted + deletion.deprecated + deletion.leftToOtherMaintainers)
        }
        for p in deletion.deleted { removedAt[p + "@*"] = step.at }
        var parts: [String] = []
        if !deletion.deleted.isEmpty { parts.append("deleted " + deletion.deleted.joined(separator: ", ")) }
        if !deletion.deprecated.isEmpty { parts.append("deprecated " + deletion.deprecated.joined(separator: ", ") + " (the unpublish policy keeps them)") }
        if !deletion.leftToOtherMaintainers.isEmpty { parts.append("left " + deletion.leftToOtherMaintainers.joined(separator: ", ") + " to their other maintainers") }
        return make(step, .succeeded, "Deleted the account \(a)" + (parts.isEmpty ? "." : ": " + parts.joined(separator: "; ") + "."), details: details)
    }

    /// What a client sends to publish `release` as `package@version`. A payload that runs at install comes with a
    /// postinstall unless the release lists its own scripts; one that runs on import needs none. The version keeps the
    /// latest version's dependencies unless the release gives its own.
    func publishRequest(package p: String, version v: String, release: Release) -> PublishRequest {
        let installScripts = release.installScripts.isEmpty && release.payload != .none && release.runs == .install
            ? ["postinstall": "node ./\(release.payload.rawValue).js"] : release.installScripts
        let tarball = Registry.syntheticTarball(package: p, version: v, installScripts: installScripts)
        return PublishRequest(package: p, version: v, tarball: tarball, integrity: Registry.integrity(of: tarball), installScripts: installScripts,
                              dependencies: release.dependencies ?? carriedDependencies(of: p))
    }

    mutating func publish(_ step: Step, package p: String, version v: String, release: Release, credential: Credential, account: String) -> StepOutcome {
        let registry = self.registry
        let (payload, runs) = (release.payload, release.runs)
        let request = publishRequest(package: p, version: v, release: release)
        let (result, details) = attempt(step, account: account, credential: credential) { (ctx) throws(Refusal) in try registry.publish(ctx, request) }
        switch result {
        case .success:
            if payload != .none { malicious.append((p, v, payload, step.at, runs)) }
            var what = payload == .none ? "" : runs == .install ? " with a \(payload.rawValue) install script" : " with \(payload.rawValue) code that runs when it is imported"
            if payload == .none, let carried = maliciousDependency(of: p, version: v) {
                carriers.append((p, v, step.at, carried))
                what = ", which brings the malicious \(carried) through its dependencies"
            }
            return make(step, .succeeded, "Published \(p)@\(v)\(what).", details: details)
        case .failure(let r) where release.fallback == .stage && r.rule.asksForStaging:
            // The registry asks for staging (E_STAGE_REQUIRED): the publisher stages the version with the same
            // credential. The publish stays refused (nothing is live), by the rule that refused it.
            let (staged, more) = attempt(step, account: account, credential: credential) { (ctx) throws(Refusal) in try registry.stage(ctx, request) }
            switch staged {
            case .success:
                self.staged[p + "@" + v] = release
                return make(step, .blocked, r.message + " Staged \(p)@\(v) instead: installs do not see it until a maintainer promotes it with a second factor.",
                            rule: r.rule, defense: r.defense.rawValue, details: details + more)
            case .failure(let again):
                return refused(step, r, details: details + more + ["staging it instead was refused too: \(again.message) (\(again.rule))"])
            }
        case .failure(let r):
            return refused(step, r, details: details)
        }
    }

    mutating func publishWithHarvested(_ step: Step, package p: String, version v: String, release: Release) -> StepOutcome {
        guard !harvested.isEmpty else { return make(step, .skipped, "The attacker harvested no tokens.") }
        var details: [String] = []
        var firstRefused: StepOutcome?
        for token in harvested {
            let o = publish(step, package: p, version: v, release: release, credential: .bearer(token.secret), account: token.owner)
            details.append("with \(token.owner)'s token: \(o.status.rawValue)\(o.rule.map { " (\($0))" } ?? "")")
            if o.status == .succeeded { return make(step, .succeeded, o.message, details: details + o.details) }
            if firstRefused == nil, o.rule != nil { firstRefused = o }
        }
        guard let first = firstRefused else { return make(step, .skipped, "No harvested token could publish.", details: details) }
        // The step is blocked as the first refused token was: its rule, defense and message.
        var blocked = first
        blocked.id = step.id
        blocked.details = details
        return blocked
    }

    mutating func resetPassword(_ step: Step, account a: String) -> StepOutcome {
        guard scenario.world.accounts.contains(where: { $0.name == a }) else { return make(step, .skipped, "No account \(a).") }
        let domain = mailDomain(of: a)
        let ctx = RequestContext(credential: .none, sourceAddress: address(step, account: a))
        do {
            try registry.requestPasswordReset(username: a, context: ctx)
        } catch { return refused(step, error) }
        guard canReadMail(of: a, step.actor) else {
            return make(step, .blocked, "The reset mail goes to \(domain), which the \(step.actor == .attacker ? "attacker does" : "actor does") not control.", rule: .mailNotControlled, defense: "access-control")
        }
        guard let code = (try? registry.mailbox(domain: domain))?.last(where: { $0.account == a && $0.purpose == "password-reset" })?.code else {
            return make(step, .skipped, "No reset mail arrived.")
        }
        let newPassword = "reset-by-\(step.id)"
        do { try registry.completePasswordReset(username: a, code: code, newPassword: newPassword, context: ctx) } catch { return refused(step, error) }
        passwords[a] = newPassword
        if step.actor == .attacker { attackerPasswords[a] = newPassword }
        return make(step, .succeeded, "The reset mail reaches \(domain); the password of \(a) is now the \(step.actor == .attacker ? "attacker's" : "owner's") choice.")
    }

    mutating func enableTwoFactor(_ step: Step, account a: String, mode: TwoFactorMode, ref: CredentialRef) -> StepOutcome {
        let registry = self.registry
        let resolved = resolve(ref, step, account: a)
        guard case .credential(let cred, _) = resolved else { return skipOrNA(step, resolved) }
        let pw = step.actor == .attacker ? attackerPasswords[a] : passwords[a]
        let (result, details) = attempt(step, account: a, credential: cred) { (ctx) throws(Refusal) in try registry.enableTwoFactor(ctx, mode: mode, password: pw) }
        switch result {
        case .failure(let r): return refused(step, r, details: details)
        case .success(.modeChanged(let m)): return make(step, .succeeded, "Changed the 2FA mode of \(a) to \(m.rawValue).", details: details)
        case .success(.pendingConfirmation(let enrolment)):
            guard let totp = try? TOTP(base32Secret: enrolment.base32Secret) else { return make(step, .skipped, "Bad secret.") }
            do {
                _ = try registry.confirmTwoFactor(RequestContext(credential: cred, sourceAddress: address(step, account: a)), code: totp.code(at: clock.now()))
            } catch { return refused(step, error, details: details) }
            if step.actor == .attacker { attackerFactors[a] = enrolment.base32Secret }
            return make(step, .succeeded, "Enabled 2FA (\(mode.rawValue)) on \(a) with \(step.actor == .attacker ? "the attacker's" : "the owner's") authenticator.", details: details)
        }
    }

    mutating func install(_ step: Step, package p: String, version v: String?, consumers: [String]) -> StepOutcome {
        // What the install brings: the package and, through the world's dependency edges, the latest version of each
        // package it depends on, transitively (a dependent's caret range takes a dependency's new release [I]).
        let tree = (v ?? ((try? registry.resolve(package: p)) ?? nil)).map { dependencyTree(of: p, version: $0) } ?? []
        let pulledIn = tree.compactMap { node in malicious.last { $0.package == node.package && $0.version == node.version }.map { (node, $0) } }
        guard !pulledIn.isEmpty else {
            let publisher = scenario.steps.last { s in
                if case .publish(let pp, _, _, let release) = s.action { return tree.contains { $0.package == pp } && release.payload != .none && s.at <= step.at }
                return false
            }?.id
            return make(step, .skipped, "No malicious version of \(p)\(tree.count > 1 ? " or its dependencies" : "") to install" + (publisher.map { ": \(because($0))" } ?? "."))
        }
        // Each malicious version pulled in is judged in turn; the step succeeds when any one runs.
        var downloaded = false
        let outcomes = pulledIn.map { node, bad in
            installMalicious(step, root: p, package: node.package, version: node.version, via: node.via, bad: bad, consumers: consumers,
                             tree: tree, downloaded: &downloaded)
        }
        if outcomes.count == 1 { return outcomes[0] }
        let details = zip(pulledIn, outcomes).map { "\($0.0.package)@\($0.0.version): \($1.status.rawValue)\($1.rule.map { " (\($0))" } ?? "")" }
        if let ran = outcomes.first(where: { $0.status == .succeeded }) {
            return make(step, .succeeded, ran.message, details: details + outcomes.flatMap(\.details))
        }
        var first = outcomes[0]
        first.details = details + outcomes.flatMap(\.details)
        return first
    }

    /// The dependencies a new release of `package` keeps: those of its latest version (a release, or the worm's patch,
    /// changes the code and keeps package.json's dependencies [I]).
    func carriedDependencies(of package: String) -> [String] {
        guard let latest = (try? registry.resolve(package: package)) ?? nil else { return [] }
        return (try? registry.dependencies(of: package, version: latest)) ?? []
    }

    /// What taking a world token from its machine came to.
    enum TakenToken { case taken, removed(by: String), missing }

    /// Takes a world token for the attacker (steal-token, compromise-ci): its secret is theirs from now on, unless the
    /// profile removed the token from its machine (trusted publishing: no stored token), or the world has none by that id.
    mutating func take(token t: String) -> TakenToken {
        if let defense = world.removedTokens[t] { return .removed(by: defense) }
        guard let secret = world.tokenSecrets[t] else { return .missing }
        attackerTokens[t] = secret
        return .taken
    }

    /// The first malicious version, still live, that installing `package@version` brings through its dependencies
    /// (`package@version`), or nil.
    func maliciousDependency(of package: String, version: String) -> String? {
        for node in dependencyTree(of: package, version: version).dropFirst()
        where malicious.contains(where: { $0.package == node.package && $0.version == node.version })
            && removal(of: node.package, version: node.version) == nil {
            return node.package + "@" + node.version
        }
        return nil
    }

    /// Whether an install on `machine` brings `package`: it is one of the packages the machine's projects depend on, or a
    /// dependency of one of them at its latest version; a machine that lists none installs every package of the world
    /// its owner does not maintain.
    func installing(on machine: MachineSpec, brings package: String) -> Bool {
        guard let roots = machine.installs else {
            return scenario.world.packages.first { $0.name == package }.map { !$0.maintainers.contains(machine.owner) } ?? false
        }
        return roots.contains { root in
            guard let version = (try? registry.resolve(package: root)) ?? nil else { return false }
            return dependencyTree(of: root, version: version).contains { $0.package == package }
        }
    }

    /// What a workflow run on `machine` gets from the registry for `package`: an OIDC credential when the machine's
    /// repository and the package's release workflow are its trusted publisher.
    func mintOIDC(package p: String, onMachine m: String) throws(Refusal) -> String {
        let machine = scenario.world.machines.first { $0.id == m }
        let spec = scenario.world.packages.first { $0.name == p }
        return try registry.exchangeOIDCIdentity(package: p, repository: machine?.repository ?? spec?.repository ?? "",
                                                 workflow: spec?.releaseWorkflow ?? "release.yml")
    }

    /// A package's version and everything it depends on, transitively, each at its latest version; `via` names the
    /// dependent that pulls a package in (nil for the root). Breadth first, each package once.
    func dependencyTree(of package: String, version: String) -> [InstalledPackage] {
        var tree: [InstalledPackage] = [(package, version, nil)]
        var seen: Set<String> = [package]
        var next = 0
        while next < tree.count {
            let node = tree[next]
            next += 1
            for dependency in (try? registry.dependencies(of: node.package, version: node.version)) ?? [] where !seen.contains(dependency) {
                seen.insert(dependency)
                guard let latest = (try? registry.resolve(package: dependency)) ?? nil else { continue }
                tree.append((dependency, latest, node.package))
            }
        }
        return tree
    }

    /// Installs one malicious version the step pulls in (the root package, or a dependency `via` a dependent).
    mutating func installMalicious(_ step: Step, root: String, package p: String, version: String, via: String?,
                                   bad: MaliciousVersion, consumers: [String], tree: [InstalledPackage],
                                   downloaded: inout Bool) -> StepOutcome {
        let what = via.map { "\(p)@\(version), which \($0) depends on," } ?? "\(p)@\(version)"
        // "1 consumer installs", "3 consumers install": who installs what, the verb agreeing with the count.
        let installs = (consumers.count == 1 ? "1 consumer installs " : "\(consumers.count) consumers install ")
            + (via == nil ? "\(p)@\(version)" : "\(root), which pulls in \(p)@\(version)")
        let tokens = { (n: Int) in n == 1 ? "1 npm token" : "\(n) npm tokens" }
        if removal(of: p, version: version) != nil {
            return make(step, .skipped, "\(p)@\(version) was removed before this install.")
        }
        if let hours = world.minimumReleaseAgeHours, step.at - bad.at < Int64(hours) * 3_600 {
            return make(step, .blocked, "Consumers wait \(hours) hours before installing a new version; \(what) is \((step.at - bad.at) / 60) minutes old.",
                        rule: .consumerMinimumReleaseAge, defense: DefenseKind.minimumReleaseAge.rawValue)
        }
        if !downloaded {
            downloaded = true
            for c in consumers {
                let addr = scenario.world.machines.first { $0.owner == c }?.address ?? .loopback
                for node in tree { _ = try? registry.download(.anonymous(from: addr), package: node.package, version: node.version) }
            }
        }
        if bad.runs == .onImport {
            guard bad.payload.harvestsTokens else {
                return make(step, .succeeded, "\(installs); its payload runs when their projects import it.")
            }
            // No script: the code runs when the consumers' projects import the package, whatever their install options.
            let got = harvest(from: consumers, package: p, needsScripts: false)
            let bypassed = world.ignoreScripts || scenario.world.machines.contains { consumers.contains($0.owner) && !world.runsInstallScripts(on: $0, of: p) }
            return make(step, .succeeded, "\(installs); its code runs when their projects import it and sends \(tokens(got.count)) to the attacker.",
                        details: got.map { "harvested \($0)" } + (bypassed ? ["no install script runs: the install-script defenses in force have nothing to stop"] : []))
        }
        if world.ignoreScripts {
            return make(step, .blocked, "Consumers install with --ignore-scripts: the postinstall of \(what) never runs.",
                        rule: .consumerIgnoreScripts, defense: DefenseKind.ignoreScripts.rawValue)
        }
        let machines = scenario.world.machines.filter { consumers.contains($0.owner) }
        let withoutScripts = machines.filter { !world.runsInstallScripts(on: $0, of: p) }.map(\.id)
        if !machines.isEmpty && withoutScripts.count == machines.count {
            return make(step, .blocked, "Consumers install with npm 12 or later, which runs no dependency install scripts the project did not allow: the postinstall of \(what) never runs.",
                        rule: .consumerScriptsNotAllowed, defense: DefenseKind.npmClient.rawValue)
        }
        let skipped = withoutScripts.map { "\($0) runs npm 12 or later: the postinstall does not run there" }
        // A payload that harvests nothing (a miner, a clipper, a RAT) runs all the same where install scripts run.
        guard bad.payload.harvestsTokens else {
            return make(step, .succeeded, "\(installs); its payload runs on their machines.", details: skipped)
        }
        let got = harvest(from: consumers, package: p)
        return make(step, .succeeded, "\(installs); its postinstall sends \(tokens(got.count)) to the attacker.",
                    details: got.map { "harvested \($0)" } + skipped)
    }

    /// Runs a harvesting payload of `package` on the consumers' machines: where install scripts run when it comes as
    /// one (`needsScripts`), on every one when it runs on import.
    mutating func harvest(from consumers: [String], package: String, needsScripts: Bool = true) -> [String] {
        harvest(on: scenario.world.machines.filter { consumers.contains($0.owner) }, package: package, needsScripts: needsScripts)
    }

    /// Runs a harvesting payload of `package` on `machines` (those where install scripts run, when it needs them).
    mutating func harvest(on machines: [MachineSpec], package: String, needsScripts: Bool = true) -> [String] {
        var got: [String] = []
        for m in machines where !needsScripts || world.runsInstallScripts(on: m, of: package) {
            for t in m.tokensAnInstallExposes {
                guard let secret = world.tokenSecrets[t.id], !harvested.contains(where: { $0.id == t.id }) else { continue }
                harvested.append((t.id, secret, t.owner, m.address))
                attackerTokens[t.id] = secret
                got.append("\(t.id) (\(t.owner))")
            }
            // npm's stored login is read with the tokens: what it is worth (a classic token, or from 9 Dec 2025 a
            // 2-hour session that publishes only with a second factor) is the registry's to judge when it is used.
            for s in m.sessionsAnInstallExposes {
                guard let login = world.sessions[s.id], !harvested.contains(where: { $0.id == s.id }) else { continue }
                harvested.append((s.id, login.token, s.account, m.address))
                got.append("\(s.id) (\(s.account)'s stored login)")
            }
        }
        return got
    }

    /// The worm: with every harvested token not yet used, publish a patch of each package its owner maintains, from the infected machine;
    /// each infected package's installers are harvested in turn.
    mutating func wormSpread(_ step: Step, generations: Int) -> StepOutcome {
        var details: [String] = []
        var published = 0
        var refusal: Refusal?
        for g in 1...generations {
            let batch = harvested.filter { !wormUsed.contains($0.id) }
            if batch.isEmpty { break }
            for token in batch {
                wormUsed.insert(token.id)
                let owned = ((try? registry.packageNames()) ?? []).filter { name in
                    ((try? registry.package(name)) ?? nil)?.maintainers.contains(token.owner) ?? false
                }
                for name in owned {
                    guard let record = (try? registry.package(name)) ?? nil,
                          let highest = record.versions.compactMap({ SemanticVersion($0.version) }).max() else { continue }
                    let next = "\(highest.major).\(highest.minor).\(highest.patch + 1)"
                    let request = publishRequest(package: name, version: next, release: Release(payload: .worm))
                    // The worm runs on the infected machine: its requests come from there, with no second factor to give.
                    let ctx = RequestContext(credential: .bearer(token.secret), sourceAddress: token.address)
                    do {
                        try registry.publish(ctx, request)
                        published += 1
                        malicious.append((name, next, .worm, step.at, .install))
                        details.append("generation \(g): \(token.owner)'s token publishes \(name)@\(next)")
                        // The machines whose next install brings the infected version (the infected machine is done).
                        let installers = scenario.world.machines.filter { $0.owner != token.owner && installing(on: $0, brings: name) }
                        if world.ignoreScripts { details.append("installers of \(name) ignore scripts: nothing harvested"); continue }
                        if world.minimumReleaseAgeHours != nil { details.append("installers of \(name) wait before installing new versions: nothing harvested"); continue }
                        let got = harvest(on: installers, package: name)
                        if !got.isEmpty { details.append("installs of \(name)@\(next) harvest " + got.joined(separator: ", ")) }
                    } catch {
                        refusal = refusal ?? error
                        details.append("generation \(g): \(token.owner)'s token cannot publish \(name): \(error.rule)")
                    }
                }
            }
        }
        if published > 0 {
            return make(step, .succeeded, "The worm publishes \(published) infected versions with harvested tokens.", details: details)
        }
        if let refusal { return refused(step, refusal, details: details) }
        return make(step, .skipped, "The worm found no package to infect.", details: details)
    }

    // MARK: Goals and reach

    func goalsReached() -> [String] {
        scenario.goals.filter { goal in
            switch goal.kind {
            // A release that brings a malicious dependency counts for its own package: its installers run the code.
            case .publishMalicious: malicious.contains { goal.packages.contains($0.package) } || carriers.contains { goal.packages.contains($0.package) }
            case .takeOverAccount: goal.account.map { takeovers.contains($0) || attackerFactors[$0] != nil } ?? false
            case .harvestTokens: !harvested.isEmpty
            case .packageUnavailable: goal.packages.contains { unpublishedByAttacker.contains($0) }
            case .ownershipChanged:
                goal.packages.contains { p in
                    ownersChangedByAttacker.contains(p)
                        || scenario.world.packages.first { $0.name == p }?.maintainers.contains { accountsControlledByAttacker.contains($0) } == true
                }
            case .accountControl: goal.account.map { accountsControlledByAttacker.contains($0) } ?? false
            }
        }.map(\.id)
    }

    func blastRadius() -> BlastRadius? {
        guard !malicious.isEmpty || !carriers.isEmpty || !harvested.isEmpty else { return nil }
        var reach: [VersionReach] = []
        // Every version that put malicious code in its installers' hands, in publication order: those with code of
        // their own, and those that bring it through a dependency.
        let released: [(package: String, version: String, at: Int64, carries: String?)] =
            (malicious.map { ($0.package, $0.version, $0.at, nil) } + carriers.map { ($0.package, $0.version, $0.at, $0.carries) })
            .enumerated().sorted { ($0.element.2, $0.offset) < ($1.element.2, $1.offset) }.map(\.element)
        for (i, m) in released.enumerated() {
            let weekly = scenario.world.packages.first { $0.name == m.package }?.weeklyDownloads ?? 0
            var hours: Double? = scenario.blastRadius?.hoursLive
            if let removed = removal(of: m.package, version: m.version) { hours = Double(removed - m.at) / 3_600 }
            var installs: Int? = nil
            if let h = hours {
                // Installs go to the newest malicious version: an earlier one stops collecting them when a later one
                // of the same package is published, so versions live at once are not counted twice.
                var exposure = h
                if let next = released[(i + 1)...].first(where: { $0.package == m.package }) {
                    exposure = min(exposure, Double(next.at - m.at) / 3_600)
                }
                let held = Double(world.minimumReleaseAgeHours ?? 0)
                installs = Int((Double(weekly) * max(0, exposure - held) / 168).rounded())
            }
            reach.append(VersionReach(package: m.package, version: m.version, hoursLive: hours.map { ($0 * 100).rounded() / 100 }, weeklyDownloads: weekly,
                                      estimatedInstalls: installs, carries: m.carries))
        }
        let method = "estimate: weekly downloads × hours live ÷ 168 (until a newer malicious version of the package takes over)" + (world.minimumReleaseAgeHours.map { ", minus the first \($0) hours a minimum release age holds back" } ?? "")
            + "; hours live from the replay's removal step, else the scenario's figure" + (scenario.blastRadius?.hoursLive.map { " (\($0) h)" } ?? "")
        var radius = BlastRadius(versions: reach, tokensHarvested: harvested.count,
                                 tokensExposedFigure: harvested.isEmpty ? nil : scenario.blastRadius?.tokensExposed, isEstimate: true, method: method)
        var wormPackages: [String] = []
        for m in malicious where m.payload == .worm && !wormPackages.contains(m.package) { wormPackages.append(m.package) }
        if !wormPackages.isEmpty {
            let maintainers = Set(wormPackages.flatMap { ((try? registry.package($0)) ?? nil)?.maintainers ?? [] })
            radius.worm = WormReach(packages: wormPackages, maintainers: maintainers.sorted())
        }
        return radius
    }
}

extension StepOutcome {
    func also(_ body: (StepOutcome) -> Void) -> StepOutcome { body(self); return self }
}
