import Foundation
import RosterCore

#if canImport(Glibc)
    import Glibc
#endif

/// Every command `roster` knows, found by the words of its path.
let commands: [any Command.Type] = [
    ReconcileCommand.self,
    DaemonCommand.self,
    StatusCommand.self,
    ConfigCheckCommand.self,
    ConfigExplainCommand.self,
    UsersListCommand.self,
    UsersShowCommand.self,
    UsersCreateCommand.self,
    UsersEditCommand.self,
    UsersActivateCommand.self,
    UsersDeactivateCommand.self,
    UsersDeleteCommand.self,
    UsersResetPasswordCommand.self,
    UsersCheckPasswordCommand.self,
    UsersGrantCommand.self,
    UsersRevokeCommand.self,
    RolesListCommand.self,
    RolesShowCommand.self,
    GroupsListCommand.self,
    GroupsShowCommand.self,
    GroupsAddCommand.self,
    GroupsRemoveCommand.self,
    ProjectsListCommand.self,
    ProjectsShowCommand.self,
    ProjectsAddCommand.self,
    ProjectsRemoveCommand.self,
    AuditListCommand.self,
    AuditVerifyCommand.self,
    OIDCLoginCommand.self,
    UsersSessionsCommand.self,
]

exit(await CommandLineRunner(commands: commands).run(Array(CommandLine.arguments.dropFirst())))
