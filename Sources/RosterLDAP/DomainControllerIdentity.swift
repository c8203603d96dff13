/// Which Active Directory domain controller answered, and how far its changes go: its
/// database's `invocationId` (a new one after a restore from backup) and its
/// `highestCommittedUSN`. A DirSync cookie is only trusted on the DC, and the database
/// incarnation, that issued it, and only while the DC's USN has not gone back.
struct DomainControllerIdentity: Codable, Equatable {
    var invocationID: String
    var highestCommittedUSN: Int64
    /// The domain's naming context (`DC=example,DC=com`), where DirSync searches.
    var namingContext: String

    /// Reads the rootDSE and the DC's NTDS Settings object.
    static func read(on connection: LDAPConnection, timeout: Duration) throws(LDAPReadFailure) -> Self {
        let root = try EntryRead.entry(
            "", attributes: ["dsServiceName", "highestCommittedUSN", "defaultNamingContext"], on: connection,
            timeout: timeout)
        guard let service = root?.string("dsServiceName"),
            let usn = root?.string("highestCommittedUSN").flatMap({ Int64($0) }),
            let namingContext = root?.string("defaultNamingContext")
        else {
            throw LDAPReadFailure(
                "\(connection.url): the rootDSE has no dsServiceName, highestCommittedUSN or defaultNamingContext;"
                    + " is this an Active Directory domain controller? (flavor: active-directory)")
        }
        let settings = try EntryRead.entry(service, attributes: ["invocationId"], on: connection, timeout: timeout)
        guard let bytes = settings?.values("invocationId").first, let invocation = AttributeValue.guid(bytes) else {
            throw LDAPReadFailure("\(connection.url): cannot read the invocationId of \"\(service)\"")
        }
        return Self(invocationID: invocation, highestCommittedUSN: usn, namingContext: namingContext)
    }

    /// Why a cookie taken on `self` cannot be used on `now`, or nil when it can.
    func mismatch(with now: Self) -> String? {
        if now.invocationID != invocationID {
            return "the domain controller is another one, or was restored (invocationId \(invocationID) then,"
                + " \(now.invocationID) now)"
        }
        if now.highestCommittedUSN < highestCommittedUSN {
            return "the domain controller's highestCommittedUSN went back from \(highestCommittedUSN) to"
                + " \(now.highestCommittedUSN) (restored)"
        }
        return nil
    }
}
