import DrillRegistry
import Foundation

/// A named set of defenses with parameters, read from `scenarios/profiles/*.yaml`.
public struct Profile: Sendable {
    public var id: String
    public var title: String
    public var description: String
    /// nil: the scenario's own date (the rules as they were).
    public var era: RegistryEra?
    public var defenses: [DefenseSetting]
    public var file: String

    public init(id: String, title: String, description: String, era: RegistryEra?, defenses: [DefenseSetting], file: String = "") {
        self.id = id; self.title = title; self.description = description; self.era = era; self.defenses = defenses; self.file = file
    }

    /// The historical profile: the scenario's date, the world as it was.
    public static let historical = Profile(id: "historical", title: "As it happened", description: "The rules of the scenario's date and the defenses the victims really had.", era: nil, defenses: [])

    /// The standard profiles, in the order the matrix shows them.
    public static let standardOrder = ["historical", "no-2fa", "auth-only", "auth-and-writes", "security-key", "read-only-tokens",
                                       "cidr-tokens", "granular-short-lived-tokens", "disallow-tokens", "trusted-publishing",
                                       "staged-publishing", "npm-2025-12", "npm-2027-01"]
}

public enum ProfileLoader {
    /// Reads through the same bounded reader as scenario files: a profile is untrusted input too.
    public static func load(path: String) throws(ValidationFailure) -> Profile {
        try parse(SourceFile.read(path: path, limits: LoadLimits(), what: "profile"), file: path)
    }

    /// Loads a file's bytes as `load(path:)` would the file, with `file` naming it in diagnostics.
    public static func load(bytes: [UInt8], file: String) throws(ValidationFailure) -> Profile {
        try parse(SourceFile.text(bytes, file: file, limits: LoadLimits(), what: "profile"), file: file)
    }

    public static func parse(_ text: String, file: String) throws(ValidationFailure) -> Profile {
        let root: YNode
        do { root = try YAMLDocument.parse(text, file: file, limits: LoadLimits()) } catch {
            if case .failed(let d) = error { throw ValidationFailure([d]) }
            throw ValidationFailure([])
        }
        let sink = DiagnosticSink(file: file)
        guard let top = ObjectReader(root, ProfileFormat.profile, sink: sink) else { throw ValidationFailure(sink.diagnostics) }
        let id = top.string("id", required: true) ?? ""
        let title = top.string("title", required: true) ?? ""
        let description = top.string("description") ?? ""
        var era: RegistryEra?
        if let e = top.string("era"), e != "scenario" {
            do { era = try RegistryEra(e) } catch { sink.error(.invalidValue, top.value("era")!.position, error.description, hint: "or write 'scenario' for the scenario's own date") }
        }
        var defenses: [DefenseSetting] = []
        for node in top.list("defenses") ?? [] {
            guard let d = ObjectReader(node, ProfileFormat.anyDefense, sink: sink) else { continue }
            let did = d.string("id", required: true) ?? ""
            guard let kind = DefenseKind(rawValue: did) else {
                if !did.isEmpty {
                    let known = DefenseKind.allCases.map(\.rawValue)
                    sink.error(.unknownWord, d.value("id")!.position, "unknown defense '\(did)'",
                               hint: sink.didYouMean(did, in: known, otherwise: "one of: " + known.joined(separator: ", ")))
                }
                d.abandon(); d.finish(); continue
            }
            d.narrow(to: ProfileFormat.defense(kind))
            switch kind {
            case .twoFactor:
                defenses.append(.twoFactor(mode: d.choice("mode", TwoFactorMode.self, required: true) ?? .authOnly,
                                           factor: d.choice("factor", SecondFactorKind.self) ?? .totp))
            case .readOnlyTokens: defenses.append(.readOnlyTokens)
            case .cidrTokens: defenses.append(.cidrTokens(prefix: d.int("prefix") ?? 24))
            case .granularShortLivedTokens: defenses.append(.granularShortLivedTokens(lifetimeDays: d.int("lifetimeDays") ?? 7))
            case .disallowTokens: defenses.append(.disallowTokens)
            case .trustedPublishing: defenses.append(.trustedPublishing)
            case .ignoreScripts: defenses.append(.ignoreScripts)
            case .minimumReleaseAge: defenses.append(.minimumReleaseAge(hours: d.int("hours") ?? 24))
            case .stageOnlyTokens: defenses.append(.stageOnlyTokens)
            case .npmClient: defenses.append(.npmClient(major: d.int("version") ?? 12, allowScripts: d.strings("allowScripts") ?? []))
            }
            d.finish()
        }
        top.finish()
        if sink.hasErrors { throw ValidationFailure(sink.diagnostics) }
        return Profile(id: id, title: title, description: description, era: era, defenses: defenses, file: file)
    }
}
