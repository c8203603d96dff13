import Foundation
import RosterCore
import Testing

@testable import RosterStore

/// Directory users found by their keys: touched planning's lookup (the users not deleted that
/// have any of the ids, identities, emails or usernames asked for, each once), and the user an
/// admin names.
struct DirectoryLookupTests {
    @Test func usersAreFoundByIdIdentityEmailAndUsername() throws {
        try withDatabase { (database, _) throws in
            _ = try database.apply(Fixtures.batch(["ann", "bob", "cid"].map { Fixtures.create(Fixtures.newUser($0)) }))
            let stored = Dictionary(uniqueKeysWithValues: try database.loadUsers().map { ($0.username, $0) })
            func names(_ keys: DirectoryKeys) throws -> [String] {
                try database.directoryUsers(matching: keys).map(\.username)
            }

            // A changed entry whose email and username stay: its user, once.
            var keys = DirectoryKeys()
            keys.identities = ["corp": ["uuid-ann"]]
            keys.emailKeys = [EmailAddress.key("Ann@example.com")]
            keys.usernameKeys = ["ann"]
            #expect(try names(keys) == ["ann"])

            // Keys that other users hold find them too.
            keys.emailKeys.insert(EmailAddress.key("BOB@example.com"))
            keys.usernameKeys.insert("cid")
            #expect(try names(keys) == ["ann", "bob", "cid"])

            // By id alone; a key nobody holds finds nobody.
            var byID = DirectoryKeys()
            byID.ids = [stored["bob"]!.id]
            byID.emailKeys = [EmailAddress.key("nobody@example.com")]
            #expect(try names(byID) == ["bob"])

            // A deleted user is found neither by id nor by the email it had.
            var deleted = stored["cid"]!
            deleted.status = .deleted
            _ = try database.apply(
                Fixtures.batch([Fixtures.change(.delete, from: stored["cid"]!, to: deleted)], run: "run-2"))
            var gone = DirectoryKeys()
            gone.ids = [deleted.id]
            gone.emailKeys = [EmailAddress.key("cid@example.com")]
            gone.usernameKeys = ["cid"]
            #expect(try names(gone).isEmpty)
        }
    }

    /// `users show`, `sessions`, `check-password` and `audit list --user` find the user by the
    /// store's indexes, as `UserReference` finds it among every user.
    @Test func aUserIsFoundByReferenceAsAmongAllUsers() throws {
        try withDatabase { (database, _) throws in
            _ = try database.apply(Fixtures.batch(["ann", "bob", "cid"].map { Fixtures.create(Fixtures.newUser($0)) }))
            var cid = try #require(try database.user(username: "cid"))
            let before = cid
            cid.status = .deleted
            _ = try database.apply(Fixtures.batch([Fixtures.change(.delete, from: before, to: cid)], run: "run-2"))
            let all = try database.loadUsers()
            let references = [
                "1", "\(cid.id)", "ANN@example.com", "bob", "BOB", "Bob@Example.com", "cid", "cid@example.com", "",
                "999", "nobody", "0",
            ]
            for reference in references {
                let expected = (try? UserReference.find(reference, in: all))?.id
                #expect(try database.user(reference: reference)?.id == expected, "reference \"\(reference)\"")
            }
            #expect(try database.user(reference: "\(cid.id)")?.status == .deleted)
        }
    }
}
