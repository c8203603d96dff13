import Foundation
import RosterCore
import Synchronization
import Testing

/// What is handed to `BackgroundRelease` is freed on another thread, not on the one that hands it over.
struct BackgroundReleaseTests {
    /// Where the witness was freed, written by its deinit.
    private final class Outcome: Sendable {
        let freedOnCaller = Mutex<Bool?>(nil)
        let freed = DispatchSemaphore(value: 0)
    }

    private final class Witness: Sendable {
        let caller: pthread_t
        let outcome: Outcome

        init(caller: pthread_t, outcome: Outcome) {
            self.caller = caller
            self.outcome = outcome
        }

        deinit {
            let onCaller = pthread_equal(pthread_self(), caller) != 0
            outcome.freedOnCaller.withLock { $0 = onCaller }
            outcome.freed.signal()
        }
    }

    private struct Leftovers {
        var witnesses: [Witness]
        var label: String
    }

    @Test func theLastReferenceGoesOnAnotherThread() {
        let outcome = Outcome()
        let leftovers = Leftovers(
            witnesses: [Witness(caller: pthread_self(), outcome: outcome)], label: "a first sync's plan")
        BackgroundRelease.release(consume leftovers)
        #expect(outcome.freed.wait(timeout: .now() + 10) == .success)
        #expect(outcome.freedOnCaller.withLock { $0 } == false)
    }
}
