import CLDAP

/// One DirSync read (MS-ADTS 3.1.1.3.4.1.3): rounds of the same search with the DirSync control
/// until the server says no more changes wait. It names the objects (users and groups) changed
/// since the cookie by `objectGUID`, and those deleted (`isDeleted: TRUE`); their current state
/// is read afterwards with the source's own searches, so that filters, bases and ranged member
/// lists apply exactly as in a full read.
struct DirSyncSearch {
    let connection: LDAPConnection
    /// The root of the naming context holding the users and groups: DirSync searches only there.
    let namingContext: String
    /// The attributes whose changes matter (those the full read requests).
    let attributes: [String]
    let timeout: Duration
    var isCancelled: () -> Bool = { false }

    static let changedObjects = "(|(objectClass=user)(objectClass=group))"
    /// Matches nothing: a round with it only hands out a cookie for "now".
    static let nothing = "(&(objectClass=group)(!(objectClass=group)))"

    struct Result {
        /// `objectGUID` bytes of changed objects, each once, in the order the server sent them.
        var changed: [[UInt8]] = []
        var deleted: Set<[UInt8]> = []
        var cookie: [UInt8] = []
    }

    func run(from cookie: [UInt8], filter: String = changedObjects) throws(DirSyncFailure) -> Result {
        let request = LDAPSearchRequest(
            purpose: "DirSync", base: namingContext, filter: filter,
            attributes: attributes + ["objectGUID", "isDeleted"], pageSize: 0, timeout: timeout)
        let search = PagedSearch(connection: connection, request: request, isCancelled: isCancelled)
        var result = Result(cookie: cookie)
        var seen: Set<[UInt8]> = []
        var rounds = 0
        while true {
            guard !isCancelled() else { throw .read(search.failure("stopped: the run was cancelled")) }
            let control: RequestControl
            do {
                control = try RequestControl.dirSync(cookie: result.cookie, on: connection)
            } catch {
                throw .read(search.failure(error.description))
            }
            var outcome = PagedSearch.Outcome()
            let answer: LDAPOperationResult
            do {
                answer = try search.exchange(controls: [control.control], outcome: &outcome) { entry in
                    guard let guid = entry.values("objectGUID").first, guid.count == 16 else { return }
                    if entry.strings("isDeleted").contains(where: { $0.uppercased() == "TRUE" }) {
                        result.deleted.insert(guid)
                    } else if seen.insert(guid).inserted {
                        result.changed.append(guid)
                    }
                }
            } catch {
                throw .read(error)
            }
            rounds += 1
            if Self.refusalCodes.contains(answer.code), !result.cookie.isEmpty, rounds == 1 {
                throw .refused(answer.message)
            }
            guard answer.isSuccess else { throw .read(search.failure("round \(rounds): \(answer.message)")) }
            let state: (more: Bool, cookie: [UInt8])?
            do {
                state = try answer.controls?.dirSyncState(on: connection)
            } catch {
                throw .read(search.failure(error.description))
            }
            guard let state, !state.cookie.isEmpty else {
                throw .read(search.failure("round \(rounds) came without its DirSync control (cookie)"))
            }
            result.cookie = state.cookie
            if !state.more { return result }
        }
    }

    /// Answers to a cookie that mean "this cookie cannot be used here", not "the read failed"
    /// (Samba and AD answer unavailableCriticalExtension for one they cannot decode).
    static let refusalCodes: Set<Int32> = [
        LDAP_UNAVAILABLE_CRITICAL_EXTENSION, LDAP_PROTOCOL_ERROR, LDAP_UNWILLING_TO_PERFORM,
    ]
}

/// Why a DirSync read did not complete.
enum DirSyncFailure: Error {
    /// The server refused the cookie: read in full.
    case refused(String)
    /// Anything else: the read is incomplete.
    case read(LDAPReadFailure)
}
