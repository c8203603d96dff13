import CLDAP
import Foundation

/// Runs one search to its end, page by page (RFC 2696), handing each entry on.
///
/// Anything that could mean "not everything was returned" throws: a result code other than
/// success, a page without its paged-results control, a size or time limit, a referral or a
/// search reference, a dropped connection, or no answer within the timeout. Ranged attributes
/// (`member;range=0-1499`) are handed on as they came: `RangedRetrieval` completes them.
///
/// A page is received whole (its messages as the server sent them, undecoded), the next page
/// is asked for, and only then are its entries decoded and handed on: the server prepares page
/// n + 1 while Roster maps page n, where asking after mapping would leave one of the two idle.
/// Only what one page returned is held at a time, and a page whose result fails the read is
/// not handed on at all.
struct PagedSearch {
    let connection: LDAPConnection
    let request: LDAPSearchRequest
    /// Checked between pages, so that a stopping daemon does not wait for a whole read.
    var isCancelled: () -> Bool = { false }

    struct Outcome {
        var entries = 0
        var pages = 0
    }

    /// One page's request on the wire, with the controls it was sent with.
    private struct SentPage {
        var messageID: Int32
        /// Kept until the page's answer is in: the request was built from them.
        var controls: (RequestControl?, RequestControl?)
    }

    /// One page's answer: its entries, still undecoded, and the result that closed it.
    private struct ReceivedPage {
        var entries: [LDAPMessageHandle] = []
        var result: LDAPOperationResult
    }

    /// Throws `LDAPReadFailure`, or whatever `body` throws.
    func run(_ body: (DirectoryEntry) throws(LDAPReadFailure) -> Void) throws(LDAPReadFailure) -> Outcome {
        var outcome = Outcome()
        var page = try send(cookie: PageCookie(), outcome: outcome)
        while true {
            let received = try receive(page, outcome: &outcome)
            withExtendedLifetime(page.controls) {}
            outcome.pages += 1
            let next = try nextCookie(after: received.result, outcome: outcome)
            var nextPage: SentPage?
            if let next, !next.isEmpty { nextPage = try send(cookie: next, outcome: outcome) }
            do {
                for message in received.entries { try body(try decode(message)) }
            } catch {
                if let nextPage { connection.abandon(nextPage.messageID) }
                throw error
            }
            guard let nextPage else { return outcome }
            page = nextPage
        }
    }

    /// Asks for the page after `cookie` (the first page with an empty one; the whole search at
    /// once when the request is not paged).
    private func send(cookie: PageCookie, outcome: Outcome) throws(LDAPReadFailure) -> SentPage {
        guard !isCancelled() else {
            throw failure("stopped before page \(outcome.pages + 1): the run was cancelled")
        }
        let paging: RequestControl?
        let domainScope: RequestControl?
        do {
            paging =
                request.pageSize > 0
                ? try RequestControl.pagedResults(
                    size: Int32(clamping: request.pageSize), cookie: cookie, on: connection)
                : nil
            domainScope = request.domainScope ? try RequestControl.domainScope(on: connection) : nil
        } catch {
            throw failure(error.description)
        }
        let controls = [paging?.control, domainScope?.control].compactMap { $0 }
        return SentPage(messageID: try start(controls: controls), controls: (paging, domainScope))
    }

    /// The cookie for the next page from a page's result; nil when the search is over. Throws
    /// for any result that leaves entries unreturned.
    private func nextCookie(after result: LDAPOperationResult, outcome: Outcome) throws(LDAPReadFailure)
        -> PageCookie?
    {
        if result.code == LDAP_SIZELIMIT_EXCEEDED, request.sizeLimit > 0 { return nil }
        guard result.isSuccess else {
            if result.code == LDAP_REFERRAL {
                throw failure(LDAPReadFailure.notFollowed("a referral", to: result.referrals))
            }
            let hint =
                result.code == LDAP_NO_SUCH_OBJECT
                ? "; the base does not exist on this server: check \(request.purpose).base" : ""
            throw failure("page \(outcome.pages): \(result.message)\(hint)")
        }
        guard request.pageSize > 0 else { return nil }
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
        return next
    }

    /// Reads the responses to `page` up to its result, keeping the entries undecoded.
    private func receive(_ page: SentPage, outcome: inout Outcome) throws(LDAPReadFailure) -> ReceivedPage {
        var entries: [LDAPMessageHandle] = []
        let result = try responses(to: page.messageID, outcome: &outcome) { message throws(LDAPReadFailure) in
            entries.append(message)
        }
        return ReceivedPage(entries: entries, result: result)
    }

    private func decode(_ message: LDAPMessageHandle) throws(LDAPReadFailure) -> DirectoryEntry {
        do {
            return try message.entry(on: connection)
        } catch {
            throw failure(error.description)
        }
    }

    /// Sends one search request with `controls` and reads its responses up to its result, which
    /// it returns whatever its code (one round of DirSync for `DirSyncSearch`).
    func exchange(
        controls: [UnsafeMutablePointer<LDAPControl>], outcome: inout Outcome,
        _ body: (DirectoryEntry) throws(LDAPReadFailure) -> Void
    ) throws(LDAPReadFailure) -> LDAPOperationResult {
        try responses(to: try start(controls: controls), outcome: &outcome) { message throws(LDAPReadFailure) in
            try body(try decode(message))
        }
    }

    private func start(controls: [UnsafeMutablePointer<LDAPControl>]) throws(LDAPReadFailure) -> Int32 {
        do {
            return try connection.startSearch(
                base: request.base, filter: request.filter, attributes: request.attributes,
                controls: controls, sizeLimit: request.sizeLimit, timeLimit: request.timeout,
                scope: request.scope.value)
        } catch {
            throw failure(error.description)
        }
    }

    /// Reads the responses to `messageID` up to its result, handing each entry's message on;
    /// returns the result whatever its code. A search reference, anything unexpected or no answer
    /// in time throws, and the search is abandoned.
    private func responses(
        to messageID: Int32, outcome: inout Outcome, _ entry: (LDAPMessageHandle) throws(LDAPReadFailure) -> Void
    ) throws(LDAPReadFailure) -> LDAPOperationResult {
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
                outcome.entries += 1
                // The caller's own failures already name the server and the search.
                try entry(response)
            case .reference:
                let urls: [String]
                do {
                    urls = try response.referenceURLs(on: connection)
                } catch {
                    throw failure(error.description)
                }
                throw failure(LDAPReadFailure.notFollowed("a search reference", to: urls))
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
