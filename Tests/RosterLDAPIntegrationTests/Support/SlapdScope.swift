import Testing

/// Starts one slapd for a whole suite and stops it (SIGTERM, wait) when the suite is done; the
/// suite's tests find it as `SlapdServer.current`.
struct SlapdScope: SuiteTrait, TestScoping {
    /// The syncprov overlay, for suites that test content synchronisation.
    var syncprov: SlapdConfiguration.Syncprov?

    /// Once around the suite, not around each test: starting and loading a server costs about
    /// a second.
    var isRecursive: Bool { false }

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let server = try SlapdServer.start(syncprov: syncprov)
        defer { server.stop() }
        try await SlapdServer.$current.withValue(server) { try await function() }
    }
}

extension Trait where Self == SlapdScope {
    /// A slapd of the suite's own, loaded with `TestDirectory`.
    static var slapd: Self { SlapdScope() }

    /// A slapd of the suite's own with the syncprov overlay.
    static func slapd(syncprov: SlapdConfiguration.Syncprov) -> Self { SlapdScope(syncprov: syncprov) }
}

extension SlapdServer {
    /// The suite's server; fails the test when the suite has none (or it could not start).
    static func require() throws -> SlapdServer {
        try #require(current, "no slapd: the suite needs the .slapd trait, and slapd must start")
    }
}
