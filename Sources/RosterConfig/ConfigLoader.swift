import Foundation
import RosterCore

/// Reads `roster.yaml` into a `RosterConfiguration`, or explains everything wrong with it.
public enum ConfigLoader {
    /// Reads and checks the file at `path`.
    ///
    /// - Parameters:
    ///   - path: The configuration file; used as written in every message.
    ///   - dnNormalizer: Normalises group DNs of `group:` selectors and checks DNs are valid.
    ///   - workingDirectory: What relative paths in the file (and `path` itself) are relative to.
    /// - Throws: `ConfigError` with one `PATH:LINE:COL: message` per problem, or one sentence
    ///   when the file cannot be read.
    public static func load(
        path: String, dnNormalizer: any DNNormalizing,
        workingDirectory: String = FileManager.default.currentDirectoryPath
    ) throws -> RosterConfiguration {
        let text = try readFile(path, workingDirectory: workingDirectory)
        return try loadText(text, path: path, dnNormalizer: dnNormalizer, workingDirectory: workingDirectory)
    }

    /// Checks configuration `text` as if read from `path` (for tests and for `config check` of stdin).
    ///
    /// - Throws: `ConfigError` listing every problem found, in file order.
    public static func loadText(
        _ text: String, path: String, dnNormalizer: any DNNormalizing,
        workingDirectory: String = FileManager.default.currentDirectoryPath
    ) throws -> RosterConfiguration {
        let document: YAMLDocument
        do {
            document = try YAMLDocument.parse(text)
        } catch {
            throw ConfigError(path: path, problems: [error])
        }
        let reader = ConfigReader(path: path, workingDirectory: workingDirectory, dnNormalizer: dnNormalizer)
        reader.add(document.problems)
        guard let root = document.root, !root.isNull else {
            throw ConfigError(
                path: path,
                problems: [
                    YAMLProblem(
                        mark: YAMLMark(line: 1, column: 1),
                        message: "the file holds no settings; start from the example in the README")
                ])
        }
        let read = reader.configuration(root)
        guard reader.problems.isEmpty, var configuration = read else {
            throw ConfigError(path: path, problems: reader.problems)
        }
        configuration.canonicalSettings = root.canonicalText
        return configuration
    }

    /// The file's text, or one sentence saying why it cannot be had.
    static func readFile(_ path: String, workingDirectory: String) throws -> String {
        let absolute = path.hasPrefix("/") ? path : workingDirectory + "/" + path
        var info = stat()
        guard stat(absolute, &info) == 0 else {
            let reason = String(cString: strerror(errno)).lowercased()
            let hint = errno == ENOENT ? "; create it or pass --config PATH" : ""
            throw ConfigError(messages: ["cannot read the configuration file \(path): \(reason)\(hint)"])
        }
        guard (info.st_mode & S_IFMT) != S_IFDIR else {
            throw ConfigError(messages: ["the configuration file \(path) is a directory; pass the YAML file inside it"])
        }
        guard let data = FileManager.default.contents(atPath: absolute) else {
            throw ConfigError(
                messages: ["cannot read the configuration file \(path): permission denied for uid \(geteuid())"])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(messages: ["the configuration file \(path) is not UTF-8 text; save it as UTF-8"])
        }
        return text
    }
}
