import RosterTestSupport

/// The smb.conf of one test DC: only the LDAP server, only on its own loopback address, every
/// file inside its folder (nothing of the machine's /etc/samba, /var/lib/samba or /run/samba).
enum SambaConfiguration {
    static func text(folder: String, address: String, certificates: TestCertificates) -> String {
        """
        [global]
        \tnetbios name = \(ADFixture.hostName.uppercased())
        \trealm = \(ADFixture.realm)
        \tworkgroup = \(ADFixture.netbiosDomain)
        \tserver role = active directory domain controller
        \t# LDAP (389, 636, global catalog 3268 and 3269) only: no SMB, RPC, KDC, DNS or NetBIOS.
        \tserver services = ldap
        \t# Samba takes only an address configured on an interface, or one inside such an
        \t# interface's network given with its mask: 127.0.10.x alone finds no interface, /8 does.
        \tinterfaces = \(address)/8
        \tbind interfaces only = yes
        \t# Simple binds over ldap:// (the default refuses them without TLS or signing).
        \tldap server require strong auth = no
        \ttls enabled = yes
        \ttls keyfile = \(certificates.serverKey)
        \ttls certfile = \(certificates.serverCertificate)
        \ttls cafile = \(certificates.caFile)
        \tprivate dir = \(folder)/private
        \tbinddns dir = \(folder)/bind-dns
        \tlock directory = \(folder)
        \tstate directory = \(folder)/state
        \tcache directory = \(folder)/cache
        \tpid directory = \(folder)
        \tncalrpc dir = \(folder)/ncalrpc
        \tidmap_ldb:use rfc2307 = yes
        \t# A throwaway database: no fsync.
        \tldb:nosync = true

        """
    }
}
