import Foundation

/// Runs the built `roster` binary as an admin would, in a working directory of the test's own.
/// Shared by the end-to-end and integration test targets.
public struct RosterBinary: Sendable {
    public struct Outcome: Sendable {
        public var exitCode: Int32
        public var stdout: String
        public var stderr: String
        /// Both streams, for messages that may go to either.
        public var all: String { stdout + stderr }
    }

    /// The executable built next to the test bundle.
    public static var url: URL {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("roster").path),
            folder.path != "/"
        {
            folder.deleteLastPathComponent()
        }
        return folder.appendingPathComponent("roster")
    }

    public let workingDirectory: URL

    public init(workingDirectory: URL) {
        self.workingDirectory = workingDirectory
    }

    @discardableResult
    public func run(_ arguments: [String], stdin: String? = nil) throws -> Outcome {
        let process = try start(arguments)
        return try finish(process, stdin: stdin)
    }

    /// Starts the binary without waiting, for tests that kill it.
    public func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = Self.url
        process.arguments = arguments
        process.currentDirectoryURL = workingDirectory
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "ROSTER_CONFIG")
        process.environment = environment
        process.standardOutput = Pipe()
        process.standardError = Pipe()
        process.standardInput = Pipe()
        try process.run()
        return process
    }

    public func finish(_ process: Process, stdin: String? = nil) throws -> Outcome {
        let input = (process.standardInput as! Pipe).fileHandleForWriting
        if let stdin { input.write(Data(stdin.utf8)) }
        try input.close()
        // Read both pipes to the end before waiting, so a large output cannot block the child.
        let stdoutPipe = process.standardOutput as! Pipe
        let stderrPipe = process.standardError as! Pipe
        let group = DispatchGroup()
        nonisolated(unsafe) var errorData = Data()
        group.enter()
        DispatchQueue.global().async {
            errorData = stderrPipe.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outputData = stdoutPipe.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Outcome(
            exitCode: process.terminationStatus, stdout: String(decoding: outputData, as: UTF8.self),
            stderr: String(decoding: errorData, as: UTF8.self))
    }
}
