import Foundation
import RosterTestSupport
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The provisioned, fixture-loaded domain that was never started: every test DC runs on a copy
/// of its own, so tests never see each other's changes.
///
/// Made once per process (about ten seconds) and kept in the temp folder under a key of what it
/// was made from, so later runs reuse it and a concurrent run waits for the one making it. A
/// template becomes visible only complete: it is made in a folder of its own and renamed into
/// place with its `complete` marker, and a folder without the marker (a temp cleaner's
/// half-deleted leftover) is set aside and made anew.
struct SambaTemplate: Sendable {
    let folder: URL

    /// The certificates of every DC: one CA, a server certificate for every loopback address.
    var certificates: TestCertificates { TestCertificates(existingIn: folder.appendingPathComponent("tls")) }

    private static let current = Mutex<Task<SambaTemplate, any Error>?>(nil)

    /// The process's template; concurrent tests wait for the same one. A failure is every
    /// caller's failure (one provisioning attempt per process).
    static func shared() async throws -> SambaTemplate {
        let task = current.withLock { current in
            if let current { return current }
            // Off the concurrency pool: provisioning blocks a thread for seconds.
            let task = Task { try await offPool { try prepare() } }
            current = task
            return task
        }
        return try await task.value
    }

    /// Copies the whole template (domain and certificates) to `destination`, which must not exist.
    func copy(to destination: URL) throws {
        try ExternalTool("/bin/cp").succeed(["-a", "--reflink=auto", folder.path, destination.path])
        try? FileManager.default.removeItem(at: destination.appendingPathComponent(Self.marker))
    }

    // MARK: - The cache

    private static let marker = "complete"
    private static let prefix = "roster-samba-template-"

    private static func prepare() throws -> SambaTemplate {
        try SambaInstallation.check()
        let temp = FileManager.default.temporaryDirectory
        let cache = temp.appendingPathComponent(prefix + SambaProvisioning.cacheKey)
        let marker = cache.appendingPathComponent(Self.marker)
        let files = FileManager.default
        if let template = reuse(cache) { return template }
        // One run provisions, a concurrent one waits for it (two at once on two cores take as
        // long as both one after the other). The kernel drops the lock of a run that dies.
        let lock = open(cache.path + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        defer { if lock >= 0 { close(lock) } }
        if lock >= 0 { flock(lock, LOCK_EX) }
        if let template = reuse(cache) { return template }
        if files.fileExists(atPath: cache.path) {
            let aside = temp.appendingPathComponent("\(cache.lastPathComponent).broken-\(UUID().uuidString)")
            try? files.moveItem(at: cache, to: aside)
            try? files.removeItem(at: aside)
        }
        let building = temp.appendingPathComponent("\(cache.lastPathComponent).building-\(UUID().uuidString)")
        defer { try? files.removeItem(at: building) }
        try SambaProvisioning.build(in: building)
        try Data().write(to: building.appendingPathComponent(Self.marker))
        // Atomic; fails when a run that could not take the lock put its own there first, as good.
        if rename(building.path, cache.path) != 0, !files.fileExists(atPath: marker.path) {
            throw ExternalTool.Failed(
                description: "cannot move the Samba template to \(cache.path): \(String(cString: strerror(errno)))")
        }
        prune(except: cache.lastPathComponent)
        return SambaTemplate(folder: cache)
    }

    /// The complete template at `cache`, marked used (pruning spares templates in use).
    private static func reuse(_ cache: URL) -> SambaTemplate? {
        let marker = cache.appendingPathComponent(Self.marker)
        guard FileManager.default.fileExists(atPath: marker.path) else { return nil }
        try? FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: marker.path)
        return SambaTemplate(folder: cache)
    }

    /// Removes templates no run used for a day (an older Samba or fixture), and leftovers of
    /// builds (and their locks) an hour old or more.
    private static func prune(except keep: String) {
        let files = FileManager.default
        let temp = files.temporaryDirectory
        guard let names = try? files.contentsOfDirectory(atPath: temp.path) else { return }
        for name in names where name.hasPrefix(prefix) && name != keep && name != keep + ".lock" {
            let folder = temp.appendingPathComponent(name)
            let isLeftover = name.contains(".building-") || name.contains(".broken-") || name.hasSuffix(".lock")
            let stamp = isLeftover ? folder : folder.appendingPathComponent(marker)
            let modified = (try? files.attributesOfItem(atPath: stamp.path))?[.modificationDate] as? Date
            let age = Date().timeIntervalSince(modified ?? .distantPast)
            if age > (isLeftover ? 3600 : 86400) { try? files.removeItem(at: folder) }
        }
    }
}
