import RosterCore

/// `roster users deactivate USER...`: an admin's suspension, which sync never undoes.
struct UsersDeactivateCommand: Command {
    static let path = ["users", "deactivate"]
    static let abstract = "Deactivate users (bulk, all or nothing); sync never undoes it."
    static let options: [OptionSpec] = []
    static let positionals = BulkStatusChange.positionals
    static let discussion = """
        A user deactivated by an admin stays inactive whatever its sources say, until
        roster users activate. Every USER is checked before anything changes; all changes are written
        in one transaction.
        """

    let references: [String]
    let context: CommandContext

    init(_ arguments: ParsedArguments, context: CommandContext) throws {
        references = arguments.positionals
        self.context = context
    }

    func run() async throws -> Int32 {
        try await BulkStatusChange.run(context) { try $0.deactivate(references) }
    }
}
