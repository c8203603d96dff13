import RosterCore

/// `roster roles show ROLE [--user USER]`: privileges, holders, and one user's effective privileges.
struct RolesShowCommand: Command {
    static let path = ["roles", "show"]
    static let abstract = "Show a role's privileges and users; --user: effective privileges."
    static let options: [OptionSpec] = [
        .value("--user", "USER", "Also show this user's effective privileges over all its roles (Deny > Allow)."),
        .value("--format", "FORMAT", "Output format.", choices: ["text", "json"]),
    ]
    static let positionals = [PositionalSpec(name: "ROLE", help: "A role name (see roster roles list).")]

    let role: String
    let user: String?
    let json: Bool
    let context: CommandContext

    init(_ arguments: ParsedArguments, context: CommandContext) throws {
        role = arguments.positionals[0]
        user = arguments.value("--user")
        json = arguments.value("--format") == "json"
        self.context = context
    }

    func run() async throws -> Int32 {
        let configuration = try context.loadConfiguration()
        let users = try context.openExistingDirectory(configuration).loadUsers()
        let catalog = RoleCatalog(roles: configuration.roles, users: users)
        guard let entry = catalog.entry(named: role) else {
            let names = catalog.entries.map(\.name).joined(separator: ", ")
            throw Failure(
                "unknown role \"\(role)\"; the roles are \(names.isEmpty ? "none yet (define them under roles:)" : names)",
                exitCode: ExitCode.usage)
        }
        var subject: (DirectoryUser, UserPrivileges)?
        if let user {
            let found: DirectoryUser
            do {
                found = try UserReference.find(user, in: users)
            } catch let error as AdminError {
                throw error.failure
            }
            subject = (found, UserPrivileges(user: found, roles: configuration.roles))
        }
        if json {
            Console.json(RoleFormatter.detailsJSON(entry, user: subject))
        } else {
            Console.out(RoleFormatter.details(entry, user: subject))
        }
        return ExitCode.ok
    }
}
