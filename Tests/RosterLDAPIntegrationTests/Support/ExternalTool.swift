import Foundation

/// Runs a command-line tool of the test machine (slapadd, ldapmodify, openssl) to its end.
struct ExternalTool {
    struct Outcome {
        var exitCode: Int32
        var output: String
    }

    struct Missing: Error, CustomStringConvertible {
        var description: String
    }

    struct Failed: Error, CustomStringConvertible {
        var description: String
    }

    let path: String

    /// Fails with a message that says how to install the tool when it is not there. A missing
    /// server is a failure, never a skip, in CI and out of it (SPEC §9).
    init(_ path: String) throws {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw Missing(
                description: "\(path) is not installed; the LDAP integration tests start their own slapd:"
                    + " run scripts/install-deps --test (Debian packages slapd ldap-utils openssl)")
        }
        self.path = path
    }

    /// Runs the tool with `input` on stdin; stdout and stderr together in `output`.
    @discardableResult
    func run(_ arguments: [String], input: String? = nil) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        let stdin = Pipe()
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(exitCode: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    /// Runs the tool and throws unless it exits 0.
    @discardableResult
    func succeed(_ arguments: [String], input: String? = nil) throws -> String {
        let outcome = try run(arguments, input: input)
        guard outcome.exitCode == 0 else {
            throw Failed(
                description: "\(path) \(arguments.joined(separator: " ")) exited \(outcome.exitCode): \(outcome.output)"
            )
        }
        return outcome.output
    }
}
