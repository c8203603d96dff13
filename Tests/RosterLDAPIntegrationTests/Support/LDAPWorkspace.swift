import Foundation
import RosterTestSupport

/// A temp folder with a roster.yaml whose one source is the test slapd, a bind password file
/// and the directory database; runs the built `roster` there.
struct LDAPWorkspace {
    /// How the source reaches the server: the parts of its configuration tests vary.
    struct Connection {
        var urls: [String]
        var caFile: String?
        var startTLS = false
        var insecureSkipVerify = false
        var pageSize = 500
        var timeout = "10s"
    }

    let root: URL
    let roster: RosterBinary

    var config: URL { root.appendingPathComponent("roster.yaml") }
    var passwordFile: URL { root.appendingPathComponent("ldap.secret") }
    var database: URL { root.appendingPathComponent("roster.db") }

    init(_ connection: Connection) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("roster-ldapint-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        roster = RosterBinary(workingDirectory: root)
        // With the newline `echo` leaves: Roster must drop it.
        try setPassword(TestDirectory.bindPassword + "\n")
        try configure(connection)
    }

    func setPassword(_ text: String) throws {
        try text.write(to: passwordFile, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: passwordFile.path)
    }

    func configure(_ connection: Connection) throws {
        var tls: [String] = []
        if let caFile = connection.caFile { tls.append("ca_file: \(caFile)") }
        if connection.startTLS { tls.append("start_tls: true") }
        if connection.insecureSkipVerify { tls.append("insecure_skip_verify: true") }
        let urls = connection.urls.joined(separator: ", ")
        let yaml = """
            directory:
              path: \(database.path)
            safety:
              max_deactivations: 10%
              on_missing: deactivate
            scope: all
            sources:
              corp:
                type: ldap
                url: [\(urls)]
                bind_dn: \(TestDirectory.bindDN)
                bind_password_file: \(passwordFile.path)
            \(tls.isEmpty ? "" : "    tls: {\(tls.joined(separator: ", "))}\n")\
                flavor: openldap
                page_size: \(connection.pageSize)
                timeout: \(connection.timeout)
                users:
                  base: \(TestDirectory.people)
                  filter: (objectClass=inetOrgPerson)
                groups:
                  base: \(TestDirectory.groups)
                  filter: (objectClass=groupOfNames)
                  member_attribute: member
                  nested: true
            roles:
              admin:   {privileges: {users: crud, settings: crud}}
              editor:  {privileges: {projects: crud}}
              viewer:  {privileges: {projects: r}}
              analyst: {privileges: {reports: crud}}
            defaults: {type: user, roles: [viewer]}
            mappings:
              - id: admins
                source: corp
                group: "CN=Platform-Admins, OU=Groups, DC=Example, DC=Com"
                type: admin
                roles: [admin]
              - id: data-team
                source: corp
                group: 'cn=Data\\2C Team,ou=groups,dc=example,dc=com'
                roles: [analyst]
              - id: cycles
                source: corp
                group_name: "cycle-*"
                groups: ["cycle-${1}"]
              - id: research
                source: corp
                attribute: departmentNumber
                value: "4711"
                roles: [editor]

            """
        try yaml.write(to: config, atomically: true, encoding: .utf8)
    }

    /// Runs `roster --config roster.yaml ARGS…`.
    @discardableResult
    func run(_ arguments: [String]) throws -> RosterBinary.Outcome {
        try roster.run(["--config", config.path] + arguments)
    }

    func start(_ arguments: [String]) throws -> Process {
        try roster.start(["--config", config.path] + arguments)
    }

    /// Every user of the directory, as `users list --all --format json` prints them.
    func users() throws -> [[String: Any]] {
        let outcome = try run(["users", "list", "--all", "--format", "json"])
        let object = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any]
        return object?["users"] as? [[String: Any]] ?? []
    }

    func user(_ username: String) throws -> [String: Any]? {
        try users().first { ($0["username"] as? String) == username }
    }

    func remove() { try? FileManager.default.removeItem(at: root) }
}
