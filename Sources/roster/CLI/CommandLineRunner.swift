import Foundation
import RosterCore

#if canImport(Glibc)
    import Glibc
#endif

/// Finds the command named by the leading words, handles the global options, runs it, and turns
/// every failure into one sentence on stderr and an exit code.
struct CommandLineRunner {
    let commands: [any Command.Type]

    func run(_ rawArguments: [String]) async -> Int32 {
        var arguments = rawArguments
        var configPath = ProcessInfo.processInfo.environment["ROSTER_CONFIG"] ?? CommandContext.defaultConfigPath
        do {
            if let explicit = try extractConfig(&arguments) { configPath = explicit }
        } catch {
            Console.error("\(error)")
            return ExitCode.usage
        }
        if arguments.contains("--version") {
            Console.out("roster \(RosterVersion.current)")
            return ExitCode.ok
        }
        let words = arguments.prefix { !$0.hasPrefix("-") }
        guard let command = match(Array(words)) else {
            if words.isEmpty || arguments.contains("--help") || arguments.contains("-h") || words.first == "help" {
                Console.out(overview(prefix: Array(words.filter { $0 != "help" })))
                return words.isEmpty && !arguments.contains("--help") ? ExitCode.usage : ExitCode.ok
            }
            let known = Set(commands.map { $0.path[0] })
            let suggestion = Suggestion.closest(to: words[0], among: Array(known))
            Console.error(
                "unknown command \"\(words.joined(separator: " "))\""
                    + (suggestion.map { "; did you mean \"\($0)\"?" } ?? "") + " See roster --help.")
            return ExitCode.usage
        }
        let rest = Array(arguments.dropFirst(command.path.count))
        if rest.contains("--help") || rest.contains("-h") {
            Console.out(command.help)
            return ExitCode.ok
        }
        let context = CommandContext(configPath: configPath, actor: "cli:" + Self.unixUser())
        do {
            let parsed = try ArgumentParser.parse(
                rest, options: command.options, positionals: command.positionals, commandPath: command.commandPath)
            return try await command.init(parsed, context: context).run()
        } catch let failure as Failure {
            Console.error(failure.description)
            return failure.exitCode
        } catch let usage as UsageError {
            Console.error(usage.description)
            return ExitCode.usage
        } catch {
            Console.error("\(error)")
            return ExitCode.runtime
        }
    }

    /// Takes `--config PATH` / `--config=PATH` out of the arguments, wherever it is.
    private func extractConfig(_ arguments: inout [String]) throws -> String? {
        var found: String?
        var index = 0
        while index < arguments.count {
            if arguments[index] == "--config" {
                guard index + 1 < arguments.count else { throw UsageError("--config needs a file path") }
                found = arguments[index + 1]
                arguments.removeSubrange(index...(index + 1))
            } else if arguments[index].hasPrefix("--config=") {
                found = String(arguments[index].dropFirst("--config=".count))
                arguments.remove(at: index)
            } else {
                index += 1
            }
        }
        return found
    }

    private func match(_ words: [String]) -> (any Command.Type)? {
        commands.filter { words.starts(with: $0.path) }.max { $0.path.count < $1.path.count }
    }

    private func overview(prefix: [String]) -> String {
        var lines = [
            "roster \(RosterVersion.current) — keeps a platform's user directory in step with LDAP, AD and OIDC.", "",
        ]
        lines.append("Usage: roster [--config PATH] COMMAND [OPTIONS]")
        lines.append("")
        lines.append("Commands:")
        for command in commands where command.path.starts(with: prefix) {
            lines.append(
                "  " + command.path.joined(separator: " ").padding(toLength: 22, withPad: " ", startingAt: 0)
                    + command.abstract)
        }
        lines.append("")
        lines.append("Run roster COMMAND --help for a command's options. Exit codes: 0 ok, 1 runtime error, 2 usage or")
        lines.append(
            "config error, 3 safety limit, 4 a source could not be read completely, 5 pending changes (--dry-run --exit-code)."
        )
        return lines.joined(separator: "\n")
    }

    static func unixUser() -> String {
        if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return String(geteuid())
    }
}
