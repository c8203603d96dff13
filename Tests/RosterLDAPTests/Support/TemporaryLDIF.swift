import Foundation
import RosterCore
import RosterLDAP

/// An LDIF file in the temporary folder, removed when the test is done with it.
struct TemporaryLDIF {
    let path: String

    init(_ text: String) throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("roster-\(UUID().uuidString).ldif")
        try Data(text.utf8).write(to: url)
        path = url.path
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Reads `text` as an ldif source with the given queries.
    static func snapshot(
        _ text: String, users: UserQuery = Fixtures.users, groups: GroupQuery? = Fixtures.groups
    ) async throws -> (snapshot: SourceSnapshot, path: String) {
        let file = try TemporaryLDIF(text)
        defer { file.remove() }
        let source = LDIFSource(name: "test", options: LDIFSourceOptions(path: file.path, users: users, groups: groups))
        return (await source.read(), file.path)
    }
}

enum Fixtures {
    static let users = UserQuery(base: "ou=people,dc=example,dc=com", attributes: AttributeMap.defaults(for: .openldap))
    static let groups = GroupQuery(base: "ou=groups,dc=example,dc=com", nested: true)

    /// The demo export in config/demo, found from this file's place in the repository.
    static var demoPath: String {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent("config/demo/directory.ldif").path
    }

    static let demoOptions = LDIFSourceOptions(
        path: demoPath,
        users: UserQuery(
            base: "ou=people,dc=example,dc=com",
            attributes: AttributeMap(
                id: "employeeNumber", username: "uid", email: "mail", firstName: "givenName", lastName: "sn")),
        groups: GroupQuery(base: "ou=groups,dc=example,dc=com", nested: true))

    /// Ends with the blank line that separates it from the entries appended to it.
    static let header = """
        dn: dc=example,dc=com
        objectClass: dcObject
        objectClass: organization
        dc: example
        o: Example

        dn: ou=people,dc=example,dc=com
        objectClass: organizationalUnit
        ou: people

        dn: ou=groups,dc=example,dc=com
        objectClass: organizationalUnit
        ou: groups


        """
}
