import Foundation
import RosterCore
import RosterDaemon

/// `roster reconcile`: read the sources, plan, and apply in one transaction (SPEC §4, §5).
struct ReconcileCommand: Command {
    static let path = ["reconcile"]
    static let abstract = "Read the sources, plan the changes and apply them."
    static let options: [OptionSpec] = [
        .flag("--dry-run", "Print the plan; change nothing."),
        .flag("--exit-code", "With --dry-run: exit 5 when changes are pending."),
        .flag(
            "--full",
            "Read every source in full, not only what changed since its last read (incremental reads: OpenLDAP"
                + " syncprov, Active Directory DirSync)."),
        .flag("--force", "Apply even above a safety.max_* limit, this once."),
        .repeated("--source", "NAME", "Read only this source (repeatable); the others keep their state."),
        .value("--format", "FORMAT", "Output format.", choices: ["text", "json"]),
        .flag("--now", "Ask the running daemon to run now (with --source, --force, --format)."),
    ]
    static let discussion = """
        Exit codes: 0 applied (or nothing to do), 1 runtime error (nothing applied), 2 usage or config error,
        3 a safety limit stopped the run (nothing applied), 4 a source could not be read completely (it froze,
        the rest applied), 5 --dry-run --exit-code found pending changes.

        While roster daemon serves the directory, a run without --dry-run is refused (exit 1): use --now, which
        asks the daemon on its control socket (daemon.control_socket, by default roster.sock next to
        directory.path) and prints that run's plan and exit code.
        """

    let options: ReconcileRun.Options
    let context: CommandContext
    let now: Bool

    init(_ arguments: ParsedArguments, context: CommandContext) throws {
        options = ReconcileRun.Options(
            dryRun: arguments.flag("--dry-run"), exitCode: arguments.flag("--exit-code"),
            force: arguments.flag("--force"), sources: arguments.values("--source"),
            json: arguments.value("--format") == "json", full: arguments.flag("--full"))
        if options.exitCode && !options.dryRun {
            throw UsageError("roster reconcile: --exit-code only makes sense with --dry-run")
        }
        self.context = context
        now = arguments.flag("--now")
        if now, let other = ["--dry-run", "--exit-code"].first(where: arguments.flag) {
            throw UsageError(
                "roster reconcile: --now cannot be combined with \(other); a dry run only reads, so run "
                    + "roster reconcile \(other == "--exit-code" ? "--dry-run --exit-code" : "--dry-run") without --now, "
                    + "also while the daemon runs")
        }
    }

    func run() async throws -> Int32 {
        if now { return try askDaemon() }
        let configuration = try context.loadConfiguration()
        // A dry run only reads; a real one holds the directory's lock from reading to commit, and
        // leaves the directory to the daemon when one serves it.
        if !options.dryRun { try context.refuseIfDaemonRuns(configuration) }
        let lock = options.dryRun ? nil : try context.lockDirectory(configuration)
        defer { withExtendedLifetime(lock) {} }
        // A dry run against a directory that does not exist yet plans against an empty one and
        // creates nothing.
        let exists = FileManager.default.fileExists(atPath: configuration.directory.path)
        let database = options.dryRun && !exists ? nil : try context.openDirectory(configuration)
        let result = try await ReconcileRun(configuration: configuration, database: database, options: options).run()
        if options.json {
            Console.json(result.json)
        } else {
            Console.out(result.text)
        }
        if let warning = result.warning { Console.error(warning) }
        for frozen in result.frozen {
            Console.error("source \(frozen.source) could not be read completely and froze: \(frozen.problem)")
        }
        return result.exitCode
    }

    /// `--now`: the daemon runs, this prints what it did.
    private func askDaemon() throws -> Int32 {
        let configuration = try context.loadConfiguration()
        var arguments: [String: JSONValue] = ["sources": .strings(options.sources)]
        if options.force { arguments["force"] = .bool(true) }
        let request = ControlRequest(op: "reconcile", arguments: arguments)
        // No timeout: the answer comes when the run is over, however long it takes.
        guard let response = try context.askDaemon(request, configuration: configuration, timeout: nil) else {
            throw Failure(
                "no roster daemon answers on \(context.controlSocketPath(configuration)); start it "
                    + "(systemctl start roster) or run roster reconcile without --now", exitCode: ExitCode.runtime)
        }
        guard response.ok, let result = response.result else {
            throw Failure("the daemon did not run: \(response.error ?? "no reason given")", exitCode: ExitCode.runtime)
        }
        let report = try ControlJSON.decode(RunReport.self, from: result)
        if options.json {
            Console.json(report.document ?? result)
        } else {
            Console.out(report.text ?? report.summary)
        }
        for warning in report.warnings { Console.error(warning) }
        for frozen in report.frozenSources {
            Console.error(
                "source \(frozen.source) could not be read completely and froze: \(frozen.problem ?? "unknown problem")"
            )
        }
        return report.exitCode
    }
}
