import RosterCore

/// `roster projects remove PROJECT USER`: takes back a manual project membership only.
struct ProjectsRemoveCommand: Command {
    static let path = ["projects", "remove"]
    static let abstract = "Remove a manual project membership (a mapped one is refused)."
    static let options: [OptionSpec] = []
    static let positionals = [
        PositionalSpec(name: "PROJECT", help: "The project's name."),
        PositionalSpec(name: "USER", help: "Id, username or email."),
    ]

    let project: String
    let reference: String
    let context: CommandContext

    init(_ arguments: ParsedArguments, context: CommandContext) throws {
        project = arguments.positionals[0]
        reference = arguments.positionals[1]
        self.context = context
    }

    func run() async throws -> Int32 {
        let session = try await AdminSession.open(context)
        return try session.finish(try session.decide { try $0.removeFromProject(project, reference) })
    }
}
