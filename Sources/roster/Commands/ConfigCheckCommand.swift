import RosterConfig
import RosterCore

/// `roster config check [PATH] [--connect]`: validate the configuration and summarise it.
struct ConfigCheckCommand: Command {
    static let path = ["config", "check"]
    static let abstract = "Validate a configuration and print a summary, or its errors (exit 2)."
    static let options: [OptionSpec] = [
        .flag("--connect", "Also read each source once and report what it returned or why it failed.")
    ]
    static let positionals = [
        PositionalSpec(name: "PATH", help: "Configuration file (default: --config).", optional: true)
    ]

    let path: String?
    let connect: Bool
    let context: CommandContext

    init(_ arguments: ParsedArguments, context: CommandContext) throws {
        path = arguments.positionals.first
        connect = arguments.flag("--connect")
        self.context = context
    }

    func run() async throws -> Int32 {
        let configuration = try context.loadConfiguration(path: path)
        Console.out(ConfigSummary.render(configuration))
        guard connect else { return ExitCode.ok }
        var exitCode = ExitCode.ok
        let snapshots = await SourceFactory.readAll(try SourceFactory.readers(for: configuration))
        Console.out("")
        for snapshot in snapshots {
            if snapshot.complete {
                let sample = snapshot.users.first.map { " e.g. \($0.dn ?? $0.label)" } ?? ""
                let group = snapshot.groups.first.map { "; e.g. \($0.dn)" } ?? ""
                Console.out(
                    "\(snapshot.source): ok, \(snapshot.users.count) users\(sample), \(snapshot.groups.count) groups\(group)"
                )
            } else {
                Console.out("\(snapshot.source): FAILED: \(snapshot.problem ?? "incomplete read")")
                exitCode = ExitCode.sourceIncomplete
            }
        }
        return exitCode
    }
}
