import Foundation
import GRDB
@testable import DrillRegistry
import Testing

/// Issue 23 (account lifecycle): deleting an account, as npm's website does ("Deleting your npm user account",
/// npm/documentation): its packages are deleted where they can be unpublished and deprecated otherwise, the sole owner
/// of an organisation must add another owner first, and the holder cannot log back in.
@Suite struct AccountDeletionTests {
    /// A world where alice alone maintains `left-pad`, published `age` seconds before noon, with `weekly` downloads.
    static func world(_ day: String, age: Int64, weekly: Int = 10, twoFactor: TwoFactorMode = .disabled) throws -> (World, String) {
        let w = try World(day)
        try w.registry.seedAccount(name: "alice", email: "alice@example.com", password: "hunter2", twoFactor: twoFactor,
                                   totpSecret: twoFactor == .disabled ? nil : "JBSWY3DPEHPK3PXP")
        try w.registry.seedPackage(name: "left-pad", maintainers: ["alice"], weeklyDownloads: weekly, created: w.clock.now() - age)
        let token = try w.registry.seedToken(owner: "alice", request: .classicPublish)
        return (w, token)
    }

    /// Which way the era's unpublish policy sends a package alice alone maintains, on both sides of each of its dates:
    /// the 24-hour window (29 Mar 2016), the 72-hour window (29 Jun 2018), and the late unpublish of a small package
    /// with one owner (30 Jan 2020). A deletion asks the same rules `npm unpublish` meets.
    struct Case: Sendable, CustomTestStringConvertible {
        var day: String, age: Int64, weekly: Int, deleted: Bool
        var testDescription: String { "\(day), \(age / 3_600) h old, \(weekly)/week: \(deleted ? "deleted" : "deprecated")" }
    }

    static let cases: [Case] = [
        Case(day: "2016-03-28", age: 12 * 3_600, weekly: 10, deleted: true),
        Case(day: "2016-03-29", age: 12 * 3_600, weekly: 10, deleted: true),
        Case(day: "2016-03-29", age: 48 * 3_600, weekly: 10, deleted: false),
        Case(day: "2018-06-28", age: 48 * 3_600, weekly: 10, deleted: false),
        Case(day: "2018-06-29", age: 48 * 3_600, weekly: 10, deleted: true),
        Case(day: "2020-01-29", age: 30 * 86_400, weekly: 10, deleted: false),
        Case(day: "2020-01-30", age: 30 * 86_400, weekly: 10, deleted: true),
        Case(day: "2020-01-30", age: 30 * 86_400, weekly: 300, deleted: false),
    ]

    @Test("A package the account alone maintains is deleted where the era's unpublish policy lets it go, deprecated otherwise",
          arguments: cases)
    func packagesFollowTheUnpublishPolicy(_ c: Case) throws {
        let (day, age, weekly, deleted) = (c.day, c.age, c.weekly, c.deleted)
        let (w, token) = try Self.world(day, age: age, weekly: weekly)
        let deletion = try w.registry.deleteAccount(w.bearer(token))
        #expect(deletion.deleted == (deleted ? ["left-pad"] : []))
        #expect(deletion.deprecated == (deleted ? [] : ["left-pad"]))
        let left = try w.registry.package("left-pad")
        if deleted {
            #expect(left == nil)
            // Its name is held as an unpublished one's is (from 29 Mar 2016).
            if era(day).has(.unpublishWithin24Hours) {
                try w.registry.seedAccount(name: "mallory", email: "mallory@evil.example", password: "hunter3")
                let mallory = try w.registry.seedToken(owner: "mallory", request: .classicPublish)
                #expect(refusal { try w.registry.publish(w.bearer(mallory), release("left-pad", "9.9.9")) }?.rule == "unpublish.name-held")
            }
        } else {
            #expect(left?.maintainers == [])
            #expect(left?.versions.allSatisfy { $0.deprecated?.contains("deleted") == true } == true)
        }
    }

    @Test("From 29 Jun 2018 a package with a dependent is deprecated, not deleted, however young")
    func dependentsKeepAPackage() throws {
        for (day, deleted) in [("2018-06-28", true), ("2018-06-29", false)] {
            let (w, token) = try Self.world(day, age: 3_600)
            try w.registry.seedAccount(name: "bob", email: "bob@example.com", password: "hunter3")
            try w.registry.seedPackage(name: "bob-app", maintainers: ["bob"], dependencies: ["left-pad"])
            let deletion = try w.registry.deleteAccount(w.bearer(token))
            #expect(deletion.deleted == (deleted ? ["left-pad"] : []), "\(day)")
            #expect(try (w.registry.package("left-pad") == nil) == deleted, "\(day)")
        }
    }

    @Test("A package others maintain too stays with them; the deleted account is no longer among its maintainers")
    func coMaintainedPackagesStay() throws {
        let (w, token) = try Self.world("2024-06-01", age: 3_600)
        try w.registry.seedAccount(name: "bob", email: "bob@example.com", password: "hunter3")
        try w.registry.seedPackage(name: "shared", maintainers: ["alice", "bob"])
        let bob = try w.registry.seedToken(owner: "bob", request: .classicPublish)
        let deletion = try w.registry.deleteAccount(w.bearer(token))
        #expect(deletion == { var d = AccountDeletion(); d.deleted = ["left-pad"]; d.leftToOtherMaintainers = ["shared"]; return d }())
        #expect(try w.registry.package("shared")?.maintainers == ["bob"])
        #expect(try w.registry.publish(w.bearer(bob), release("shared", "1.0.1")).version == "1.0.1")
    }

    @Test("The holder is logged out and cannot log back in; the name stays taken")
    func noWayBack() throws {
        let (w, token) = try Self.world("2024-06-01", age: 3_600)
        try w.registry.deleteAccount(w.bearer(token))
        #expect(refusal { try w.registry.profile(w.bearer(token)) }?.rule == "auth.token-unknown")
        #expect(refusal { try w.registry.login(w.password("alice")) }?.rule == "auth.unknown-account")
        #expect(refusal { try w.registry.createAccount(name: "alice", email: "new@example.com", password: "x") }?.message.contains("alice") == true)
        #expect(try w.registry.tokens(of: "alice").isEmpty)
    }

    @Test("The sole owner of an organisation must add another owner first")
    func soleOrgOwner() throws {
        let (w, token) = try Self.world("2024-06-01", age: 3_600)
        try w.registry.seedAccount(name: "bob", email: "bob@example.com", password: "hunter3")
        try w.registry.seedOrg(name: "acme", members: ["alice", "bob"])
        let refused = refusal { try w.registry.deleteAccount(w.bearer(token)) }
        #expect(refused?.message.contains("only owner of the organization acme") == true, "\(refused?.message ?? "")")
        // Nothing was half done.
        #expect(try w.registry.package("left-pad")?.maintainers == ["alice"])
        try w.registry.store.writeWithoutTransaction { db in try db.execute(sql: "UPDATE org_member SET role = 'owner' WHERE account = 'bob'") }
        try w.registry.deleteAccount(w.bearer(token))
        #expect(try w.registry.package("left-pad") == nil)
    }

    /// Deleting is an account change: the account's own defenses guard it as they guard its email.
    @Test("With 2FA on, deletion needs the second factor; a read-only token cannot delete")
    func guardedLikeTheAccountsSettings() throws {
        let (w, token) = try Self.world("2024-06-01", age: 3_600, twoFactor: .authOnly)
        let refused = refusal { try w.registry.deleteAccount(w.bearer(token)) }
        #expect(refused?.defense == .twoFactorAuthOnly)
        if case .denied(let denial) = refused { #expect(denial.liftedBySecondFactor) } else { Issue.record("not a denial: \(String(describing: refused))") }
        let readOnly = try w.registry.seedToken(owner: "alice", request: TokenRequest(kind: .readOnly))
        #expect(refusal { try w.registry.deleteAccount(w.bearer(readOnly, .totp(w.code("JBSWY3DPEHPK3PXP")))) }?.rule == "token.read-only")
        try w.registry.deleteAccount(w.bearer(token, .totp(w.code("JBSWY3DPEHPK3PXP"))))
        #expect(try w.registry.package("left-pad") == nil)
    }
}
