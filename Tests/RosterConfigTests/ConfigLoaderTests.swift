import Foundation
import RosterCore
import Testing

@testable import RosterConfig

/// The SPEC §3 example, with secret files in a scratch folder and a second, Active Directory
/// source that leaves every attribute to its flavor's defaults.
let fullConfiguration = """
    directory:
      path: state/roster.db
    audit:
      file: /var/log/roster/audit.jsonl
    daemon:
      interval: 15m
      full_sync_every: 6h
      control_socket: /run/roster/roster.sock
      metrics_file: metrics/roster.prom
    safety:
      max_deactivations: 10%
      max_deletions: 0
      protected_users: [breakglass@example.com]
      on_missing: deactivate
      delete_after: 30d
    scope: mapped
    sources:
      corp:
        type: ldap
        url: [ldaps://dc1.example.com, ldaps://dc2.example.com]
        bind_dn: cn=roster,ou=services,dc=example,dc=com
        bind_password_file: ldap.secret
        tls: {ca_file: ca.pem, start_tls: false}
        flavor: openldap
        page_size: 500
        timeout: 30s
        users:
          base: ou=people,dc=example,dc=com
          filter: (objectClass=inetOrgPerson)
          attributes: {id: entryUUID, username: uid, email: mail, first_name: givenName, last_name: sn}
        groups:
          base: ou=groups,dc=example,dc=com
          filter: (objectClass=groupOfNames)
          member_attribute: member
          nested: true
      ad:
        type: ldap
        url: ldap://dc.ad.example.com
        flavor: active-directory
        tls: {start_tls: true}
        allow_empty: true
        users: {base: "CN=Users,DC=ad,DC=example,DC=com", attributes: {email: userPrincipalName}}
        groups: {base: "CN=Users,DC=ad,DC=example,DC=com"}
      okta:
        type: oidc
        issuer: https://idp.example.com/realms/corp
        client_id: roster
        client_secret_file: oidc.secret
        audience: [roster, platform-web, platform-sdk]
        claims: {id: sub, username: preferred_username, email: email, first_name: given_name, last_name: family_name, groups: groups}
        claims_max_age: 24h
        refresh_every: 1h
        token_key_file: token.key
      demo:
        type: ldif
        path: config/demo/directory.ldif
        users: {base: ou=people,dc=example,dc=com, attributes: {id: employeeNumber}}
        groups: {base: ou=groups,dc=example,dc=com, nested: true}
    roles:
      admin:   {description: Manage users and settings, privileges: {users: crud, settings: crud}}
      editor:  {privileges: {projects: crud, jobs: crud}}
      viewer:  {privileges: {projects: r, jobs: r}}
      no-export: {privileges: {data.export: deny}}
    defaults: {type: user, roles: [viewer]}
    mappings:
      - id: ml-admins
        source: corp
        group: CN=ML-Admins, OU=Groups,dc=example,dc=com
        type: admin
        roles: [admin]
      - id: teams
        source: corp
        group_name: "^team-(?<team>[a-z0-9-]+)$"
        groups: ["team-${team}"]
      - id: team-leads
        source: corp
        group_name: "leads-*"
        groups: [{name: "${1}", role: admin}]
      - id: project-owners
        source: okta
        claim: groups
        value: "^proj-(?<project>.+)-owners$"
        projects: {"${project}": owner}
      - id: research
        source: corp
        attribute: departmentNumber
        value: "4711"
        roles: [editor]
      - id: service-accounts
        source: corp
        group: cn=service-accounts,ou=groups,dc=example,dc=com
        exclude: true
    """

struct ConfigLoaderTests {
    let fixture: Fixture
    let config: RosterConfiguration

    init() throws {
        fixture = try Fixture()
        config = try ConfigLoader.loadText(
            fullConfiguration, path: "roster.yaml", dnNormalizer: LowercasingDNNormalizer(),
            workingDirectory: fixture.directory)
    }

    @Test func topLevelSettings() {
        #expect(config.path == "roster.yaml")
        #expect(config.directory.path == fixture.path("state/roster.db"))
        #expect(config.audit.file == "/var/log/roster/audit.jsonl")
        #expect(config.daemon.interval == .seconds(900))
        #expect(config.daemon.fullSyncEvery == .seconds(6 * 3600))
        #expect(config.daemon.controlSocket == "/run/roster/roster.sock")
        #expect(config.daemon.metricsFile == fixture.path("metrics/roster.prom"))
        #expect(config.safety.maxDeactivations == .percent(10))
        #expect(config.safety.maxDeletions == .count(0))
        #expect(config.safety.protectedUsers == ["breakglass@example.com"])
        #expect(config.safety.onMissing == .deactivate)
        #expect(config.safety.deleteAfter == .seconds(30 * 86_400))
        #expect(config.scope == .mapped)
    }

    @Test func ldapSource() throws {
        #expect(config.sources.map(\.name) == ["corp", "ad", "okta", "demo"])
        guard case .ldap(let corp) = try #require(config.source(named: "corp")).kind else {
            Issue.record("corp is not an ldap source")
            return
        }
        #expect(corp.urls == ["ldaps://dc1.example.com", "ldaps://dc2.example.com"])
        #expect(corp.bindDN == "cn=roster,ou=services,dc=example,dc=com")
        #expect(corp.bindPasswordFile == fixture.path("ldap.secret"))
        #expect(corp.tls.caFile == fixture.path("ca.pem"))
        #expect(corp.tls.startTLS == false)
        #expect(corp.tls.insecureSkipVerify == false)
        #expect(corp.pageSize == 500)
        #expect(corp.timeout == .seconds(30))
        #expect(corp.users.filter == "(objectClass=inetOrgPerson)")
        #expect(corp.users.attributes == AttributeMap.defaults(for: .openldap))
        let groups = try #require(corp.groups)
        #expect(groups.base == "ou=groups,dc=example,dc=com")
        #expect(groups.memberAttribute == "member")
        #expect(groups.nameAttribute == "cn")
        #expect(groups.nested)
    }

    @Test func activeDirectoryDefaults() throws {
        let source = try #require(config.source(named: "ad"))
        #expect(source.allowEmpty)
        guard case .ldap(let ad) = source.kind else {
            Issue.record("ad is not an ldap source")
            return
        }
        #expect(ad.urls == ["ldap://dc.ad.example.com"])
        #expect(ad.flavor == .activeDirectory)
        #expect(ad.tls.startTLS)
        #expect(ad.bindDN == nil)
        var expected = AttributeMap.defaults(for: .activeDirectory)
        expected.email = "userPrincipalName"
        #expect(ad.users.attributes == expected)
        #expect(ad.users.attributes.id == "objectGUID")
        #expect(ad.groups?.memberAttribute == "member")
        #expect(ad.groups?.nested == false)
    }

    @Test func oidcSource() throws {
        guard case .oidc(let okta) = try #require(config.source(named: "okta")).kind else {
            Issue.record("okta is not an oidc source")
            return
        }
        #expect(okta.issuer == "https://idp.example.com/realms/corp")
        #expect(okta.clientID == "roster")
        #expect(okta.clientSecretFile == fixture.path("oidc.secret"))
        #expect(okta.audience == ["roster", "platform-web", "platform-sdk"])
        #expect(okta.claims == ClaimMap())
        #expect(okta.claimsMaxAge == .seconds(86_400))
        #expect(okta.refreshEvery == .seconds(3600))
        #expect(okta.tokenKeyFile == fixture.path("token.key"))
    }

    @Test func ldifSource() throws {
        guard case .ldif(let demo) = try #require(config.source(named: "demo")).kind else {
            Issue.record("demo is not an ldif source")
            return
        }
        #expect(demo.path == fixture.path("config/demo/directory.ldif"))
        #expect(demo.users.filter == nil)
        // Written unquoted inside { } as SPEC §3 does: the DN is joined back together.
        #expect(demo.users.base == "ou=people,dc=example,dc=com")
        #expect(demo.groups?.base == "ou=groups,dc=example,dc=com")
        var expected = AttributeMap.defaults(for: .openldap)
        expected.id = "employeeNumber"
        #expect(demo.users.attributes == expected)
        #expect(demo.groups?.nested == true)
        #expect(demo.groups?.filter == nil)
    }

    @Test func rolesAndDefaults() throws {
        #expect(config.roles.map(\.name) == ["admin", "editor", "viewer", "no-export"])
        let admin = try #require(config.role(named: "admin"))
        #expect(admin.description == "Manage users and settings")
        #expect(admin.privileges.map(\.entity) == ["users", "settings"])
        #expect(admin.privileges.map(\.privilege) == [Privilege("crud"), Privilege("crud")])
        #expect(config.role(named: "viewer")?.privileges.first?.privilege == .allow([.read]))
        #expect(config.role(named: "no-export")?.privileges.first?.entity == "data.export")
        #expect(config.role(named: "no-export")?.privileges.first?.privilege == .deny)
        #expect(config.defaults.type == .user)
        #expect(config.defaults.roles == ["viewer"])
    }

    @Test func mappings() throws {
        let rules = config.mappings
        #expect(
            rules.map(\.id) == ["ml-admins", "teams", "team-leads", "project-owners", "research", "service-accounts"])
        #expect(rules.map(\.location) == [66, 71, 75, 79, 84, 89].map { "roster.yaml:\($0):5" })

        guard case .group(let normalized, let written) = rules[0].selector else {
            Issue.record("ml-admins has no group selector")
            return
        }
        #expect(normalized == "cn=ml-admins,ou=groups,dc=example,dc=com")
        #expect(written == "CN=ML-Admins, OU=Groups,dc=example,dc=com")
        #expect(rules[0].type == .admin)
        #expect(rules[0].roles == ["admin"])

        guard case .groupName(let teams) = rules[1].selector else {
            Issue.record("teams has no group_name selector")
            return
        }
        #expect(teams.form == .regex)
        #expect(teams.ignoreCase)
        #expect(teams.captureNames == ["team"])
        #expect(teams.match("TEAM-ml")?.named["team"] == "ml")
        #expect(rules[1].groups.map(\.name.text) == ["team-${team}"])
        #expect(rules[1].groups.first?.role == .member)

        guard case .groupName(let leads) = rules[2].selector else {
            Issue.record("team-leads has no group_name selector")
            return
        }
        #expect(leads.form == .glob)
        #expect(leads.captureCount == 1)
        #expect(rules[2].groups.first?.role == .admin)

        guard case .claim(let path, let owners) = rules[3].selector else {
            Issue.record("project-owners has no claim selector")
            return
        }
        #expect(path == "groups")
        #expect(owners.ignoreCase == false)
        #expect(owners.match("proj-apollo-owners")?.named["project"] == "apollo")
        #expect(owners.match("PROJ-apollo-owners") == nil)
        #expect(rules[3].projects.map(\.name.text) == ["${project}"])
        #expect(rules[3].projects.first?.role == .owner)

        guard case .attribute(let name, let value) = rules[4].selector else {
            Issue.record("research has no attribute selector")
            return
        }
        #expect(name == "departmentNumber")
        #expect(value.form == .literal)
        #expect(value.ignoreCase)

        #expect(rules[5].exclude)
        #expect(rules[5].roles.isEmpty)
    }

    @Test func defaultsWhenSectionsAreLeftOut() throws {
        let text = """
            sources:
              demo: {type: ldif, path: /srv/demo.ldif, users: {base: "ou=people,dc=example,dc=com"}}
            """
        let config = try ConfigLoader.loadText(
            text, path: "roster.yaml", dnNormalizer: LowercasingDNNormalizer(), workingDirectory: "/tmp")
        #expect(config.directory.path == "/var/lib/roster/roster.db")
        #expect(config.audit.file == nil)
        #expect(config.daemon.interval == .seconds(900))
        #expect(config.safety.maxDeactivations == .percent(10))
        #expect(config.safety.maxDeletions == .count(0))
        #expect(config.scope == .mapped)
        #expect(config.roles.isEmpty)
        #expect(config.mappings.isEmpty)
        guard case .ldif(let demo) = config.sources.first?.kind else {
            Issue.record("demo is not an ldif source")
            return
        }
        #expect(demo.groups == nil)
        #expect(demo.users.attributes == AttributeMap.defaults(for: .openldap))
    }

    /// What the plan checkpoint is keyed on: the settings, without comments or layout.
    @Test func canonicalSettingsLeaveOutCommentsAndLayoutOnly() throws {
        func settings(_ text: String) throws -> String {
            try ConfigLoader.loadText(
                text, path: "roster.yaml", dnNormalizer: LowercasingDNNormalizer(), workingDirectory: "/tmp"
            ).canonicalSettings
        }
        let written = try settings(
            """
            sources:
              demo: {type: ldif, path: /srv/demo.ldif, users: {base: "ou=people,dc=example,dc=com"}}
            defaults: {roles: [viewer]}
            roles:
              viewer: {privileges: {projects: r}}
            """)
        #expect(!written.isEmpty)
        let reworded = try settings(
            """
            # The demo directory.
            sources:
              demo:
                type: ldif          # a file, not a server
                path: /srv/demo.ldif
                users:
                  base: "ou=people,dc=example,dc=com"

            defaults:
              roles:
                - viewer
            roles:
                viewer: {privileges: {projects: r}}   # read only
            """)
        #expect(reworded == written)
        // A value, a quoting (kept: `"~"` is not `~`) or the order of two keys (the first source
        // wins ties) is a different configuration.
        let otherValue = try settings(
            """
            sources:
              demo: {type: ldif, path: /srv/other.ldif, users: {base: "ou=people,dc=example,dc=com"}}
            defaults: {roles: [viewer]}
            roles:
              viewer: {privileges: {projects: r}}
            """)
        let otherQuoting = try settings(
            """
            sources:
              demo: {type: ldif, path: "/srv/demo.ldif", users: {base: "ou=people,dc=example,dc=com"}}
            defaults: {roles: [viewer]}
            roles:
              viewer: {privileges: {projects: r}}
            """)
        let otherOrder = try settings(
            """
            sources:
              demo: {type: ldif, path: /srv/demo.ldif, users: {base: "ou=people,dc=example,dc=com"}}
            roles:
              viewer: {privileges: {projects: r}}
            defaults: {roles: [viewer]}
            """)
        #expect(Set([written, otherValue, otherQuoting, otherOrder]).count == 4)
    }

    @Test func oidcAudienceDefaultsToTheClientAndLoopbackMayUseHTTP() throws {
        let text = """
            sources:
              local: {type: oidc, issuer: "http://127.0.0.1:8080/", client_id: roster}
              v6: {type: oidc, issuer: "http://[::1]:9000", client_id: web, audience: web-app}
            """
        let config = try ConfigLoader.loadText(
            text, path: "roster.yaml", dnNormalizer: LowercasingDNNormalizer(), workingDirectory: "/tmp")
        guard case .oidc(let local) = config.sources[0].kind, case .oidc(let v6) = config.sources[1].kind else {
            Issue.record("not oidc sources")
            return
        }
        #expect(local.audience == ["roster"])
        #expect(v6.audience == ["web-app"])
    }

    @Test func loadReadsTheFileAndNamesAMissingOne() throws {
        try fixture.write("roster.yaml", fullConfiguration, mode: 0o644)
        let loaded = try ConfigLoader.load(
            path: "roster.yaml", dnNormalizer: LowercasingDNNormalizer(), workingDirectory: fixture.directory)
        #expect(loaded.mappings.count == 6)

        let error = #expect(throws: ConfigError.self) {
            try ConfigLoader.load(
                path: "missing.yaml", dnNormalizer: LowercasingDNNormalizer(), workingDirectory: fixture.directory)
        }
        #expect(
            error?.messages == [
                "cannot read the configuration file missing.yaml: no such file or directory;"
                    + " create it or pass --config PATH"
            ])
    }
}
