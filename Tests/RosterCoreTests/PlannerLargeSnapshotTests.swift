import Testing

@testable import RosterCore

/// A snapshot larger than a chunk has its mapping evaluations made on another thread, ahead of
/// the identification: each user still gets their own, across chunk boundaries and past the
/// users identification skips.
struct PlannerLargeSnapshotTests {
    typealias F = Fixtures

    @Test func everyUserOfALargeSnapshotGetsTheirOwnEvaluation() {
        let count = EvaluationsAhead.chunkSize * 2 + 500
        // Every 1000th entry has no id (skipped); every user is in one team of 97, whose number
        // the group it is granted carries; a chain of two groups makes the first 50 admins.
        let users = (0..<count).map { F.user("u\($0)", id: $0 % 1000 == 999 ? "" : nil) }
        var groups = (0..<97).map { team in
            F.group("team-\(team)", Array(stride(from: team, to: count, by: 97)).map { "u\($0)" })
        }
        groups.append(F.group("inner", (0..<50).map { "u\($0)" }))
        groups.append(F.group("admins", ["@inner"]))
        let teams = F.rule(
            "teams", .groupName(try! ValuePattern("^team-(?<t>[0-9]+)$", ignoreCase: true)),
            groups: [("team-${t}", .member)])
        let admins = F.rule(
            "admins", .group(normalizedDN: F.groupDN("admins").lowercased(), written: "admins"), type: .admin,
            roles: ["admin"])
        let plan = F.plan(F.config([teams, admins]), [F.snapshot(users, groups)])

        let skippedCount = (0..<count).filter { $0 % 1000 == 999 }.count
        #expect(plan.skipped.count == skippedCount)
        #expect(plan.changes.count == count - skippedCount)
        for change in plan.changes {
            let number = Int(change.after.username.dropFirst())!
            #expect(
                change.after.assignments.effectiveGroups.map(\.name) == ["team-\(number % 97)"],
                "\(change.after.username)")
            #expect(change.after.type == (number < 50 ? .admin : .user), "\(change.after.username)")
        }
        let first = plan.changes.first { $0.after.username == "u7" }!
        #expect(
            first.chains == [
                "u7 ← cn=team-7 → mapping teams", "u7 ← cn=inner ← cn=admins → mapping admins", "u7 → defaults",
            ])
    }
}
