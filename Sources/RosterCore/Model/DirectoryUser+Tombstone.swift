import Foundation

extension DirectoryUser {
    /// The tombstone this user becomes when deleted, by sync or by an admin.
    ///
    /// The row and its id stay (shown as "Deleted User", never reused); the email, username,
    /// names, identities and grants go, so that a returning person gets a new account that
    /// inherits nothing (SPEC §2).
    public func tombstone(at now: Date, by actor: DeactivationActor = .sync) -> DirectoryUser {
        var after = self
        after.status = .deleted
        after.username = ""
        after.email = ""
        after.firstName = ""
        after.lastName = ""
        after.identities = []
        after.assignments = []
        after.deactivatedAt = deactivatedAt ?? now
        after.deactivatedBy = deactivatedBy ?? actor
        return after
    }
}
