import RosterCore

/// `roster projects show NAME`: the members of one project, each with its role and where it came from.
struct ProjectsShowCommand: Command {
    static let path = ["projects", "show"]
    static let abstract = "Show a project's owner and members, each role with its origin."
    static let options: [OptionSpec] = [MembershipListing.formatOption]
    static let positionals = [PositionalSpec(name: "PROJECT", help: "The project's name.")]

    let name: String
    let json: Bool
    let context: CommandContext

    init(_ arguments: ParsedArguments, context: CommandContext) throws {
        name = arguments.positionals[0]
        json = arguments.value("--format") == "json"
        self.context = context
    }

    func run() async throws -> Int32 {
        try MembershipListing.show(.project, name: name, context: context, json: json)
    }
}
