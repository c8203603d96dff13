import Foundation
import RosterCore

#if canImport(Glibc)
    import Glibc
#endif

/// Every command `roster` knows, found by the words of its path.
let commands: [any Command.Type] = [
    ReconcileCommand.self,
    ConfigCheckCommand.self,
    ConfigExplainCommand.self,
    UsersListCommand.self,
    UsersShowCommand.self,
    AuditListCommand.self,
    AuditVerifyCommand.self,
]

exit(await CommandLineRunner(commands: commands).run(Array(CommandLine.arguments.dropFirst())))
