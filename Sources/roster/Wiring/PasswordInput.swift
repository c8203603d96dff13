import Foundation
import RosterCore

#if canImport(Glibc)
    import Glibc
#endif

/// Reads a password the ways SPEC §5 allows: from stdin (a pipe, or a terminal with echo off)
/// or from a file only its owner can read; never from an argument, where `ps` and shell
/// history would show it.
enum PasswordInput {
    static let stdinOption = "--password-stdin"
    static let fileOption = "--password-file"

    /// The password `arguments` point at, or nil when neither option was given. A new password
    /// (`isNew`) is checked against `PasswordPolicy` and, typed on a terminal, asked twice.
    static func read(_ arguments: ParsedArguments, isNew: Bool) throws -> String? {
        let file = arguments.value(fileOption)
        if arguments.flag(stdinOption) && file != nil {
            throw UsageError("\(arguments.commandPath): give \(stdinOption) or \(fileOption), not both")
        }
        let password: String
        if let file {
            password = try readFile(file)
        } else if arguments.flag(stdinOption) {
            password = try readStandardInput(confirm: isNew)
        } else {
            return nil
        }
        if isNew, let problem = PasswordPolicy.problem(password) { throw UsageError(problem) }
        return password
    }

    /// Stdin to its end (a pipe), or one line typed with echo off (a terminal).
    static func readStandardInput(confirm: Bool) throws -> String {
        guard isatty(STDIN_FILENO) == 1 else {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            guard let text = String(data: data, encoding: .utf8) else {
                throw UsageError("the password on stdin is not UTF-8 text")
            }
            return PasswordPolicy.fromInput(text)
        }
        let first = try promptSilently("Password: ")
        if confirm, try promptSilently("Password again: ") != first {
            throw Failure("the two passwords differ; nothing was changed", exitCode: ExitCode.usage)
        }
        return first
    }

    static func readFile(_ path: String) throws -> String {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw Failure(
                "cannot read the password file \(path): \(String(cString: strerror(errno)))", exitCode: ExitCode.usage)
        }
        // The rule for every secret file (SPEC §3): a copy others can read is a leaked password.
        if Int(info.st_mode) & 0o044 != 0 {
            throw Failure(
                "the password file \(path) is readable by group or others; run chmod 600 \(path)",
                exitCode: ExitCode.usage)
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else {
            throw Failure("cannot read the password file \(path) as UTF-8 text", exitCode: ExitCode.usage)
        }
        return PasswordPolicy.fromInput(text)
    }

    /// One line from the terminal with echo off, restored afterwards even on failure.
    private static func promptSilently(_ prompt: String) throws -> String {
        FileHandle.standardError.write(Data(prompt.utf8))
        var saved = termios()
        let canSilence = tcgetattr(STDIN_FILENO, &saved) == 0
        if canSilence {
            var silent = saved
            silent.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent)
        }
        defer {
            if canSilence { tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved) }
            FileHandle.standardError.write(Data("\n".utf8))
        }
        guard let line = readLine(strippingNewline: true) else {
            throw Failure("no password was typed; nothing was changed", exitCode: ExitCode.usage)
        }
        return line
    }
}
