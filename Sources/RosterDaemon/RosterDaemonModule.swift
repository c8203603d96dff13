/// The service side of Roster: schedule, systemd notifications, signals, control socket.
public enum RosterDaemonModule {}
