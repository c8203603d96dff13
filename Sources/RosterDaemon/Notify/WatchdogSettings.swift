/// The keep-alive period systemd asks for with `WatchdogSec=` (sd_watchdog_enabled(3)).
public enum WatchdogSettings {
    /// Half of `WATCHDOG_USEC`, when set for this process; nil when the watchdog is off.
    ///
    /// `WATCHDOG_PID`, when present, names the process the setting is meant for: a child started
    /// by the daemon inherits the environment and must not think the watchdog is its own.
    public static func pingInterval(environment: [String: String], pid: Int32) -> Duration? {
        guard let text = environment["WATCHDOG_USEC"], let microseconds = UInt64(text), microseconds > 0 else {
            return nil
        }
        if let owner = environment["WATCHDOG_PID"], Int32(owner) != pid { return nil }
        return .microseconds(Int64(clamping: microseconds / 2))
    }
}
