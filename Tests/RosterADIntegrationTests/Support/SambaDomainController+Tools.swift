import Foundation
import RosterTestSupport

/// Changing and reading the running DC with the same tools an admin would use.
extension SambaDomainController {
    /// Applies LDIF change records (RFC 2849) as Administrator over ldaps:// (so password
    /// changes, which AD takes only over an encrypted connection, work too).
    func ldapModify(ldif: String) throws {
        try ldapTool(SambaInstallation.ldapmodify).succeed(
            ["-x", "-H", ldapsURL, "-D", administratorDN, "-w", administratorPassword], input: ldif)
    }

    /// `ldapsearch` over ldaps:// as `account` (the service account unless told): unwrapped LDIF
    /// without comments. `extra` options come before the filter. Throws unless it exits 0.
    func ldapSearch(
        base: String? = nil, scope: String = "sub", filter: String = "(objectClass=*)", attributes: [String] = [],
        as account: ADFixture.Account = ADFixture.serviceAccount, extra: [String] = []
    ) throws -> String {
        try ldapTool(SambaInstallation.ldapsearch).succeed(
            ["-x", "-LLL", "-o", "ldif-wrap=no", "-H", ldapsURL, "-D", account.dn, "-w", account.password]
                + ["-b", base ?? baseDN, "-s", scope] + extra + [filter] + attributes)
    }

    /// Runs `samba-tool ARGS…` against this DC over LDAP as Administrator, e.g.
    /// `["user", "disable", "alice"]`, `["group", "addmembers", "research", "bob"]`,
    /// `["user", "rename", "bob", "--surname=Brown"]`, `["user", "setpassword", "bob", "--newpassword=…"]`.
    /// NTLM, not Kerberos: there is no KDC. Returns what it printed.
    @discardableResult
    func sambaTool(_ arguments: [String]) throws -> String {
        try ExternalTool(SambaInstallation.sambaTool).succeed(
            arguments + [
                "-s", configFile.path, "-H", ldapURL, "--use-kerberos=off", "-W", netbiosDomain,
                "-U", ADFixture.administrator.samAccountName, "--password=\(administratorPassword)",
            ])
    }

    /// An OpenLDAP client tool that trusts this DC's CA (and only it).
    private func ldapTool(_ path: String) throws -> ExternalTool {
        var tool = try ExternalTool(path)
        tool.environment = ["LDAPTLS_CACERT": caFile, "LDAPTLS_REQCERT": "demand"]
        return tool
    }
}
