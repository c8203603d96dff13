import RosterCore

/// `roster groups show NAME`: the members of one group, each with its role and where it came from.
struct GroupsShowCommand: Command {
    static let path = ["groups", "show"]
    static let abstract = "Show a group's members, their group role and its origin."
    static let options: [OptionSpec] = [MembershipListing.formatOption]
    static let positionals = [PositionalSpec(name: "GROUP", help: "The group's name.")]

    let name: String
    let json: Bool
    let context: CommandContext

    init(_ arguments: ParsedArguments, context: CommandContext) throws {
        name = arguments.positionals[0]
        json = arguments.value("--format") == "json"
        self.context = context
    }

    func run() async throws -> Int32 {
        try MembershipListing.show(.group, name: name, context: context, json: json)
    }
}
