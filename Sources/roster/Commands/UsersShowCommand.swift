import RosterCore
import RosterStore

/// `roster users show USER`: every field, grant and origin of one user.
struct UsersShowCommand: Command {
    static let path = ["users", "show"]
    static let abstract = "Show one user: fields, roles, groups, projects and where each came from."
    static let options: [OptionSpec] = [.value("--format", "FORMAT", "Output format.", choices: ["text", "json"])]
    static let positionals = [PositionalSpec(name: "USER", help: "Id, username or email.")]

    let user: String
    let json: Bool
    let context: CommandContext

    init(_ arguments: ParsedArguments, context: CommandContext) throws {
        user = arguments.positionals[0]
        json = arguments.value("--format") == "json"
        self.context = context
    }

    func run() async throws -> Int32 {
        let configuration = try context.loadConfiguration()
        let database = try context.openExistingDirectory(configuration)
        let found = try UserLookup.find(user, in: database)
        let sessions = try database.sessions(userID: found.id)
        if json {
            Console.json(UserFormatter.detailsJSON(found, roles: configuration.roles, sessions: sessions))
        } else {
            Console.out(UserFormatter.details(found, roles: configuration.roles, sessions: sessions))
        }
        return ExitCode.ok
    }
}

/// Finds the user an admin named by id, username or email.
enum UserLookup {
    /// By the directory's indexes: a command about one user does not load every user.
    static func find(_ reference: String, in database: DirectoryDatabase) throws -> DirectoryUser {
        guard let user = try database.user(reference: reference) else {
            throw UserReference.missing(reference).failure
        }
        return user
    }
}
