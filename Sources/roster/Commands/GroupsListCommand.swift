import RosterCore

/// `roster groups list`: every group the directory's users belong to, with member counts.
struct GroupsListCommand: Command {
    static let path = ["groups", "list"]
    static let abstract = "List platform groups: members and group admins."
    static let options: [OptionSpec] = [MembershipListing.formatOption]

    let json: Bool
    let context: CommandContext

    init(_ arguments: ParsedArguments, context: CommandContext) throws {
        json = arguments.value("--format") == "json"
        self.context = context
    }

    func run() async throws -> Int32 {
        try MembershipListing.list(.group, context: context, json: json)
    }
}
