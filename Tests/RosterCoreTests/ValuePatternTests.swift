import Testing

@testable import RosterCore

struct ValuePatternTests {
    @Test(arguments: [
        ("team-ml", "team-ml", true, true),
        ("Team-ML", "team-ml", true, true),
        ("Team-ML", "team-ml", false, false),
        ("leads-*", "LEADS-data", true, true),
        ("leads-*", "leads-", true, true),
        ("lead?-x", "leads-x", true, true),
        ("lead?-x", "lead-x", true, false),
        ("^team-(?<team>[a-z]+)$", "team-ml", false, true),
        ("^team-(?<team>[a-z]+)$", "team-ml-x", false, false),
        ("a.b", "axb", true, false),
        ("proj(1)", "proj(1)", true, true),
    ])
    func matching(pattern: String, value: String, ignoreCase: Bool, matches: Bool) throws {
        let compiled = try ValuePattern(pattern, ignoreCase: ignoreCase)
        #expect((compiled.match(value) != nil) == matches)
    }

    @Test func globStarsAreNumberedCaptures() throws {
        let pattern = try ValuePattern("leads-*-*", ignoreCase: true)
        #expect(pattern.form == .glob)
        #expect(pattern.captureCount == 2)
        let captures = try #require(pattern.match("leads-ml-core"))
        #expect(captures.numbered.count == 2)
        #expect(try NameTemplate("${1}/${2}").render(captures).contains("ml"))
    }

    @Test func regexNamedCapturesFeedTemplates() throws {
        let pattern = try ValuePattern("^proj-(?<project>.+)-owners$", ignoreCase: false)
        #expect(pattern.captureNames == ["project"])
        #expect(pattern.captureCount == 1)
        let captures = try #require(pattern.match("proj-vision-owners"))
        #expect(try NameTemplate("${project}").render(captures) == "vision")
        #expect(try NameTemplate("p-$1").render(captures) == "p-vision")
    }

    @Test func unicodeCaseFoldingForLDAPNames() throws {
        #expect(try ValuePattern("ÄRZTE", ignoreCase: true).match("ärzte") != nil)
        #expect(LDAPText.equalIgnoringCase("Straße", "STRASSE"))
    }

    @Test func badRegexIsRefused() {
        #expect(throws: ValuePattern.InvalidPattern.self) { try ValuePattern("^team-(unclosed$", ignoreCase: true) }
    }

    @Test func substitutedNamesAreLiteral() throws {
        let pattern = try ValuePattern("^team-(?<t>.+)$", ignoreCase: true)
        let captures = try #require(pattern.match("team-*"))
        #expect(try NameTemplate("team-${t}").render(captures) == "team-*")
    }

    @Test(arguments: ["${missing}", "${2}"])
    func unresolvedReferencesAreFound(template: String) throws {
        let pattern = try ValuePattern("^team-(?<team>.+)$", ignoreCase: true)
        #expect(
            try NameTemplate(template).unresolvedReference(names: pattern.captureNames, count: pattern.captureCount)
                != nil)
    }
}
