import RosterCore

/// `roster groups remove GROUP USER`: takes back a manual group membership only.
struct GroupsRemoveCommand: Command {
    static let path = ["groups", "remove"]
    static let abstract = "Remove a manual group membership (a mapped one is refused)."
    static let options: [OptionSpec] = []
    static let positionals = [
        PositionalSpec(name: "GROUP", help: "The platform group's name."),
        PositionalSpec(name: "USER", help: "Id, username or email."),
    ]

    let group: String
    let reference: String
    let context: CommandContext

    init(_ arguments: ParsedArguments, context: CommandContext) throws {
        group = arguments.positionals[0]
        reference = arguments.positionals[1]
        self.context = context
    }

    func run() async throws -> Int32 {
        let session = try await AdminSession.open(context)
        return try session.finish(try session.decide { try $0.removeFromGroup(group, reference) })
    }
}
