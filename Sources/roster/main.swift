import Foundation
import RosterCore

#if canImport(Glibc)
    import CMalloc
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

#if canImport(Glibc)
    // A fixed threshold: every block of 1 MiB or more (a run's arrays of users, changes, tables)
    // gets its own mapping, returned to the system when freed. glibc's default raises the
    // threshold each time such a block is freed, after which the next ones come from the heap
    // and leave holes there: a 100,000-user first sync peaked 10 to 25 MB higher that way.
    _ = mallopt(M_MMAP_THRESHOLD, 1 << 20)
#endif

exit(await CommandLineRunner(commands: commands).run(Array(CommandLine.arguments.dropFirst())))
