import Foundation
import RosterCore
import Testing

@testable import RosterConfig

/// The options only Active Directory has: logon names to bind with, and `range_size`.
struct ActiveDirectoryOptionsTests {
    private func source(_ lines: String, flavor: String = "active-directory") throws -> LDAPSourceOptions? {
        let fixture = try Fixture()
        let text = """
            sources:
              ad:
                type: ldap
                url: ldaps://dc.example.com
                flavor: \(flavor)
                bind_password_file: ldap.secret
            \(lines)
                users: {base: "dc=example,dc=com"}
                groups: {base: "dc=example,dc=com"}
            roles:
              viewer: {privileges: {projects: r}}
            """
        let config = try ConfigLoader.loadText(
            text, path: "roster.yaml", dnNormalizer: LowercasingDNNormalizer(), workingDirectory: fixture.directory)
        guard case .ldap(let options) = config.source(named: "ad")?.kind else { return nil }
        return options
    }

    @Test(arguments: ["roster@ad.example.com", "EXAMPLE\\\\roster", "cn=roster,cn=users,dc=example,dc=com"])
    func bindsByPrincipalNameDownLevelNameOrDN(_ name: String) throws {
        let options = try #require(try source("    bind_dn: \"\(name)\""))
        #expect(options.bindDN == name.replacingOccurrences(of: "\\\\", with: "\\"))
    }

    @Test func logonNamesAreForActiveDirectoryOnly() throws {
        let error = #expect(throws: ConfigError.self) {
            try source("    bind_dn: roster@example.com", flavor: "openldap")
        }
        #expect(error?.messages.first?.contains("invalid DN \"roster@example.com\"") == true)
    }

    @Test func aHalfLogonNameIsRefused() throws {
        let error = #expect(throws: ConfigError.self) { try source("    bind_dn: \"EXAMPLE\\\\\"") }
        let message = try #require(error?.messages.first)
        #expect(message.hasPrefix("roster.yaml:7:14: invalid bind_dn \"EXAMPLE\\\""), "\(message)")
        #expect(message.contains("write a DN, roster@example.com or EXAMPLE\\roster"), "\(message)")
    }

    @Test func rangeSizeAsksForWindows() throws {
        let options = try #require(try source("    bind_dn: roster@example.com\n    range_size: 500"))
        #expect(options.rangeSize == 500)
        #expect(try source("    bind_dn: roster@example.com")?.rangeSize == nil)
    }

    @Test func rangeSizeIsRefusedForOtherFlavors() throws {
        let error = #expect(throws: ConfigError.self) {
            try source("    bind_dn: cn=r,dc=example,dc=com\n    range_size: 500", flavor: "openldap")
        }
        let message = try #require(error?.messages.first)
        #expect(message.hasPrefix("roster.yaml:8:5: "), "\(message)")
        #expect(message.contains("range_size is for flavor: active-directory"), "\(message)")
    }
}
