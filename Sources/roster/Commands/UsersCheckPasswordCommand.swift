import RosterCore
import RosterCrypto

/// `roster users check-password USER`: lets a platform authenticate a local account.
struct UsersCheckPasswordCommand: Command {
    static let path = ["users", "check-password"]
    static let abstract = "Check a password given on stdin: exit 0 if it matches, 1 if not."
    static let options: [OptionSpec] = [
        .value("--format", "FORMAT", "Output format.", choices: ["text", "json"])
    ]
    static let positionals = [PositionalSpec(name: "USER", help: "Id, username or email.")]
    static let discussion = """
        Inactive and deleted users, and users without a password, never match. JSON output says
        whether the password must be changed: {"match":true,"must_change_password":false,"user":{…}}.
        """

    let reference: String
    let json: Bool
    let context: CommandContext

    init(_ arguments: ParsedArguments, context: CommandContext) throws {
        reference = arguments.positionals[0]
        json = arguments.value("--format") == "json"
        self.context = context
    }

    func run() async throws -> Int32 {
        let password = try PasswordInput.readStandardInput(confirm: false)
        let configuration = try context.loadConfiguration()
        let database = try context.openExistingDirectory(configuration)
        let user = try database.user(reference: reference)
        var reason: String?
        var matched = false
        if let user, user.status == .active, let phc = try database.passwordHash(userID: user.id) {
            matched = try PasswordHasher.verify(password, phc: phc)
            if !matched { reason = "wrong password for \(user.email)" }
        } else {
            // As slow as a real check, so that timing does not tell which accounts exist.
            _ = try? PasswordHasher.verify(password, phc: Self.decoy)
            reason = unusable(user)
        }
        if json {
            var object: [String: JSONValue] = ["match": .bool(matched)]
            if let user, matched {
                object["must_change_password"] = .bool(user.mustChangePassword)
                object["user"] = .object([
                    "id": .string(String(user.id)), "email": .string(user.email), "username": .string(user.username),
                    "type": .string(user.type.rawValue),
                ])
            }
            if let reason { object["reason"] = .string(reason) }
            Console.json(.object(object))
        } else if let user, matched {
            Console.out(
                "password matches for \(user.email)"
                    + (user.mustChangePassword ? "; it must be changed now (temporary password)" : ""))
        }
        if let reason, !json { Console.error("no match: \(reason)") }
        return matched ? ExitCode.ok : ExitCode.runtime
    }

    /// Why `user` cannot sign in with a password at all.
    private func unusable(_ user: DirectoryUser?) -> String {
        guard let user else { return "no user \"\(reference)\"" }
        switch user.status {
        case .deleted: return "user \(user.id) is deleted"
        case .inactive: return "\(user.email) is inactive"
        case .active: return "\(user.email) has no password"
        }
    }

    /// A valid hash of a random password at the default cost.
    private static let decoy =
        "$scrypt$ln=15,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA$YW5vdGhlcmtleWFub3RoZXJrZXlhbm90aGVya2V5YQ"
}
