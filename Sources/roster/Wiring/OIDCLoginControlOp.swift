import Foundation
import RosterCore
import RosterDaemon
import RosterStore

/// The control socket's `oidc.login` op (SPEC §7), for the daemon to register:
/// `{"op":"oidc.login","id_token":"…","refresh_token":"…","source":"okta"}`, answered with the
/// user, the change and the session, or with the reason the login was refused.
///
/// Register it with
/// `router.register("oidc.login") { await OIDCLoginControlOp.handle($0, configuration: backend.configuration, context: context) }`.
enum OIDCLoginControlOp {
    /// How long a login waits for a run (or an admin command) to release the directory.
    static let lockPatience: Duration = .seconds(30)

    static func handle(
        _ request: ControlRequest, configuration: RosterConfiguration, context: CommandContext, actor: String = "sync"
    ) async -> ControlResponse {
        guard let idToken = request.arguments["id_token"]?.stringValue, !idToken.isEmpty else {
            return .failure("oidc.login needs \"id_token\": the compact ID token as a string")
        }
        for name in ["refresh_token", "source"] where request.arguments[name].map({ $0.stringValue == nil }) ?? false {
            return .failure("oidc.login: \"\(name)\" must be a string")
        }
        do {
            let lock = try await lockDirectory(configuration)
            defer { withExtendedLifetime(lock) {} }
            let database = try context.openDirectory(configuration)
            let outcome = try await OIDCLoginService(configuration: configuration, database: database, actor: actor)
                .login(
                    idToken: idToken, refreshToken: request.arguments["refresh_token"]?.stringValue,
                    sourceName: request.arguments["source"]?.stringValue)
            return .success(outcome.json)
        } catch {
            return .failure("\(error)")
        }
    }

    private static func lockDirectory(_ configuration: RosterConfiguration) async throws -> DirectoryLock {
        let deadline = ContinuousClock.now + lockPatience
        while true {
            do {
                return try DirectoryLock(directoryPath: configuration.directory.path)
            } catch let held as DirectoryLock.Held {
                guard ContinuousClock.now < deadline else {
                    throw Failure("\(held) (waited \(lockPatience))", exitCode: ExitCode.runtime)
                }
                try await Task.sleep(for: .milliseconds(200))
            }
        }
    }
}
