import Foundation
import RosterConfig
import RosterCore
import RosterCrypto
import RosterDaemon
import RosterLDAP
import RosterStore

/// A configuration with the SHA-256 of the very bytes it was read from.
struct LoadedConfiguration: Sendable {
    var configuration: RosterConfiguration
    var sha256: String
}

/// What commands need to find, lock out or talk to the daemon.
extension CommandContext {
    /// Loads the configuration as `loadConfiguration` does, hashing the bytes it was parsed from
    /// (reading the file twice could hash an edit made in between).
    func loadConfigurationWithDigest() throws -> LoadedConfiguration {
        guard let data = FileManager.default.contents(atPath: configPath),
            let text = String(data: data, encoding: .utf8)
        else {
            // Missing, a folder, unreadable, not UTF-8: the loader says which, in its own words.
            _ = try loadConfiguration()
            throw Failure("cannot read the configuration file \(configPath)", exitCode: ExitCode.usage)
        }
        do {
            let configuration = try ConfigLoader.loadText(text, path: configPath, dnNormalizer: LDAPDNNormalizer())
            return LoadedConfiguration(configuration: configuration, sha256: SHA256.hex(data))
        } catch let error as ConfigError {
            throw Failure(error.description, exitCode: ExitCode.usage)
        }
    }

    /// The control socket: `daemon.control_socket`, or `roster.sock` next to the store.
    func controlSocketPath(_ configuration: RosterConfiguration) -> String {
        DaemonPaths.controlSocket(
            configured: configuration.daemon.controlSocket, directoryPath: configuration.directory.path)
    }

    /// The lock a daemon holds for its whole life (`roster.db.daemon.lock`): one daemon per directory.
    ///
    /// It is not the directory's lock: that one the daemon takes for each run only, so that admin
    /// commands (which take it for their writes) keep working while the daemon serves.
    static func daemonLockKey(_ configuration: RosterConfiguration) -> String {
        configuration.directory.path + ".daemon"
    }

    /// Takes the daemon's lock, or fails naming the daemon that has it.
    func lockForDaemon(_ configuration: RosterConfiguration) throws -> DirectoryLock {
        do {
            return try DirectoryLock(directoryPath: Self.daemonLockKey(configuration))
        } catch let held as DirectoryLock.Held {
            throw Failure(
                "another roster daemon\(held.holder.map { " (pid \($0))" } ?? "") already serves the directory "
                    + "\(configuration.directory.path) (lock \(held.path)); stop it first (systemctl stop roster)",
                exitCode: ExitCode.runtime)
        } catch {
            throw Failure("\(error)", exitCode: ExitCode.runtime)
        }
    }

    /// Fails when a daemon serves the directory: a one-shot run must ask it instead.
    func refuseIfDaemonRuns(_ configuration: RosterConfiguration) throws {
        guard FileManager.default.fileExists(atPath: Self.daemonLockKey(configuration) + ".lock") else { return }
        do {
            // Taken and dropped at once: only whether someone else holds it matters.
            _ = try DirectoryLock(directoryPath: Self.daemonLockKey(configuration))
        } catch let held as DirectoryLock.Held {
            throw Failure(
                "the roster daemon\(held.holder.map { " (pid \($0))" } ?? "") holds the directory "
                    + "\(configuration.directory.path); ask it to run now with roster reconcile --now",
                exitCode: ExitCode.runtime)
        } catch {
            // An unreadable lock file is the daemon's concern; the directory's own lock still guards the run.
        }
    }

    /// Sends `request` to the daemon; nil when no daemon listens on the control socket.
    func askDaemon(
        _ request: ControlRequest, configuration: RosterConfiguration, timeout: Duration? = .seconds(30)
    ) throws -> ControlResponse? {
        let socket = controlSocketPath(configuration)
        do {
            return try ControlClient.send(request, to: socket, timeout: timeout)
        } catch let error as SocketError where error.isNotListening {
            return nil
        } catch let error as SocketError where error.code == EACCES {
            throw Failure(
                "permission denied on the control socket \(socket); run as the service user or a member of its group",
                exitCode: ExitCode.runtime)
        } catch {
            throw Failure("the daemon on \(socket) did not answer: \(error)", exitCode: ExitCode.runtime)
        }
    }
}
