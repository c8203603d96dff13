import RosterCore
import Testing

@testable import RosterConfig

struct ConfigSummaryTests {
    @Test func summarisesEverySection() throws {
        let fixture = try Fixture()
        let config = try ConfigLoader.loadText(
            fullConfiguration, path: "/etc/roster/roster.yaml", dnNormalizer: LowercasingDNNormalizer(),
            workingDirectory: fixture.directory)
        let summary = ConfigSummary.render(config)
        let lines = summary.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "config:           /etc/roster/roster.yaml")
        #expect(lines.contains("directory:        \(fixture.directory)/state/roster.db"))
        #expect(lines.contains("daemon:           every 15m, full sync every 6h"))
        #expect(
            lines.contains(
                "safety:           max deactivations 10%, max deletions 0, on missing: deactivate, delete after 30d"))
        #expect(lines.contains("Sources (4):"))
        #expect(lines.contains { $0.hasPrefix("corp  ldap  ldaps://dc1.example.com, ldaps://dc2.example.com") })
        #expect(lines.contains { $0.hasPrefix("okta  oidc  https://idp.example.com/realms/corp") })
        #expect(lines.contains("Roles (4): admin, editor, viewer, no-export"))
        #expect(lines.contains("Defaults: type=user roles=[viewer]"))
        #expect(lines.contains("Mappings (6):"))
        let teams = try #require(lines.first { $0.hasPrefix("teams ") })
        #expect(teams.contains("group_name ^team-(?<team>[a-z0-9-]+)$ (regex)"))
        #expect(teams.hasSuffix("groups=[team-${team}]"))
        #expect(lines.last?.hasPrefix("service-accounts  corp") == true)
        #expect(lines.last?.hasSuffix("exclude (out of scope)") == true)
        // Columns line up: every mapping row has its source where the header has SOURCE.
        let table = Array(lines.drop { $0 != "Mappings (6):" }.dropFirst())
        let column = try #require(table.first?.range(of: "SOURCE")?.lowerBound.utf16Offset(in: table[0]))
        for row in table.dropFirst() {
            let source = row.dropFirst(column).prefix(4)
            #expect(source == "corp" || source == "okta", "\(row)")
        }
    }

    @Test func emptySectionsSayNone() throws {
        let config = RosterConfiguration(
            path: "roster.yaml", directory: DirectoryOptions(path: "/var/lib/roster/roster.db"), sources: [],
            roles: [], mappings: [])
        let summary = ConfigSummary.render(config)
        #expect(summary.contains("Sources: none"))
        #expect(summary.contains("Roles (0): none"))
        #expect(summary.contains("Mappings: none"))
        #expect(summary.contains("audit file:       none (the database copy only)"))
    }
}
