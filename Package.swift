// swift-tools-version:6.0
import PackageDescription

// No SwiftPM package dependencies: every outside library is a Debian C library behind a
// system-library target, so the distro's security updates reach Roster.
let package = Package(
    name: "Roster",
    products: [
        .executable(name: "roster", targets: ["roster"])
    ],
    targets: [
        // MARK: - C libraries
        .systemLibrary(name: "CLDAP", pkgConfig: "ldap", providers: [.apt(["libldap-dev"])]),
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        // glibc's malloc.h: the allocator's settings, for the binary's memory at directory scale.
        .systemLibrary(name: "CMalloc"),

        // MARK: - Pure logic
        .target(name: "RosterCore"),

        // MARK: - Outside worlds
        .target(name: "RosterCrypto", dependencies: ["CCrypto"]),
        .target(name: "RosterConfig", dependencies: ["RosterCore", "CYAML"]),
        .target(name: "RosterLDAP", dependencies: ["RosterCore", "CLDAP"]),
        .target(name: "RosterStore", dependencies: ["RosterCore", "RosterCrypto", "CSQLite"]),
        // OpenID Connect: discovery, JWKS, ID token verification, refresh (libcurl + libcrypto).
        .target(name: "RosterOIDC", dependencies: ["RosterCore", "RosterCrypto", "CCurl", "CCrypto"]),
        // systemd notify, signals, the control socket, the schedule: the service's outside world.
        .target(name: "RosterDaemon", dependencies: ["RosterCore"]),

        // MARK: - The binary
        .executableTarget(
            name: "roster",
            dependencies: [
                "RosterCore", "RosterConfig", "RosterLDAP", "RosterStore", "RosterCrypto", "RosterDaemon", "RosterOIDC",
                "CMalloc",
            ]
        ),

        // MARK: - Tests
        .testTarget(name: "RosterCoreTests", dependencies: ["RosterCore", "RosterTestSupport"]),
        .testTarget(name: "RosterConfigTests", dependencies: ["RosterConfig", "RosterLDAP", "RosterCore"]),
        .testTarget(name: "RosterLDAPTests", dependencies: ["RosterLDAP", "RosterCore", "RosterTestSupport"]),
        .testTarget(name: "RosterStoreTests", dependencies: ["RosterStore", "RosterCore", "RosterCrypto"]),
        .testTarget(name: "RosterDaemonTests", dependencies: ["RosterDaemon", "RosterCore", "RosterTestSupport"]),
        // Starts its own slapd on loopback.
        .testTarget(
            name: "RosterLDAPIntegrationTests",
            dependencies: ["roster", "RosterTestSupport", "RosterLDAP", "RosterCore", "RosterConfig"]),
        // Starts its own Samba AD domain controllers on loopback addresses (127.0.10.x).
        .testTarget(
            name: "RosterADIntegrationTests", dependencies: ["roster", "RosterLDAP", "RosterCore", "RosterTestSupport"]),
        .testTarget(name: "RosterOIDCTests", dependencies: ["RosterOIDC", "RosterCore", "RosterCrypto", "CCrypto"]),
        // Starts its own OpenID provider (oidc-provider-mock) on loopback.
        .testTarget(
            name: "RosterOIDCIntegrationTests",
            dependencies: ["roster", "RosterTestSupport", "RosterOIDC", "RosterCore"]),
        .testTarget(
            name: "RosterEndToEndTests", dependencies: ["roster", "RosterTestSupport", "RosterCore", "CSQLite"]),
        // Shared by the test targets: runs the built binary and the tools and servers of the machine.
        .target(name: "RosterTestSupport", path: "Tests/RosterTestSupport"),
    ]
)
