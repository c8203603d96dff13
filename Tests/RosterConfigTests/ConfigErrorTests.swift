import Foundation
import RosterCore
import Testing

@testable import RosterConfig

/// A valid configuration of 12 lines; cases append to it from line 13 on.
let baseConfiguration = """
    sources:
      demo:
        type: ldif
        path: demo.ldif
        users: {base: "ou=people,dc=example,dc=com"}
        groups: {base: "ou=groups,dc=example,dc=com"}
    roles:
      viewer: {privileges: {projects: r}}
    mappings:
      - id: all
        source: demo
        roles: [viewer]
    """

/// One broken file, where the error must point, and the words it must say.
struct ErrorCase: Sendable, CustomTestStringConvertible {
    var name: String
    var text: String
    /// `LINE:COL`.
    var position: String
    /// Words the message must contain; `$DIR` stands for the fixture folder.
    var words: [String]

    init(_ name: String, appending extra: String, at position: String, _ words: [String]) {
        self.init(name, text: baseConfiguration + "\n" + extra, at: position, words)
    }

    init(_ name: String, text: String, at position: String, _ words: [String]) {
        self.name = name
        self.text = text
        self.position = position
        self.words = words
    }

    var testDescription: String { name }
}

let errorCases: [ErrorCase] = [
    ErrorCase(
        "reserved mapping id",
        appending: """
              - id: defaults
                source: demo
                roles: [viewer]
            """, at: "13:9", ["mapping id \"defaults\" is reserved"]),
    ErrorCase(
        "empty secret file",
        text: """
            sources:
              corp:
                type: ldap
                url: ldaps://dc.example.com
                bind_dn: cn=roster,dc=example,dc=com
                bind_password_file: empty.secret
                users: {base: "dc=example,dc=com"}
            """, at: "6:25", ["$DIR/empty.secret is empty"]),
    ErrorCase(
        "unknown key with did-you-mean",
        appending: """
              - id: teams
                source: demo
                group_name: "team-*"
                grups: ["${1}"]
            """, at: "16:5", ["unknown key \"grups\" in mappings[1]; did you mean \"groups\"?"]),
    ErrorCase(
        "wrong type",
        appending: """
              - id: wrong
                source: demo
                roles: viewer
            """, at: "15:12", ["expected a list of role names", "mappings[1].roles", "[viewer]"]),
    ErrorCase(
        "unknown role",
        appending: """
              - id: leads
                source: demo
                roles: [viewer, admn]
            """, at: "15:21", ["unknown role \"admn\"", "mappings[1].roles", "(defined: viewer)"]),
    ErrorCase(
        "duplicate mapping id",
        appending: """
              - id: all
                source: demo
                roles: [viewer]
            """, at: "13:9", ["duplicate mapping id \"all\"", "mappings[0] at line 10"]),
    ErrorCase(
        "bad regex",
        appending: """
              - id: teams
                source: demo
                group_name: "^team-(?<team>[a-z$"
                groups: ["${team}"]
            """, at: "15:17", ["invalid regular expression", "mappings[1].group_name"]),
    ErrorCase(
        "two selectors",
        appending: """
              - id: both
                source: demo
                group: cn=a,ou=groups,dc=example,dc=com
                group_name: "team-*"
                roles: [viewer]
            """, at: "16:5", ["two selectors", "group and group_name", "at most one"]),
    ErrorCase(
        "filter on an ldif source",
        text: """
            sources:
              demo:
                type: ldif
                path: demo.ldif
                users:
                  base: ou=people,dc=example,dc=com
                  filter: (objectClass=person)
            """, at: "7:7", ["\"filter\" is not supported for ldif sources", "sources.demo.users.filter", "remove"]),
    ErrorCase(
        "inline password",
        text: """
            sources:
              corp:
                type: ldap
                url: ldaps://dc.example.com
                bind_dn: cn=roster,dc=example,dc=com
                bind_password: hunter2
                users: {base: "dc=example,dc=com"}
            """, at: "6:5",
        ["inline secret \"bind_password\" in sources.corp is refused: put it in a file and use bind_password_file"]),
    ErrorCase(
        "inline client secret",
        text: """
            sources:
              okta: {type: oidc, issuer: "https://idp.example.com", client_id: roster, client_secret: x}
            """, at: "2:76", ["inline secret \"client_secret\"", "use client_secret_file"]),
    ErrorCase(
        "secret file readable by others",
        text: """
            sources:
              corp:
                type: ldap
                url: ldaps://dc.example.com
                bind_dn: cn=roster,dc=example,dc=com
                bind_password_file: open.secret
                users: {base: "dc=example,dc=com"}
            """, at: "6:25",
        ["$DIR/open.secret is readable by group or others (mode 0644)", "chmod 600 $DIR/open.secret"]),
    ErrorCase(
        "token key readable by group",
        text: """
            sources:
              okta:
                type: oidc
                issuer: https://idp.example.com
                client_id: roster
                token_key_file: group.secret
            """, at: "6:21", ["sources.okta.token_key_file", "(mode 0640)", "chmod 600 $DIR/group.secret"]),
    ErrorCase(
        "missing secret file",
        text: """
            sources:
              okta: {type: oidc, issuer: "https://idp.example.com", client_id: roster, client_secret_file: nope}
            """, at: "2:96", ["$DIR/nope does not exist"]),
    ErrorCase(
        "unresolved ${name}",
        appending: """
              - id: teams
                source: demo
                group_name: "^team-(?<team>[a-z]+)$"
                groups: ["team-${tema}"]
            """, at: "16:14", ["${tema}", "mappings[1].groups[0]", "captures ${team}, ${1}", "did you mean ${team}?"]),
    ErrorCase(
        "capture without a selector",
        appending: """
              - id: everyone
                source: demo
                projects: {"p-${1}": user}
            """, at: "15:16",
        ["${1} in mappings[1].projects (\"p-${1}\") is not captured", "no selector to capture from"]),
    ErrorCase(
        "unknown source in a mapping",
        appending: """
              - id: other
                source: dmeo
                roles: [viewer]
            """, at: "14:13", ["unknown source \"dmeo\"", "did you mean \"demo\"?", "(configured: demo)"]),
    ErrorCase(
        "bad duration",
        appending: """
            daemon:
              interval: 15min
            """, at: "14:13", ["invalid duration \"15min\" for daemon.interval", "90s, 15m, 6h or 30d"]),
    ErrorCase(
        "zero duration",
        appending: """
            daemon:
              full_sync_every: 0h
            """, at: "14:20", ["invalid duration \"0h\" for daemon.full_sync_every"]),
    ErrorCase(
        "bad percentage",
        appending: """
            safety:
              max_deactivations: 150%
            """, at: "14:22", ["invalid limit \"150%\" for safety.max_deactivations", "10%"]),
    ErrorCase(
        "bad count",
        appending: """
            safety:
              max_deletions: -1
            """, at: "14:18", ["invalid limit \"-1\" for safety.max_deletions"]),
    ErrorCase(
        "YAML syntax error",
        appending: """
              - id: broken
                source: demo
               roles: [viewer]
            """, at: "15:4", ["YAML syntax error", "did not find expected '-' indicator", "line 10, column 3"]),
    ErrorCase(
        "tab indentation", text: "sources:\n\tdemo: {}\n", at: "2:1", ["YAML syntax error", "not tabs"]),
    ErrorCase(
        "duplicate YAML key",
        appending: """
              - id: twice
                source: demo
                roles: [viewer]
                roles: [viewer]
            """, at: "16:5", ["duplicate key \"roles\"", "line 15"]),
    ErrorCase(
        "claim on an ldif source",
        appending: """
              - id: claims
                source: demo
                claim: groups
                value: admins
                roles: [viewer]
            """, at: "15:5", ["claim in mappings[1] needs an oidc source"]),
    ErrorCase(
        "group_name on an oidc source",
        text: """
            sources:
              okta: {type: oidc, issuer: "https://idp.example.com", client_id: roster}
            mappings:
              - {id: g, source: okta, group_name: admins, type: admin}
            """, at: "4:27", ["group_name in mappings[0] needs an ldap or ldif source"]),
    ErrorCase(
        "value without claim or attribute",
        appending: """
              - id: value
                source: demo
                value: x
                roles: [viewer]
            """, at: "15:5", ["value in mappings[1] needs claim or attribute"]),
    ErrorCase(
        "ignore_case without claim",
        appending: """
              - id: folded
                source: demo
                group_name: "team-*"
                ignore_case: true
                roles: [viewer]
            """, at: "16:5", ["ignore_case in mappings[1] only applies to claim selectors"]),
    ErrorCase(
        "bad privilege letters",
        text: """
            roles:
              viewer: {privileges: {projects: crux}}
            """, at: "2:35", ["invalid privilege \"crux\" for roles.viewer.privileges.projects", "crud"]),
    ErrorCase(
        "unknown role in defaults",
        appending: """
            defaults: {roles: [viewers]}
            """, at: "13:20", ["unknown role \"viewers\" in defaults.roles", "did you mean \"viewer\"?"]),
    ErrorCase(
        "exclude with grants",
        appending: """
              - id: out
                source: demo
                group_name: "svc-*"
                exclude: true
                roles: [viewer]
            """, at: "16:5", ["exclude: true and also grants"]),
    ErrorCase(
        "grants nothing",
        appending: """
              - id: idle
                source: demo
                group_name: "svc-*"
            """, at: "13:5", ["mappings[1] grants nothing", "exclude: true"]),
    ErrorCase(
        "group outside the groups base",
        appending: """
              - id: elsewhere
                source: demo
                group: cn=x,ou=other,dc=example,dc=com
                roles: [viewer]
            """, at: "15:12", ["not under sources.demo.groups.base"]),
    ErrorCase(
        "invalid group DN",
        appending: """
              - id: baddn
                source: demo
                group: not a dn
                roles: [viewer]
            """, at: "15:12", ["invalid DN \"not a dn\" for mappings[1].group", "an RDN needs attribute=value"]),
    ErrorCase(
        "plain http issuer",
        text: """
            sources:
              okta: {type: oidc, issuer: "http://idp.example.com", client_id: roster}
            """, at: "2:30", ["sources.okta.issuer", "must use https://", "127.0.0.1, ::1 or localhost"]),
    ErrorCase(
        "not an LDAP URL",
        text: """
            sources:
              corp:
                type: ldap
                url: http://dc.example.com
                users: {base: "dc=example,dc=com"}
            """, at: "4:10", ["\"http://dc.example.com\" in sources.corp.url is not an LDAP URL"]),
    ErrorCase(
        "source without a type",
        text: """
            sources:
              corp:
                url: ldaps://dc.example.com
            """, at: "3:5", ["missing key \"type\" in sources.corp", "type: ldap"]),
    ErrorCase(
        "unknown source type",
        text: """
            sources:
              corp: {type: ldpa}
            """, at: "2:16", ["invalid value \"ldpa\" for sources.corp.type", "did you mean \"ldap\"?"]),
    ErrorCase(
        "unknown top-level key",
        appending: """
            mapings: []
            """, at: "13:1", ["unknown key \"mapings\" at the top level; did you mean \"mappings\"?"]),
    ErrorCase(
        "bad scope",
        appending: """
            scope: maped
            """, at: "13:8", ["invalid value \"maped\" for scope; use mapped or all", "did you mean \"mapped\"?"]),
    ErrorCase(
        "alias to nothing",
        appending: """
            defaults: {roles: *common}
            """, at: "13:19", ["alias *common refers to no anchor"]),
]

struct ConfigErrorTests {
    @Test(arguments: errorCases)
    func reportsPositionAndFix(_ errorCase: ErrorCase) throws {
        let fixture = try Fixture()
        let error = #expect(throws: ConfigError.self) {
            try ConfigLoader.loadText(
                errorCase.text, path: "roster.yaml", dnNormalizer: LowercasingDNNormalizer(),
                workingDirectory: fixture.directory)
        }
        let messages = try #require(error?.messages)
        #expect(messages.count == 1, "expected exactly one message, got:\n\(messages.joined(separator: "\n"))")
        let message = try #require(messages.first)
        #expect(message.hasPrefix("roster.yaml:\(errorCase.position): "), "\(message)")
        for word in errorCase.words.map({ $0.replacingOccurrences(of: "$DIR", with: fixture.directory) }) {
            #expect(message.contains(word), "\"\(word)\" missing from: \(message)")
        }
    }

    @Test func inlineSecretsAreNeverEchoed() throws {
        let text = """
            sources:
              corp: {type: ldap, url: "ldaps://dc", bind_dn: "cn=r,dc=x", password: hunter2, users: {base: "dc=x"}}
            """
        let error = #expect(throws: ConfigError.self) {
            try ConfigLoader.loadText(text, path: "r.yaml", dnNormalizer: LowercasingDNNormalizer())
        }
        #expect(error?.messages.count == 1)
        #expect(error?.description.contains("use bind_password_file") == true)
        #expect(error?.description.contains("hunter2") == false)
    }

    @Test func collectsEveryProblemInFileOrder() throws {
        let text =
            baseConfiguration + "\n" + """
                daemon: {interval: soon}
                safety: {on_missing: vanish}
                scope: some
                """
        let error = #expect(throws: ConfigError.self) {
            try ConfigLoader.loadText(text, path: "roster.yaml", dnNormalizer: LowercasingDNNormalizer())
        }
        let messages = try #require(error?.messages)
        #expect(messages.count == 3)
        #expect(
            messages.map { $0.split(separator: " ").first ?? "" } == [
                "roster.yaml:13:20:", "roster.yaml:14:22:", "roster.yaml:15:8:",
            ])
        #expect(messages[1].contains("use deactivate, delete or keep"))
        #expect(error?.description == messages.joined(separator: "\n"))
    }

    @Test func emptyFileSaysSo() throws {
        let error = #expect(throws: ConfigError.self) {
            try ConfigLoader.loadText("# nothing yet\n", path: "roster.yaml", dnNormalizer: LowercasingDNNormalizer())
        }
        #expect(error?.messages.first?.hasPrefix("roster.yaml:1:1: the file holds no settings") == true)
    }

    @Test func aDirectoryIsNotAConfigurationFile() throws {
        let fixture = try Fixture()
        let error = #expect(throws: ConfigError.self) {
            try ConfigLoader.load(path: fixture.directory, dnNormalizer: LowercasingDNNormalizer())
        }
        #expect(
            error?.messages == [
                "the configuration file \(fixture.directory) is a directory; pass the YAML file inside it"
            ])
    }
}
