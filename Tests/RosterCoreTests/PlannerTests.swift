import Foundation
import Testing

@testable import RosterCore

struct PlannerTests {
    typealias F = Fixtures

    let staffRule = F.rule(
        "staff", .groupName(try! ValuePattern("staff", ignoreCase: true)), roles: ["editor"])
    let adminRule = F.rule(
        "admins", .groupName(try! ValuePattern("admins", ignoreCase: true)), type: .admin, roles: ["admin"])

    private func staff(_ uids: [String]) -> SourceGroup { F.group("staff", uids) }

    /// Runs the plan on `directory` and returns the directory afterwards.
    private func reconcile(
        _ config: RosterConfiguration, _ snapshots: [SourceSnapshot], _ directory: [DirectoryUser] = [],
        at now: Date = Fixtures.now
    ) -> (Plan, [DirectoryUser]) {
        let plan = F.plan(config, snapshots, directory: directory, at: now)
        return (plan, F.apply(plan, to: directory))
    }

    @Test func createsInScopeUsersAndASecondRunPlansNothing() {
        let config = F.config([staffRule, adminRule])
        let snapshot = F.snapshot(
            [F.user("alice"), F.user("bob"), F.user("outsider")],
            [staff(["alice", "bob"]), F.group("admins", ["alice"])])
        let (plan, directory) = reconcile(config, [snapshot])
        #expect(plan.count(.create) == 2)
        let alice = directory.first { $0.username == "alice" }!
        #expect(alice.type == .admin)
        #expect(alice.assignments.roleNames == ["admin", "editor", "viewer"])
        #expect(alice.identities == [ExternalIdentity(source: "corp", externalID: "id-alice", dn: F.userDN("alice"))])
        let again = F.plan(config, [snapshot], directory: directory)
        #expect(again.isEmpty)
    }

    @Test func renameKeepsTheIdAndIsARename() {
        let config = F.config([staffRule])
        let (_, directory) = reconcile(config, [F.snapshot([F.user("alice")], [staff(["alice"])])])
        let renamed = F.user("alice2", email: "alice.new@example.com", id: "id-alice")
        let (plan, after) = reconcile(config, [F.snapshot([renamed], [staff(["alice2"])])], directory)
        #expect(plan.changes.map(\.action) == [.rename])
        #expect(after.count == 1)
        #expect(after[0].id == directory[0].id)
        #expect(after[0].username == "alice2")
        #expect(after[0].email == "alice.new@example.com")
    }

    @Test func linksAcrossSourcesByEmailCaseInsensitively() {
        let rules = [
            staffRule,
            F.rule("hr-all", source: "hr", .groupName(try! ValuePattern("staff", ignoreCase: true)), roles: ["viewer"]),
        ]
        let config = F.config(rules, sources: ["corp", "hr"])
        let corp = F.snapshot([F.user("alice")], [staff(["alice"])])
        let hr = F.snapshot([F.user("alice", email: "ALICE@Example.com", id: "hr-1")], [staff(["alice"])], source: "hr")
        let (plan, directory) = reconcile(config, [corp, hr])
        #expect(plan.count(.create) == 1)
        #expect(directory[0].identities.map(\.source) == ["corp", "hr"])
        let origins = Set(directory[0].assignments.map(\.origin.description))
        #expect(origins.contains("mapping:staff@corp") && origins.contains("mapping:hr-all@hr"))
    }

    @Test func secondIdentityClaimingAnEmailIsSkipped() {
        let config = F.config([staffRule])
        let users = [F.user("alice"), F.user("mallory", email: "alice@example.com")]
        let plan = F.plan(config, [F.snapshot(users, [staff(["alice", "mallory"])])])
        #expect(plan.count(.create) == 1)
        #expect(plan.skipped.count == 1)
        #expect(plan.skipped[0].reason.contains("already claimed"))
    }

    @Test(arguments: [
        nil, "", "not-an-email", "a@b", "two@@example.com", "sp ace@example.com", "a..b@example.com",
        ".a@example.com", "a.@example.com",
    ])
    func invalidOrMissingEmailIsSkippedWithAReason(email: String?) {
        let config = F.config([staffRule])
        var user = F.user("alice")
        user.email = email
        let plan = F.plan(config, [F.snapshot([user], [staff(["alice"])])])
        #expect(plan.changes.isEmpty)
        #expect(plan.skipped.count == 1)
        #expect(plan.skipped[0].reason.contains("email"))
    }

    @Test func disabledAccountsAreInactiveAndNeverCreated() {
        let config = F.config([staffRule])
        let (_, directory) = reconcile(config, [F.snapshot([F.user("alice")], [staff(["alice"])])])
        let plan = F.plan(
            config, [F.snapshot([F.user("alice", disabled: true)], [staff(["alice"])])], directory: directory)
        #expect(plan.changes.map(\.action) == [.deactivate])
        #expect(plan.changes[0].note?.contains("disabled") == true)
        let fresh = F.plan(config, [F.snapshot([F.user("bob", disabled: true)], [staff(["bob"])])])
        #expect(fresh.changes.isEmpty)
    }

    @Test func missingUserIsDeactivatedThenReactivatedWithTheSameID() {
        let config = F.config([staffRule])
        let both = F.snapshot([F.user("alice"), F.user("bob")], [staff(["alice", "bob"])])
        let (_, first) = reconcile(config, [both])
        let bobID = first.first { $0.username == "bob" }!.id
        let (gone, second) = reconcile(config, [F.snapshot([F.user("alice")], [staff(["alice"])])], first)
        #expect(gone.changes.map(\.action) == [.deactivate])
        #expect(second.first { $0.id == bobID }?.status == .inactive)
        let (back, third) = reconcile(config, [both], second)
        #expect(back.changes.map(\.action) == [.reactivate])
        #expect(third.first { $0.id == bobID }?.status == .active)
        #expect(third.count == 2)
    }

    @Test func userLeavingTheMappedGroupIsDeactivatedWithTheReason() {
        let config = F.config([staffRule])
        let (_, directory) = reconcile(config, [F.snapshot([F.user("carol")], [staff(["carol"])])])
        let plan = F.plan(config, [F.snapshot([F.user("carol")], [staff([])])], directory: directory)
        #expect(plan.changes.first?.note == "no longer matched by any mapping")
    }

    @Test(arguments: [OnMissing.delete, .keep])
    func onMissingDeleteAndKeep(onMissing: OnMissing) {
        let safety = SafetyOptions(maxDeactivations: .count(10), maxDeletions: .count(10), onMissing: onMissing)
        let config = F.config([staffRule], safety: safety)
        let (_, directory) = reconcile(
            config, [F.snapshot([F.user("alice"), F.user("bob")], [staff(["alice", "bob"])])])
        let (plan, after) = reconcile(config, [F.snapshot([F.user("alice")], [staff(["alice"])])], directory)
        if onMissing == .keep {
            #expect(plan.isEmpty)
        } else {
            #expect(plan.changes.map(\.action) == [.delete])
            let bobID = directory.first { $0.username == "bob" }!.id
            let tombstone = after.first { $0.id == bobID }!
            #expect(tombstone.status == .deleted && tombstone.identities.isEmpty && tombstone.assignments.isEmpty)
            #expect(tombstone.email.isEmpty && tombstone.username.isEmpty && tombstone.displayName == "Deleted User")
            // Coming back after deletion: a new account with a new id that inherits nothing.
            let (returning, final) = reconcile(
                config, [F.snapshot([F.user("alice"), F.user("bob")], [staff(["alice", "bob"])])], after)
            #expect(returning.changes.map(\.action) == [.create])
            let newBob = final.first { $0.username == "bob" }!
            #expect(newBob.id > bobID && newBob.status == .active)
        }
    }

    @Test func manualAssignmentsAreNeverTouched() {
        let config = F.config([staffRule])
        var (_, directory) = reconcile(config, [F.snapshot([F.user("alice")], [staff(["alice"])])])
        directory[0].assignments.append(.role("admin", origin: .manual))
        let (plan, after) = reconcile(config, [F.snapshot([F.user("alice")], [staff([])])], directory)
        #expect(plan.changes.map(\.action) == [.deactivate])
        #expect(after[0].assignments.contains(.role("admin", origin: .manual)))
        let regrant = F.plan(config, [F.snapshot([F.user("alice")], [staff(["alice"])])], directory: directory)
        #expect(regrant.isEmpty)
    }

    @Test func protectedUsersAreUntouched() {
        var safety = SafetyOptions(maxDeactivations: .count(10))
        safety.protectedUsers = ["BreakGlass@example.com"]
        let config = F.config([staffRule], safety: safety)
        let local = DirectoryUser(id: 1, username: "breakglass", email: "breakglass@example.com", type: .admin)
        var synced = DirectoryUser(id: 2, username: "bg2", email: "x@example.com", origin: "corp")
        synced.identities = [ExternalIdentity(source: "corp", externalID: "id-bg2")]
        safety.protectedUsers.append("bg2")
        let plan = F.plan(
            F.config([staffRule], safety: safety),
            [F.snapshot([F.user("breakglass"), F.user("other")], [staff(["breakglass", "other"])])],
            directory: [local, synced])
        #expect(plan.changes.allSatisfy { $0.after.id != 1 && $0.after.id != 2 })
        #expect(plan.changes.map(\.after.username) == ["other"])
        _ = config
    }

    @Test func adminSuspensionSticks() {
        let config = F.config([staffRule])
        var (_, directory) = reconcile(config, [F.snapshot([F.user("alice")], [staff(["alice"])])])
        directory[0].status = .inactive
        directory[0].deactivatedBy = .admin
        let plan = F.plan(config, [F.snapshot([F.user("alice")], [staff(["alice"])])], directory: directory)
        #expect(plan.isEmpty)
    }

    @Test func frozenSourceKeepsItsUsersAndGrants() {
        let config = F.config([staffRule])
        let (_, directory) = reconcile(
            config, [F.snapshot([F.user("alice"), F.user("bob")], [staff(["alice", "bob"])])])
        let partial = F.snapshot([F.user("alice")], [staff(["alice"])], complete: false)
        let plan = F.plan(config, [partial], directory: directory)
        #expect(plan.changes.isEmpty)
        #expect(plan.frozenSources.map(\.source) == ["corp"])
    }

    @Test func emptyReadOfAManagedSourceFreezesUnlessAllowed() {
        var config = F.config([staffRule])
        let (_, directory) = reconcile(config, [F.snapshot([F.user("alice")], [staff(["alice"])])])
        let empty = F.snapshot([], [])
        #expect(F.plan(config, [empty], directory: directory).frozenSources.count == 1)
        config.sources[0].allowEmpty = true
        #expect(F.plan(config, [empty], directory: directory).changes.map(\.action) == [.deactivate])
    }

    @Test func otherSourcesFreezeDoesNotStopTheLiveOne() {
        let rules = [
            staffRule,
            F.rule("hr", source: "hr", .groupName(try! ValuePattern("staff", ignoreCase: true)), roles: ["viewer"]),
        ]
        let config = F.config(rules, sources: ["corp", "hr"])
        let plan = F.plan(
            config,
            [F.snapshot([F.user("alice")], [staff(["alice"])]), F.snapshot([], [], source: "hr", complete: false)])
        #expect(plan.count(.create) == 1)
        #expect(plan.frozenSources.map(\.source) == ["hr"])
    }

    @Test func safetyLimitBreachIsReported() {
        let config = F.config([staffRule], safety: SafetyOptions(maxDeactivations: .percent(10)))
        let users = (1...20).map { F.user("u\($0)") }
        let (_, directory) = reconcile(config, [F.snapshot(users, [staff(users.map(\.username!))])])
        let remaining = Array(users.prefix(17))
        let plan = F.plan(config, [F.snapshot(remaining, [staff(remaining.map(\.username!))])], directory: directory)
        #expect(plan.count(.deactivate) == 3)
        #expect(plan.safetyBreach?.limit == "max_deactivations")
        #expect(plan.safetyBreach?.allowed == 2)
        let fine = Array(users.prefix(18))
        #expect(
            F.plan(config, [F.snapshot(fine, [staff(fine.map(\.username!))])], directory: directory).safetyBreach == nil
        )
    }

    @Test func deleteAfterTurnsLongInactiveUsersIntoTombstones() {
        let safety = SafetyOptions(
            maxDeactivations: .count(10), maxDeletions: .count(10), deleteAfter: .seconds(30 * 86400))
        let config = F.config([staffRule], safety: safety)
        let (_, first) = reconcile(config, [F.snapshot([F.user("alice"), F.user("bob")], [staff(["alice", "bob"])])])
        let onlyAlice = F.snapshot([F.user("alice")], [staff(["alice"])])
        let (_, second) = reconcile(config, [onlyAlice], first)
        #expect(F.plan(config, [onlyAlice], directory: second, at: F.now.addingTimeInterval(10 * 86400)).isEmpty)
        let late = F.plan(config, [onlyAlice], directory: second, at: F.now.addingTimeInterval(31 * 86400))
        #expect(late.changes.map(\.action) == [.delete])
    }

    @Test func oneOwnerPerProjectTheFirstKeepsItAndItSticks() {
        let rules = [
            F.rule("owners", .groupName(try! ValuePattern("owners", ignoreCase: true)), projects: [("vision", .owner)])
        ]
        let config = F.config(rules)
        let snapshot = F.snapshot([F.user("bob"), F.user("alice")], [F.group("owners", ["alice", "bob"])])
        let (plan, directory) = reconcile(config, [snapshot])
        #expect(plan.warnings.contains { $0.contains("vision") })
        let roles = directory.sorted { $0.email < $1.email }.map { $0.assignments.effectiveProjects.first?.role }
        #expect(roles == [.owner, .user])
        #expect(F.plan(config, [snapshot], directory: directory).isEmpty)
    }

    /// Most candidates are classified as soon as they are made; the ones a later step may change
    /// (project owners, users inactive before the run when `delete_after` is set) wait for it.
    /// A run with all kinds gives each its right change, once, in display order.
    @Test func laterStepsStillSeeTheCandidatesTheyChange() {
        let safety = SafetyOptions(
            maxDeactivations: .count(10), maxDeletions: .count(10), deleteAfter: .seconds(30 * 86400))
        let owners = F.rule(
            "owners", .groupName(try! ValuePattern("owners", ignoreCase: true)), projects: [("vision", .owner)])
        let config = F.config([staffRule, owners], safety: safety)
        let (_, first) = reconcile(
            config, [F.snapshot([F.user("carol"), F.user("dave")], [staff(["carol", "dave"])])])
        // Carol is disabled and goes inactive; 31 days on she is still disabled, so past delete_after.
        let disabled = F.snapshot(
            [F.user("carol", disabled: true), F.user("dave")], [staff(["carol", "dave"])])
        let (_, second) = reconcile(config, [disabled], first)
        #expect(second.first { $0.username == "carol" }?.status == .inactive)

        // Her name changes too: the delete must be her only change.
        let later = F.snapshot(
            [
                F.user("carol", disabled: true, first: "Caroline"), F.user("dave"), F.user("erin"), F.user("bob"),
                F.user("alice"),
            ],
            [staff(["carol", "dave", "erin", "bob", "alice"]), F.group("owners", ["bob", "alice"])])
        let plan = F.plan(config, [later], directory: second, at: F.now.addingTimeInterval(31 * 86400))
        #expect(plan.changes.map(\.action) == [.create, .create, .create, .delete])
        #expect(
            plan.changes.map(\.email) == [
                "alice@example.com", "bob@example.com", "erin@example.com", "carol@example.com",
            ])
        let after = F.apply(plan, to: second)
        let roles = ["alice", "bob"].map { name in
            after.first { $0.username == name }?.assignments.effectiveProjects.first?.role
        }
        #expect(roles == [.owner, .user])
        #expect(plan.warnings.contains { $0.contains("vision") })
    }

    @Test func roleRemovedWhenMappingStopsMatching() {
        let research = F.rule(
            "research", .attribute(name: "departmentNumber", value: try! ValuePattern("4711", ignoreCase: true)),
            roles: ["editor"])
        let config = F.config([staffRule, research])
        let user = F.user("bob", attributes: ["departmentnumber": ["4711"]])
        let (_, directory) = reconcile(config, [F.snapshot([user], [staff(["bob"])])])
        let moved = F.user("bob", attributes: ["departmentnumber": ["42"]])
        let plan = F.plan(config, [F.snapshot([moved], [staff(["bob"])])], directory: directory)
        #expect(plan.changes.map(\.action) == [.update])
        #expect(plan.changes[0].mappings == ["research"])
        let events = AuditEventBuilder.events(for: plan.changes[0], actor: "sync")
        #expect(events.map(\.action) == ["role.revoke"])
    }

    @Test func createAuditRecordCarriesTypeAndRoles() {
        let config = F.config([adminRule])
        let plan = F.plan(config, [F.snapshot([F.user("alice")], [F.group("admins", ["alice"])])])
        let events = AuditEventBuilder.events(for: plan.changes[0], actor: "sync")
        #expect(events.count == 1)
        #expect(events[0].action == "user.create")
        #expect(events[0].changes?["type"] == .array([.null, .string("admin")]))
        #expect(events[0].changes?["roles"]?["added"] == .strings(["admin", "viewer"]))
        #expect(events[0].reason?["source"] == .string("corp"))
    }

    /// A grant that two rules give (two assignments, one label) is summarised once, in order.
    @Test func createAuditRecordListsEachGrantOnceInOrder() {
        let zeta = F.rule("zeta", .groupName(try! ValuePattern("admins", ignoreCase: true)), roles: ["zeta", "admin"])
        let config = F.config([adminRule, zeta])
        let plan = F.plan(config, [F.snapshot([F.user("alice")], [F.group("admins", ["alice"])])])
        let events = AuditEventBuilder.events(for: plan.changes[0], actor: "sync")
        #expect(plan.changes[0].after.assignments.filter { $0.name == "admin" }.count == 2)
        #expect(events[0].changes?["roles"]?["added"] == .strings(["admin", "viewer", "zeta"]))
        #expect(events[0].changes?["roles"]?["removed"] == .strings([]))
    }

    @Test func twoNewPeopleWithOneUsernameGetOneAccount() {
        let config = F.config([staffRule])
        let users = [
            F.user("sam", email: "sam.a@example.com", id: "1"), F.user("sam", email: "sam.b@example.com", id: "2"),
        ]
        let plan = F.plan(
            config,
            [F.snapshot(users, [F.group("staff", [])])].map { snapshot in
                var copy = snapshot
                copy.groups = [
                    SourceGroup(
                        dn: "cn=staff", normalizedDN: "cn=staff", name: "staff", members: [F.userDN("sam").lowercased()]
                    )
                ]
                return copy
            })
        #expect(plan.count(.create) == 1)
        #expect(
            plan.skipped.map(\.reason) == ["username sam is already used by sam.a@example.com, created in this run"])
    }

    /// A new person who is not created (disabled) leaves their username to whoever asks next.
    @Test func aDisabledNewcomerDoesNotKeepTheirUsername() {
        let config = F.config([staffRule])
        let users = [
            F.user("sam", email: "sam.a@example.com", id: "1", disabled: true),
            F.user("sam", email: "sam.b@example.com", id: "2"),
        ]
        let snapshot = F.snapshot(users, [staff(["sam"])])
        let plan = F.plan(config, [snapshot])
        #expect(plan.changes.map(\.after.email) == ["sam.b@example.com"])
        #expect(plan.changes.map(\.after.username) == ["sam"])
        #expect(plan.skipped.map(\.reason) == ["disabled in corp; not created"])
    }

    @Test func anEmailTakenOverInOneRunIsNotMergedIntoAnotherPerson() {
        let config = F.config([staffRule])
        let (_, directory) = reconcile(config, [F.snapshot([F.user("alice")], [staff(["alice"])])])
        // A new entry claims alice's future address, and alice moves to it in the same run.
        let newcomer = F.user("newbie", email: "alice.new@example.com", id: "id-newbie")
        let moved = F.user("alice", email: "alice.new@example.com", id: "id-alice")
        let plan = F.plan(config, [F.snapshot([newcomer, moved], [staff(["alice", "newbie"])])], directory: directory)
        #expect(
            plan.changes.filter { $0.action == .create }.allSatisfy {
                $0.after.identities.map(\.externalID) == ["id-newbie"]
            })
        let after = F.apply(plan, to: directory)
        let ids = after.flatMap { $0.identities.map(\.externalID) }
        #expect(Set(ids).count == ids.count)
    }

    @Test func anEntryThatLostItsIDIsKeptNotDeactivated() {
        let config = F.config([staffRule])
        let (_, directory) = reconcile(config, [F.snapshot([F.user("bob")], [staff(["bob"])])])
        var idless = F.user("bob")
        idless.externalID = ""
        let plan = F.plan(config, [F.snapshot([idless], [staff(["bob"])])], directory: directory)
        #expect(plan.changes.isEmpty)
        #expect(plan.skipped.count == 1)
    }

    @Test func aReCreatedEntryWithANewIDRelinksTheSamePerson() {
        let config = F.config([staffRule])
        let (_, directory) = reconcile(config, [F.snapshot([F.user("rosa")], [staff(["rosa"])])])
        let recreated = F.user("rosa", id: "id-rosa-2")
        let (plan, after) = reconcile(config, [F.snapshot([recreated], [staff(["rosa"])])], directory)
        #expect(plan.changes.map(\.action) == [.update])
        #expect(after.count == 1 && after[0].id == directory[0].id)
        #expect(after[0].identities.map(\.externalID) == ["id-rosa-2"])
    }

    @Test func twoUsersSwappingEmailsAreBothRenamed() {
        let config = F.config([staffRule])
        let (_, directory) = reconcile(
            config, [F.snapshot([F.user("oscar"), F.user("peggy")], [staff(["oscar", "peggy"])])])
        let swapped = [F.user("oscar", email: "peggy@example.com"), F.user("peggy", email: "oscar@example.com")]
        let (plan, after) = reconcile(config, [F.snapshot(swapped, [staff(["oscar", "peggy"])])], directory)
        #expect(plan.changes.map(\.action) == [.rename, .rename])
        #expect(after.first { $0.username == "oscar" }?.email == "peggy@example.com")
        #expect(F.plan(config, [F.snapshot(swapped, [staff(["oscar", "peggy"])])], directory: after).isEmpty)
    }

    @Test func aPartialRunNeverUndoesTheFieldsOwnedByAnotherSource() {
        let rules = [
            staffRule,
            F.rule("hr", source: "hr", .groupName(try! ValuePattern("staff", ignoreCase: true)), roles: ["viewer"]),
        ]
        let config = F.config(rules, sources: ["corp", "hr"])
        let corp = F.snapshot([F.user("alice")], [staff(["alice"])])
        let hr = F.snapshot(
            [F.user("alice.a", email: "ALICE@example.com", id: "hr-1", first: "Ally")], [staff(["alice.a"])],
            source: "hr")
        let (_, directory) = reconcile(config, [corp, hr])
        #expect(F.plan(config, [hr], directory: directory).isEmpty)
        #expect(F.plan(config, [corp, hr], directory: directory).isEmpty)
        #expect(directory[0].username == "alice" && directory[0].firstName == "Alice")
    }

    @Test func aDNSpelledDifferentlyIsNotARename() {
        let config = F.config([staffRule])
        let (_, directory) = reconcile(config, [F.snapshot([F.user("rosa")], [staff(["rosa"])])])
        var respelled = F.user("rosa")
        respelled.dn = "UID=rosa, OU=People, DC=Example,DC=com"
        #expect(F.plan(config, [F.snapshot([respelled], [staff(["rosa"])])], directory: directory).isEmpty)
    }

    @Test func controlCharactersNeverReachTheDirectory() {
        let config = F.config([staffRule])
        let plan = F.plan(config, [F.snapshot([F.user("eve", first: "Eve\nEvil\u{1b}[31m")], [staff(["eve"])])])
        #expect(plan.changes.first?.after.firstName == "EveEvil[31m")
    }
}
