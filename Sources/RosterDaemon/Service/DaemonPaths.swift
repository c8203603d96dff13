import Foundation

/// Where the daemon's files go when the configuration does not say.
public enum DaemonPaths {
    /// The control socket's file name next to the store, when `daemon.control_socket` is unset.
    public static let defaultSocketName = "roster.sock"

    /// `daemon.control_socket`, or `roster.sock` in the store's folder.
    public static func controlSocket(configured: String?, directoryPath: String) -> String {
        if let configured, !configured.isEmpty { return configured }
        let folder = (directoryPath as NSString).deletingLastPathComponent
        return (folder.isEmpty ? "." : folder) + "/" + defaultSocketName
    }
}
