import Foundation
import Testing

@testable import RosterLDAP

/// AD's binary and numeric conventions: SIDs, ranged attribute windows, account expiry,
/// primary groups. No server needed.
struct ActiveDirectoryValueTests {
    /// S-1-5-21-1004336348-1177238915-682003330-513 as AD stores it.
    static let domainUsersSID: [UInt8] =
        [1, 5, 0, 0, 0, 0, 0, 5, 21, 0, 0, 0] + le(1_004_336_348) + le(1_177_238_915) + le(682_003_330) + le(513)

    static func le(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }

    @Test func securityIdentifiersReadAsText() {
        #expect(
            AttributeValue.securityIdentifier(Self.domainUsersSID)
                == "S-1-5-21-1004336348-1177238915-682003330-513")
        #expect(AttributeValue.securityIdentifier([1, 1, 0, 0, 0, 0, 0, 5] + Self.le(18)) == "S-1-5-18")
        #expect(AttributeValue.securityIdentifier([1, 2, 0, 0, 0, 0, 0, 5] + Self.le(18)) == nil)  // short
        #expect(AttributeValue.securityIdentifier([2, 0, 0, 0, 0, 0, 0, 5]) == nil)  // revision
        #expect(AttributeValue.display(Self.domainUsersSID, attribute: "objectSid").hasPrefix("S-1-5-21-"))
    }

    @Test func rangedAttributeWindows() throws {
        let first = try #require(RangedAttribute(key: "member;range=0-1499"))
        #expect(first == RangedAttribute(key: "Member;Range=0-1499"))
        #expect(first.attribute == "member" && first.low == 0 && first.high == 1499 && !first.isLast)
        let last = try #require(RangedAttribute(key: "member;range=1500-*"))
        #expect(last.isLast && last.low == 1500)
        #expect(RangedAttribute(key: "member;lang-en;range=0-9")?.attribute == "member;lang-en")
        #expect(RangedAttribute(key: "member") == nil)
        #expect(RangedAttribute(key: "member;range=9-1") == nil)
        #expect(RangedAttribute(key: "member;range=a-*") == nil)
        #expect(RangedAttribute(key: ";range=0-*") == nil)
        #expect(RangedAttribute.request("member", from: 500, size: 500) == "member;range=500-999")
        #expect(RangedAttribute.request("member", from: 1500, size: nil) == "member;range=1500-*")
    }

    @Test func accountExpiry() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        func entry(_ value: String) -> DirectoryEntry {
            DirectoryEntry(dn: "cn=a,dc=x", attributes: ["accountExpires": [Array(value.utf8)]])
        }
        // 1970-01-01 in 100 ns ticks since 1601.
        let unixEpoch: Int64 = 116_444_736_000_000_000
        #expect(ActiveDirectoryAccount.expiry(ticks: unixEpoch) == Date(timeIntervalSince1970: 0))
        #expect(ActiveDirectoryAccount.hasExpired(entry(String(unixEpoch + 10_000_000)), at: now))
        let later = unixEpoch + 1_900_000_000 * 10_000_000
        #expect(!ActiveDirectoryAccount.hasExpired(entry(String(later)), at: now))
        #expect(!ActiveDirectoryAccount.hasExpired(entry("0"), at: now))
        #expect(!ActiveDirectoryAccount.hasExpired(entry("9223372036854775807"), at: now))
        #expect(!ActiveDirectoryAccount.hasExpired(DirectoryEntry(dn: "cn=a,dc=x"), at: now))
    }

    @Test func primaryGroupSIDIsTheDomainSIDWithThePrimaryGroupID() {
        var userSID = Array(Self.domainUsersSID.dropLast(4)) + Self.le(1105)
        var entry = DirectoryEntry(
            dn: "cn=a,dc=x", attributes: ["objectSid": [userSID], "primaryGroupID": [Array("513".utf8)]])
        #expect(ActiveDirectoryAccount.primaryGroupSID(entry) == "S-1-5-21-1004336348-1177238915-682003330-513")
        userSID = [1]
        entry = DirectoryEntry(dn: "cn=a,dc=x", attributes: ["objectSid": [userSID], "primaryGroupID": [[0x35]]])
        #expect(ActiveDirectoryAccount.primaryGroupSID(entry) == nil)
    }

    @Test func binaryFilterValuesAreEscapedByteByByte() {
        #expect(LDAPDirectoryReader.escaped([0x00, 0x2a, 0xff, 0x28]) == "\\00\\2a\\ff\\28")
    }
}
