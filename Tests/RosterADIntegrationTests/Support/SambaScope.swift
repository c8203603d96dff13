import Testing

/// Starts a DC of its own for each test (each case of a parameterised one) and stops it
/// afterwards, also when the test fails; the test finds it as `SambaDomainController.current`.
/// On a suite, every test in it gets its own.
struct SambaScope: SuiteTrait, TestTrait, TestScoping {
    var isRecursive: Bool { true }

    /// Around each test case only: the suite and the test function as a whole run no DC.
    func scopeProvider(for test: Test, testCase: Test.Case?) -> Self? {
        test.isSuite || testCase == nil ? nil : self
    }

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        await DomainControllerSlots.shared.acquire()
        do {
            let controller = try await SambaDomainController.start()
            defer { controller.stop() }
            try await SambaDomainController.$current.withValue(controller) { try await function() }
        } catch {
            await DomainControllerSlots.shared.release()
            throw error
        }
        await DomainControllerSlots.shared.release()
    }
}

/// How many DCs the tests of one process run at once. Swift Testing starts every test of every
/// suite together; a dozen Samba DCs starting at the same time on two cores, next to the other
/// suites, starve one another. Waiting for a slot suspends the test, it blocks no thread.
actor DomainControllerSlots {
    static let shared = DomainControllerSlots(limit: 3)

    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) {
        free = limit
    }

    func acquire() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty {
            free += 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}

extension Trait where Self == SambaScope {
    /// A Samba AD DC of the test's own, loaded with `ADFixture`. Combine with `.sambaAvailable`.
    static var sambaDomainController: Self { SambaScope() }
}

extension SambaDomainController {
    /// The test's DC; fails the test when it has none (no trait, or Samba could not start).
    static func require() throws -> SambaDomainController {
        try #require(current, "no Samba DC: the test needs the .sambaDomainController trait")
    }
}
