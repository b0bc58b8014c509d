@testable import DrillRegistry
import Testing

/// Issue 19, point 7: from 31 Jul 2026 a bypass-2FA granular token needs an interactive 2FA challenge (a 403 otherwise)
/// for everything but "package and automation actions such as publishing" (GitHub changelog 2026-07-31; npm/documentation
/// 7ea95727): creating or deleting tokens, the profile, password, email and 2FA, a package's access, maintainers and
/// trusted publisher, org and team governance.
@Suite struct BypassTokenRestrictionTests {
    static let barred: [OperationKind] = [
        .createToken, .revokeToken, .changeEmail, .changePassword, .changeTwoFactorMode, .disableTwoFactor, .addSecurityKey,
        .addOwner, .removeOwner, .setAccess, .setTrustedPublisher, .createOrg, .changeOrgPolicy, .addOrgMember,
    ]
    static let open: [OperationKind] = [.publish, .unpublish, .deprecate, .setDistTag, .removeDistTag, .readPackage, .download, .readProfile, .listTokens]

    static func facts(_ operation: OperationKind, day: String, mode: TwoFactorMode = .authAndWrites,
                      secondFactor: SecondFactorFact = .none, bypass: Bool = true) -> RequestFacts {
        let e = era(day)
        let now = noon(e)
        let token = TokenFact(kind: .granular, permission: .readWrite, bypassTwoFactor: bypass, created: now - 3_600, expires: now + 86_400)
        let package: PackageFact? = operation.isPackageWrite || operation == .readPackage || operation == .download
            ? PackageFact(name: "left-pad", versionAge: operation == .unpublish ? 3_600 : nil) : nil
        return RequestFacts(operation: operation, era: e, now: now, authentication: .token(token), account: accountFact(mode),
                            secondFactor: secondFactor, package: package,
                            requestedToken: operation == .createToken ? TokenRequest(kind: .granular, lifetime: 7 * 86_400) : nil)
    }

    @Test("Barred from 31 Jul 2026 with a 403; an interactive code lifts it; the day before nothing is asked", arguments: barred)
    func barredActions(_ operation: OperationKind) {
        // A package's settings need 2FA from 10 Dec 2025 whatever the token (package-settings-need-2fa): those two
        // were never open to a bypass token in 2026, and an account without 2FA meets that rule first.
        let settings = operation.isPackageSettingsChange
        #expect(ruleID(Self.facts(operation, day: "2026-07-30")) == (settings ? "2fa.package-settings-change" : nil))
        let denial = Policy.decide(Self.facts(operation, day: "2026-07-31")).denial
        #expect(denial?.rule == "2fa.bypass-token-account-action")
        #expect(denial?.response == .forbidden)
        #expect(denial?.defense == .bypassTokenRestrictions)
        #expect(denial?.liftedBySecondFactor == true)
        #expect(ruleID(Self.facts(operation, day: "2026-07-31", secondFactor: .verified(.totp))) == nil)
        // An account without 2FA has no challenge to pass.
        #expect(ruleID(Self.facts(operation, day: "2026-11-29", mode: .disabled))
                    == (settings ? "package.settings-need-two-factor" : "2fa.bypass-token-account-action"))
    }

    @Test("Publishing and the other package actions stay open to bypass tokens", arguments: open)
    func openActions(_ operation: OperationKind) {
        #expect(ruleID(Self.facts(operation, day: "2026-11-29")) == nil)
    }

    @Test("A granular token without the flag meets the account's own 2FA instead, as before", arguments: [OperationKind.createToken, .addOwner])
    func withoutTheFlag(_ operation: OperationKind) {
        let rule = ruleID(Self.facts(operation, day: "2026-11-29", bypass: false))
        #expect(rule != nil && rule != "2fa.bypass-token-account-action")
    }
}
