import Foundation

@testable import RosterCore

/// Small builders for planner and mapping tests: a config, source users and groups, in a few words.
enum Fixtures {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func rule(
        _ id: String, source: String = "corp", _ selector: MappingRule.Selector? = nil, exclude: Bool = false,
        type: UserType? = nil, roles: [String] = [], groups: [(String, GroupRole)] = [],
        projects: [(String, ProjectRole)] = []
    ) -> MappingRule {
        MappingRule(
            id: id, source: source, selector: selector, exclude: exclude, type: type, roles: roles,
            groups: groups.map { GroupGrant(name: try! NameTemplate($0.0), role: $0.1) },
            projects: projects.map { ProjectGrant(name: try! NameTemplate($0.0), role: $0.1) })
    }

    static func groupDN(_ name: String) -> String { "cn=\(name),ou=groups,dc=example,dc=com" }
    static func userDN(_ uid: String) -> String { "uid=\(uid),ou=people,dc=example,dc=com" }

    static func config(
        _ mappings: [MappingRule], sources: [String] = ["corp"], scope: SyncScope = .mapped,
        safety: SafetyOptions = SafetyOptions(maxDeactivations: .count(100), maxDeletions: .count(100)),
        defaults: DefaultGrants = DefaultGrants(type: .user, roles: ["viewer"])
    ) -> RosterConfiguration {
        let query = UserQuery(base: "ou=people,dc=example,dc=com", attributes: .defaults(for: .openldap))
        return RosterConfiguration(
            path: "test.yaml", directory: DirectoryOptions(path: ":memory:"), safety: safety, scope: scope,
            sources: sources.map {
                SourceConfiguration(
                    name: $0,
                    kind: .ldif(
                        LDIFSourceOptions(
                            path: "x.ldif", users: query, groups: GroupQuery(base: "ou=groups", nested: true))))
            },
            roles: ["admin", "editor", "viewer"].map { RoleDefinition(name: $0) },
            defaults: defaults, mappings: mappings)
    }

    static func user(
        _ uid: String, email: String? = nil, id: String? = nil, disabled: Bool = false,
        attributes: [String: [String]] = [:], first: String? = nil
    ) -> SourceUser {
        SourceUser(
            externalID: id ?? "id-\(uid)", dn: userDN(uid), normalizedDN: userDN(uid).lowercased(), username: uid,
            email: email ?? "\(uid)@example.com", firstName: first ?? uid.capitalized, lastName: "Test",
            disabled: disabled, attributes: attributes)
    }

    /// `members` names users (by uid) or groups (prefixed with `@`).
    static func group(_ name: String, _ members: [String]) -> SourceGroup {
        SourceGroup(
            dn: groupDN(name), normalizedDN: groupDN(name).lowercased(), name: name,
            members: members.map {
                $0.hasPrefix("@") ? groupDN(String($0.dropFirst())).lowercased() : userDN($0).lowercased()
            })
    }

    static func snapshot(
        _ users: [SourceUser], _ groups: [SourceGroup] = [], source: String = "corp", complete: Bool = true
    ) -> SourceSnapshot {
        SourceSnapshot(
            source: source, users: users, groups: groups, complete: complete,
            problem: complete ? nil : "server went away", nestedGroups: true)
    }

    /// Applies a plan the way the store does, for multi-run tests: new users get ids after the largest.
    static func apply(_ plan: Plan, to directory: [DirectoryUser]) -> [DirectoryUser] {
        var result = directory
        var nextID = (directory.map(\.id).max() ?? 0) + 1
        for change in plan.changes {
            var after = change.after
            if change.action == .create {
                after.id = nextID
                nextID += 1
                result.append(after)
            } else if let index = result.firstIndex(where: { $0.id == after.id }) {
                result[index] = after
            }
        }
        return result
    }

    static func plan(
        _ config: RosterConfiguration, _ snapshots: [SourceSnapshot], directory: [DirectoryUser] = [],
        at now: Date = now
    ) -> Plan {
        Planner(configuration: config, directory: directory, now: now).plan(snapshots)
    }
}
