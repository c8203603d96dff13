import Foundation
import RosterCore

/// `roster users sessions USER`: the user's OIDC logins.
struct UsersSessionsCommand: Command {
    static let path = ["users", "sessions"]
    static let abstract = "List a user's sessions: login time, duration and session type."
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
            Console.json(
                .object([
                    "user": .object(["id": .string(String(found.id)), "email": .string(found.email)]),
                    "sessions": .array(sessions.map(UserFormatter.sessionJSON)),
                ]))
            return ExitCode.ok
        }
        guard !sessions.isEmpty else {
            Console.out("\(found.email) has no sessions: no oidc login recorded")
            return ExitCode.ok
        }
        let rows = sessions.map { session in
            [
                Timestamp.string(session.startedAt), session.duration.map(UserFormatter.duration) ?? "-",
                session.kind.rawValue, session.client, session.source,
            ]
        }
        Console.out(TextTable.render(header: ["LOGIN", "DURATION", "TYPE", "CLIENT", "SOURCE"], rows: rows))
        return ExitCode.ok
    }
}
