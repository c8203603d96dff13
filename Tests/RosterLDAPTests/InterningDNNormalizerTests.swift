import RosterCore
import Synchronization
import Testing

@testable import RosterLDAP

struct InterningDNNormalizerTests {
    /// Counts what reaches the normaliser it stands in front of.
    final class CountingNormalizer: DNNormalizing {
        let calls = Mutex<[String]>([])
        func normalize(_ dn: String) throws -> String {
            calls.withLock { $0.append(dn) }
            return try LDAPDNNormalizer().normalize(dn)
        }
    }

    @Test func eachDistinctTextIsNormalisedOnceAndGivesTheSameResult() throws {
        let counting = CountingNormalizer()
        let interning = InterningDNNormalizer(wrapping: counting)
        let texts = ["UID=Ann,OU=People", "uid=bob,ou=people", "UID=Ann,OU=People", "uid=ann,ou=people"]
        for text in texts {
            #expect(try interning.normalize(text) == LDAPDNNormalizer().normalize(text))
        }
        // Two spellings of one DN are two texts: the cache is by what the server sent.
        #expect(counting.calls.withLock { $0 } == ["UID=Ann,OU=People", "uid=bob,ou=people", "uid=ann,ou=people"])
    }

    @Test func anInvalidDNStillThrowsEveryTime() {
        let interning = InterningDNNormalizer(wrapping: LDAPDNNormalizer())
        #expect(throws: (any Error).self) { try interning.normalize("not a dn") }
        #expect(throws: (any Error).self) { try interning.normalize("not a dn") }
    }
}
