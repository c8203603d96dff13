import RosterCore

/// `roster users delete USER...`: tombstones, after a confirmation.
struct UsersDeleteCommand: Command {
    static let path = ["users", "delete"]
    static let abstract = "Delete users (bulk, all or nothing): they become tombstones."
    static let options: [OptionSpec] = [.flag("--yes", "Do not ask; required when stdin is not a terminal.")]
    static let positionals = BulkStatusChange.positionals
    static let discussion = """
        A deleted user keeps its id as "Deleted User"; its email and username are freed and its
        grants and source identities go. A new account with the same email gets a new id and
        inherits nothing. To keep a synced person out, deactivate instead: sync recreates a deleted
        one that a mapping still selects.
        """

    let references: [String]
    let assumeYes: Bool
    let context: CommandContext

    init(_ arguments: ParsedArguments, context: CommandContext) throws {
        references = arguments.positionals
        assumeYes = arguments.flag("--yes")
        self.context = context
    }

    func run() async throws -> Int32 {
        let confirmation = BulkStatusChange.Confirmation(
            verb: "delete", consequence: "Their email and username are freed; this cannot be undone.",
            assumeYes: assumeYes, commandPath: Self.commandPath)
        return try await BulkStatusChange.run(context, confirmation: confirmation) {
            try $0.delete(references)
        }
    }
}
