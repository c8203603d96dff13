import RosterCore

/// `roster users edit USER`: fields of an active user that no source owns.
struct UsersEditCommand: Command {
    static let path = ["users", "edit"]
    static let abstract = "Change an active user's email, username, name or type."
    static let options: [OptionSpec] = [
        .value("--email", "EMAIL", "New email address (unique among users that are not deleted)."),
        .value("--username", "NAME", "New username."),
        .value("--first", "NAME", "New first name."),
        .value("--last", "NAME", "New last name."),
        .value("--type", "TYPE", "New user type.", choices: UserType.allCases.map(\.rawValue)),
    ]
    static let positionals = [PositionalSpec(name: "USER", help: "Id, username or email.")]
    static let discussion = """
        Inactive users are refused: activate them first. Fields a source owns are refused naming the
        source and mapping, since the next reconcile would undo the edit: the name and email of a
        synced user come from its source; its type from a mapping with type: or from defaults.type.
        """

    let reference: String
    let edit: UserEdit
    let context: CommandContext

    init(_ arguments: ParsedArguments, context: CommandContext) throws {
        reference = arguments.positionals[0]
        edit = UserEdit(
            username: arguments.value("--username"), email: arguments.value("--email"),
            firstName: arguments.value("--first"), lastName: arguments.value("--last"),
            type: try arguments.choice("--type", as: UserType.self))
        guard !edit.isEmpty else {
            throw UsageError(
                "roster users edit: give at least one of --email, --username, --first, --last or --type")
        }
        self.context = context
    }

    func run() async throws -> Int32 {
        let session = try await AdminSession.open(context)
        guard let change = try session.decide({ try $0.edit(reference, edit) }) else {
            Console.out("nothing to change: \(reference) already has these values")
            return ExitCode.ok
        }
        try session.apply([change])
        let fields = AuditEventBuilder.fieldChanges(from: change.before, to: change.after).keys.sorted()
        Console.out("updated \(change.after.email): \(fields.joined(separator: ", "))")
        return ExitCode.ok
    }
}
