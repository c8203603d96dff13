import RosterCore

/// `roster users activate USER...`: the only way to end an admin's suspension.
struct UsersActivateCommand: Command {
    static let path = ["users", "activate"]
    static let abstract = "Activate users (bulk, all or nothing)."
    static let options: [OptionSpec] = []
    static let positionals = BulkStatusChange.positionals
    static let discussion = """
        Every USER is checked before anything changes; one that does not exist or is deleted stops
        the command with nothing changed. All changes are written in one transaction.
        """

    let references: [String]
    let context: CommandContext

    init(_ arguments: ParsedArguments, context: CommandContext) throws {
        references = arguments.positionals
        self.context = context
    }

    func run() async throws -> Int32 {
        try await BulkStatusChange.run(context) { try $0.activate(references) }
    }
}
