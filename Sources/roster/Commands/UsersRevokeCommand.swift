import RosterCore

/// `roster users revoke USER ROLE [--project P]`: takes back a manual role only.
struct UsersRevokeCommand: Command {
    static let path = ["users", "revoke"]
    static let abstract = "Revoke a role granted by hand (a mapped one is refused)."
    static let options: [OptionSpec] = [.value("--project", "PROJECT", "The project the role is scoped to.")]
    static let positionals = [
        PositionalSpec(name: "USER", help: "Id, username or email."),
        PositionalSpec(name: "ROLE", help: "The role to take back."),
    ]
    static let discussion = """
        A role a mapping gives (origin mapping:ID@SOURCE) belongs to sync, which would give it back:
        change the mapping or the user's groups in the source instead. To keep a person out entirely,
        roster users deactivate.
        """

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
        return try session.finish(try session.decide { try $0.revoke(role, from: reference, project: project) })
    }
}
