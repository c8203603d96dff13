import CLDAP
import Foundation

/// Runs one refreshOnly content synchronisation search (RFC 4533 §3.4) to its end: the changes
/// since a cookie, on a server with the syncprov overlay (OpenLDAP).
///
/// As for `PagedSearch`, anything that could mean "not everything was reported" throws
/// `LDAPReadFailure`: a result code other than success, a referral or search reference, a size or
/// time limit, a dropped connection, no answer within the timeout, a ranged attribute, an entry
/// without its sync state control, a result without its sync done control, or a control or
/// message that does not decode. Only the server saying the cookie cannot be used is an outcome
/// of its own, `.refreshRequired`, after which the caller reads everything.
///
/// What slapd 2.5 does (syncprov; each checked by `ContentSyncSearchTests`):
/// - Without a session log, every refresh after a change is a present phase: syncIdSets of the
///   uuids still in scope, the changed entries as added, sync done with refreshDeletes FALSE.
///   The present uuids are not entries, so the bind account's size limit only counts changes.
/// - With a session log (`olcSpSessionlog`) that covers the cookie, a delete phase: syncIdSets of
///   deleted entries and of logged changes that do not match the search (entries that left the
///   filter, but also changes the search never covered), the changed entries, sync done with
///   refreshDeletes TRUE. A cookie older than the log gets a present phase.
/// - Nothing changed since the cookie: no entries, sync done with refreshDeletes TRUE, no cookie.
/// - A cookie of another provider (a CSN of a `sid` it has not seen): a present phase in which
///   every entry comes as added, as costly as a full read (and over a size limit, a failure).
/// - A cookie whose CSN is ahead of the server's (another server's, or a database restored from a
///   backup): unwillingToPerform, "consumer state is newer than provider!" → `.refreshRequired`.
/// - A cookie it cannot parse at all (`garbage`): the answer to a first search (every entry as
///   added, refreshDeletes TRUE) with an empty cookie → `.refreshRequired`. One whose CSN alone is
///   unparsable (`rid=000,csn=x`) gets the same answer with a real cookie, which cannot be told
///   from a delete phase in which everything changed: deletions since the cookie are then missed
///   until the next full read. Roster only sends cookies slapd gave it, so that takes a damaged
///   store.
/// slapd sends e-syncRefreshRequired (4096) only to persistent searches whose base went away; it is
/// handled all the same.
struct ContentSyncSearch {
    let connection: LDAPConnection
    let request: LDAPSearchRequest
    /// Checked between messages, so that a stopping daemon does not wait for a whole refresh.
    var isCancelled: () -> Bool = { false }

    /// The changes since `cookie`; with no cookie (or an empty one), every entry, as added.
    /// `request.timeout` bounds the whole refresh, which is one search; `pageSize` and `sizeLimit`
    /// are not used (a refresh cut at a limit would miss changes).
    func run(cookie: [UInt8]?) throws(LDAPReadFailure) -> ContentSyncOutcome {
        let sentCookie = cookie?.isEmpty == false ? cookie : nil
        let control: RequestControl
        do {
            control = try RequestControl.syncRequest(cookie: sentCookie, on: connection)
        } catch {
            throw failure(error.description)
        }
        var attributes = request.attributes
        // Named, since operational attributes only come when asked for; the entries of the result
        // are matched with what the caller holds by it.
        if !attributes.contains(where: { $0.lowercased() == "entryuuid" }) { attributes.append("entryUUID") }
        let messageID: Int32
        do {
            // Never paged: the refresh is one search, and its cookie comes with its result.
            messageID = try connection.startSearch(
                base: request.base, filter: request.filter, attributes: attributes, controls: [control.control],
                sizeLimit: 0, timeLimit: request.timeout, scope: request.scope.value)
        } catch {
            throw failure(error.description)
        }
        var refresh = Refresh()
        let clock = ContinuousClock()
        let deadline = clock.now + request.timeout
        var finished = false
        defer { if !finished { connection.abandon(messageID) } }
        while true {
            guard !isCancelled() else { throw failure("stopped: the run was cancelled") }
            let response: LDAPMessageHandle?
            do {
                response = try connection.nextResponse(
                    to: messageID, timeout: max(deadline - clock.now, .milliseconds(1)))
            } catch {
                finished = true  // The connection is gone; there is nothing left to abandon.
                throw failure("after \(refresh.messages) messages: \(error.description)")
            }
            guard let response else { throw failure("no answer within \(request.timeout) (timeout)") }
            refresh.messages += 1
            switch response.kind {
            case .entry:
                try take(entry: response, into: &refresh)
            case .intermediate:
                try take(intermediate: response, into: &refresh)
            case .reference:
                let urls = (try? response.referenceURLs(on: connection)) ?? []
                throw failure(
                    LDAPReadFailure.notFollowed("a search reference", to: urls))
            case .result:
                finished = true
                let result: LDAPOperationResult
                do {
                    result = try response.result(on: connection)
                } catch {
                    throw failure(error.description)
                }
                return try finish(refresh, result: result, sentCookie: sentCookie)
            case .other(let type):
                throw failure("unexpected response of type \(type)")
            }
        }
    }

    /// The server's current cookie, without reading any entry: a refreshOnly search of the base
    /// entry alone with a filter nothing matches, whose sync done control carries the cookie of
    /// the database's present state (slapd's contextCSN). Taken before a full read, it makes the
    /// next incremental run report whatever changed during that read, so nothing is missed (and
    /// what the full read already saw may come again, harmlessly).
    static func currentCookie(
        connection: LDAPConnection, base: String, timeout: Duration
    ) throws(LDAPReadFailure) -> [UInt8] {
        let request = LDAPSearchRequest(
            purpose: "sync cookie", base: base, filter: "(!(objectClass=*))", attributes: ["1.1"], pageSize: 0,
            timeout: timeout, scope: .base)
        let search = ContentSyncSearch(connection: connection, request: request)
        switch try search.run(cookie: nil) {
        case .changes(let result):
            guard let cookie = result.cookie, !cookie.isEmpty else {
                throw search.failure("the server's sync done control carried no cookie")
            }
            return cookie
        case .refreshRequired(let text):
            throw search.failure(text)
        }
    }

    // MARK: - Messages

    /// What the refresh reported so far.
    private struct Refresh {
        var result = ContentSyncResult()
        var present: Set<String> = []
        /// Entries in state present, a syncIdSet of present uuids, or a refreshPresent message:
        /// a present phase ran.
        var presentPhase = false
        var messages = 0
    }

    private func take(entry response: LDAPMessageHandle, into refresh: inout Refresh) throws(LDAPReadFailure) {
        var entry: DirectoryEntry
        let value: [UInt8]?
        do {
            // The controls first: decoding the attributes hides them (see entryControls).
            value = try response.entryControls(on: connection)?.value(of: ROSTER_LDAP_CONTROL_SYNC_STATE)
            entry = try response.entry(on: connection)
        } catch {
            throw failure(error.description)
        }
        guard let value else {
            throw failure(
                "entry \"\(entry.dn)\" came without its sync state control, so what happened to it is unknown")
        }
        let state: SyncStateControl
        do {
            state = try SyncStateControl(value: value)
        } catch {
            throw failure("entry \"\(entry.dn)\": \(error.description)")
        }
        if let cookie = state.cookie { refresh.result.cookie = cookie }
        switch state.state {
        case .present:
            refresh.presentPhase = true
            refresh.present.insert(state.entryUUID)
        case .delete:
            refresh.result.deleted.insert(state.entryUUID)
        case .add, .modify:
            if let ranged = entry.fields.first(where: { $0.key.contains(";range=") })?.key {
                throw failure(
                    "entry \"\(entry.dn)\" returned \(ranged), only part of its values, so the read is incomplete")
            }
            let uuids = entry.strings("entryUUID")
            if uuids.isEmpty {
                entry.add("entryUUID", values: [Array(state.entryUUID.utf8)])
            } else if !uuids.contains(where: { $0.lowercased() == state.entryUUID }) {
                throw failure(
                    "entry \"\(entry.dn)\" has entryUUID \(uuids[0]) but its sync state control says \(state.entryUUID)"
                )
            }
            refresh.result.changed.append(entry)
        }
    }

    private func take(intermediate response: LDAPMessageHandle, into refresh: inout Refresh) throws(LDAPReadFailure) {
        let intermediate: LDAPMessageHandle.Intermediate
        do {
            intermediate = try response.intermediate(on: connection)
        } catch {
            throw failure(error.description)
        }
        guard intermediate.oid == SyncInfoMessage.oid, let value = intermediate.value else {
            throw failure("unexpected intermediate response \(intermediate.oid ?? "without a name")")
        }
        let message: SyncInfoMessage
        do {
            message = try SyncInfoMessage(value: value)
        } catch {
            throw failure(error.description)
        }
        if let cookie = message.cookie { refresh.result.cookie = cookie }
        switch message {
        case .newCookie, .refreshDelete:
            break
        case .refreshPresent:
            refresh.presentPhase = true
        case .syncIdSet(_, let refreshDeletes, let uuids):
            if refreshDeletes {
                refresh.result.deleted.formUnion(uuids)
            } else {
                refresh.presentPhase = true
                refresh.present.formUnion(uuids)
            }
        }
    }

    private func finish(
        _ refresh: Refresh, result: LDAPOperationResult, sentCookie: [UInt8]?
    ) throws(LDAPReadFailure) -> ContentSyncOutcome {
        if result.code == LDAP_SYNC_REFRESH_REQUIRED {
            return .refreshRequired(result.message)
        }
        // slapd's answer to a cookie ahead of its own state (see above).
        if result.code == LDAP_UNWILLING_TO_PERFORM, sentCookie != nil {
            return .refreshRequired("the server refused the cookie: \(result.message)")
        }
        guard result.isSuccess else {
            if result.code == LDAP_REFERRAL {
                throw failure(
                    LDAPReadFailure.notFollowed("a referral", to: result.referrals))
            }
            let hint =
                result.code == LDAP_UNAVAILABLE_CRITICAL_EXTENSION
                ? "; the server does not offer content synchronisation (OpenLDAP: the syncprov overlay)" : ""
            throw failure("\(result.message)\(hint)")
        }
        guard let value = result.controls?.value(of: ROSTER_LDAP_CONTROL_SYNC_DONE) else {
            throw failure("the result came without its sync done control, so the refresh may be incomplete")
        }
        let done: SyncDoneControl
        do {
            done = try SyncDoneControl(value: value)
        } catch {
            throw failure(error.description)
        }
        var outcome = refresh.result
        if let cookie = done.cookie { outcome.cookie = cookie }
        if sentCookie != nil, outcome.cookie?.isEmpty == true {
            return .refreshRequired("the server answered the cookie with an empty one: it did not accept it")
        }
        // refreshDeletes FALSE ends a present phase, also one that found no entry at all.
        if refresh.presentPhase || !done.refreshDeletes { outcome.present = refresh.present }
        // An entry sent whole exists, whatever a session log replayed before it.
        if !outcome.deleted.isEmpty {
            outcome.deleted.subtract(outcome.changed.compactMap { $0.string("entryUUID")?.lowercased() })
        }
        return .changes(outcome)
    }

    private func failure(_ text: String) -> LDAPReadFailure {
        LDAPReadFailure("\(connection.url): \(request.label) (content synchronisation): \(text)")
    }
}
