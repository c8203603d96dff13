/// A store failure that is not a SQLite error: bad input to the store, or a database it cannot use.
public enum StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// An update names a user id that has no row.
    case userNotFound(id: Int64)
    /// A change the store cannot write as given (a create with an id, an update without one…).
    case invalidChange(String)
    /// A stored row does not decode (a value outside its enumeration, a bad timestamp…).
    case corruptRow(table: String, key: String, problem: String)
    /// The file was migrated by a newer Roster than this one.
    case newerSchema(path: String, found: Int32, supported: Int32)
    /// The database could not be set up: its folder, its file, or its journal mode.
    case cannotOpen(path: String, reason: String)

    public var description: String {
        switch self {
        case .userNotFound(let id):
            return "user \(id) does not exist in the directory"
        case .invalidChange(let problem):
            return "cannot apply the change: \(problem)"
        case .corruptRow(let table, let key, let problem):
            return "the directory database holds a bad \(table) row (\(key)): \(problem)"
        case .newerSchema(let path, let found, let supported):
            return "\(path) has schema version \(found), newer than this roster supports (\(supported)); "
                + "upgrade roster or restore a matching backup"
        case .cannotOpen(let path, let reason):
            return "cannot open the directory database \(path): \(reason)"
        }
    }
}
