import RosterCore

/// `roster roles list`: each role with its number of privileges and of users.
struct RolesListCommand: Command {
    static let path = ["roles", "list"]
    static let abstract = "List roles: description, number of privileges, number of users."
    static let options: [OptionSpec] = [.value("--format", "FORMAT", "Output format.", choices: ["table", "json"])]
    static let discussion = """
        Roles are defined in the configuration (roles:); users count once per role whatever the number
        of grants, deleted users not at all. A role users hold that is no longer defined is listed too.
        """

    let json: Bool
    let context: CommandContext

    init(_ arguments: ParsedArguments, context: CommandContext) throws {
        json = arguments.value("--format") == "json"
        self.context = context
    }

    func run() async throws -> Int32 {
        let configuration = try context.loadConfiguration()
        let catalog = RoleCatalog(
            roles: configuration.roles, users: try context.openExistingDirectory(configuration).loadUsers())
        if json {
            Console.json(RoleFormatter.listJSON(catalog))
        } else {
            Console.out(RoleFormatter.listTable(catalog))
        }
        return ExitCode.ok
    }
}
