import Foundation

/// The registry's rules as of one day.
///
/// npm's account and token rules changed over the years; a scenario replayed "as it happened"
/// uses the rules of its date, and any profile can name another era. An era is named by a date
/// such as `2018-07-12` and answers which ``RuleChange`` values are in force on that day.
public struct RegistryEra: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    /// The day, as `yyyy-MM-dd` in UTC.
    public let date: String
    /// Seconds since 1970 at 00:00 UTC of `date`.
    public let startOfDay: Int64

    /// - Throws: ``EraError`` when `name` is not a real `yyyy-MM-dd` date between 2010 and 2100.
    public init(_ name: String) throws(EraError) {
        guard let seconds = RegistryEra.parseDay(name) else { throw EraError(text: name) }
        self.date = name
        self.startOfDay = seconds
    }

    public static func < (lhs: RegistryEra, rhs: RegistryEra) -> Bool { lhs.startOfDay < rhs.startOfDay }
    public var description: String { date }

    /// Whether `change` had happened on or before this era's day.
    public func has(_ change: RuleChange) -> Bool { startOfDay >= change.effective.startOfDay }

    /// Days on which npm switched enhanced login verification on for every account before it stayed on from
    /// 1 Mar 2022 (github.blog 2022-02-01: brown-outs on 16 and 23 Feb 2022). A day is the era's unit.
    public static let loginVerificationBrownoutDays: Set<String> = ["2022-02-16", "2022-02-23"]

    /// Whether this day is one of ``loginVerificationBrownoutDays``.
    public var isLoginVerificationBrownout: Bool { RegistryEra.loginVerificationBrownoutDays.contains(date) }

    /// The changes in force, oldest first.
    public var changesInForce: [RuleChange] { RuleChange.allCases.filter(has) }

    /// The era of the day that contains `unixSeconds`.
    public static func containing(unixSeconds: Int64) -> RegistryEra {
        (try? RegistryEra(Timestamp.day(unixSeconds))) ?? RegistryEra.latest
    }

    /// The newest rules this simulator knows (the Aug 2026 change is in force).
    public static let latest: RegistryEra = try! RegistryEra("2026-11-29")

    static func parseDay(_ text: String) -> Int64? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        // Int("+7") is 7: check for plain ASCII digits first.
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) } }),
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (2010...2100).contains(y), (1...12).contains(m), (1...31).contains(d)
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let comps = DateComponents(year: y, month: m, day: d)
        guard let date = calendar.date(from: comps),
              calendar.component(.day, from: date) == d else { return nil }
        return Int64(date.timeIntervalSince1970)
    }
}

public struct EraError: Error, CustomStringConvertible, Equatable {
    public let text: String
    public var description: String {
        "'\(text)' is not an era: write a date as yyyy-MM-dd between 2010-01-01 and 2100-12-31, for example 2018-07-12"
    }
}

/// A dated change of npm's rules. The table is the source for `regdrill rules` and for every era check.
///
/// Each case carries the day it took effect and the public source that documents it
/// (the catalog, `regdrill rules`, prints both).
public enum RuleChange: String, CaseIterable, Sendable, Codable {
    case unpublishWithin24Hours = "unpublish-24h"
    case twoFactorModes = "2fa-modes"
    case packageNameSimilarity = "package-name-similarity"
    case revocationImmediate = "revocation-immediate"
    case unpublishWithin72Hours = "unpublish-72h"
    case packageTwoFactorSetting = "package-2fa-setting"
    case lateUnpublishWithConditions = "unpublish-late-conditions"
    case automationTokens = "automation-tokens"
    case loginVerificationStagedForPublishers = "login-verification-staged"
    case loginVerificationForPublishers = "login-verification-publishers"
    case topHundredMaintainersNeedTwoFactor = "top-100-maintainers-2fa"
    case orgTwoFactorEnforcement = "org-2fa-enforcement"
    case emailedLoginCodes = "emailed-login-codes"
    case securityKeys = "security-keys"
    /// The raw value predates the 2026 correction (token creation always needed the code under auth-only; only
    /// revocation changed in Aug 2022); it stays as it was because reports and `--db` files name it.
    case tokenRevocationNeedsCodeUnderAuthOnly = "auth-only-token-management"
    case highImpactMaintainersNeedTwoFactor = "high-impact-maintainers-2fa"
    case granularTokens = "granular-tokens"
    case granularTokensGenerallyAvailable = "granular-tokens-ga"
    /// Informational: provenance informs installs and refuses nothing.
    case provenance = "provenance"
    case granularTokenLimitsRelaxed = "granular-token-limits-relaxed"
    case trustedPublishing = "trusted-publishing"
    case totpSetupClosed = "totp-setup-closed"
    case writeTokenLifetimes = "write-token-lifetimes"
    case bypassTwoFactorFlag = "bypass-2fa-flag"
    case classicTokensRevoked = "classic-tokens-revoked"
    case packageSettingsNeedTwoFactor = "package-settings-need-2fa"
    case publishingNeedsTwoFactor = "publishing-needs-2fa"
    case webSecondFactorGrace = "web-2fa-skip-5-minutes"
    case circleCITrustedPublishing = "trusted-publishing-circleci"
    case stagedPublishing = "staged-publishing"
    case highImpactReadOnly = "high-impact-read-only"
    /// A client's change, not the registry's: applied by the engine's `npm-client` defense and machines' `npmClient`.
    case npmTwelve = "npm-12"
    case dualUseContentPolicy = "dual-use-content-policy"
    case bypassTokensBarredFromAccountActions = "bypass-barred-from-account-actions"
    case stagingNewPackages = "staging-new-packages"
    case multipleTrustedPublishers = "trusted-publishers-ten"
    case stageOnlyTokens = "stage-only-tokens"
    /// Announced, not in force by the simulator's latest era (``isAnnounced``).
    case bypassTokensStageOnly = "bypass-tokens-stage-only"

    /// Whether npm has only announced the change: a facilitator can show what it will do by naming an era on or after
    /// its day, but no era up to ``RegistryEra/latest`` has it.
    public var isAnnounced: Bool { effective > RegistryEra.latest }

    /// The day the change took effect (computed once: era checks run on every decision).
    public var effective: RegistryEra { RuleChange.effectiveEras[self]! }

    private static let effectiveEras: [RuleChange: RegistryEra] =
        Dictionary(uniqueKeysWithValues: allCases.map { ($0, $0.computeEffective()) })

    private func computeEffective() -> RegistryEra {
        switch self {
        case .unpublishWithin24Hours: try! RegistryEra("2016-03-29")
        case .twoFactorModes: try! RegistryEra("2017-10-05")
        case .packageNameSimilarity: try! RegistryEra("2017-12-27")
        case .revocationImmediate: try! RegistryEra("2018-01-01")
        case .unpublishWithin72Hours: try! RegistryEra("2018-06-29")
        case .packageTwoFactorSetting: try! RegistryEra("2018-07-13")
        case .lateUnpublishWithConditions: try! RegistryEra("2020-01-30")
        case .automationTokens: try! RegistryEra("2020-10-02")
        case .loginVerificationStagedForPublishers: try! RegistryEra("2021-12-07")
        case .loginVerificationForPublishers: try! RegistryEra("2022-01-04")
        case .topHundredMaintainersNeedTwoFactor: try! RegistryEra("2022-02-01")
        case .orgTwoFactorEnforcement: try! RegistryEra("2022-02-01")
        case .emailedLoginCodes: try! RegistryEra("2022-03-01")
        case .securityKeys: try! RegistryEra("2022-05-10")
        case .tokenRevocationNeedsCodeUnderAuthOnly: try! RegistryEra("2022-08-29")
        case .highImpactMaintainersNeedTwoFactor: try! RegistryEra("2022-11-01")
        case .granularTokens: try! RegistryEra("2022-12-06")
        case .granularTokensGenerallyAvailable: try! RegistryEra("2023-03-21")
        case .provenance: try! RegistryEra("2023-04-19")
        case .granularTokenLimitsRelaxed: try! RegistryEra("2023-07-01")
        case .trustedPublishing: try! RegistryEra("2025-07-31")
        case .totpSetupClosed: try! RegistryEra("2025-10-13")
        case .writeTokenLifetimes: try! RegistryEra("2025-10-13")
        case .bypassTwoFactorFlag: try! RegistryEra("2025-11-05")
        case .classicTokensRevoked: try! RegistryEra("2025-12-09")
        case .packageSettingsNeedTwoFactor: try! RegistryEra("2025-12-10")
        case .publishingNeedsTwoFactor: try! RegistryEra("2025-12-16")
        case .webSecondFactorGrace: try! RegistryEra("2026-02-11")
        case .circleCITrustedPublishing: try! RegistryEra("2026-03-04")
        case .stagedPublishing: try! RegistryEra("2026-05-20")
        case .highImpactReadOnly: try! RegistryEra("2026-06-25")
        case .npmTwelve: try! RegistryEra("2026-07-08")
        case .dualUseContentPolicy: try! RegistryEra("2026-07-28")
        case .bypassTokensBarredFromAccountActions: try! RegistryEra("2026-07-31")
        case .stagingNewPackages: try! RegistryEra("2026-09-01")
        case .multipleTrustedPublishers: try! RegistryEra("2026-09-03")
        case .stageOnlyTokens: try! RegistryEra("2026-09-10")
        case .bypassTokensStageOnly: try! RegistryEra("2027-01-01")
        }
    }

    public var summary: String {
        switch self {
        case .unpublishWithin24Hours:
            "Versions can be unpublished only within 24 hours of publication; the name of a package unpublished whole is held for 24 hours, from its owner too."
        case .twoFactorModes:
            "Two-factor authentication arrives with two modes: auth-only and auth-and-writes (TOTP, npm CLI 5.5.1)."
        case .packageNameSimilarity:
            "A new unscoped package name that differs from an existing one only by punctuation (. - _) or case is refused, against typosquats; publish under your own scope instead."
        case .revocationImmediate:
            "A revoked token stops working at once: the registry's cache no longer honours it for an hour [I: the day; the parameter revokedTokenGraceSeconds overrides it]."
        case .unpublishWithin72Hours:
            "Unpublish within 72 hours of publication (was 24 hours)."
        case .packageTwoFactorSetting:
            "A package can require 2FA of its maintainers for every change (npm access 2fa-required; a beta after the eslint-scope incident) [I: the day]. 'Require 2FA or an automation token' comes with automation tokens (2 Oct 2020)."
        case .lateUnpublishWithConditions:
            "Unpublish also after 72 hours, when the package has under 300 downloads in the last week and a single owner (and no dependents)."
        case .automationTokens:
            "Automation tokens: classic tokens that publish without ever being asked for a second factor."
        case .loginVerificationStagedForPublishers:
            "Enhanced login verification rolls out in stages to publishers without 2FA: a code emailed to them is needed with the password, at login and for any password request. Until 4 Jan 2022 a publisher is covered only if the parameter stagedLoginVerificationCoversPublishers says so [I]."
        case .loginVerificationForPublishers:
            "Enhanced login verification covers every account that publishes packages and has no 2FA."
        case .topHundredMaintainersNeedTwoFactor:
            "Maintainers of the top-100 packages without 2FA must set it up before changing their email or password, their packages' maintainers or settings, or creating tokens; publishing goes on."
        case .orgTwoFactorEnforcement:
            "An organisation's owner can require 2FA of every member; an owner without 2FA cannot turn it on, and members without 2FA are removed when it is."
        case .emailedLoginCodes:
            "Enhanced login verification covers every account without 2FA (after whole-registry brown-outs on 16 and 23 Feb 2022)."
        case .securityKeys:
            "Security keys (WebAuthn) as a second factor of their own, beside or instead of TOTP: a signature bound to the real site, which a phishing page cannot relay."
        case .tokenRevocationNeedsCodeUnderAuthOnly:
            "Revoking tokens needs a second factor under auth-only too [I: the docs' table changed in Aug 2022; creating them always needed it]."
        case .highImpactMaintainersNeedTwoFactor:
            "The same for maintainers of every high-impact package (over 1M weekly downloads or 500 dependents)."
        case .granularTokens:
            "Granular access tokens: limited to packages and scopes, read-only or read-write, with expiry and CIDR allowlist."
        case .granularTokensGenerallyAvailable:
            "Granular access tokens are generally available (a beta since 6 Dec 2022); their rules do not change."
        case .provenance:
            "Versions published from a cloud CI can carry provenance (npm publish --provenance): a signed link to their source repository and workflow. It informs; installs do not require it, and it refuses nothing."
        case .granularTokenLimitsRelaxed:
            "Granular tokens need no expiry any more (until then: mandatory, at most 365 days), and an account may hold 1,000 of them (was 50) [I: the day; npm's docs changed in July 2023]."
        case .trustedPublishing:
            "Trusted publishing (OIDC): a package's configured CI workflow publishes with a short-lived credential."
        case .totpSetupClosed:
            "New TOTP set-ups are disabled: a new second factor is a security key; TOTP already set up keeps working."
        case .writeTokenLifetimes:
            "New write tokens live 7 days by default and 90 days at most."
        case .bypassTwoFactorFlag:
            "Granular tokens publish without 2FA only with the bypass-2FA flag; no new classic tokens; write tokens made before this day expire on 3 Feb 2026 at the latest."
        case .classicTokensRevoked:
            "All classic tokens revoked; npm login yields a 2-hour session that publishes only with 2FA; new packages default to 'require 2FA or a bypass token', existing packages keep their setting."
        case .packageSettingsNeedTwoFactor:
            "Changing a package's settings needs 2FA, for every account: one without 2FA cannot change them at all."
        case .publishingNeedsTwoFactor:
            "Publishing needs 2FA or a bypass-2FA token for every package, whatever its own setting."
        case .webSecondFactorGrace:
            "At a 2FA prompt the website offers to skip 2FA for the next 5 minutes: the session stands for a second factor until then (a stolen session inside it needs none)."
        case .circleCITrustedPublishing:
            "CircleCI joins GitHub Actions and GitLab as a trusted publisher."
        case .stagedPublishing:
            "Staged publishing: a version can be uploaded staged and goes live only when a maintainer promotes it with an interactive 2FA approval; each trusted publisher allows publish, stage or both. Staging needs an existing package and an account with 2FA."
        case .stagingNewPackages:
            "A new package can be staged (a public 0.0.0-stage placeholder holds its name), and staging no longer needs an account with 2FA [I: the day is approximate]."
        case .bypassTokensStageOnly:
            "Announced for January 2027: bypass-2FA tokens read private packages and stage versions, nothing else; direct publishing with them ends [I: the day; npm announced the month]."
        case .stageOnlyTokens:
            "Granular tokens can be 'read and write (stage only)': they stage, deprecate, move dist-tags and unpublish; a direct publish is refused with E_STAGE_REQUIRED."
        case .multipleTrustedPublishers:
            "A package may have up to ten trusted publishers (one before) [I: the day is approximate]."
        case .npmTwelve:
            "npm CLI 12: dependency install scripts run only for packages the project allows (allowScripts). A client default, not a registry rule: the npm-client defense and a machine's npmClient apply it."
        case .dualUseContentPolicy:
            "A version that declares dual-use content (package.json contentPolicy) is published directly only in an interactive 2FA session: bypass tokens and trusted publishing must stage it."
        case .highImpactReadOnly:
            "A high-impact account goes read-only for 72 hours after an email change or a recovery-code use, and the previous address is alerted: no publishing, token management, visibility or org changes meanwhile."
        case .bypassTokensBarredFromAccountActions:
            "Bypass-2FA tokens need an interactive 2FA challenge (403 otherwise) to create or delete tokens, change the profile, password, email or 2FA, change a package's access, maintainers or trusted publisher, or change orgs and teams; publishing stays allowed."
        }
    }

    public var source: String {
        switch self {
        case .unpublishWithin24Hours: "npm blog, 'changes to npm's unpublish policy' (Mar 2016)"
        case .twoFactorModes: "npm blog, 'protect your npm account with two-factor authentication' (Oct 2017); docs.npmjs.com 'About two-factor authentication'"
        case .packageNameSimilarity: "npm blog, 'New Package Moniker Rules' (27 Dec 2017: \"you can no longer publish packages that differ from existing packages in punctuation only\") [I: the day of the post; the check had been merged earlier that week]"
        case .revocationImmediate: "npm registry docs, docs/user/authentication.md (2017: \"will remain valid for one hour\" ... \"in the future, deleting the token will evict it\"); npm CLI docs, 'npm token' (revoking makes a token \"immediately unusable\") [I: the day of the change]"
        case .unpublishWithin72Hours: "npm/policies commit 04acfa2 (2018-06-29), 'npm Unpublish Policy'"
        case .packageTwoFactorSetting: "npm blog, 'Two-factor authentication protection for packages' (July 2018, post 175861857230, after the incident of 12 Jul 2018) [I: 13 Jul 2018]"
        case .lateUnpublishWithConditions: "npm/policies commit 08c1cd3 (2020-01-30), 'npm Unpublish Policy'"
        case .automationTokens: "GitHub changelog 2020-10-02, 'npm automation tokens'"
        case .loginVerificationStagedForPublishers, .loginVerificationForPublishers:
            "github.blog 2021-12-07, 'Enrolling all npm publishers in enhanced login verification and next steps for two-factor authentication enforcement' (staged roll-out 7 Dec 2021 to 4 Jan 2022)"
        case .topHundredMaintainersNeedTwoFactor: "github.blog 2022-02-01, 'Top-100 npm package maintainers now require 2FA' (\"will need to set up 2FA before they can take specific actions with their accounts, such as changing their email address or adding new maintainers\"; high-impact: \"more than 1 million weekly downloads or 500 dependents\") [I: the actions beyond those two; the top 100 by a download threshold]"
        case .orgTwoFactorEnforcement: "github.blog 2022-02-01 (\"it is now possible to enforce 2FA at the organization level\"); docs.npmjs.com 'Requiring two-factor authentication in your organization'"
        case .highImpactMaintainersNeedTwoFactor: "GitHub changelog 2022-11-01, 'High-impact package maintainers now require 2FA'; github/roadmap issue 464"
        case .securityKeys: "GitHub changelog 2022-05-10 (npm's enhanced 2FA experience: security keys and biometric devices through WebAuthn); github/roadmap issue 463"
        case .emailedLoginCodes: "GitHub changelog 2022-03-01, 'All npm accounts are now enrolled in login verification'; github.blog 2022-02-01 (brown-outs on 16 and 23 Feb 2022)"
        case .tokenRevocationNeedsCodeUnderAuthOnly: "docs.npmjs.com 'About two-factor authentication' (history, Aug 2022) [I]"
        case .granularTokens: "GitHub changelog 2022-12-06, 'granular access tokens for npm (beta)'"
        case .granularTokensGenerallyAvailable: "GitHub changelog 2023-03-21 (granular access tokens on npm generally available)"
        case .provenance: "GitHub changelog 2023-04-19, 'npm provenance public beta'; github.blog 2023-04-19, 'Introducing npm package provenance'"
        case .granularTokenLimitsRelaxed: "GitHub changelog 2022-12-06, and GitHub's announcement as InfoWorld reported it (beta: \"as many as 50\" tokens, \"an expiration period of up to one year\"); docs.npmjs.com 'About access tokens' (\"up to 1000 granular access tokens\") [I: July 2023, the day]"
        case .trustedPublishing: "GitHub changelog 2025-07-31, 'npm trusted publishing with OIDC is generally available'"
        case .totpSetupClosed: "npm/documentation commit 53f50b0f (2025-10-13, 'Configuring two-factor authentication'); npm's notice 'October 13: New TOTP 2FA configurations disabled (existing TOTP still works)'"
        case .writeTokenLifetimes: "GitHub changelog 2025-09-29; npm/documentation commit 2c510df2 ('About access tokens', 2025-10-13)"
        case .bypassTwoFactorFlag: "GitHub changelog 2025-11-05; github.blog 'Our plan for a more secure npm supply chain' (2025-09-22)"
        case .classicTokensRevoked: "GitHub changelog 2025-12-09, 'npm classic tokens revoked, session-based auth and CLI token management now available' (\"Existing packages retain their current 2FA settings\")"
        case .packageSettingsNeedTwoFactor: "npm/documentation commit b8298f9f (2025-12-10): \"Modifying a package's settings also requires two-factor authentication (2FA)\""
        case .publishingNeedsTwoFactor: "npm/documentation PR 1790 (Dec 2025): \"Publishing to npm requires either: Two-factor authentication (2FA) enabled on your account, OR a granular access token with bypass 2FA enabled\"; in force for every package from 16 Dec 2025"
        case .webSecondFactorGrace: "npm/documentation commit 90be62d0 (trusted publishing page: the 2FA prompt's option to skip 2FA for the next 5 minutes)"
        case .circleCITrustedPublishing: "npm/documentation commit b8fe40fc ('Trusted publishing for npm packages': CircleCI); npm CLI 11.11.0"
        case .stagedPublishing: "npm/documentation commit 203cdd5d (staged publishing, 20 May 2026); npm CLI 11.15.0; GitHub changelog 2026-05-22"
        case .stagingNewPackages: "npm docs, 'Staged publishing' (compared with npm/documentation 203cdd5d: a new package can be staged, with a public 0.0.0-stage placeholder) [I: about Sep 2026]"
        case .bypassTokensStageOnly: "GitHub changelog 2026-07-08 (announcement); GitHub community discussion 201329"
        case .stageOnlyTokens: "npm/documentation PR 2036 (10 Sep 2026); npm/cli PR 9948 (npm 12.1: --packages-and-scopes-permission=read-write-stage-only)"
        case .multipleTrustedPublishers: "npm/documentation PRs 2033 and 2034 (up to 10 trusted publishers per package) [I: merged about 3 Sep 2026]"
        case .npmTwelve: "npm CLI 12 changelog; GitHub changelog 2026-07-08"
        case .dualUseContentPolicy: "GitHub changelog 2026-07-28, 'npm publish-time malware scanning and dual-use metadata'; npm/documentation commit f33dde9e (policies/dual-use)"
        case .highImpactReadOnly: "GitHub changelog 2026-06-25, 'npm adds preventive account protection for high-impact accounts'"
        case .bypassTokensBarredFromAccountActions: "GitHub changelog 2026-07-31; npm/documentation commit 7ea95727 ('About access tokens')"
        }
    }
}
