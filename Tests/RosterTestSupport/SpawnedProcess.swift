import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A long-running child (slapd, samba) started with `posix_spawn`, its output appended to a file.
///
/// Not Foundation's `Process`: a child inherits the signal mask of the thread that starts it,
/// and the test runner's threads block SIGTERM, so a slapd started from one ignored SIGTERM and
/// never stopped. Here the child starts with no signal blocked and default handlers.
public final class SpawnedProcess: Sendable {
    public let pid: pid_t
    /// The exit status once reaped; reaping happens once, under the lock.
    private let status = Mutex<Int32?>(nil)

    public init(_ path: String, _ arguments: [String], output: String) throws {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Nothing else of the runner's: a server that kept the write end of a pipe another test
        // reads to its end (a roster run's output) would make that test wait for the server.
        Self.closeInheritedDescriptors(&actions)

        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        var child: pid_t = 0
        let code = posix_spawn(&child, path, &actions, &attributes, argv, environ)
        guard code == 0 else {
            throw ExternalTool.Failed(description: "cannot start \(path): \(String(cString: strerror(code)))")
        }
        pid = child
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34), which its Swift module does not
    /// declare; else a close for each descriptor open now.
    private static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        if let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") {
            _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
            return
        }
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for descriptor in open.compactMap(Int32.init) where descriptor > 2 {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }
    }

    public var isRunning: Bool {
        status.withLock { status in
            guard status == nil else { return false }
            var raw: Int32 = 0
            if waitpid(pid, &raw, WNOHANG) == pid { status = raw }
            return status == nil
        }
    }

    /// Sends `signal` and waits for the child to exit.
    public func stop(with signal: Int32) {
        status.withLock { status in
            guard status == nil else { return }
            kill(pid, signal)
            var raw: Int32 = 0
            while waitpid(pid, &raw, 0) == -1, errno == EINTR {}
            status = raw
        }
    }

    /// SIGTERM, and SIGKILL when the child is still there after `grace`: a server that hangs
    /// on its way out must not outlive the test.
    public func stop(grace: Duration) {
        guard isRunning else { return }
        kill(pid, SIGTERM)
        let deadline = ContinuousClock.now + grace
        while isRunning, ContinuousClock.now < deadline { usleep(10_000) }
        stop(with: SIGKILL)
    }
}
