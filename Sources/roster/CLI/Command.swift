/// One `roster` subcommand: its declaration (for parsing and `--help`) and its work.
protocol Command: Sendable {
    /// Words after `roster`, e.g. `["users", "list"]`.
    static var path: [String] { get }
    static var abstract: String { get }
    static var options: [OptionSpec] { get }
    static var positionals: [PositionalSpec] { get }
    /// More lines for `--help`, after the options.
    static var discussion: String { get }

    init(_ arguments: ParsedArguments, context: CommandContext) throws
    /// Returns the process exit code (SPEC §5).
    func run() async throws -> Int32
}

extension Command {
    static var positionals: [PositionalSpec] { [] }
    static var discussion: String { "" }

    static var commandPath: String { (["roster"] + path).joined(separator: " ") }

    static var help: String {
        let all =
            options + [
                .flag("--help", "Show this help."),
                .value("--config", "PATH", "Configuration file (default $ROSTER_CONFIG or /etc/roster/roster.yaml)."),
            ]
        var lines = ["\(commandPath) — \(abstract)", ""]
        // The first column fits the longest synopsis, so long option names never run into their help.
        let width = max(24, ((positionals.map(\.synopsis) + all.map(\.synopsis)).map(\.count).max() ?? 0) + 2)
        let synopsis = ([commandPath] + positionals.map(\.synopsis) + options.map { "[\($0.synopsis)]" })
        lines.append("Usage: " + synopsis.joined(separator: " "))
        if !positionals.isEmpty {
            lines.append("")
            lines.append("Arguments:")
            for positional in positionals {
                lines.append(
                    "  " + positional.synopsis.padding(toLength: width, withPad: " ", startingAt: 0) + positional.help)
            }
        }
        lines.append("")
        lines.append("Options:")
        for option in all {
            var help = option.help
            if !option.choices.isEmpty { help += " (\(option.choices.joined(separator: "|")))" }
            lines.append("  " + option.synopsis.padding(toLength: width, withPad: " ", startingAt: 0) + help)
        }
        if !discussion.isEmpty {
            lines.append("")
            lines.append(discussion)
        }
        return lines.joined(separator: "\n")
    }
}

/// Exit codes of SPEC §5.
enum ExitCode {
    static let ok: Int32 = 0
    static let runtime: Int32 = 1
    static let usage: Int32 = 2
    static let safetyAbort: Int32 = 3
    static let sourceIncomplete: Int32 = 4
    static let pendingChanges: Int32 = 5
}
