import Foundation
import Testing

@testable import RosterCore

/// The plan text's email and details columns are as wide as their widest entry, up to 40 and 70
/// characters, wherever in the plan that entry is.
struct PlanTextColumnsTests {
    static let origin = AssignmentOrigin.mapping(id: "teams", source: "corp")

    static func creation(_ email: String, groups: Int) -> UserChange {
        UserChange(
            action: .create, before: nil,
            after: DirectoryUser(
                id: 0, username: String(email.prefix { $0 != "@" }), email: email,
                assignments: (0..<groups).map { .group("team-\($0)", role: .member, origin: origin) }),
            source: "corp", mappings: ["teams"])
    }

    /// Where the mappings column starts on each change's line.
    static func mappingColumns(_ changes: [UserChange]) -> [Int] {
        let text = PlanFormatter.text(Plan(changes: changes), sources: [])
        return text.split(separator: "\n").dropLast().map { line in
            line.distance(from: line.startIndex, to: line.range(of: "  (teams)")!.lowerBound)
        }
    }

    @Test(arguments: [0, 1, 2])
    func theWidestEntryAnywhereSetsTheColumnsUpToTheirLimits(position: Int) {
        var changes = [Self.creation("a@x.io", groups: 1), Self.creation("b@x.io", groups: 2)]
        // Longer than both limits: the columns stop at 40 and 70, and its own line overflows.
        changes.insert(Self.creation(String(repeating: "w", count: 50) + "@x.io", groups: 9), at: position)
        let columns = Self.mappingColumns(changes)
        // "+ create      " is 14 characters; then the email column, two spaces, the details column.
        for (index, column) in columns.enumerated() where index != position {
            #expect(column == 14 + 40 + 2 + 70)
        }
        #expect(columns[position] > 14 + 40 + 2 + 70)
    }

    @Test func shortEntriesMakeNarrowColumns() {
        let changes = [Self.creation("a@x.io", groups: 1), Self.creation("bb@x.io", groups: 2)]
        // "type=user roles=[] groups=[team-0,team-1]" is 41 characters.
        #expect(Self.mappingColumns(changes) == [14 + 7 + 2 + 41, 14 + 7 + 2 + 41])
    }
}
