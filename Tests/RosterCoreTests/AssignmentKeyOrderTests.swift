import Testing

@testable import RosterCore

/// Assignments compared without building their keys order exactly as their keys do: a name
/// that is a prefix of another, a separator inside a name, other kinds, origins and details,
/// and texts that are not ASCII.
struct AssignmentKeyOrderTests {
    static let names = ["team", "team-a", "team|x", "tea", "", "Ärger", "ärger", "e\u{301}", "\u{E9}", "Z"]

    static var assignments: [Assignment] {
        // "mapping:t@c" is a prefix of "mapping:t@corp": one whole key a prefix of another.
        let origins: [AssignmentOrigin] = [
            .manual, .mapping(id: "teams", source: "corp"), .mapping(id: "t", source: "c"),
            .mapping(id: "t", source: "corp"),
        ]
        var all: [Assignment] = []
        for name in names {
            for origin in origins {
                all.append(.group(name, role: .member, origin: origin))
                all.append(.group(name, role: .admin, origin: origin))
                all.append(.role(name, origin: origin))
                all.append(.role(name, project: "p", origin: origin))
                all.append(.project(name, role: .owner, origin: origin))
            }
        }
        return all
    }

    @Test func comparingWithoutKeysOrdersAsTheKeysDo() {
        let all = Self.assignments
        for left in all {
            for right in all {
                #expect(left.keyPrecedes(right) == (left.key < right.key), "\(left.key) / \(right.key)")
            }
        }
    }

    @Test func sortedByKeySortsByKeyAndKeepsAnOrderedList() {
        let all = Self.assignments
        let sorted = all.reversed().sortedByKey()
        #expect(sorted.map(\.key) == all.map(\.key).sorted())
        #expect(sorted.sortedByKey() == sorted)
    }
}
