import Foundation
import RosterCore

/// `roster oidc login`: verify an ID token and sign its user in (SPEC §8).
struct OIDCLoginCommand: Command {
    static let path = ["oidc", "login"]
    static let abstract = "Verify an ID token, provision its user just in time and record the session."
    static let options: [OptionSpec] = [
        .value("--id-token-file", "F", "File holding the ID token (a compact JWT)."),
        .value("--refresh-token-file", "F", "File holding the refresh token, stored encrypted to re-read claims."),
        .value("--source", "NAME", "The oidc source (needed when there are several)."),
        .value("--format", "FORMAT", "Output format.", choices: ["text", "json"]),
    ]
    static let discussion = """
        The token must be signed by the source's issuer (RS256/384/512, PS256/384/512, ES256/384, EdDSA) and be
        for one of its audiences; a refused token changes nothing. The session type is sdk when the client the
        token was issued to (azp, else its audience) has the word sdk or cli in its id, else dashboard.
        Exit codes: 0 signed in, 1 token refused or user not provisioned, 2 usage or config error.
        """

    let idTokenFile: String
    let refreshTokenFile: String?
    let source: String?
    let json: Bool
    let context: CommandContext

    init(_ arguments: ParsedArguments, context: CommandContext) throws {
        guard let idTokenFile = arguments.value("--id-token-file") else {
            throw UsageError("roster oidc login: --id-token-file F is required")
        }
        self.idTokenFile = idTokenFile
        refreshTokenFile = arguments.value("--refresh-token-file")
        source = arguments.value("--source")
        json = arguments.value("--format") == "json"
        self.context = context
    }

    func run() async throws -> Int32 {
        let configuration = try context.loadConfiguration()
        let idToken = try Self.readToken(idTokenFile, option: "--id-token-file")
        let refreshToken = try refreshTokenFile.map { try Self.readToken($0, option: "--refresh-token-file") }
        let lock = try context.lockDirectory(configuration)
        defer { withExtendedLifetime(lock) {} }
        let database = try context.openDirectory(configuration)
        let outcome = try await OIDCLoginService(configuration: configuration, database: database, actor: context.actor)
            .login(idToken: idToken, refreshToken: refreshToken, sourceName: source)
        if json {
            Console.json(outcome.json)
        } else {
            Console.out(outcome.text)
        }
        if let warning = database.mirrorWarning { Console.error(warning) }
        return ExitCode.ok
    }

    /// The token in `path`, without surrounding whitespace. Messages name the file, never its content.
    static func readToken(_ path: String, option: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Failure(
                "\(option) \(path) cannot be read; check the path and its permissions", exitCode: ExitCode.usage)
        }
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw Failure("\(option) \(path) is empty", exitCode: ExitCode.usage) }
        return token
    }
}
