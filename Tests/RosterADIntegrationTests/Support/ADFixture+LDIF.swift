import Foundation
import RosterTestSupport

/// The fixture as change records for `ldbmodify` on the stopped DC's sam.ldb (offline, as the
/// system: no ACLs, no network, no TLS needed for the passwords).
extension ADFixture {
    /// Everything but primary groups: organisational units, accounts, empty groups, then the
    /// memberships, so that groups can name each other in any order (and in a cycle).
    static var ldif: String {
        var records: [[(String, String)]] = [
            // Passwords of the template must still work when the cached template is months old.
            [
                ("dn", administrator.dn), ("changetype", "modify"), ("replace", "userAccountControl"),
                ("userAccountControl", String(AccountControl.normal | AccountControl.passwordNeverExpires)),
            ]
        ]
        for unit in [root, people, bulk, groups, services] {
            records.append([("dn", unit), ("changetype", "add"), ("objectClass", "organizationalUnit")])
        }
        records += allPeople.map(record)
        for group in allGroups {
            records.append([
                ("dn", group.dn), ("changetype", "add"), ("objectClass", "group"), ("sAMAccountName", group.name),
            ])
        }
        for group in allGroups {
            // Primary members first join as members: AD refuses a primaryGroupID of a group the
            // user is not in, and moves the link to the old primary group when it changes.
            let members = group.members + group.primaryMembers.map(\.dn)
            records.append(
                [("dn", group.dn), ("changetype", "modify"), ("add", "member")] + members.map { ("member", $0) })
        }
        // The service account's password is binary (UTF-16LE), not text: its own lines.
        return text(records.map { $0.map(LDIFText.line) } + [serviceAccountRecord])
    }

    /// The second step, once the groups' RIDs are known (`primaryGroupToken` of each group).
    static func primaryGroupLDIF(rids: [String: Int]) -> String {
        var records: [[(String, String)]] = []
        for group in allGroups {
            for person in group.primaryMembers {
                guard let rid = rids[group.dn] else { continue }
                records.append([
                    ("dn", person.dn), ("changetype", "modify"), ("replace", "primaryGroupID"),
                    ("primaryGroupID", String(rid)),
                ])
            }
        }
        return text(records)
    }

    static var groupsWithPrimaryMembers: [Group] { allGroups.filter { !$0.primaryMembers.isEmpty } }

    private static var serviceAccountRecord: [String] {
        // unicodePwd is the password in double quotes, UTF-16LE (MS-ADTS 3.1.1.3.1.5.1).
        var password = Data()
        for unit in "\"\(serviceAccount.password)\"".utf16 {
            password.append(UInt8(unit & 0xFF))
            password.append(UInt8(unit >> 8))
        }
        return [
            ("dn", serviceAccount.dn), ("changetype", "add"), ("objectClass", "user"),
            ("sAMAccountName", serviceAccount.samAccountName), ("userPrincipalName", serviceAccount.userPrincipalName),
            ("userAccountControl", String(AccountControl.normal | AccountControl.passwordNeverExpires)),
        ].map(LDIFText.line) + ["unicodePwd:: \(password.base64EncodedString())"]
    }

    private static func record(_ person: Person) -> [(String, String)] {
        var fields = [
            ("dn", person.dn), ("changetype", "add"), ("objectClass", "user"),
            ("sAMAccountName", person.samAccountName), ("userPrincipalName", person.userPrincipalName),
            ("givenName", person.givenName), ("sn", person.sn), ("displayName", "\(person.givenName) \(person.sn)"),
            ("userAccountControl", String(person.userAccountControl)),
        ]
        if let mail = person.mail { fields.append(("mail", mail)) }
        if let expiry = person.accountExpires { fields.append(("accountExpires", String(expiry))) }
        return fields
    }

    private static func text(_ records: [[(String, String)]]) -> String {
        text(records.map { $0.map(LDIFText.line) })
    }

    private static func text(_ records: [[String]]) -> String {
        records.map { $0.joined(separator: "\n") }.joined(separator: "\n\n") + "\n"
    }
}
