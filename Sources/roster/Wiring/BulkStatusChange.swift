import Foundation
import RosterCore

#if canImport(Glibc)
    import Glibc
#endif

/// What `users activate|deactivate|delete` share: many users, one transaction, and for
/// deletion a confirmation.
enum BulkStatusChange {
    static let positionals = [PositionalSpec(name: "USER", help: "Ids, usernames or emails.", variadic: true)]

    /// Decides with `decide`, asks for `confirmation` when given, then applies every change at once.
    static func run(
        _ context: CommandContext, confirmation: Confirmation? = nil,
        decide: (DirectoryAdmin) throws -> AdminOutcome
    ) async throws -> Int32 {
        if let confirmation, !confirmation.assumeYes {
            // Asked before the lock is taken: an admin pondering the question must not hold up a
            // reconcile. The decision is made again under the lock, on the rows as they are then.
            let preview = try AdminSession.preview(context).decide(decide)
            guard !preview.changes.isEmpty else {
                preview.messages.forEach(Console.out)
                return ExitCode.ok
            }
            try confirmation.ask(about: preview.changes.compactMap(\.before))
        }
        let session = try await AdminSession.open(context)
        return try session.finish(try session.decide(decide))
    }

    /// Deleting asks on a terminal, and refuses without one unless `--yes` was given (SPEC §5).
    struct Confirmation {
        var verb: String
        var consequence: String
        var assumeYes: Bool
        var commandPath: String

        func ask(about users: [DirectoryUser]) throws {
            if assumeYes { return }
            guard isatty(STDIN_FILENO) == 1 else {
                throw UsageError(
                    "\(commandPath): refusing to \(verb) without confirmation: stdin is not a terminal, so add --yes")
            }
            let names = users.prefix(10).map(UserReference.label).joined(separator: ", ")
            let more = users.count > 10 ? " and \(users.count - 10) more" : ""
            FileHandle.standardError.write(
                Data("\(verb.capitalized) \(users.count) user(s): \(names)\(more)? \(consequence) [y/N] ".utf8))
            let answer = readLine(strippingNewline: true)?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
            guard answer == "y" || answer == "yes" else {
                throw Failure("nothing was \(verb)d: not confirmed", exitCode: ExitCode.runtime)
            }
        }
    }
}
