import Foundation
import RosterCore
import RosterDaemon
import RosterStore

/// `roster status`: the daemon's state when it answers, and the last runs from the store.
struct StatusCommand: Command {
    static let path = ["status"]
    static let abstract = "Show the daemon, the next run, each source's health and the last runs."
    static let options: [OptionSpec] = [
        .value("--format", "FORMAT", "Output format.", choices: ["text", "json"]),
        .value("--runs", "N", "How many of the last runs to list (10)."),
    ]
    static let discussion = """
        The daemon is asked on its control socket (daemon.control_socket, by default roster.sock next to
        directory.path); the last runs are read from the store, also when no daemon runs. Exit code 0 whether
        or not a daemon runs; 1 when neither the daemon nor the store can be read.
        """

    let context: CommandContext
    let json: Bool
    let runLimit: Int

    init(_ arguments: ParsedArguments, context: CommandContext) throws {
        self.context = context
        json = arguments.value("--format") == "json"
        runLimit = try arguments.integer("--runs", default: 10)
    }

    func run() async throws -> Int32 {
        let configuration = try context.loadConfiguration()
        var report = StatusReport(
            controlSocket: context.controlSocketPath(configuration), directory: configuration.directory.path)
        do {
            if let response = try context.askDaemon(
                ControlRequest(op: "status"), configuration: configuration, timeout: .seconds(10))
            {
                guard response.ok, let result = response.result else {
                    throw Failure(
                        "the daemon refused the status request: \(response.error ?? "no reason given")",
                        exitCode: ExitCode.runtime)
                }
                report.daemon = try ControlJSON.decode(DaemonStatus.self, from: result)
            }
        } catch let failure as Failure {
            report.daemonProblem = failure.description
        } catch {
            report.daemonProblem = "the daemon's status could not be read: \(error)"
        }
        if FileManager.default.fileExists(atPath: configuration.directory.path) {
            report.runs = try context.openExistingDirectory(configuration).recentRuns(limit: runLimit)
        } else if report.daemon == nil {
            throw Failure(
                "there is no directory at \(configuration.directory.path) and no daemon answers on "
                    + "\(report.controlSocket); start the daemon or run roster reconcile", exitCode: ExitCode.runtime)
        }
        if json {
            Console.json(try report.json())
        } else {
            Console.out(report.text())
        }
        return ExitCode.ok
    }
}
