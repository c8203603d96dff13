import Foundation
import RosterTestSupport
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A loopback address of one running DC's own.
///
/// Samba's LDAP server has no port option: every DC listens on 389 and 636 (and the global
/// catalog on 3268 and 3269). Two DCs at once therefore need two addresses. On Linux all of
/// 127.0.0.0/8 reaches the loopback interface, so each DC binds only its own 127.0.10.x. A lock
/// file per address (`flock`, which the kernel drops when its holder dies, so a crashed run
/// leaves nothing to clean) keeps DCs of this process and of concurrent test runs apart; a probe
/// bind skips an address some other server still holds.
final class LoopbackLease: Sendable {
    /// As many as a test run could want at once; the test certificate names every one.
    static let addresses = (1...32).map { "127.0.10.\($0)" }
    static let ports: [UInt16] = [389, 636, 3268, 3269]

    let address: String
    private let descriptor: Mutex<Int32>

    private init(address: String, descriptor: Int32) {
        self.address = address
        self.descriptor = Mutex(descriptor)
    }

    /// Blocks until an address is free (all 32 taken means a run leaks DCs: it fails after `timeout`).
    static func acquire(timeout: Duration = .seconds(120)) throws -> LoopbackLease {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("roster-samba-addresses")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let deadline = ContinuousClock.now + timeout
        repeat {
            for address in addresses {
                let path = folder.appendingPathComponent(address).path
                let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
                guard descriptor >= 0 else { continue }
                if flock(descriptor, LOCK_EX | LOCK_NB) == 0, ports.allSatisfy({ isFree(address, $0) }) {
                    return LoopbackLease(address: address, descriptor: descriptor)
                }
                close(descriptor)
            }
            usleep(100_000)
        } while ContinuousClock.now < deadline
        throw ExternalTool.Failed(description: "no free loopback address for a Samba DC among \(addresses.count)")
    }

    /// Lets another DC have the address. Once; later calls do nothing.
    func release() {
        descriptor.withLock { descriptor in
            guard descriptor >= 0 else { return }
            close(descriptor)
            descriptor = -1
        }
    }

    deinit { release() }

    /// Whether a listener could bind `address:port` now (with SO_REUSEADDR, as Samba binds).
    private static func isFree(_ address: String, _ port: UInt16) -> Bool {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard socketFD >= 0 else { return false }
        defer { close(socketFD) }
        var one: Int32 = 1
        setsockopt(socketFD, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var socketAddress = sockaddr_in()
        socketAddress.sin_family = sa_family_t(AF_INET)
        socketAddress.sin_port = port.bigEndian
        socketAddress.sin_addr.s_addr = inet_addr(address)
        return withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
