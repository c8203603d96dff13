import CLDAP
import Foundation

/// Runs one search to its end, page by page (RFC 2696), handing each entry on as it arrives.
///
/// Anything that could mean "not everything was returned" throws: a result code other than
/// success, a page without its paged-results control, a size or time limit, a referral or a
/// search reference, a dropped connection, or no answer within the timeout. Ranged attributes
/// (`member;range=0-1499`) are handed on as they came: `RangedRetrieval` completes them. Only
/// what the server returned is kept, one message at a time.
struct PagedSearch {
    let connection: LDAPConnection
    let request: LDAPSearchRequest
    /// Checked between pages, so that a stopping daemon does not wait for a whole read.
    var isCancelled: () -> Bool = { false }

    struct Outcome {
        var entries = 0
        var pages = 0
    }

    /// Throws `LDAPReadFailure`, or whatever `body` throws.
    func run(_ body: (DirectoryEntry) throws(LDAPReadFailure) -> Void) throws(LDAPReadFailure) -> Outcome {
        var outcome = Outcome()
        var cookie = PageCookie()
        repeat {
            guard !isCancelled() else {
                throw failure("stopped before page \(outcome.pages + 1): the run was cancelled")
            }
            let control: RequestControl?
            do {
                control =
                    request.pageSize > 0
                    ? try RequestControl.pagedResults(
                        size: Int32(clamping: request.pageSize), cookie: cookie, on: connection)
                    : nil
            } catch {
                throw failure(error.description)
            }
            let domainScope: RequestControl?
            do {
                domainScope = request.domainScope ? try RequestControl.domainScope(on: connection) : nil
            } catch {
                throw failure(error.description)
            }
            let controls = [control?.control, domainScope?.control].compactMap { $0 }
            // The controls must outlive the request that points at them.
            defer { withExtendedLifetime((control, domainScope)) {} }
            let result = try exchange(controls: controls, outcome: &outcome, body)
            outcome.pages += 1
            if result.code == LDAP_SIZELIMIT_EXCEEDED, request.sizeLimit > 0 { return outcome }
            guard result.isSuccess else {
                if result.code == LDAP_REFERRAL {
                    throw failure(
                        LDAPReadFailure.notFollowed("a referral", to: result.referrals))
                }
                let hint =
                    result.code == LDAP_NO_SUCH_OBJECT
                    ? "; the base does not exist on this server: check \(request.purpose).base" : ""
                throw failure("page \(outcome.pages): \(result.message)\(hint)")
            }
            guard control != nil else { return outcome }
            let next: PageCookie?
            do {
                next = try result.controls?.pagedResultsCookie(on: connection)
            } catch {
                throw failure("page \(outcome.pages): \(error.description)")
            }
            guard let next else {
                throw failure(
                    "page \(outcome.pages) came without its paged-results control (cookie), so the rest of the"
                        + " entries cannot be asked for")
            }
            cookie = next
        } while !cookie.isEmpty
        return outcome
    }

    /// Sends one search request with `controls` and reads its responses up to its result, which
    /// it returns whatever its code (one page here; one round of DirSync for `DirSyncSearch`).
    func exchange(
        controls: [UnsafeMutablePointer<LDAPControl>], outcome: inout Outcome,
        _ body: (DirectoryEntry) throws(LDAPReadFailure) -> Void
    ) throws(LDAPReadFailure) -> LDAPOperationResult {
        let messageID: Int32
        do {
            messageID = try connection.startSearch(
                base: request.base, filter: request.filter, attributes: request.attributes,
                controls: controls, sizeLimit: request.sizeLimit, timeLimit: request.timeout,
                scope: request.scope.value)
        } catch {
            throw failure(error.description)
        }
        let clock = ContinuousClock()
        let deadline = clock.now + request.timeout
        var finished = false
        defer { if !finished { connection.abandon(messageID) } }
        while true {
            let response: LDAPMessageHandle?
            do {
                response = try connection.nextResponse(
                    to: messageID, timeout: max(deadline - clock.now, .milliseconds(1)))
            } catch {
                finished = true  // The connection is gone; there is nothing left to abandon.
                throw failure("page \(outcome.pages + 1) after \(outcome.entries) entries: \(error.description)")
            }
            guard let response else {
                throw failure("no answer within \(request.timeout) (timeout) for page \(outcome.pages + 1)")
            }
            switch response.kind {
            case .entry:
                let entry: DirectoryEntry
                do {
                    entry = try response.entry(on: connection)
                } catch {
                    throw failure(error.description)
                }
                outcome.entries += 1
                // The caller's own failures already name the server and the search.
                try body(entry)
            case .reference:
                let urls: [String]
                do {
                    urls = try response.referenceURLs(on: connection)
                } catch {
                    throw failure(error.description)
                }
                throw failure(
                    LDAPReadFailure.notFollowed("a search reference", to: urls))
            case .result:
                finished = true
                do {
                    return try response.result(on: connection)
                } catch {
                    throw failure(error.description)
                }
            case .other(let type):
                throw failure("unexpected response of type \(type)")
            }
        }
    }

    func failure(_ text: String) -> LDAPReadFailure {
        LDAPReadFailure("\(connection.url): \(request.label): \(text)")
    }
}
