import Foundation
import RosterTestSupport
import Testing

/// The units in systemd/ pass `systemd-analyze verify` (SPEC §7). The check needs the binary
/// that ExecStart= names, so the units are copied with ExecStart= pointing at the built one.
struct SystemdUnitTests {
    static let analyze = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }
    static let units = ["roster.service", "roster-reconcile.service", "roster-reconcile.timer"]

    @Test(.enabled(if: analyze != nil, "systemd-analyze is not installed"))
    func theUnitsPassSystemdAnalyzeVerify() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("roster-units-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for unit in Self.units {
            let source = DemoWorkspace.repositoryRoot.appendingPathComponent("systemd/\(unit)")
            let text = try String(contentsOf: source, encoding: .utf8)
            #expect(text.contains("/usr/local/bin/roster") || unit.hasSuffix(".timer"))
            try text.replacingOccurrences(of: "/usr/local/bin/roster", with: RosterBinary.url.path)
                .write(to: folder.appendingPathComponent(unit), atomically: true, encoding: .utf8)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(Self.analyze))
        process.arguments = ["verify"] + Self.units.map { folder.appendingPathComponent($0).path }
        // Without a running systemd the check still parses and checks every directive.
        process.environment = ProcessInfo.processInfo.environment.merging(["SYSTEMD_LOG_LEVEL": "notice"]) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "systemd-analyze verify:\n\(text)")
        // verify exits 0 on some warnings: none may name our units.
        let complaints = text.split(separator: "\n").filter { line in Self.units.contains { line.contains($0) } }
        #expect(complaints.isEmpty, "\(complaints.joined(separator: "\n"))")
    }

    @Test func theServiceIsHardenedAndNotifiesSystemd() throws {
        let text = try String(
            contentsOf: DemoWorkspace.repositoryRoot.appendingPathComponent("systemd/roster.service"), encoding: .utf8)
        for directive in [
            "Type=notify", "ExecStart=/usr/local/bin/roster daemon", "ExecReload=/bin/kill -HUP $MAINPID",
            "WatchdogSec=", "StateDirectory=roster", "RuntimeDirectory=roster", "LogsDirectory=roster",
            "ConfigurationDirectory=roster", "ProtectSystem=strict", "ProtectHome=yes", "NoNewPrivileges=yes",
            "PrivateTmp=yes", "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6", "SystemCallFilter=@system-service",
            "PrivateDevices=yes", "LockPersonality=yes", "MemoryDenyWriteExecute=yes", "RestrictNamespaces=yes",
            "CapabilityBoundingSet=\n",
        ] {
            #expect(text.contains(directive), "roster.service lacks \(directive)")
        }
    }
}
