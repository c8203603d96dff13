import Testing

/// The suites whose tests only read the directory share one slapd (started once, stopped at
/// the end), so that the whole target stays within about a minute. They run one test at a time:
/// each reads a few thousand entries, and a loaded machine should not turn that into timeouts.
@Suite(.serialized, .slapd)
struct ReadOnlyDirectoryTests {}
