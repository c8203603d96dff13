import Foundation
import RosterTestSupport
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// `roster daemon` on a demo workspace, as systemd would start it: `$NOTIFY_SOCKET` pointing at a
/// listener of the test's own, stderr (the journal) in a file. Kill it in a `defer`.
final class DaemonProcess {
    let demo: DemoWorkspace
    let process: Process
    let notify: NotifyListener
    let logFile: URL
    /// When the process ended, as seen by the thread that reaped it (not by a test that polls late).
    private let exitTime = ExitTime()

    /// Starts the daemon; `environment` adds to (or overrides) the test's own.
    init(_ demo: DemoWorkspace, notifySocket: String? = nil, environment: [String: String] = [:]) throws {
        self.demo = demo
        let socketPath = notifySocket ?? demo.root.appendingPathComponent("notify.sock").path
        notify = try NotifyListener(path: socketPath)
        logFile = demo.root.appendingPathComponent("daemon-\(UUID().uuidString.prefix(6)).log")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        process = Process()
        process.executableURL = RosterBinary.url
        process.arguments = ["--config", demo.config.path, "daemon"]
        process.currentDirectoryURL = demo.root
        var merged = ProcessInfo.processInfo.environment
        merged.removeValue(forKey: "ROSTER_CONFIG")
        merged["NOTIFY_SOCKET"] = socketPath
        for (key, value) in environment { merged[key] = value }
        process.environment = merged
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: logFile)
        process.standardInput = FileHandle.nullDevice
        process.terminationHandler = { [exitTime] _ in exitTime.record() }
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }

    /// What the daemon logged so far.
    var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    /// Waits for `READY=1`; false when the daemon exited or took longer than `timeout`.
    func waitUntilReady(timeout: TimeInterval = 30) async -> Bool {
        await notify.wait(for: timeout) { $0.split(separator: "\n").contains("READY=1") } != nil
    }

    /// Waits for the `STATUS=last run …` of a run that ended after `skipping` earlier messages.
    @discardableResult
    func waitForRun(after skipping: Int = 0, timeout: TimeInterval = 30) async -> String? {
        await notify.wait(for: timeout, after: skipping) { $0.hasPrefix("STATUS=last run") }
    }

    /// Polls `condition` every 100 ms up to `timeout` seconds, sleeping without holding a thread.
    func eventually(_ timeout: TimeInterval, _ condition: () throws -> Bool) async rethrows -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            if try condition() { return true }
            try? await Task.sleep(for: .milliseconds(100))
        } while Date() < deadline
        return try condition()
    }

    func send(_ signal: Int32) { kill(pid, signal) }

    /// Seconds from `start` to the process's end, once it has ended.
    func secondsToExit(since start: Date) -> Double? {
        exitTime.value.map { $0.timeIntervalSince(start) }
    }

    /// The exit status once the process has ended, or nil if it still runs after `timeout`.
    func waitForExit(timeout: TimeInterval) async -> Int32? {
        let ended = await eventually(timeout) { !process.isRunning }
        guard ended else { return nil }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Sends one JSON line to the control socket at `socket` and returns the answer line.
    static func controlRequest(_ line: String, socket path: String) throws -> String {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard connected == 0 else { throw CocoaError(.fileReadNoSuchFile, userInfo: ["path": path]) }
        let request = Array((line + "\n").utf8)
        _ = request.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        var answer: [UInt8] = []
        var byte: UInt8 = 0
        while read(descriptor, &byte, 1) == 1, byte != UInt8(ascii: "\n") { answer.append(byte) }
        return String(decoding: answer, as: UTF8.self)
    }

    /// Kills the daemon if it still runs and closes the listener; safe to call twice.
    func terminate() {
        if process.isRunning {
            kill(pid, SIGKILL)
            process.waitUntilExit()
        }
        notify.close()
    }
}

extension DemoWorkspace {
    /// Adds a `daemon:` section to the workspace's configuration (a short interval, a metrics file).
    func configureDaemon(interval: String = "2s", extra: String = "") throws {
        let text = try String(contentsOf: config, encoding: .utf8)
        let section = "\ndaemon:\n  interval: \(interval)\n  metrics_file: roster-demo/roster.prom\n" + extra
        try (text + section).write(to: config, atomically: true, encoding: .utf8)
    }

    var metricsFile: URL { root.appendingPathComponent("roster-demo/roster.prom") }

    func configText() throws -> String { try String(contentsOf: config, encoding: .utf8) }

    func writeConfig(_ text: String) throws { try text.write(to: config, atomically: true, encoding: .utf8) }

    func listedUser(_ email: String) throws -> [String: Any]? {
        try usersJSON().first { ($0["email"] as? String) == email }
    }
}

/// The moment a process ended, written by Foundation's reaping thread.
final class ExitTime: Sendable {
    private let time = Mutex<Date?>(nil)

    func record() { time.withLock { $0 = Date() } }

    var value: Date? { time.withLock { $0 } }
}
