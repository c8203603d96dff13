import RosterCore

/// `roster projects list`: every project the directory's users belong to, with member counts.
struct ProjectsListCommand: Command {
    static let path = ["projects", "list"]
    static let abstract = "List projects: owner and members by project role."
    static let options: [OptionSpec] = [MembershipListing.formatOption]

    let json: Bool
    let context: CommandContext

    init(_ arguments: ParsedArguments, context: CommandContext) throws {
        json = arguments.value("--format") == "json"
        self.context = context
    }

    func run() async throws -> Int32 {
        try MembershipListing.list(.project, context: context, json: json)
    }
}
