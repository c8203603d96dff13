import Foundation
import Testing

@testable import RosterCore

struct AssignmentOriginTests {
    @Test(arguments: ["manual", "mapping:teams@corp", "mapping:a@b@corp"])
    func storedFormRoundTrips(text: String) throws {
        let origin = try #require(AssignmentOrigin(text))
        #expect(origin.description == text)
        #expect(AssignmentOrigin(origin.description) == origin)
    }

    @Test func mappingNamesItsRuleAndSource() {
        let origin = AssignmentOrigin.mapping(id: "ml-admins", source: "corp")
        #expect(origin.description == "mapping:ml-admins@corp")
        #expect(origin.mappingID == "ml-admins" && origin.source == "corp")
        #expect(origin != .manual && AssignmentOrigin.manual.source == nil && AssignmentOrigin.manual.mappingID == nil)
        // The source is what follows the last @: a rule id may hold one.
        #expect(AssignmentOrigin("mapping:a@b@corp")?.mappingID == "a@b")
    }

    @Test(arguments: ["", "Manual", "mapping:", "mapping:@corp", "mapping:teams@", "mapping:teams", "rule:x@y"])
    func otherTextIsNoOrigin(text: String) {
        #expect(AssignmentOrigin(text) == nil)
    }

    @Test func encodesAsItsStoredForm() throws {
        let origins = [AssignmentOrigin.manual, .mapping(id: "teams", source: "corp")]
        let data = try JSONEncoder().encode(origins)
        #expect(String(decoding: data, as: UTF8.self) == #"["manual","mapping:teams@corp"]"#)
        #expect(try JSONDecoder().decode([AssignmentOrigin].self, from: data) == origins)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([AssignmentOrigin].self, from: Data(#"["x"]"#.utf8))
        }
    }

    @Test func ordersByStoredForm() {
        #expect(AssignmentOrigin.manual < .mapping(id: "a", source: "b"))
        #expect(AssignmentOrigin.mapping(id: "a", source: "z") < .mapping(id: "b", source: "a"))
    }
}
