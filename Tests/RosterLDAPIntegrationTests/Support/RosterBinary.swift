import Foundation

/// Runs the built `roster` binary as an admin would (after Tests/RosterEndToEndTests).
struct RosterBinary {
    struct Outcome {
        var exitCode: Int32
        var stdout: String
        var stderr: String
        var all: String { stdout + stderr }
    }

    /// The executable built next to the test bundle.
    static var url: URL {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("roster").path),
            folder.path != "/"
        {
            folder.deleteLastPathComponent()
        }
        return folder.appendingPathComponent("roster")
    }

    let workingDirectory: URL

    @discardableResult
    func run(_ arguments: [String]) throws -> Outcome {
        try finish(start(arguments))
    }

    /// Starts the binary without waiting, for tests that act while it runs.
    func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = Self.url
        process.arguments = arguments
        process.currentDirectoryURL = workingDirectory
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "ROSTER_CONFIG")
        process.environment = environment
        process.standardOutput = Pipe()
        process.standardError = Pipe()
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    func finish(_ process: Process) throws -> Outcome {
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
