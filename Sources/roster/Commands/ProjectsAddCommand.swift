import RosterCore

/// `roster projects add PROJECT USER --role R`: a manual project membership.
struct ProjectsAddCommand: Command {
    static let path = ["projects", "add"]
    static let abstract = "Add a user to a project or change its project role, by hand."
    static let options: [OptionSpec] = [
        .value("--role", "ROLE", "Project role (default user).", choices: ProjectRole.allCases.map(\.rawValue))
    ]
    static let positionals = [
        PositionalSpec(name: "PROJECT", help: "The project's name."),
        PositionalSpec(name: "USER", help: "Id, username or email of an active user."),
    ]
    static let discussion = """
        A project has one owner: making a user owner demotes the previous owner to user, in the same
        transaction, audited as project.set. Sync keeps a manual owner over owners its mappings name.
        """

    let project: String
    let reference: String
    let role: ProjectRole
    let context: CommandContext

    init(_ arguments: ParsedArguments, context: CommandContext) throws {
        project = arguments.positionals[0]
        reference = arguments.positionals[1]
        role = try arguments.choice("--role", as: ProjectRole.self) ?? .user
        self.context = context
    }

    func run() async throws -> Int32 {
        let session = try await AdminSession.open(context)
        return try session.finish(try session.decide { try $0.setProjectRole(project, for: reference, role: role) })
    }
}
