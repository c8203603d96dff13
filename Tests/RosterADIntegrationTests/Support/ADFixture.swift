import Foundation

/// The domain every test domain controller starts with, as tests assert against it: names,
/// memberships and counts as the DC reports them after loading (see `ADFixture+LDIF` for how).
///
/// Everything Roster reads is under `OU=Roster Test`: people (some disabled, one expired, one
/// without mail, non-ASCII names, a CN with a comma), 2,000 bulk users in one group, nested
/// groups with a cycle, and one user whose primary group is not Domain Users.
enum ADFixture {
    static let realm = "ROSTER.TEST"
    static let dnsDomain = "roster.test"
    static let netbiosDomain = "ROSTER"
    /// The DC's host (and NetBIOS) name.
    static let hostName = "rosterdc"
    static let baseDN = "DC=roster,DC=test"
    static let root = "OU=Roster Test,\(baseDN)"
    static let people = "OU=People,\(root)"
    /// Under `people`: a users search there finds the named people and the bulk ones.
    static let bulk = "OU=Bulk,\(people)"
    static let groups = "OU=Groups,\(root)"
    static let services = "OU=Service Accounts,\(root)"

    /// Every user and group of the domain has this as primary group unless told otherwise; AD
    /// lists none of them in its `member`.
    static let domainUsersDN = "CN=Domain Users,CN=Users,\(baseDN)"
    static let domainUsersRID = 513

    static let administrator = Account(
        dn: "CN=Administrator,CN=Users,\(baseDN)", samAccountName: "Administrator", password: "Roster-Admin-8c1e!")
    /// The account Roster binds with: a plain user with a password that never expires, outside
    /// `people`. Its password is distinctive, so that a test can prove it appears in no output.
    static let serviceAccount = Account(
        dn: "CN=roster-svc,\(services)", samAccountName: "roster-svc", password: "Roster-Bind-7f3a9c!")

    /// An account that can bind.
    struct Account: Sendable {
        var dn: String
        var samAccountName: String
        var password: String
        var userPrincipalName: String { "\(samAccountName)@\(ADFixture.dnsDomain)" }
        /// `ROSTER\name`, the down-level logon name.
        var downLevelName: String { "\(ADFixture.netbiosDomain)\\\(samAccountName)" }
    }

    // MARK: - People

    /// `userAccountControl` values: accounts created without a password need PASSWD_NOTREQD (0x20).
    enum AccountControl {
        static let normal = 0x200
        static let disabled = 0x2
        static let passwordNotRequired = 0x20
        static let passwordNeverExpires = 0x10000
        /// 544.
        static let enabled = normal | passwordNotRequired
    }

    /// 2020-01-01T00:00:00Z as a FILETIME (100 ns since 1601): an account that expired then.
    static let pastExpiry: Int64 = 132_223_104_000_000_000

    struct Person: Sendable {
        var samAccountName: String
        var cn: String
        var givenName: String
        var sn: String
        var mail: String?
        var userAccountControl = AccountControl.enabled
        var accountExpires: Int64?
        var container = ADFixture.people

        /// The CN escaped as RFC 4514 wants (a comma, here).
        var dn: String { "CN=\(cn.replacingOccurrences(of: ",", with: "\\,")),\(container)" }
        var userPrincipalName: String { "\(samAccountName)@\(ADFixture.dnsDomain)" }
        var isDisabled: Bool { userAccountControl & AccountControl.disabled != 0 }
    }

    static let alice = Person(
        samAccountName: "alice", cn: "Alice Archer", givenName: "Alice", sn: "Archer", mail: "alice@roster.test")
    static let bob = Person(
        samAccountName: "bob", cn: "Bob Baker", givenName: "Bob", sn: "Baker", mail: "bob@roster.test")
    static let carol = Person(
        samAccountName: "carol", cn: "Carol Chen", givenName: "Carol", sn: "Chen", mail: "carol@roster.test")
    /// Disabled, with PASSWD_NOTREQD unset (514).
    static let dave = Person(
        samAccountName: "dave", cn: "Dave Dunn", givenName: "Dave", sn: "Dunn", mail: "dave@roster.test",
        userAccountControl: AccountControl.normal | AccountControl.disabled)
    /// Disabled, with PASSWD_NOTREQD set (546).
    static let erin = Person(
        samAccountName: "erin", cn: "Erin Evans", givenName: "Erin", sn: "Evans", mail: "erin@roster.test",
        userAccountControl: AccountControl.enabled | AccountControl.disabled)
    /// Enabled, but `accountExpires` is in the past.
    static let frank = Person(
        samAccountName: "frank", cn: "Frank Fischer", givenName: "Frank", sn: "Fischer", mail: "frank@roster.test",
        accountExpires: pastExpiry)
    static let zoe = Person(
        samAccountName: "zoe", cn: "Zoë Ångström", givenName: "Zoë", sn: "Ångström", mail: "zoe@roster.test")
    /// A non-ASCII sAMAccountName (and UPN) too.
    static let jurgen = Person(
        samAccountName: "jürgen.müller", cn: "Jürgen Müller", givenName: "Jürgen", sn: "Müller",
        mail: "juergen.mueller@roster.test")
    /// "Last, First", as many domains name people: the DN has an escaped comma.
    static let oscar = Person(
        samAccountName: "oscar", cn: "Olsen, Oscar", givenName: "Oscar", sn: "Olsen", mail: "oscar@roster.test")
    /// Her primary group is `research` (see there).
    static let peggy = Person(
        samAccountName: "peggy", cn: "Peggy Parker", givenName: "Peggy", sn: "Parker", mail: "peggy@roster.test")
    /// No `mail`: Roster skips her with a reason.
    static let nina = Person(samAccountName: "nina", cn: "Nina Nomail", givenName: "Nina", sn: "Nomail")

    static let named = [alice, bob, carol, dave, erin, frank, zoe, jurgen, oscar, peggy, nina]

    static let bulkCount = 2000

    /// bulk0001 … bulk2000, all enabled, all in `big`.
    static func bulkPerson(_ index: Int) -> Person {
        let name = String(format: "bulk%04d", index)
        return Person(
            samAccountName: name, cn: name, givenName: "Bulk", sn: String(format: "User %04d", index),
            mail: "\(name)@roster.test", container: bulk)
    }

    static var bulkPeople: [Person] { (1...bulkCount).map(bulkPerson) }
    static var allPeople: [Person] { named + bulkPeople }
    /// The users a subtree search of `people` finds.
    static var userCount: Int { named.count + bulkCount }

    // MARK: - Groups

    struct Group: Sendable {
        var name: String
        /// The `member` values the DC reports: users and groups, direct only.
        var members: [String]
        /// Users in the group only through `primaryGroupID` (AD keeps them out of `member`).
        var primaryMembers: [Person] = []

        var dn: String { "CN=\(name),\(ADFixture.groups)" }
    }

    /// platform-admins ← ml-core ⇄ ml-interns: alice, bob and dave are in platform-admins through
    /// two levels of nesting and a cycle.
    static let platformAdmins = Group(name: "platform-admins", members: ["CN=ml-core,\(groups)"])
    static let mlCore = Group(name: "ml-core", members: [alice.dn, dave.dn, "CN=ml-interns,\(groups)"])
    static let mlInterns = Group(name: "ml-interns", members: [bob.dn, "CN=ml-core,\(groups)"])
    /// Carol is a member; Peggy's primary group it is. AD moved Peggy's `member` link to Domain
    /// Users when her primaryGroupID changed, so `member` lists Carol only.
    static let research = Group(name: "research", members: [carol.dn], primaryMembers: [peggy])
    /// 2,000 members: more than one `member;range=` step of Windows (1,500).
    static let big = Group(name: "big-2000", members: bulkPeople.map(\.dn))

    static let allGroups = [platformAdmins, mlCore, mlInterns, research, big]

    /// The explicit `member` values of Domain Users: only people whose primary group was changed.
    static let domainUsersMembers = [peggy.dn]

    /// The people in `group` through any chain of `member` (not primaryGroupID), cycles allowed.
    static func nestedMembers(of group: Group) -> Set<String> {
        let byDN = Dictionary(uniqueKeysWithValues: allGroups.map { ($0.dn.lowercased(), $0) })
        var people: Set<String> = []
        var seen: Set<String> = []
        var pending = [group]
        while let next = pending.popLast() {
            guard seen.insert(next.dn.lowercased()).inserted else { continue }
            for member in next.members {
                if let inner = byDN[member.lowercased()] { pending.append(inner) } else { people.insert(member) }
            }
        }
        return people
    }
}
