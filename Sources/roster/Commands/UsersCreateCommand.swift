import RosterCore
import RosterCrypto

/// `roster users create`: a local account, with an optional password (scrypt, PHC string).
struct UsersCreateCommand: Command {
    static let path = ["users", "create"]
    static let abstract = "Create a local user, optionally with a password."
    static let options: [OptionSpec] = [
        .value("--email", "EMAIL", "Email address (required; unique among users that are not deleted)."),
        .value("--username", "NAME", "Username (default: the email)."),
        .value("--first", "NAME", "First name."),
        .value("--last", "NAME", "Last name."),
        .value("--type", "TYPE", "User type (default user).", choices: UserType.allCases.map(\.rawValue)),
        .flag(PasswordInput.stdinOption, "Read the password from stdin (asked with echo off on a terminal)."),
        .value(PasswordInput.fileOption, "FILE", "Read the password from FILE (mode 600)."),
        .flag("--temporary", "The user must change the password at the next login."),
    ]
    static let discussion = """
        A password is never taken from an argument. One trailing line break of stdin or the file is
        not part of it; it needs at least \(PasswordPolicy.minimumLength) characters.
        Example: printf '%s' "$PW" | roster users create --email jdoe@example.com --password-stdin --temporary
        """

    let arguments: ParsedArguments
    let context: CommandContext

    init(_ arguments: ParsedArguments, context: CommandContext) throws {
        guard arguments.value("--email") != nil else {
            throw UsageError("roster users create: --email is required; see roster users create --help")
        }
        self.arguments = arguments
        self.context = context
    }

    func run() async throws -> Int32 {
        let password = try PasswordInput.read(arguments, isNew: true)
        let session = try await AdminSession.open(context, createDirectory: true)
        let new = NewLocalUser(
            email: arguments.value("--email") ?? "", username: arguments.value("--username"),
            firstName: arguments.value("--first") ?? "", lastName: arguments.value("--last") ?? "",
            type: try arguments.choice("--type", as: UserType.self) ?? .user, hasPassword: password != nil,
            mustChangePassword: arguments.flag("--temporary"))
        let change = try session.decide { try $0.create(new) }
        // Hashed only once the user is known to be creatable: scrypt takes a tenth of a second.
        let hash = try password.map { try PasswordHasher.hash($0) }
        let events =
            password == nil
            ? []
            : [
                AdminAudit.passwordEvent(
                    for: change.after, actor: session.actor, temporary: new.mustChangePassword,
                    note: "set at creation", userID: 0)
            ]
        let applied = try session.apply([change], extra: [0: events], passwordHashes: hash.map { [0: $0] } ?? [:])
        let created = applied?.users.first ?? change.after
        var line = "created user \(created.id) \(created.email) (\(created.type.rawValue))"
        if password != nil { line += new.mustChangePassword ? " with a temporary password" : " with a password" }
        Console.out(line)
        return ExitCode.ok
    }
}
