import RosterTestSupport

/// The cn=config of a test slapd, loaded with `slapadd -n0`.
enum SlapdConfiguration {
    /// The syncprov overlay (RFC 4533 content synchronisation), for the suites that ask for it:
    /// with it, `roster reconcile` may read incrementally between full reads.
    struct Syncprov: Sendable {
        /// `olcSpSessionlog`: syncprov keeps that many recent changes and answers a refresh from a
        /// cookie they cover with a delete phase; without one, always with a present phase.
        var sessionLog: Int?
    }

    static func ldif(root: String, certificates: TestCertificates, syncprov: Syncprov? = nil) -> String {
        let bindDN = TestDirectory.bindDN
        let limit = TestDirectory.sizeLimit
        return """
            dn: cn=config
            objectClass: olcGlobal
            cn: config
            olcPidFile: \(root)/slapd.pid
            olcTLSCACertificateFile: \(certificates.caFile)
            olcTLSCertificateFile: \(certificates.serverCertificate)
            olcTLSCertificateKeyFile: \(certificates.serverKey)

            dn: cn=module{0},cn=config
            objectClass: olcModuleList
            cn: module{0}
            olcModulePath: /usr/lib/ldap
            olcModuleLoad: back_mdb
            olcModuleLoad: ppolicy
            olcModuleLoad: syncprov

            dn: cn=schema,cn=config
            objectClass: olcSchemaConfig
            cn: schema

            include: file:///etc/ldap/schema/core.ldif

            include: file:///etc/ldap/schema/cosine.ldif

            include: file:///etc/ldap/schema/inetorgperson.ldif

            include: file:///etc/ldap/schema/nis.ldif

            dn: olcDatabase={-1}frontend,cn=config
            objectClass: olcDatabaseConfig
            objectClass: olcFrontendConfig
            olcDatabase: {-1}frontend

            dn: olcDatabase={0}config,cn=config
            objectClass: olcDatabaseConfig
            olcDatabase: {0}config
            olcAccess: {0}to * by * none

            dn: olcDatabase={1}mdb,cn=config
            objectClass: olcDatabaseConfig
            objectClass: olcMdbConfig
            olcDatabase: {1}mdb
            olcSuffix: \(TestDirectory.suffix)
            olcRootDN: \(TestDirectory.adminDN)
            olcRootPW: \(TestDirectory.adminPassword)
            olcDbDirectory: \(root)/db
            olcDbMaxSize: 268435456
            olcDbIndex: objectClass eq
            olcDbIndex: uid eq
            olcDbIndex: entryUUID,entryCSN eq
            olcAccess: {0}to attrs=userPassword by anonymous auth by * none
            olcAccess: {1}to * by dn.exact="\(bindDN)" read by * none
            olcLimits: {0}dn.exact="\(bindDN)" size.soft=\(limit) size.hard=\(limit) size.prtotal=unlimited

            dn: olcOverlay={0}ppolicy,olcDatabase={1}mdb,cn=config
            objectClass: olcOverlayConfig
            objectClass: olcPPolicyConfig
            olcOverlay: {0}ppolicy

            \(syncprov.map(overlay) ?? "")
            """
    }

    private static func overlay(_ syncprov: Syncprov) -> String {
        // The checkpoint writes the contextCSN to the suffix entry every 100 writes or 10 minutes.
        """
        dn: olcOverlay={1}syncprov,olcDatabase={1}mdb,cn=config
        objectClass: olcOverlayConfig
        objectClass: olcSyncProvConfig
        olcOverlay: {1}syncprov
        olcSpCheckpoint: 100 10
        \(syncprov.sessionLog.map { "olcSpSessionlog: \($0)\n" } ?? "")
        """
    }
}
