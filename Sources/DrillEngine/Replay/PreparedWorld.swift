import DrillCrypto
import DrillRegistry

/// A scenario's world seeded into a registry under a profile, ready to be replayed many times.
///
/// Seeding happens once; each replay works on a copy of the template store (SQLite's backup API),
/// so replays never see each other's state.
public struct PreparedWorld: Sendable {
    public let scenario: Scenario
    public let profile: Profile
    public let era: RegistryEra
    /// The seeded registry: replays copy it; the live server serves it.
    public let template: Registry
    /// Secrets of the world's tokens, by token id; absent when a defense removed the token.
    public let tokenSecrets: [String: String]
    /// What each open login of the world is under the era (a classic token before 9 Dec 2025, a session from then), by session id.
    public let sessions: [String: LoginResult]
    /// Tokens a defense removed, with that defense's id.
    let removedTokens: [String: String]
    public let totpSecrets: [String: String]
    let securityKeys: [String: SecurityKeyPair]
    public let effectiveMode: [String: TwoFactorMode]
    public let effectiveFactor: [String: SecondFactorKind]
    let ignoreScripts: Bool
    let minimumReleaseAgeHours: Int?
    /// The npm major a profile gives every consumer machine, and the packages its projects allow scripts for.
    let npmClientOverride: (major: Int, allowScripts: Set<String>)?
    let startTime: Int64

    /// Whether installing `package` on `machine` runs its install scripts: every npm before 12 does; from npm 12 (8 Jul
    /// 2026) only for packages the project allows (npm CLI 12 changelog: `allowScripts`).
    func runsInstallScripts(on machine: MachineSpec, of package: String) -> Bool {
        let major = npmClientOverride?.major ?? machine.npmClient ?? 10
        return major < 12 || (npmClientOverride?.allowScripts.contains(package) ?? false)
    }

    /// The time the world is seeded at: a day before the first step.
    static func start(of scenario: Scenario) -> Int64 {
        (scenario.steps.map(\.at).min() ?? scenario.date.startOfDay) - 86_400
    }

    /// Seeds `scenario`'s world as `profile` changes it.
    public static func prepare(_ scenario: Scenario, profile: Profile, parameters: PolicyParameters = .init()) throws -> PreparedWorld {
        let era = profile.era ?? scenario.date
        let start = start(of: scenario)
        let clock = ManualClock(start)
        let registry = try Registry(configuration: RegistryConfiguration(era: era, parameters: parameters, passwordCost: .bulkSimulation), clock: clock)
        return try seed(scenario, profile: profile, into: registry, start: start)
    }

    /// Seeds `scenario`'s world as `profile` changes it into an existing registry (the live server's), with every
    /// time of the world (token creation, expiry) counted back from `start`.
    public static func seed(_ scenario: Scenario, profile: Profile, into registry: Registry, start: Int64) throws -> PreparedWorld {
        let era = registry.era
        // The times a file gives (a token's creation and expiry, a login's start) are the scenario's; a registry that
        // starts elsewhere (the live server's present) moves them with it, so they stand as far from its start as
        // from the scenario's. A replay starts where the scenario does: nothing moves.
        let shift = start - Self.start(of: scenario)

        var mode: [String: TwoFactorMode] = [:], factor: [String: SecondFactorKind] = [:]
        for a in scenario.world.accounts { mode[a.name] = a.twoFactor; factor[a.name] = a.factor }
        var readOnly = false, cidrPrefix: Int?, granularDays: Int?, disallow = false, trusted = false, ignoreScripts = false, minAge: Int?
        var npmClient: (major: Int, allowScripts: Set<String>)?
        var stageOnly = false
        for d in profile.defenses {
            switch d {
            case .twoFactor(let m, let f):
                for a in scenario.world.accounts { mode[a.name] = m; factor[a.name] = f }
            case .readOnlyTokens: readOnly = true
            case .cidrTokens(let p): cidrPrefix = p
            case .granularShortLivedTokens(let days): granularDays = days
            case .disallowTokens: disallow = true
            case .trustedPublishing: trusted = true
            case .ignoreScripts: ignoreScripts = true
            case .minimumReleaseAge(let h): minAge = h
            case .npmClient(let major, let allowed): npmClient = (major, Set(allowed))
            case .stageOnlyTokens: stageOnly = true
            }
        }

        // A second factor the era lets one set up: TOTP, or from 13 Oct 2025 a security key (new TOTP set-ups closed).
        let enrollable: SecondFactorKind = era.has(.totpSetupClosed) ? .securityKey : .totp
        // Where a profile's defense means an account cannot be without 2FA, it has the weakest 2FA that satisfies it
        // (auth-only [I]) with a factor of its era:
        // - a maintainer of a package the profile makes require 2FA (disallow-tokens, trusted-publishing): such a
        //   package with a maintainer without 2FA is not a real configuration, since they could not publish it at all;
        // - a maintainer of a high-impact package in an era where npm made them set up 2FA (from Feb 2022): such an
        //   account without 2FA is not what the era's registry held;
        // - an account the attacker owns (an insider, a maintainer they became), when its packages or the era demand
        //   2FA: its holder has the factor, so such a demand never stops them.
        // The packages the profile sets to "require 2FA and disallow tokens": all of them, or those with a release
        // repository under trusted publishing.
        func profileRequiresTwoFactor(_ p: PackageSpec) -> Bool { disallow || (trusted && p.repository != nil) }
        let parameters = registry.configuration.parameters
        let mustHaveTwoFactor = Set(scenario.world.packages.filter(profileRequiresTwoFactor).flatMap(\.maintainers))
        // npm made these set up 2FA in 2022, when TOTP was the factor nearly everyone set up [I]; it still works after
        // new TOTP set-ups closed (13 Oct 2025).
        let madeToSetUpTwoFactor = Set(scenario.world.packages.filter {
            parameters.mandatesTwoFactor(forMaintainerOf: $0.weeklyDownloads, in: era)
        }.flatMap(\.maintainers))
        for a in scenario.world.accounts where mode[a.name] == .disabled {
            let insiderNeedsIt = a.controlledBy == .attacker && (disallow || trusted || era.has(.classicTokensRevoked))
            if madeToSetUpTwoFactor.contains(a.name) {
                mode[a.name] = .authOnly
                factor[a.name] = .totp
            } else if mustHaveTwoFactor.contains(a.name) || insiderNeedsIt {
                mode[a.name] = .authOnly
                factor[a.name] = enrollable
            }
        }

        var totp: [String: String] = [:], keys: [String: SecurityKeyPair] = [:]
        for a in scenario.world.accounts {
            let secret = Base32.encode(Digest.hash(Array("regdrill:\(scenario.id):\(a.name)".utf8), algorithm: .sha1))
            totp[a.name] = secret
            var der: [UInt8]? = nil
            if mode[a.name] != .disabled && factor[a.name] == .securityKey {
                let pair = try SecurityKeyPair.generate()
                keys[a.name] = pair
                der = pair.publicKeyDER
            }
            try registry.seedAccount(name: a.name, email: a.email, password: a.password, twoFactor: mode[a.name] ?? .disabled,
                                     totpSecret: secret, securityKeyDER: der, created: start - 365 * 86_400)
        }
        for p in scenario.world.packages {
            var policy = p.publishing
            var publisher: TrustedPublisher? = p.trustedPublisher ? TrustedPublisher(repository: p.repository ?? "", workflow: p.releaseWorkflow ?? "release.yml") : nil
            if profileRequiresTwoFactor(p) { policy = .twoFactorAndDisallowTokens }
            if trusted, let repo = p.repository {
                publisher = TrustedPublisher(repository: repo, workflow: p.releaseWorkflow ?? "release.yml")
            }
            try registry.seedPackage(name: p.name, maintainers: p.maintainers, versions: p.versions, policy: policy, trustedPublisher: publisher,
                                     weeklyDownloads: p.weeklyDownloads, created: start - 365 * 86_400, dependencies: p.dependencies)
        }
        for o in scenario.world.orgs {
            try registry.seedOrg(name: o.name, members: o.members, requiresTwoFactor: o.requiresTwoFactor)
        }
        let trustedRepos = Set(trusted ? scenario.world.packages.compactMap(\.repository) : [])
        var secrets: [String: String] = [:], removed: [String: String] = [:]
        for m in scenario.world.machines {
            for t in m.tokens {
                if trusted && m.kind == .ci && (m.repository.map(trustedRepos.contains) ?? true) {
                    removed[t.id] = "trusted-publishing"
                    continue
                }
                var kind = t.kind
                var permission: TokenPermission = kind == .readOnly ? .readOnly : .readWrite
                if readOnly && m.kind == .laptop {
                    permission = .readOnly
                    // After 9 Dec 2025 there are no classic tokens: a read-only token is a granular one.
                    kind = era.has(.classicTokensRevoked) ? .granular : .readOnly
                }
                if stageOnly && permission == .readWrite {
                    kind = .granular
                    permission = .readWriteStageOnly
                }
                var packages = t.packages
                var created = t.created.map { $0 + shift } ?? start - Int64(t.createdDaysBefore) * 86_400
                var expires: Int64? = t.expires.map { $0 + shift }
                if kind == .granular && granularDays == nil && t.kind != .granular {
                    // A classic token the profile turned granular: made when classic tokens went, to expire a year
                    // later [I: granular tokens must expire; read-only ones have no maximum].
                    created = max(created, RuleChange.classicTokensRevoked.effective.startOfDay)
                    expires = created + 365 * 86_400
                }
                if let days = granularDays {
                    if kind != .readOnly { kind = .granular } else { kind = .granular; permission = .readOnly }
                    if packages.isEmpty { packages = scenario.world.packages.filter { $0.maintainers.contains(t.owner) }.map(\.name) }
                    // A short-lived token is rotated: the one on the machine is at most half its lifetime old.
                    created = max(created, start - Int64(days) * 86_400 / 2)
                    expires = created + Int64(days) * 86_400
                }
                var cidr: [CIDRBlock] = []
                if let prefix = cidrPrefix, m.address.isIPv4 {
                    cidr = [try CIDRBlock(PreparedWorld.network(of: m.address, prefix: prefix))]
                }
                let request = TokenRequest(kind: kind, permission: permission, packages: packages, cidrAllowlist: cidr,
                                           bypassTwoFactor: t.bypassTwoFactor, description: t.id)
                secrets[t.id] = try registry.seedToken(owner: t.owner, request: request, created: created, expires: expires)
            }
        }
        var sessions: [String: LoginResult] = [:]
        for m in scenario.world.machines {
            for s in m.sessions {
                // The box is offered at a 2FA prompt: an account without 2FA (as this profile leaves it) never saw one.
                sessions[s.id] = try registry.seedLogin(owner: s.account, at: s.started + shift,
                                                        skippedSecondFactor: s.skippedTwoFactor && mode[s.account] != .disabled)
            }
        }
        return PreparedWorld(scenario: scenario, profile: profile, era: era, template: registry, tokenSecrets: secrets, sessions: sessions, removedTokens: removed,
                             totpSecrets: totp, securityKeys: keys, effectiveMode: mode, effectiveFactor: factor,
                             ignoreScripts: ignoreScripts, minimumReleaseAgeHours: minAge, npmClientOverride: npmClient, startTime: start)
    }

    static func network(of address: IPAddress, prefix: Int) -> String {
        var bytes = address.bytes
        var remaining = prefix
        for i in 0..<bytes.count {
            let keep = max(0, min(8, remaining))
            let mask: UInt8 = keep == 8 ? 0xff : (keep == 0 ? 0 : ~(0xff >> UInt8(keep)))
            bytes[i] &= mask
            remaining -= 8
        }
        return bytes.map(String.init).joined(separator: ".") + "/\(prefix)"
    }
}
