import RosterConfig
import RosterCore
import RosterLDAP

/// `roster config check [PATH] [--connect]`: validate the configuration and summarise it.
struct ConfigCheckCommand: Command {
    static let path = ["config", "check"]
    static let abstract = "Validate a configuration and print a summary, or its errors (exit 2)."
    static let options: [OptionSpec] = [
        .flag(
            "--connect",
            "Also bind to each LDAP source and fetch one user and one group (other sources: read once), and report"
                + " what came back or why it failed (exit 4).")
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
        let readers = try SourceFactory.readers(for: configuration)
        // LDAP sources are probed (bind, one user, one group) rather than read in full: the
        // "validate" button must answer in seconds, also against a directory of 100,000 people.
        let ldapSources = readers.compactMap { $0 as? LDAPSource }
        let snapshots = await SourceFactory.readAll(readers.filter { !($0 is LDAPSource) })
        Console.out("")
        for source in ldapSources {
            let report = await source.probe()
            Console.out("\(source.name): \(report.ok ? "ok" : "FAILED")")
            for line in report.lines { Console.out("  \(line)") }
            if !report.ok { exitCode = ExitCode.sourceIncomplete }
        }
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
