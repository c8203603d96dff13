import Foundation

/// Runs the built `roster` binary as an admin would, in a working directory of the test's own.
struct RosterBinary {
    struct Outcome {
        var exitCode: Int32
        var stdout: String
        var stderr: String
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
    func run(_ arguments: [String], stdin: String? = nil) throws -> Outcome {
        let process = try start(arguments)
        return try finish(process, stdin: stdin)
    }

    /// Starts the binary without waiting, for tests that kill it.
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
        process.standardInput = Pipe()
        try process.run()
        return process
    }

    func finish(_ process: Process, stdin: String? = nil) throws -> Outcome {
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

/// A throwaway copy of the demo (config/demo) in a temp folder, laid out as in the repository so
/// that the demo's relative paths work with the folder as working directory.
struct DemoWorkspace {
    let root: URL
    let roster: RosterBinary

    static var repositoryRoot: URL {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url
    }

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("roster-e2e-\(UUID().uuidString)")
        let demo = root.appendingPathComponent("config/demo")
        try FileManager.default.createDirectory(at: demo.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.repositoryRoot.appendingPathComponent("config/demo"), to: demo)
        roster = RosterBinary(workingDirectory: root)
    }

    var ldif: URL { root.appendingPathComponent("config/demo/directory.ldif") }
    var config: URL { root.appendingPathComponent("config/demo/roster.yaml") }
    var database: URL { root.appendingPathComponent("roster-demo/roster.db") }
    var auditMirror: URL { root.appendingPathComponent("roster-demo/audit.jsonl") }

    /// Runs `roster --config <demo config> ARGS…`.
    @discardableResult
    func run(_ arguments: [String], stdin: String? = nil) throws -> RosterBinary.Outcome {
        try roster.run(["--config", config.path] + arguments, stdin: stdin)
    }

    func readLDIF() throws -> String { try String(contentsOf: ldif, encoding: .utf8) }

    func writeLDIF(_ text: String) throws { try text.write(to: ldif, atomically: true, encoding: .utf8) }

    /// The LDIF without the entry whose DN starts with `rdn` (and without that DN in member lists).
    func removingEntry(_ rdn: String, from text: String) -> String {
        let records = text.components(separatedBy: "\n\n")
        let kept = records.filter { record in
            !record.split(separator: "\n").contains { $0.lowercased().hasPrefix("dn: \(rdn.lowercased()),") }
        }
        return kept.map { record in
            record.split(separator: "\n", omittingEmptySubsequences: false)
                .filter { !$0.lowercased().hasPrefix("member: \(rdn.lowercased()),") }
                .joined(separator: "\n")
        }.joined(separator: "\n\n")
    }

    func usersJSON() throws -> [[String: Any]] {
        let outcome = try run(["users", "list", "--all", "--format", "json"])
        let object = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any]
        return object?["users"] as? [[String: Any]] ?? []
    }

    func remove() { try? FileManager.default.removeItem(at: root) }
}
