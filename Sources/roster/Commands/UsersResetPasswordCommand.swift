import RosterCore
import RosterCrypto

/// `roster users reset-password USER`: a new password (scrypt, PHC string), audited without it.
struct UsersResetPasswordCommand: Command {
    static let path = ["users", "reset-password"]
    static let abstract = "Set a user's password from stdin or a file."
    static let options: [OptionSpec] = [
        .flag(PasswordInput.stdinOption, "Read the password from stdin (asked with echo off on a terminal)."),
        .value(PasswordInput.fileOption, "FILE", "Read the password from FILE (mode 600)."),
        .flag("--temporary", "The user must change the password at the next login."),
    ]
    static let positionals = [PositionalSpec(name: "USER", help: "Id, username or email.")]
    static let discussion = "One of --password-stdin and --password-file is required; never an argument."

    let arguments: ParsedArguments
    let context: CommandContext

    init(_ arguments: ParsedArguments, context: CommandContext) throws {
        guard arguments.flag(PasswordInput.stdinOption) || arguments.value(PasswordInput.fileOption) != nil else {
            throw UsageError(
                "roster users reset-password: give --password-stdin or --password-file FILE; "
                    + "a password is never taken from an argument")
        }
        self.arguments = arguments
        self.context = context
    }

    func run() async throws -> Int32 {
        // Read before taking the directory lock: typing at a prompt must not hold up a reconcile.
        guard let password = try PasswordInput.read(arguments, isNew: true) else { return ExitCode.usage }
        let session = try await AdminSession.open(context)
        let user = try session.decide { try $0.passwordTarget(arguments.positionals[0]) }
        let temporary = arguments.flag("--temporary")
        let hash = try PasswordHasher.hash(password)
        let event = AdminAudit.passwordEvent(
            for: user, actor: session.actor, temporary: temporary, note: "reset by an admin")
        _ = try session.database.setPassword(
            userID: user.id, phc: hash, mustChangePassword: temporary, events: [event], now: session.admin.now)
        if let warning = session.database.mirrorWarning { Console.error(warning) }
        Console.out(
            "set the password of \(user.email)" + (temporary ? "; it must be changed at the next login" : ""))
        return ExitCode.ok
    }
}
