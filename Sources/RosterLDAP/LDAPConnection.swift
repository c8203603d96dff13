import CLDAP
import Foundation
import RosterCore

/// One connection to one LDAP server: the only owner of its `LDAP *` handle, which it releases
/// with `ldap_unbind_ext_s` in `deinit`.
///
/// Every call blocks the calling thread (libldap's synchronous calls, and `ldap_result` with a
/// timeout); `LDAPSource` runs them on a thread of their own, never on Swift's cooperative pool.
/// A handle is used by one thread at a time, so the type is not `Sendable`.
final class LDAPConnection {
    /// How to reach the server: TLS, and how long to wait for it.
    struct Settings {
        var tls: TLSOptions
        /// Longest wait for the TCP (and TLS) connection to be set up.
        var connectTimeout: Duration
        /// Longest wait for a bind, StartTLS, or one page of a search.
        var operationTimeout: Duration
    }

    /// Borrowed by the code that parses this connection's messages; valid while `self` lives.
    let handle: OpaquePointer
    /// The URL as configured, for messages.
    let url: String

    /// Prepares a handle for `url`; nothing is sent until the first operation.
    init(url: String, settings: Settings) throws(LDAPError) {
        LibLDAP.ensureInitialized()
        var created: OpaquePointer?
        let code = ldap_initialize(&created, url)
        guard code == LDAP_SUCCESS, let created else {
            throw LDAPError(code: code, operation: "\(url): invalid LDAP URL")
        }
        self.handle = created
        self.url = url
        // From here on, a throw frees the handle through deinit.
        try configure(settings)
    }

    deinit {
        ldap_unbind_ext_s(handle, nil, nil)
    }

    // MARK: - Options

    private func configure(_ settings: Settings) throws(LDAPError) {
        var version = LDAP_VERSION3
        try setOption(LDAP_OPT_PROTOCOL_VERSION, &version, "set the protocol version")
        // A referral would send the bind credentials to a server nobody configured, and an entry
        // read from it is not part of a read Roster can prove complete: referrals are errors.
        // (A null value is LDAP_OPT_OFF, a macro Swift does not import.)
        try check(ldap_set_option(handle, LDAP_OPT_REFERRALS, nil), "turn off referral chasing")
        var connect = timeval(settings.connectTimeout)
        try setOption(LDAP_OPT_NETWORK_TIMEOUT, &connect, "set the connect timeout")
        var operation = timeval(settings.operationTimeout)
        try setOption(LDAP_OPT_TIMEOUT, &operation, "set the operation timeout")

        var requireCert = settings.tls.insecureSkipVerify ? LDAP_OPT_X_TLS_NEVER : LDAP_OPT_X_TLS_DEMAND
        try setOption(LDAP_OPT_X_TLS_REQUIRE_CERT, &requireCert, "set TLS certificate checking")
        var minimum = ROSTER_LDAP_OPT_X_TLS_PROTOCOL_TLS1_2
        try setOption(LDAP_OPT_X_TLS_PROTOCOL_MIN, &minimum, "set the minimum TLS version")
        if let caFile = settings.tls.caFile {
            let code = caFile.withCString { ldap_set_option(handle, LDAP_OPT_X_TLS_CACERTFILE, $0) }
            try check(code, "use tls.ca_file \(caFile)")
        }
        // The TLS options above only take effect in a new context, and it must come last.
        var isServer: Int32 = 0
        try setOption(LDAP_OPT_X_TLS_NEWCTX, &isServer, "set up TLS (tls.ca_file)")
    }

    private func setOption<Value>(_ option: Int32, _ value: inout Value, _ what: String) throws(LDAPError) {
        let code = withUnsafeMutablePointer(to: &value) { ldap_set_option(handle, option, $0) }
        try check(code, what)
    }

    // MARK: - Operations

    /// Upgrades an `ldap://` connection to TLS (RFC 4513 §3), checking the certificate.
    func startTLS() throws(LDAPError) {
        try check(ldap_start_tls_s(handle, nil, nil), "\(url): StartTLS failed")
    }

    /// Opens the connection (and, for `ldaps://`, completes the TLS handshake) without sending
    /// any request.
    func connect() throws(LDAPError) {
        try check(ldap_connect(handle), "\(url): connect failed")
    }

    /// A simple bind. The password is used for this call only and never appears in an error.
    func bind(dn: String, password: [UInt8]) throws(LDAPError) {
        var bytes = password
        let code = bytes.withUnsafeMutableBufferPointer { buffer in
            var credentials = berval(
                bv_len: ber_len_t(buffer.count),
                bv_val: UnsafeMutableRawPointer(buffer.baseAddress)?.assumingMemoryBound(to: CChar.self))
            // A nil mechanism is a simple bind (RFC 4513 §5.1), without LDAP_DEPRECATED's ldap_simple_bind_s.
            return ldap_sasl_bind_s(handle, dn, nil, &credentials, nil, nil, nil)
        }
        for index in bytes.indices { bytes[index] = 0 }
        try check(code, "\(url): bind as \(dn) failed")
    }

    /// Buffers what the connection reads (see the C shim): a search then costs a read() call per
    /// many entries instead of two per entry. Only for an open connection; without the buffer
    /// (it could not be allocated) reads are as libldap does them, so the outcome is not reported.
    func readAhead() {
        _ = roster_ldap_add_read_ahead(handle)
    }

    /// Sends a search and returns its message id; the responses come from `nextResponse`.
    func startSearch(
        base: String, filter: String, attributes: [String], controls: [UnsafeMutablePointer<LDAPControl>],
        sizeLimit: Int32, timeLimit: Duration, scope: Int32 = LDAP_SCOPE_SUBTREE
    ) throws(LDAPError) -> Int32 {
        let names = CStringArray(attributes)
        var serverControls: [UnsafeMutablePointer<LDAPControl>?] = controls + [nil]
        var limit = timeval(timeLimit)
        var messageID: Int32 = 0
        let code = serverControls.withUnsafeMutableBufferPointer { controlList in
            ldap_search_ext(
                handle, base, scope, filter, names.pointer, 0,
                controls.isEmpty ? nil : controlList.baseAddress, nil, &limit, sizeLimit, &messageID)
        }
        try check(code, "search")
        return messageID
    }

    /// The next response to `messageID`, waiting at most `timeout`; nil when none came in time.
    func nextResponse(to messageID: Int32, timeout: Duration) throws(LDAPError) -> LDAPMessageHandle? {
        var wait = timeval(timeout)
        var message: OpaquePointer?
        let type = ldap_result(handle, messageID, LDAP_MSG_ONE, &wait, &message)
        let response = message.map(LDAPMessageHandle.init)
        if type == -1 { throw failure(resultCode, "waiting for the server") }
        return type == 0 ? nil : response
    }

    /// Tells the server to stop an operation that is no longer wanted (a timed-out search).
    func abandon(_ messageID: Int32) {
        _ = ldap_abandon_ext(handle, messageID, nil, nil)
    }

    // MARK: - Errors

    /// The handle's last result code (`LDAP_SERVER_DOWN` after a dropped connection…).
    var resultCode: Int32 {
        var code: Int32 = LDAP_OTHER
        _ = ldap_get_option(handle, LDAP_OPT_RESULT_CODE, &code)
        return code
    }

    /// The handle's diagnostic message: the server's text, or the TLS library's reason.
    var diagnosticMessage: String? {
        var text: UnsafeMutablePointer<CChar>?
        guard ldap_get_option(handle, LDAP_OPT_DIAGNOSTIC_MESSAGE, &text) == LDAP_OPT_SUCCESS, let text else {
            return nil
        }
        defer { ldap_memfree(text) }
        return String(cString: text)
    }

    func failure(_ code: Int32, _ operation: String) -> LDAPError {
        LDAPError(code: code, operation: operation, diagnostic: diagnosticMessage)
    }

    private func check(_ code: Int32, _ operation: String) throws(LDAPError) {
        guard code == LDAP_SUCCESS else { throw failure(code, operation) }
    }
}

@available(*, unavailable)
extension LDAPConnection: Sendable {}

extension timeval {
    /// Whole seconds and microseconds of `duration` (at least one microsecond: libldap reads a
    /// zero timeout as "poll").
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let microseconds = attoseconds / 1_000_000_000_000
        self.init(tv_sec: Int(seconds), tv_usec: Int(max(microseconds, seconds == 0 ? 1 : 0)))
    }
}
