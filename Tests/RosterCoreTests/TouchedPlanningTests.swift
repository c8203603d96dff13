import Foundation
import Testing

@testable import RosterCore

/// Planning only the people a run's changes touch plans exactly what planning everyone plans,
/// when the directory is as the last whole plan left it: the same changes, scenario by scenario.
final class TouchedPlanningTests {
    typealias F = Fixtures
    /// How many directory users the last `bothPlans` planned.
    private var lastTouchedCount = 0

    let staffRule = F.rule("staff", .groupName(try! ValuePattern("staff", ignoreCase: true)), roles: ["editor"])
    let teamRule = F.rule(
        "teams", .groupName(try! ValuePattern("^team-(?<t>.+)$", ignoreCase: true)), groups: [("${t}", .member)])
    let adminRule = F.rule(
        "admins", .groupName(try! ValuePattern("admins", ignoreCase: true)), type: .admin, roles: ["admin"])

    /// The directory and the source as the last run left them (applied, nothing left to do).
    struct Settled {
        var config: RosterConfiguration
        var directory: [DirectoryUser]
        var cached: SourceSnapshot
    }

    private func settle(_ config: RosterConfiguration, _ snapshot: SourceSnapshot) -> Settled {
        let plan = F.plan(config, [snapshot], directory: [])
        let directory = F.apply(plan, to: [])
        #expect(F.plan(config, [snapshot], directory: directory).isEmpty)
        return Settled(config: config, directory: directory, cached: snapshot)
    }

    /// The plan of everyone and the plan of the touched people, for `now` read after `settled`.
    private func bothPlans(_ settled: Settled, now snapshot: SourceSnapshot) throws -> (whole: Plan, touched: Plan) {
        let whole = F.plan(settled.config, [snapshot], directory: settled.directory)
        let cachedByID = Dictionary(uniqueKeysWithValues: settled.cached.users.map { ($0.externalID, $0) })
        let changed = snapshot.users.filter { cachedByID[$0.externalID] != $0 }
        let removed = Set(cachedByID.keys).subtracting(snapshot.users.map(\.externalID))
        let changedGroups = snapshot.groups.filter { group in !settled.cached.groups.contains(group) }
        let removedGroups = Set(settled.cached.groups.map(\.mergeKey)).subtracting(snapshot.groups.map(\.mergeKey))
        let reach = GroupReach.memberKeys(
            changed: Set(changedGroups.map(\.mergeKey)).union(removedGroups), old: settled.cached.groups,
            new: snapshot.groups, nested: snapshot.nestedGroups, membersAreUsernames: false)
        let delta = SourceDelta(
            source: snapshot.source, changedUsers: changed, removedUsers: removed, memberKeys: reach.members)
        let lookup = MemoryLookup(directory: settled.directory, cached: settled.cached)
        let people = try TouchedPeople.resolve([delta], seeds: [], lookup: lookup)
        // Given the old forms of the changed users up front (as an incremental comparison has
        // them), the walk finds the same people without reading those entries again.
        var changedIDs = CacheKeys()
        changedIDs.ids = Set(changed.map(\.externalID))
        let oldForms = try lookup.cachedUsers(snapshot.source, matching: changedIDs, except: [])
        lookup.reads = []
        let prefilled = try TouchedPeople.resolve(
            [delta], seeds: [], cachedChanged: [snapshot.source: oldForms], lookup: lookup)
        #expect(prefilled.directory.map(\.id) == people.directory.map(\.id))
        #expect(prefilled.users == people.users)
        #expect(Set(lookup.reads).isDisjoint(with: oldForms.map(\.position)), "an old form was read again")
        var reduced = snapshot
        reduced.users = people.users[snapshot.source] ?? []
        let managed = settled.directory.filter { $0.status != .deleted && !$0.identities.isEmpty }.count
        let totals = PlanTotals(
            managedUsers: managed, managedBySource: [snapshot.source: managed],
            sourceUsers: [snapshot.source: snapshot.users.count])
        let touched = Planner(configuration: settled.config, directory: people.directory, now: F.now, totals: totals)
            .plan([reduced])
        lastTouchedCount = people.directory.count
        return (whole, touched)
    }

    private func expectSame(_ plans: (whole: Plan, touched: Plan), _ comment: Comment) {
        func describe(_ plan: Plan) -> [String] {
            plan.changes.map { "\($0.action) \($0.after.email) \($0.after.normalized)" }.sorted()
                + plan.skipped.map { "skip \($0.entry): \($0.reason)" }.sorted()
        }
        #expect(describe(plans.whole) == describe(plans.touched), comment)
        #expect(!plans.whole.changes.isEmpty || !plans.whole.skipped.isEmpty, "the scenario changes nothing")
    }

    private var people: [SourceUser] { ["ann", "bob", "cid", "dan", "eve"].map { F.user($0) } }

    private var groups: [SourceGroup] {
        [
            F.group("staff", ["ann", "bob", "@team-red"]), F.group("team-red", ["cid", "dan"]),
            F.group("team-blue", ["eve", "ann"]), F.group("admins", ["eve"]),
        ]
    }

    private func base() -> Settled {
        settle(F.config([staffRule, teamRule, adminRule]), F.snapshot(people, groups))
    }

    @Test func aChangedNameIsPlannedForThatUserOnly() throws {
        let settled = base()
        var users = people
        users[1].firstName = "Robert"
        let plans = try bothPlans(settled, now: F.snapshot(users, groups))
        expectSame(plans, "renamed first name")
        #expect(plans.touched.changes.count == 1)
        #expect(lastTouchedCount == 1, "only bob is planned")
    }

    @Test func twoUsersSwappingEmails() throws {
        let settled = base()
        var users = people
        (users[0].email, users[1].email) = (users[1].email, users[0].email)
        expectSame(try bothPlans(settled, now: F.snapshot(users, groups)), "swapped emails")
    }

    @Test func aRemovedUserIsDeactivatedAndFreesTheEmailASkippedEntryWanted() throws {
        // An entry claiming ann's email is skipped while ann holds it...
        var users = people + [F.user("ann2", email: "ann@example.com")]
        let regrouped = [F.group("staff", ["ann", "bob", "ann2", "@team-red"])] + groups.dropFirst()
        let settled = settle(F.config([staffRule, teamRule, adminRule]), F.snapshot(users, regrouped))
        #expect(F.plan(settled.config, [settled.cached], directory: settled.directory).skipped.count == 1)
        // ...and when ann goes, it takes her account over (a re-created entry), in both plans.
        users.removeFirst()
        let plans = try bothPlans(settled, now: F.snapshot(users, regrouped))
        expectSame(plans, "ann removed, ann2 waiting for her email")
        #expect(plans.touched.changes.map(\.after.username) == ["ann2"])
    }

    @Test func aNewUserWantingAUsernameInUseIsSkipped() throws {
        let settled = base()
        var newcomer = F.user("bob", email: "robert@example.com", id: "id-robert")
        newcomer.dn = F.userDN("robert")
        newcomer.normalizedDN = F.userDN("robert").lowercased()
        let users = people + [newcomer]
        let staff = F.group("staff", ["ann", "bob", "robert", "@team-red"])
        expectSame(
            try bothPlans(settled, now: F.snapshot(users, [staff] + groups.dropFirst())), "username taken")
    }

    @Test func aMembershipChangeInANestedGroupReachesItsMembers() throws {
        let settled = base()
        // Dan leaves team-red: he loses the team and, through it, staff.
        var regrouped = groups
        regrouped[1] = F.group("team-red", ["cid"])
        let plans = try bothPlans(settled, now: F.snapshot(people, regrouped))
        expectSame(plans, "dan left team-red")
        #expect(plans.touched.changes.map(\.after.username) == ["dan"])
    }

    @Test func aGroupLeavingAnotherChangesEveryMemberUnderIt() throws {
        let settled = base()
        var regrouped = groups
        regrouped[0] = F.group("staff", ["ann", "bob"])
        let plans = try bothPlans(settled, now: F.snapshot(people, regrouped))
        expectSame(plans, "team-red left staff")
        #expect(Set(plans.touched.changes.map(\.after.username)) == ["cid", "dan"])
    }

    @Test func aGroupRemovedAltogether() throws {
        let settled = base()
        let plans = try bothPlans(settled, now: F.snapshot(people, groups.filter { $0.name != "admins" }))
        expectSame(plans, "admins removed")
    }

    @Test func aNewUserAndAnEmailChangeToANewAddress() throws {
        let settled = base()
        var users = people + [F.user("fay")]
        users[4].email = "eve.new@example.com"
        let staff = F.group("staff", ["ann", "bob", "fay", "@team-red"])
        expectSame(try bothPlans(settled, now: F.snapshot(users, [staff] + groups.dropFirst())), "fay and eve")
    }

    @Test func theSafetyLimitsWeighTouchedRemovalsAgainstEveryone() throws {
        let limited = F.config(
            [staffRule, teamRule, adminRule],
            safety: SafetyOptions(maxDeactivations: .percent(20), maxDeletions: .count(0)))
        let settled = settle(limited, F.snapshot(people, groups))
        // One of five is 20%: allowed; two are 40%: over the limit, in both plans alike.
        let one = try bothPlans(settled, now: F.snapshot(Array(people.dropFirst()), groups))
        #expect(one.whole.safetyBreach == nil && one.touched.safetyBreach == nil)
        let two = try bothPlans(settled, now: F.snapshot(Array(people.dropFirst(2)), groups))
        #expect(two.whole.safetyBreach != nil)
        #expect(two.touched.safetyBreach?.description == two.whole.safetyBreach?.description)
    }

    @Test func groupReachFollowsNestingOnlyWhenNested() {
        let inner = F.group("inner", ["ann"])
        let outer = F.group("outer", ["bob", "@inner"])
        let nested = GroupReach.memberKeys(
            changed: [outer.mergeKey], old: [inner, outer], new: [inner, outer], nested: true,
            membersAreUsernames: false)
        #expect(nested.members == [F.userDN("ann").lowercased(), F.userDN("bob").lowercased()])
        let flat = GroupReach.memberKeys(
            changed: [outer.mergeKey], old: [inner, outer], new: [inner, outer], nested: false,
            membersAreUsernames: false)
        #expect(flat.members == [F.userDN("bob").lowercased()])
        let byName = GroupReach.memberKeys(
            changed: ["cn=x"], old: [SourceGroup(dn: "cn=x", normalizedDN: "cn=x", name: "x", members: ["Ann"])],
            new: [], nested: false, membersAreUsernames: true)
        #expect(byName.members == ["ann"])
    }
}

/// The directory and one source's cache in memory, answering as the store does.
final class MemoryLookup: PlanningLookup {
    let directory: [DirectoryUser]
    let cached: SourceSnapshot
    /// The positions of the cached entries returned so far.
    var reads: [Int64] = []

    init(directory: [DirectoryUser], cached: SourceSnapshot) {
        self.directory = directory
        self.cached = cached
    }

    func directoryUsers(matching keys: DirectoryKeys) throws -> [DirectoryUser] {
        directory.filter { user in
            user.status != .deleted
                && (keys.ids.contains(user.id) || keys.emailKeys.contains(EmailAddress.key(user.email))
                    || keys.usernameKeys.contains(LDAPText.fold(user.username))
                    || user.identities.contains { keys.identities[$0.source]?.contains($0.externalID) ?? false })
        }
    }

    func cachedUsers(_ source: String, matching keys: CacheKeys, except known: Set<Int64>) throws
        -> [CachedSourceUser]
    {
        guard source == cached.source else { return [] }
        let found = cached.users.enumerated().compactMap { position, user -> CachedSourceUser? in
            guard !known.contains(Int64(position)) else { return nil }
            let matches =
                keys.ids.contains(user.externalID)
                || user.email.map { keys.emailKeys.contains(EmailAddress.key($0)) } ?? false
                || Planner.usernameKey(of: user).map(keys.usernameKeys.contains) ?? false
                || user.normalizedDN.map(keys.memberKeys.contains) ?? false
            return matches ? CachedSourceUser(position: Int64(position), user: user) : nil
        }
        reads += found.map(\.position)
        return found
    }

}
