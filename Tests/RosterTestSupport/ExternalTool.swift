import Foundation

/// Runs a command-line tool of the test machine (slapadd, ldapmodify, openssl, samba-tool) to its end.
public struct ExternalTool: Sendable {
    public struct Outcome: Sendable {
        public var exitCode: Int32
        public var output: String
    }

    public struct Missing: Error, CustomStringConvertible {
        public var description: String

        public init(description: String) {
            self.description = description
        }
    }

    public struct Failed: Error, CustomStringConvertible {
        public var description: String

        public init(description: String) {
            self.description = description
        }
    }

    public let path: String
    /// Variables set for the tool on top of the test process's environment.
    public var environment: [String: String] = [:]

    /// Fails with a message that says how to install the tool when it is not there: a missing
    /// server fails the test that needs it (SPEC §9).
    public init(_ path: String) throws {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw Missing(
                description: "\(path) is not installed; the integration tests start their own servers:"
                    + " run scripts/install-deps --test")
        }
        self.path = path
    }

    /// Runs the tool with `input` on stdin; stdout and stderr together in `output`.
    @discardableResult
    public func run(_ arguments: [String], input: String? = nil) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
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
    public func succeed(_ arguments: [String], input: String? = nil) throws -> String {
        let outcome = try run(arguments, input: input)
        guard outcome.exitCode == 0 else {
            throw Failed(
                description: "\(path) \(arguments.joined(separator: " ")) exited \(outcome.exitCode): \(outcome.output)"
            )
        }
        return outcome.output
    }
}
