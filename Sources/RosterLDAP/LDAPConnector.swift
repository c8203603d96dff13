import CLDAP
import RosterCore

/// Opens a bound connection to the first server of a source's `url` list that answers.
///
/// A server that cannot be reached (refused, timed out, TLS handshake failed, busy) is skipped
/// for the next one; a server that answers and refuses the bind stops the attempt, since the
/// other servers hold the same accounts and more wrong passwords would only lock the account.
struct LDAPConnector {
    var urls: [String]
    var settings: LDAPConnection.Settings
    var bindDN: String?
    var password: BindPassword?

    /// A connection ready for searches, and what happened to the servers tried before it.
    struct Bound {
        let connection: LDAPConnection
        /// One line per server skipped (`ldap://dc1…: Can't contact LDAP server`).
        var skipped: [String]
    }

    func connect() throws(LDAPReadFailure) -> Bound {
        var skipped: [String] = []
        for url in urls {
            do {
                let connection = try open(url)
                return Bound(connection: connection, skipped: skipped)
            } catch let failure as Unreachable {
                skipped.append(failure.description)
            } catch let failure as LDAPReadFailure {
                throw LDAPReadFailure(
                    ([failure.description] + skipped.map { "earlier: \($0)" }).joined(separator: "; "))
            } catch {
                throw LDAPReadFailure("\(url): \(error)")
            }
        }
        let tried = skipped.joined(separator: "; ")
        throw LDAPReadFailure(urls.count == 1 ? tried : "no server of the url list could be reached: \(tried)")
    }

    /// This server could not be reached: try the next.
    private struct Unreachable: Error, CustomStringConvertible {
        var description: String
    }

    /// Result codes that say nothing about the account, only that this server is not usable now.
    private static let unreachableCodes: Set<Int32> = [
        LDAP_SERVER_DOWN, LDAP_CONNECT_ERROR, LDAP_TIMEOUT, LDAP_BUSY, LDAP_UNAVAILABLE,
    ]

    private func open(_ url: String) throws -> LDAPConnection {
        let connection: LDAPConnection
        do {
            connection = try LDAPConnection(url: url, settings: settings)
        } catch {
            throw LDAPReadFailure(error, url: url)
        }
        if usesStartTLS(url) {
            do {
                try connection.startTLS()
            } catch {
                // A refused StartTLS or a certificate that does not check out on this server
                // may work on the next one; every outcome is reported.
                throw Unreachable(description: LDAPReadFailure(error, url: url).description + tlsProblem(url))
            }
        }
        do {
            try connection.bind(dn: bindDN ?? "", password: password?.bytes ?? [])
        } catch {
            let failure = LDAPReadFailure(error, url: url).description
            if Self.unreachableCodes.contains(error.code) {
                let tls = url.lowercased().hasPrefix("ldaps://") ? tlsProblem(url) : ""
                throw Unreachable(description: failure + tls)
            }
            throw LDAPReadFailure(failure)
        }
        connection.readAhead()
        return connection
    }

    private func usesStartTLS(_ url: String) -> Bool {
        settings.tls.startTLS && url.lowercased().hasPrefix("ldap://")
    }

    /// Why a TLS connection failed, when the reason is the certificate check.
    ///
    /// libldap built with GnuTLS (Debian's) reports a rejected certificate as "Can't contact LDAP
    /// server" or "Connect error" with no reason. So the handshake is tried once more without
    /// checking the certificate, and without sending anything: when that one succeeds, the
    /// server is up and speaks TLS, and only its certificate was refused.
    private func tlsProblem(_ url: String) -> String {
        guard !settings.tls.insecureSkipVerify else { return "" }
        var unchecked = settings
        unchecked.tls.insecureSkipVerify = true
        // A server that answers does so in milliseconds; one that did not answer at all should
        // not cost a second full timeout.
        unchecked.connectTimeout = min(settings.connectTimeout, .seconds(3))
        unchecked.operationTimeout = min(settings.operationTimeout, .seconds(3))
        do {
            let probe = try LDAPConnection(url: url, settings: unchecked)
            if usesStartTLS(url) { try probe.startTLS() } else { try probe.connect() }
        } catch {
            return ""
        }
        let trusted =
            settings.tls.caFile.map { "the CA in tls.ca_file (\($0))" } ?? "a CA the system trusts (set tls.ca_file)"
        return "; the server's TLS certificate was not accepted: it was not issued by \(trusted), or it does not"
            + " name the host of the URL"
    }
}
