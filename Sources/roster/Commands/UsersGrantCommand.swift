import RosterCore

/// `roster users grant USER ROLE [--project P]`: a manual role, which sync never takes away.
struct UsersGrantCommand: Command {
    static let path = ["users", "grant"]
    static let abstract = "Grant a role by hand (origin manual), optionally in one project."
    static let options: [OptionSpec] = [.value("--project", "PROJECT", "Scope the role to this project.")]
    static let positionals = [
        PositionalSpec(name: "USER", help: "Id, username or email of an active user."),
        PositionalSpec(name: "ROLE", help: "A role defined under roles: (see roster roles list)."),
    ]

    let reference: String
    let role: String
    let project: String?
    let context: CommandContext

    init(_ arguments: ParsedArguments, context: CommandContext) throws {
        reference = arguments.positionals[0]
        role = arguments.positionals[1]
        project = arguments.value("--project")
        self.context = context
    }

    func run() async throws -> Int32 {
        let session = try await AdminSession.open(context)
        return try session.finish(try session.decide { try $0.grant(role, to: reference, project: project) })
    }
}
