import Foundation
import RosterConfig
import RosterCore
import RosterLDAP
import RosterStore

/// What every command may need: the config path, who is acting, and how to open things.
struct CommandContext: Sendable {
    var configPath: String
    /// `cli:<unix user>` for audit records of admin actions.
    var actor: String

    static let defaultConfigPath = "/etc/roster/roster.yaml"

    func loadConfiguration(path: String? = nil) throws -> RosterConfiguration {
        do {
            return try ConfigLoader.load(path: path ?? configPath, dnNormalizer: LDAPDNNormalizer())
        } catch let error as ConfigError {
            throw Failure(error.description, exitCode: ExitCode.usage)
        }
    }

    func openDirectory(_ configuration: RosterConfiguration) throws -> DirectoryDatabase {
        do {
            return try DirectoryDatabase.open(path: configuration.directory.path, auditMirror: configuration.audit.file)
        } catch {
            // These name the file and the fix already: said once, not wrapped in a second prefix.
            let namesTheFile: Bool
            switch error as? StoreError {
            case .cannotOpen?, .newerSchema?: namesTheFile = true
            default: namesTheFile = false
            }
            throw Failure(
                namesTheFile ? "\(error)" : "cannot open the directory \(configuration.directory.path): \(error)",
                exitCode: ExitCode.runtime)
        }
    }

    /// The directory for commands that only read it: a missing file is an error, never an empty
    /// directory created by mistake (a wrong working directory or directory.path).
    func openExistingDirectory(_ configuration: RosterConfiguration) throws -> DirectoryDatabase {
        guard FileManager.default.fileExists(atPath: configuration.directory.path) else {
            throw Failure(
                "there is no directory at \(configuration.directory.path) yet (directory.path in \(configuration.path)); "
                    + "run roster reconcile first, or check the path", exitCode: ExitCode.runtime)
        }
        return try openDirectory(configuration)
    }

    func lockDirectory(_ configuration: RosterConfiguration) throws -> DirectoryLock {
        do {
            return try DirectoryLock(directoryPath: configuration.directory.path)
        } catch {
            throw Failure("\(error)", exitCode: ExitCode.runtime)
        }
    }
}

/// A failure to report as one sentence on stderr with its exit code.
struct Failure: Error, CustomStringConvertible {
    var description: String
    var exitCode: Int32

    init(_ description: String, exitCode: Int32) {
        self.description = description
        self.exitCode = exitCode
    }
}

/// Writes command output; stdout for results, stderr for problems.
enum Console {
    /// `text` and, unless it ends with one, a line break. Written from the string's own bytes:
    /// a first sync's plan text is 12 MB at 100,000 users, and a copy for the line break and
    /// another into `Data` cost more than writing it.
    static func out(_ text: String) {
        write(text, to: .standardOutput)
        if !text.hasSuffix("\n") { write("\n", to: .standardOutput) }
    }

    private static func write(_ text: String, to handle: FileHandle) {
        var text = text
        text.withUTF8 { bytes in
            guard let start = bytes.baseAddress else { return }
            handle.write(
                Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: start), count: bytes.count, deallocator: .none))
        }
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data(("roster: " + text + (text.hasSuffix("\n") ? "" : "\n")).utf8))
    }

    static func json(_ value: JSONValue) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
        let data = (try? encoder.encode(value)) ?? Data("null".utf8)
        out(String(decoding: data, as: UTF8.self))
    }
}
