import Foundation
import RosterCore

/// `roster users list`: search, filter, sort, page and export the directory.
struct UsersListCommand: Command {
    static let path = ["users", "list"]
    static let abstract = "List users: search, filter, sort, page, export."
    static let options: [OptionSpec] = [
        .value("--search", "TEXT", "Case- and accent-insensitive text in email, username, first or last name."),
        .value("--type", "TYPE", "Only this type.", choices: UserType.allCases.map(\.rawValue)),
        .value("--status", "STATUS", "Only this status.", choices: UserStatus.allCases.map(\.rawValue)),
        .value("--origin", "NAME", "Only users from this source (or local)."),
        .value("--role", "ROLE", "Only users with this role."),
        .value("--group", "GROUP", "Only members of this platform group."),
        .value("--sort", "FIELD", "Sort field.", choices: UserListQuery.SortKey.allCases.map(\.rawValue)),
        .flag("--desc", "Sort descending."),
        .value("--page", "N", "Page number (from 1)."),
        .value("--per-page", "N", "Users per page (default 25)."),
        .flag("--all", "Every match, no paging (for export)."),
        .value("--format", "FORMAT", "Output format.", choices: ["table", "json", "csv"]),
    ]

    let query: UserListQuery
    let format: String
    let context: CommandContext

    init(_ arguments: ParsedArguments, context: CommandContext) throws {
        query = UserListQuery(
            search: arguments.value("--search"), type: try arguments.choice("--type", as: UserType.self),
            status: try arguments.choice("--status", as: UserStatus.self), origin: arguments.value("--origin"),
            role: arguments.value("--role"), group: arguments.value("--group"),
            sort: try arguments.choice("--sort", as: UserListQuery.SortKey.self) ?? .email,
            descending: arguments.flag("--desc"), page: try arguments.integer("--page", default: 1),
            perPage: try arguments.integer("--per-page", default: 25), all: arguments.flag("--all"))
        format = arguments.value("--format") ?? "table"
        self.context = context
    }

    func run() async throws -> Int32 {
        let configuration = try context.loadConfiguration()
        let database = try context.openExistingDirectory(configuration)
        let result = query.run(try database.loadUsers())
        switch format {
        case "json": Console.json(UserFormatter.listJSON(result))
        // As written: RFC 4180 records end in CRLF, and Console.out would add a bare LF after it.
        case "csv": FileHandle.standardOutput.write(Data(UserFormatter.csv(result.users).utf8))
        default: Console.out(UserFormatter.table(result, all: query.all))
        }
        return ExitCode.ok
    }
}
