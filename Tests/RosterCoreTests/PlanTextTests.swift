import Foundation
import Testing

@testable import RosterCore

/// The plan text written byte by byte, in parts at once, is the text the lines made of strings
/// gave: the reference below is that rendering, kept as the oracle.
struct PlanTextTests {
    static let teams = AssignmentOrigin.mapping(id: "teams", source: "corp")

    /// Emails that measure differently as characters, UTF-16 units and bytes.
    static let emails = [
        "a@x.io", "zoë@exämple.org", "e\u{301}mile@x.io", "🧑‍💻dev@x.io", "李@例子.中国",
        String(repeating: "w", count: 45) + "@x.io", "Ω" + String(repeating: "l", count: 41) + "@x.io",
    ]

    static func user(_ email: String, variant: Int, id: Int64 = 0) -> DirectoryUser {
        var assignments: [Assignment] = (0..<(variant % 4)).map {
            .role(["viewer", "editor", "admin"][$0 % 3], origin: teams)
        }
        for group in 0..<(variant % 7) {
            let name = variant % 5 == 0 ? "gruppe-ä\(group)" : "team-\(group)"
            assignments.append(.group(name, role: (variant + group) % 3 == 0 ? .admin : .member, origin: teams))
        }
        for project in 0..<(variant % 3) {
            assignments.append(
                .project("p\(project)", role: ProjectRole.allCases[(variant + project) % 3], origin: teams))
        }
        // Long enough to pass the details column's limit now and then.
        if variant % 11 == 0 {
            assignments += (0..<9).map { .group("long-team-name-\($0)", role: .member, origin: teams) }
        }
        return DirectoryUser(
            id: id, username: String(email.prefix { $0 != "@" }), email: email, firstName: "F\(variant)",
            type: variant % 2 == 0 ? .user : .admin, status: variant % 6 == 5 ? .inactive : .active,
            assignments: assignments)
    }

    static func changes(count: Int) -> [UserChange] {
        let mappingLists = [["teams"], ["defaults"], ["teams", "defaults", "big"], []]
        return (0..<count).map { index in
            let email = emails[index % emails.count]
            let after = user(email, variant: index)
            let mappings = mappingLists[index % mappingLists.count]
            switch index % 9 {
            case 7:
                var before = user(email, variant: index + 1, id: Int64(index))
                before.firstName = "Old"
                return UserChange(action: .update, before: before, after: after, source: "corp", mappings: mappings)
            case 8:
                let action: UserChange.Action = index % 2 == 0 ? .deactivate : .delete
                return UserChange(
                    action: action, before: after, after: after, source: "corp", mappings: mappings,
                    note: "gone from corp")
            default:
                return UserChange(action: .create, before: nil, after: after, source: "corp", mappings: mappings)
            }
        }
    }

    static func plan(_ changes: [UserChange]) -> Plan {
        Plan(
            changes: changes, skipped: [SkippedIdentity(source: "corp", entry: "uid=x", reason: "no email")],
            frozenSources: [FrozenSource(source: "hr", problem: "timed out")], warnings: ["a warning"])
    }

    @Test(arguments: [1, 2, 3, 4, 7])
    func thePartsMakeTheTextTheStringsMade(pieces: Int) {
        for count in [0, 1, 2, 5, 9, 40, 121] {
            let plan = Self.plan(Self.changes(count: count))
            #expect(PlanFormatter.text(plan, sources: [], pieces: pieces) == Self.reference(plan), "\(count) changes")
        }
    }

    /// The widest details have letters of two bytes: the column is as wide as their characters.
    @Test(arguments: [1, 2])
    func detailsAreMeasuredInCharacters(pieces: Int) {
        let changes = ["äöü-team-one", "t"].enumerated().map { index, group in
            UserChange(
                action: .create, before: nil,
                after: DirectoryUser(
                    id: 0, username: "u\(index)", email: "u\(index)@x.io",
                    assignments: [.group(group, role: .member, origin: Self.teams)]),
                source: "corp", mappings: ["teams"])
        }
        let text = PlanFormatter.text(Plan(changes: changes), sources: [], pieces: pieces)
        #expect(text == Self.reference(Plan(changes: changes)))
        // "type=user roles=[] groups=[äöü-team-one]" is 40 characters (43 bytes), the other 29.
        #expect(
            text.split(separator: "\n")[1].hasSuffix("groups=[t]" + String(repeating: " ", count: 11) + "  (teams)"))
    }

    @Test func aCreationsDetailsAreTheStringsDetails() {
        for change in Self.changes(count: 60) where change.action == .create {
            #expect(PlanFormatter.details(change) == Self.referenceCreationDetails(change.after))
        }
    }

    @Test func splitCoversEveryChangeOnceInOrder() {
        for count in [0, 1, 2, 3, 10, 101] {
            for pieces in [1, 2, 3, 4, 16] {
                let parts = InParallel.split(0..<count, into: pieces)
                #expect(parts.flatMap { Array($0) } == Array(0..<count))
                #expect(parts.count == max(1, min(pieces, count)))
                #expect(parts.allSatisfy { !$0.isEmpty } || count == 0)
                #expect(Set(parts.map(\.count)).count <= 2)
            }
        }
    }

    // MARK: - The reference: the lines as strings

    static func reference(_ plan: Plan) -> String {
        var lines: [String] = []
        var emailWidth = 0
        for change in plan.changes { emailWidth = max(emailWidth, DisplayText.characterCount(change.email)) }
        emailWidth = min(emailWidth, PlanFormatter.maxEmailWidth)
        var detailWidth = 0
        for change in plan.changes {
            detailWidth = max(detailWidth, DisplayText.characterCount(referenceDetails(change)))
        }
        detailWidth = min(detailWidth, PlanFormatter.maxDetailWidth)
        for change in plan.changes {
            let detail = referenceDetails(change)
            let symbol =
                [UserChange.Action.create, .reactivate].contains(change.action)
                ? "+" : [UserChange.Action.update, .rename].contains(change.action) ? "~" : "-"
            let head =
                "\(symbol) \(DisplayText.padded(change.action.rawValue, toLength: 11)) "
                + DisplayText.padded(change.email, toLength: max(emailWidth, DisplayText.characterCount(change.email)))
            let rules = change.mappings.filter { $0 != "defaults" }
            if !rules.isEmpty, change.action != .deactivate, change.action != .delete {
                lines.append(
                    head + "  "
                        + DisplayText.padded(detail, toLength: max(detailWidth, DisplayText.characterCount(detail)))
                        + "  (" + rules.joined(separator: ", ") + ")")
            } else {
                lines.append(head + "  " + detail)
            }
        }
        lines += plan.skipped.map { "! skip        \($0.source) \($0.entry): \($0.reason)" }
        lines += plan.frozenSources.map { "! frozen      \($0.source): \($0.problem); nothing from it was removed" }
        lines += plan.warnings.map { "! warning     \($0)" }
        lines.append(plan.summaryLine)
        return lines.joined(separator: "\n")
    }

    static func referenceDetails(_ change: UserChange) -> String {
        change.action == .create ? referenceCreationDetails(change.after) : PlanFormatter.changeDetails(change)
    }

    static func referenceCreationDetails(_ after: DirectoryUser) -> String {
        var parts = ["type=\(after.type.rawValue)", "roles=[\(after.assignments.roleNames.joined(separator: ","))]"]
        let groups = after.assignments.effectiveGroups.map { $0.role == .admin ? "\($0.name)(admin)" : $0.name }
        if !groups.isEmpty { parts.append("groups=[\(groups.joined(separator: ","))]") }
        let projects = after.assignments.effectiveProjects.map { "\($0.name):\($0.role.rawValue)" }
        if !projects.isEmpty { parts.append("projects=[\(projects.joined(separator: ","))]") }
        if after.status != .active { parts.append("status=\(after.status.rawValue)") }
        return parts.joined(separator: " ")
    }
}
