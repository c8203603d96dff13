import Synchronization
import Testing

@testable import RosterDaemon

struct DaemonLoggerTests {
    @Test(arguments: [
        (DaemonLogger.Level.error, "<3>"), (.warning, "<4>"), (.notice, "<5>"), (.info, "<6>"), (.debug, "<7>"),
    ])
    func eachLineStartsWithItsSyslogPriority(level: DaemonLogger.Level, prefix: String) {
        #expect(DaemonLogger.line(level, "hello") == prefix + "hello\n")
    }

    @Test func oneEventIsOneLineWhateverItHolds() {
        let line = DaemonLogger.line(.error, "roster.yaml:3:5: bad\nroster.yaml:9:1: worse", metadata: ["k": "a\nb"])
        #expect(line == "<3>roster.yaml:3:5: bad | roster.yaml:9:1: worse k=\"a | b\"\n")
    }

    @Test func metadataIsSortedQuotedAndSecretsAreRedacted() {
        let line = DaemonLogger.line(
            .info, "bound", metadata: ["url": "ldaps://dc1", "bind_password": "hunter2", "note": "two words", "x": ""])
        #expect(line == "<6>bound bind_password=<redacted> note=\"two words\" url=ldaps://dc1 x=\"\"\n")
        #expect(!line.contains("hunter2"))
    }

    @Test func linesBelowTheMinimumLevelAreDropped() {
        let lines = Lines()
        let logger = DaemonLogger(minimumLevel: .notice, sink: { lines.append($0) })
        logger.info("quiet")
        logger.debug("quieter")
        logger.warning("loud")
        #expect(lines.all == ["<4>loud\n"])
        #expect(DaemonLogger.Level(name: "DEBUG") == .debug)
        #expect(DaemonLogger.Level(name: "chatty") == nil)
    }
}

/// Collects log lines from any thread.
final class Lines: Sendable {
    private let storage = Mutex<[String]>([])
    func append(_ line: String) { storage.withLock { $0.append(line) } }
    var all: [String] { storage.withLock { $0 } }
}
