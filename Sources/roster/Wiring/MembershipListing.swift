import RosterCore

/// What `groups list|show` and `projects list|show` share: both are read from users' memberships.
enum MembershipListing {
    static let formatOption = OptionSpec.value("--format", "FORMAT", "Output format.", choices: ["text", "json"])

    static func list(_ kind: AssignmentKind, context: CommandContext, json: Bool) throws -> Int32 {
        let catalog = try load(kind, context: context)
        if json {
            Console.json(MembershipFormatter.listJSON(catalog))
        } else {
            Console.out(MembershipFormatter.listTable(catalog))
        }
        return ExitCode.ok
    }

    static func show(_ kind: AssignmentKind, name: String, context: CommandContext, json: Bool) throws -> Int32 {
        let catalog = try load(kind, context: context)
        let what = kind == .group ? "group" : "project"
        guard let entry = catalog.entry(named: name) else {
            throw Failure(
                "no \(what) \"\(name)\": no user is a member of it; see roster \(what)s list",
                exitCode: ExitCode.runtime)
        }
        if json {
            Console.json(MembershipFormatter.detailsJSON(entry, kind: kind))
        } else {
            Console.out(MembershipFormatter.details(entry, kind: kind))
        }
        return ExitCode.ok
    }

    private static func load(_ kind: AssignmentKind, context: CommandContext) throws -> MembershipCatalog {
        let configuration = try context.loadConfiguration()
        return MembershipCatalog(kind, users: try context.openExistingDirectory(configuration).loadUsers())
    }
}
