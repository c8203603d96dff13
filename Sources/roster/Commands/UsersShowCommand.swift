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
        let found = try UserLookup.find(user, in: try database.loadUsers())
        if json {
            Console.json(UserFormatter.json(found))
        } else {
            Console.out(UserFormatter.details(found))
        }
        return ExitCode.ok
    }
}

/// Finds the user an admin named by id, username or email.
enum UserLookup {
    static func find(_ reference: String, in users: [DirectoryUser]) throws -> DirectoryUser {
        if let id = Int64(reference), let user = users.first(where: { $0.id == id }) { return user }
        let key = LDAPText.fold(reference)
        let live = users.filter { $0.status != .deleted }
        if let user = live.first(where: { LDAPText.fold($0.email) == key || LDAPText.fold($0.username) == key }) {
            return user
        }
        throw Failure(
            "no user \"\(reference)\": give an id, a username or an email (see roster users list --search)",
            exitCode: ExitCode.runtime)
    }
}
