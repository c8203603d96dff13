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
        let controller = try await SambaDomainController.start()
        defer { controller.stop() }
        try await SambaDomainController.$current.withValue(controller) { try await function() }
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
