import Foundation
import Testing

@testable import RosterDaemon

#if canImport(Glibc)
    import Glibc
#endif

struct NotifyTests {
    @Test func messagesAreNewlineSeparatedAssignments() {
        #expect(NotifyMessage.ready.description == "READY=1")
        #expect(
            (NotifyMessage.ready + .status("first run under way")).description == "READY=1\nSTATUS=first run under way")
        #expect(NotifyMessage.stopping.description == "STOPPING=1")
        #expect(NotifyMessage.watchdog.description == "WATCHDOG=1")
        #expect(
            NotifyMessage.reloading(monotonicMicroseconds: 123_456).description == "RELOADING=1\nMONOTONIC_USEC=123456")
    }

    @Test func aNewlineInAStatusCannotStartAnotherAssignment() {
        let message = NotifyMessage.status("problem:\nREADY=1")
        #expect(message.description == "STATUS=problem: READY=1")
        #expect(message.fields.count == 1)
    }

    @Test func theWatchdogPingsAtHalfItsPeriodOnlyForItsOwnProcess() {
        #expect(WatchdogSettings.pingInterval(environment: ["WATCHDOG_USEC": "30000000"], pid: 7) == .seconds(15))
        #expect(
            WatchdogSettings.pingInterval(environment: ["WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "7"], pid: 7)
                == .seconds(15))
        #expect(
            WatchdogSettings.pingInterval(environment: ["WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "8"], pid: 7)
                == nil)
        #expect(WatchdogSettings.pingInterval(environment: [:], pid: 7) == nil)
        #expect(WatchdogSettings.pingInterval(environment: ["WATCHDOG_USEC": "0"], pid: 7) == nil)
        #expect(WatchdogSettings.pingInterval(environment: ["WATCHDOG_USEC": "soon"], pid: 7) == nil)
    }

    @Test func withoutNotifySocketNothingIsSent() {
        let notifier = SystemdNotifier(environment: [:])
        #expect(!notifier.isEnabled)
        #expect(notifier.send(.ready) == nil)
    }

    @Test(arguments: [false, true])
    func theNotifierReachesAFileOrAnAbstractSocket(abstract: Bool) throws {
        let name = "roster-notify-\(UUID().uuidString.prefix(8))"
        let path = abstract ? "@" + name : FileManager.default.temporaryDirectory.path + "/\(name).sock"
        let receiver = try DatagramReceiver(path: path)
        defer { receiver.close() }
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": path])
        #expect(notifier.isEnabled)
        #expect(notifier.send(.ready + .status("ok")) == nil)
        #expect(receiver.receive() == "READY=1\nSTATUS=ok")
    }

    @Test func anUnusableNotifySocketIsReportedNotFatal() {
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": "/" + String(repeating: "x", count: 200)])
        #expect(!notifier.isEnabled)
        #expect(notifier.problem?.contains("at most 107") == true)
        let missing = SystemdNotifier(environment: ["NOTIFY_SOCKET": "/nonexistent/notify.sock"])
        #expect(missing.send(.ready)?.description.contains("/nonexistent/notify.sock") == true)
    }
}

/// A datagram socket bound where the notifier sends, as systemd's would be.
struct DatagramReceiver {
    let descriptor: Int32
    let path: String

    init(path: String) throws {
        self.path = path
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        let address = try UnixSocketAddress(path)
        let bound = address.withSocketAddress { bind(descriptor, $0, $1) }
        guard bound == 0 else { throw SocketError("bind", path: path) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    func receive() -> String? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        return count >= 0 ? String(decoding: buffer[..<count], as: UTF8.self) : nil
    }

    func close() {
        Glibc.close(descriptor)
        if !path.hasPrefix("@") { unlink(path) }
    }
}
