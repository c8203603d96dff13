import RosterCore

/// `roster groups add GROUP USER [--role admin]`: a manual group membership.
struct GroupsAddCommand: Command {
    static let path = ["groups", "add"]
    static let abstract = "Add a user to a group or change its group role, by hand."
    static let options: [OptionSpec] = [
        .value("--role", "ROLE", "Group role (default member).", choices: GroupRole.allCases.map(\.rawValue))
    ]
    static let positionals = [
        PositionalSpec(name: "GROUP", help: "The platform group's name."),
        PositionalSpec(name: "USER", help: "Id, username or email of an active user."),
    ]
    static let discussion = """
        A group admin manages the group's members on the platform. A member that a mapping also puts
        in the group keeps the higher of the two roles (admin wins).
        """

    let group: String
    let reference: String
    let role: GroupRole
    let context: CommandContext

    init(_ arguments: ParsedArguments, context: CommandContext) throws {
        group = arguments.positionals[0]
        reference = arguments.positionals[1]
        role = try arguments.choice("--role", as: GroupRole.self) ?? .member
        self.context = context
    }

    func run() async throws -> Int32 {
        let session = try await AdminSession.open(context)
        return try session.finish(try session.decide { try $0.setGroupRole(group, for: reference, role: role) })
    }
}
