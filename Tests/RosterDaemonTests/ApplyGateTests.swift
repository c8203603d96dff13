import Foundation
import Synchronization
import Testing

@testable import RosterDaemon

struct ApplyGateTests {
    @Test func anOpenGateRunsTheApplyAndAClosedOneRefusesIt() throws {
        let gate = ApplyGate()
        #expect(try gate.perform { 42 } == 42)
        #expect(gate.close(waitingAtMost: .seconds(1)))
        #expect(throws: ApplyGate.Closed.self) { try gate.perform { Issue.record("applied after the stop") } }
    }

    @Test func closingWaitsForTheApplyUnderWay() throws {
        let gate = ApplyGate()
        let events = Mutex<[String]>([])
        let started = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            try? gate.perform {
                started.signal()
                usleep(300_000)
                events.withLock { $0.append("committed") }
            }
        }
        started.wait()
        #expect(gate.isApplying)
        #expect(gate.close(waitingAtMost: .seconds(5)))
        events.withLock { $0.append("closed") }
        #expect(events.withLock { $0 } == ["committed", "closed"])
    }

    @Test func closingGivesUpAfterTheGracePeriod() {
        let gate = ApplyGate()
        let release = DispatchSemaphore(value: 0)
        let started = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            try? gate.perform {
                started.signal()
                release.wait()
            }
        }
        started.wait()
        #expect(!gate.close(waitingAtMost: .milliseconds(100)))
        release.signal()
    }
}
