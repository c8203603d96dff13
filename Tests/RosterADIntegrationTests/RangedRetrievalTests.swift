import Foundation
import RosterCore
import RosterTestSupport
import Testing

@testable import RosterLDAP

/// Following `member;range=` windows on a real DC, window by window, and what happens when the
/// next window does not come.
@Suite(.sambaAvailable, .sambaDomainController, .timeLimit(.minutes(5)))
struct RangedRetrievalTests {
    private func connection(_ dc: SambaDomainController) throws -> LDAPConnection {
        let options = ActiveDirectoryReadTests.options(dc)
        let reader = LDAPDirectoryReader(options: options, selectorAttributes: [], normalizer: LDAPDNNormalizer())
        return try reader.connector().connect().connection
    }

    @Test(arguments: [500, 7, nil] as [Int?])
    func windowsAreFollowedToTheEnd(rangeSize: Int?) throws {
        let dc = try SambaDomainController.require()
        let connection = try connection(dc)
        // The first window, of one value, as the server cuts it.
        let request = LDAPSearchRequest(
            purpose: "first window", base: ADFixture.big.dn, filter: "(objectClass=*)",
            attributes: ["member;range=0-0"], pageSize: 0, timeout: .seconds(60), scope: .base)
        var found: DirectoryEntry?
        _ = try PagedSearch(connection: connection, request: request).run { found = $0 }
        let first = try #require(found)
        #expect(first.attributes["member;range=0-0"]?.count == 1)
        let retrieval = RangedRetrieval(connection: connection, rangeSize: rangeSize, timeout: .seconds(60))
        let complete = try retrieval.complete(first)
        #expect(complete.attributes["member;range=0-0"] == nil)
        let members = complete.strings("member")
        #expect(members.count == 2000)
        #expect(Set(members) == Set(ADFixture.big.members))
    }

    @Test func aWindowThatDoesNotComeMakesTheReadIncomplete() throws {
        let dc = try SambaDomainController.require()
        let connection = try connection(dc)
        // The group went away between two windows.
        var first = DirectoryEntry(dn: "CN=gone,\(ADFixture.groups)")
        first.add("member;range=0-499", values: [Array(ADFixture.alice.dn.utf8)])
        let retrieval = RangedRetrieval(connection: connection, rangeSize: 500, timeout: .seconds(60))
        let failure = #expect(throws: LDAPReadFailure.self) { try retrieval.complete(first) }
        #expect(failure?.description.contains("CN=gone") == true, "\(failure?.description ?? "")")

        // A first window that does not start at 0 is not a sequence Roster can finish.
        var late = DirectoryEntry(dn: ADFixture.big.dn)
        late.add("member;range=5-9", values: [])
        #expect(throws: LDAPReadFailure.self) { try retrieval.complete(late) }
    }
}
