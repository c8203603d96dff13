import Foundation

extension Daemon {
    /// What a reload did, for the control socket's answer.
    enum ReloadOutcome {
        case accepted(DaemonSettings, changed: Bool)
        case rejected(String)
    }

    /// Reads the configuration again (SIGHUP or the `reload` op). A configuration that fails any
    /// check is logged with its `PATH:LINE:COL` problems and the one in use stays; a good one is
    /// used from the next run on, which starts at once when the file changed.
    func reload(trigger: String) -> ReloadOutcome {
        notifier.send(.reloading(monotonicMicroseconds: SystemdNotifier.monotonicMicroseconds()))
        defer { notifier.send(.ready) }
        let settings: DaemonSettings
        do {
            settings = try backend.reload()
        } catch {
            let problems = "\(error)"
            let current = state.withLock { state in
                state.lastReload = DaemonStatus.Reload(at: Date(), accepted: false, error: problems)
                state.metrics.recordReload(succeeded: false)
                return state.settings
            }
            for line in problems.split(whereSeparator: \.isNewline) {
                logger.error("reload (\(trigger)) rejected: \(line)")
            }
            logger.warning(
                "keeping the configuration in use (sha256 \(current.configSHA256.prefix(12))); "
                    + "fix \(current.configPath) and reload again")
            return .rejected(problems)
        }
        let (previous, accepted) = state.withLock { state in
            let previous = state.settings
            var accepted = settings
            // The socket is bound once; a new path takes effect at the next start.
            accepted.controlSocket = previous.controlSocket
            var random = SystemRandomNumberGenerator()
            let changed = accepted.configSHA256 != previous.configSHA256
            state.schedule.reconfigure(
                policy: accepted.policy, sources: accepted.sources, now: Date(), runNow: changed, using: &random)
            state.settings = accepted
            state.configAuditPending = state.configAuditPending || changed
            state.lastReload = DaemonStatus.Reload(at: Date(), accepted: true, error: nil)
            state.metrics.recordReload(succeeded: true)
            return (previous, accepted)
        }
        let changed = accepted.configSHA256 != previous.configSHA256
        if settings.controlSocket != previous.controlSocket {
            logger.warning(
                "daemon.control_socket is now \(settings.controlSocket); the daemon keeps answering on "
                    + "\(previous.controlSocket) until it restarts")
        }
        logger.notice(
            "configuration reloaded (\(trigger)) from \(accepted.configPath), sha256 \(accepted.configSHA256.prefix(12))"
                + (changed ? ": changed, a run starts now" : ": unchanged"))
        wake.signal()
        return .accepted(accepted, changed: changed)
    }
}
