/// Why an admin's change was not made, as one sentence naming the thing and the fix.
///
/// The two cases map to the exit codes of SPEC §5: a malformed value on the command line is a
/// usage error (2); a change the directory's state refuses is a runtime error (1).
public enum AdminError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A value given is malformed or unknown: an invalid email, an undefined role.
    case invalidInput(String)
    /// The directory refuses the change: no such user, an inactive user, a field a source owns.
    case refused(String)

    public var description: String {
        switch self {
        case .invalidInput(let message), .refused(let message): return message
        }
    }
}
