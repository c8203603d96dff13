import Foundation
import RosterCore
import RosterStore

/// `roster audit list`: the audit log, filtered.
struct AuditListCommand: Command {
    static let path = ["audit", "list"]
    static let abstract = "List audit records, filtered by time, user, action or run."
    static let options: [OptionSpec] = [
        .value("--since", "TIME", "From this time: RFC 3339, YYYY-MM-DD, or a duration ago (90s, 15m, 6h, 30d)."),
        .value("--until", "TIME", "Up to this time; a plain date includes that whole day."),
        .value("--user", "USER", "Only records about this user (id, username or email)."),
        .value("--action", "ACTION", "Only this action, e.g. user.create."),
        .value("--run", "ID", "Only records of this run."),
        .value("--format", "FORMAT", "Output format.", choices: ["text", "json"]),
    ]

    let arguments: ParsedArguments
    let context: CommandContext

    init(_ arguments: ParsedArguments, context: CommandContext) throws {
        self.arguments = arguments
        self.context = context
    }

    func run() async throws -> Int32 {
        let configuration = try context.loadConfiguration()
        let database = try context.openExistingDirectory(configuration)
        var filter = AuditFilter()
        filter.since = try time("--since")
        filter.until = try time("--until")
        filter.action = arguments.value("--action")
        filter.run = arguments.value("--run")
        if let reference = arguments.value("--user") {
            if let user = try database.user(reference: reference) {
                filter.userID = user.id
            } else if reference.contains("@") {
                // A deleted user's email is gone from the directory but stays in its records.
                filter.email = reference
            } else {
                throw Failure(
                    "no user \"\(reference)\": give an id, a username or an email (see roster users list --search)",
                    exitCode: ExitCode.runtime)
            }
        }
        let records = try database.auditRecords(filter)
        if arguments.value("--format") == "json" {
            Console.json(.array(records.map { $0.json() }))
            return ExitCode.ok
        }
        let rows = records.map { record -> [String] in
            let user = record.email ?? record.userID.map { "#\($0)" } ?? ""
            let detail = [record.changes, record.reason].compactMap { $0?.canonicalString }.joined(separator: " ")
            return [String(record.seq), record.time, record.actor, record.action, user, detail]
        }
        Console.out(TextTable.render(header: ["seq", "time", "actor", "action", "user", "details"], rows: rows))
        return ExitCode.ok
    }

    private func time(_ name: String) throws -> Date? {
        guard let text = arguments.value(name) else { return nil }
        if let seconds = Self.durationSeconds(text) { return Date().addingTimeInterval(-seconds) }
        guard let date = Timestamp.parse(text) else {
            throw UsageError(
                "roster audit list: \(name) takes a time like 2026-11-22T11:00:00Z, 2026-11-22 or 6h, not \"\(text)\"")
        }
        // `--until 2026-11-22` means to the end of that day.
        let dateOnly = text.count == 10
        return name == "--until" && dateOnly ? date.addingTimeInterval(86_400) : date
    }

    /// `90s`, `15m`, `6h`, `30d` as seconds.
    static func durationSeconds(_ text: String) -> TimeInterval? {
        guard let unit = text.last, let count = Double(text.dropLast()), count >= 0 else { return nil }
        switch unit {
        case "s": return count
        case "m": return count * 60
        case "h": return count * 3600
        case "d": return count * 86_400
        default: return nil
        }
    }
}
