import DrillEngine
import DrillRegistry
import DrillServer
import Foundation

/// Plugs the scenario engine into `regdrill serve --scenario S [--profile P]`: the live registry starts from the
/// scenario's world as the profile changes it, with the rules of the scenario's date unless `--era` says otherwise.
struct EngineSeeder: RegistrySeeder {
    func era(scenario: String, profile: String?) throws -> RegistryEra? {
        let lib = try library()
        let s = try lib.scenario(scenario)
        let p = try profile.map { id throws in try lib.profile(id) } ?? lib.profile("historical")
        return p.era ?? s.date
    }

    func seed(_ registry: Registry, scenario: String, profile: String?) throws -> SeedSummary {
        let lib = try library()
        let s = try lib.scenario(scenario)
        let p = try profile.map { id throws in try lib.profile(id) } ?? lib.profile("historical")
        let world = try PreparedWorld.seed(s, profile: p, into: registry, start: registry.clock.now())
        var summary = SeedSummary()
        for a in s.world.accounts {
            let mode = world.effectiveMode[a.name] ?? .disabled
            let factor = world.effectiveFactor[a.name] ?? .totp
            var note = a.controlledBy == .attacker ? "the attacker's own account" : "maintainer"
            if a.passwordReused { note += "; password leaked in another site's breach" }
            if mode != .disabled && factor == .securityKey { note += "; security key (cannot be driven from the npm CLI)" }
            summary.accounts.append(SeededAccount(name: a.name, password: a.password, twoFactor: mode,
                                                  totpSecret: mode != .disabled && factor == .totp ? world.totpSecrets[a.name] : nil, note: note))
        }
        summary.notes.append("scenario \(s.id): \(s.title)")
        summary.notes.append("profile \(p.id): \(p.title)")
        for m in s.world.machines {
            for t in m.tokens {
                if let secret = world.tokenSecrets[t.id] {
                    summary.notes.append("token \(t.id) (\(t.kind.rawValue), \(m.kind == .ci ? "CI secret" : "~/.npmrc") on \(m.id), owner \(t.owner)): \(secret)")
                } else {
                    summary.notes.append("token \(t.id) on \(m.id): none under this profile")
                }
            }
        }
        // The open logins, as a stolen one would be used: npm takes either as its _authToken.
        for m in s.world.machines {
            for session in m.sessions {
                guard let login = world.sessions[session.id] else { continue }
                let what = login.kind == .session ? "a login session until \(Timestamp.iso8601(login.expires ?? 0))" : "what npm login left: a \(login.kind.rawValue) token"
                summary.notes.append("open login \(session.id) of \(session.account) on \(m.id) (\(what)): \(login.token)")
            }
        }
        summary.notes.append("packages: " + s.world.packages.map(\.name).joined(separator: ", "))
        return summary
    }
}
