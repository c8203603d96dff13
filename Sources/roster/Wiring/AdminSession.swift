import Foundation
import RosterConfig
import RosterCore
import RosterStore

/// One admin command's hold on the directory: the configuration, the directory lock (so that
/// no reconcile plans against rows this command is changing), the users, and a transaction
/// that writes the changes with their audit records.
struct AdminSession {
    let configuration: RosterConfiguration
    let database: DirectoryDatabase
    let admin: DirectoryAdmin
    let actor: String
    private let lock: DirectoryLock

    /// How long to wait for a reconcile in progress to release the directory.
    static let lockPatience: Duration = .seconds(10)

    /// Loads the configuration, takes the lock and reads the users. With `createDirectory` a
    /// missing directory is created (a first local account before any sync); otherwise it is an error.
    static func open(_ context: CommandContext, createDirectory: Bool = false) async throws -> AdminSession {
        let configuration = try context.loadConfiguration()
        let lock = try await waitForLock(configuration.directory.path)
        let database =
            createDirectory
            ? try context.openDirectory(configuration) : try context.openExistingDirectory(configuration)
        let admin = DirectoryAdmin(configuration: configuration, users: try database.loadUsers(), now: Date())
        return AdminSession(
            configuration: configuration, database: database, admin: admin, actor: context.actor, lock: lock)
    }

    /// The directory as it is now, without the lock: for questions asked before a change.
    static func preview(_ context: CommandContext) throws -> AdminPreview {
        let configuration = try context.loadConfiguration()
        let database = try context.openExistingDirectory(configuration)
        return AdminPreview(admin: DirectoryAdmin(configuration: configuration, users: try database.loadUsers()))
    }

    /// Runs one of the core's decisions, turning its refusals into failures with exit codes.
    func decide<T>(_ body: (DirectoryAdmin) throws -> T) throws -> T {
        do {
            return try body(admin)
        } catch let error as AdminError {
            throw error.failure
        }
    }

    /// Writes `changes` and their audit records (plus `extra` records per change) in one
    /// transaction; new users' password hashes go with their creation.
    @discardableResult
    func apply(
        _ changes: [UserChange], extra: [Int: [AuditEvent]] = [:], passwordHashes: [Int: String] = [:]
    ) throws -> AppliedBatch? {
        guard !changes.isEmpty else { return nil }
        let entries = changes.enumerated().map { position, change in
            (change, AdminAudit.events(for: change, actor: actor) + (extra[position] ?? []))
        }
        let applied = try database.apply(
            ApplyBatch(changes: entries, now: admin.now, summary: "", passwordHashes: passwordHashes))
        if let warning = applied.mirrorWarning { Console.error(warning) }
        return applied
    }

    /// Applies an outcome and prints its lines: the common end of the write commands.
    func finish(_ outcome: AdminOutcome) throws -> Int32 {
        try apply(outcome.changes)
        for message in outcome.messages { Console.out(message) }
        return ExitCode.ok
    }

    private static func waitForLock(_ path: String) async throws -> DirectoryLock {
        let deadline = ContinuousClock.now + lockPatience
        while true {
            do {
                return try DirectoryLock(directoryPath: path)
            } catch let held as DirectoryLock.Held {
                guard ContinuousClock.now < deadline else {
                    throw Failure("\(held) (waited \(lockPatience))", exitCode: ExitCode.runtime)
                }
                try await Task.sleep(for: .milliseconds(100))
            } catch {
                throw Failure("\(error)", exitCode: ExitCode.runtime)
            }
        }
    }
}

/// A look at the directory without its lock, to decide what a command would do.
struct AdminPreview {
    let admin: DirectoryAdmin

    func decide<T>(_ body: (DirectoryAdmin) throws -> T) throws -> T {
        do {
            return try body(admin)
        } catch let error as AdminError {
            throw error.failure
        }
    }
}

extension AdminError {
    /// Malformed input is a usage error (2); a refusal by the directory's state a runtime one (1).
    var failure: Failure {
        switch self {
        case .invalidInput(let message): return Failure(message, exitCode: ExitCode.usage)
        case .refused(let message): return Failure(message, exitCode: ExitCode.runtime)
        }
    }
}
