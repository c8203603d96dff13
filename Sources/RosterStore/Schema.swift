/// The store's tables, created and migrated by `PRAGMA user_version`.
///
/// Migration `i` takes a database from version `i` to `i + 1`; a released migration is never
/// edited, only followed by a new one.
enum Schema {
    static let migrations: [String] = [
        version1, oidcVersion, sourceCacheVersion, touchedPlanningVersion, memberIndexVersion,
        leanerIndexesVersion, kindEqualitiesVersion, statusEqualitiesVersion,
    ]

    static var currentVersion: Int32 { Int32(migrations.count) }

    /// Brings the database at `connection` to `currentVersion` in one transaction.
    ///
    /// Foreign keys are off while it runs: a migration may rebuild a table that others reference
    /// (SQLite's way to change a constraint), and SQLite switches them only outside a
    /// transaction. Every reference is checked before the migration commits, and they are on
    /// again after it, whether it committed or not.
    static func migrate(_ connection: SQLiteConnection) throws {
        try connection.execute("PRAGMA foreign_keys = OFF")
        do {
            try migrateInTransaction(connection)
        } catch {
            try? connection.execute("PRAGMA foreign_keys = ON")
            throw error
        }
        try connection.execute("PRAGMA foreign_keys = ON")
    }

    private static func migrateInTransaction(_ connection: SQLiteConnection) throws {
        try connection.transaction {
            // Read inside the write transaction so two processes opening a new file cannot both migrate it.
            let found = Int32(try connection.scalarText("PRAGMA user_version") ?? "0") ?? 0
            guard found <= currentVersion else {
                throw StoreError.newerSchema(path: connection.path, found: found, supported: currentVersion)
            }
            for version in Int(found)..<migrations.count {
                try connection.execute(migrations[version])
            }
            if found < currentVersion {
                if let table = try connection.scalarText("PRAGMA foreign_key_check") {
                    throw StoreError.invalidChange(
                        "migrating the schema left rows of \(table) without the row they reference")
                }
                // PRAGMA takes no bound parameters; the value is this build's constant, never input.
                try connection.execute("PRAGMA user_version = \(currentVersion)")
            }
        }
    }

    // MARK: - Versions

    /// A user's status is checked by equalities, as an assignment's kind is (version 7), for the
    /// same reason: one temporary table less per user written. The table is rebuilt the way SQLite
    /// documents for changing a constraint (foreign keys off, see `migrate`), ids, their
    /// AUTOINCREMENT high-water mark and indexes kept.
    private static let statusEqualitiesVersion = """
        CREATE TABLE users_v8 (
            -- AUTOINCREMENT: ids of deleted rows are never handed out again.
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            username TEXT NOT NULL,
            username_key TEXT NOT NULL,
            email TEXT NOT NULL,
            email_key TEXT NOT NULL,
            first_name TEXT NOT NULL DEFAULT '',
            last_name TEXT NOT NULL DEFAULT '',
            type TEXT NOT NULL CHECK (type IN ('admin', 'user')),
            -- Not IN (…): SQLite checks a list of three or more through a temporary table per row.
            status TEXT NOT NULL CHECK (status = 'active' OR status = 'inactive' OR status = 'deleted'),
            origin TEXT NOT NULL,
            last_login TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            deactivated_at TEXT,
            deactivated_by TEXT CHECK (deactivated_by IN ('sync', 'admin')),
            password_hash TEXT,
            must_change_password INTEGER NOT NULL DEFAULT 0
        );
        INSERT INTO users_v8 (id, username, username_key, email, email_key, first_name, last_name, type, status,
                origin, last_login, created_at, updated_at, deactivated_at, deactivated_by, password_hash,
                must_change_password)
            SELECT id, username, username_key, email, email_key, first_name, last_name, type, status,
                origin, last_login, created_at, updated_at, deactivated_at, deactivated_by, password_hash,
                must_change_password
            FROM users ORDER BY id;
        DELETE FROM sqlite_sequence WHERE name = 'users_v8';
        INSERT INTO sqlite_sequence (name, seq) SELECT 'users_v8', seq FROM sqlite_sequence WHERE name = 'users';
        DROP TABLE users;
        ALTER TABLE users_v8 RENAME TO users;
        CREATE UNIQUE INDEX users_email_key ON users (email_key) WHERE status <> 'deleted';
        CREATE UNIQUE INDEX users_username_key ON users (username_key)
            WHERE status <> 'deleted' AND username_key <> '';
        CREATE INDEX users_inactive ON users (deactivated_at) WHERE status = 'inactive';
        """

    /// The kind of an assignment is checked by equalities rather than `IN (…)`: SQLite checks
    /// a list of three or more constants through a temporary table, which it builds and frees
    /// for every row inserted. That was a third of SQLite's work in a first sync, whose users
    /// have several assignments each. The same values pass and fail as before.
    private static let kindEqualitiesVersion = """
        CREATE TABLE assignments_v7 (
            user_id INTEGER NOT NULL REFERENCES users (id),
            kind TEXT NOT NULL CHECK (kind = 'role' OR kind = 'group' OR kind = 'project'),
            name TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT '',
            origin TEXT NOT NULL
        );
        INSERT INTO assignments_v7 (rowid, user_id, kind, name, detail, origin)
            SELECT rowid, user_id, kind, name, detail, origin FROM assignments ORDER BY rowid;
        DROP TABLE assignments;
        ALTER TABLE assignments_v7 RENAME TO assignments;
        CREATE INDEX assignments_user ON assignments (user_id);
        CREATE INDEX assignments_project_owner ON assignments (user_id) WHERE kind = 'project' AND detail = 'owner';
        """

    /// Fewer index writes per change. The audit log loses its email index: records are found by
    /// user id, and the email only finds those of an address nobody in the directory holds any
    /// more, a rare search that can scan; the index cost every change a write at a random place
    /// (a third of the pages an incremental run of 1,000 updates wrote). Assignments lose their
    /// UNIQUE index, a second copy of every row: a user's facts are always rewritten together by
    /// one writer that keeps each once, and they are found by user through a small index.
    private static let leanerIndexesVersion = """
        DROP INDEX IF EXISTS audit_email;

        CREATE TABLE assignments_v6 (
            user_id INTEGER NOT NULL REFERENCES users (id),
            kind TEXT NOT NULL CHECK (kind IN ('role', 'group', 'project')),
            name TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT '',
            origin TEXT NOT NULL
        );
        INSERT INTO assignments_v6 (rowid, user_id, kind, name, detail, origin)
            SELECT rowid, user_id, kind, name, detail, origin FROM assignments ORDER BY rowid;
        DROP TABLE assignments;
        ALTER TABLE assignments_v6 RENAME TO assignments;
        -- Rows in rowid order within a user: the order the writer gave them.
        CREATE INDEX assignments_user ON assignments (user_id);
        CREATE INDEX assignments_project_owner ON assignments (user_id) WHERE kind = 'project' AND detail = 'owner';
        """

    /// Which cached groups hold a member value, so that a run whose changes touch a few users
    /// loads their groups only. Caches are rebuilt with it (the next read of each source is full).
    private static let memberIndexVersion = """
        CREATE TABLE source_members (
            source TEXT NOT NULL,
            -- A member value of a cached group (a user's or a group's normalised DN, or a
            -- memberUid name), folded as LDAP compares names.
            member TEXT NOT NULL,
            -- The group's id in source_groups.
            group_id TEXT NOT NULL,
            -- The value as the group holds it where folding changed it, else empty.
            value TEXT NOT NULL,
            PRIMARY KEY (source, member, group_id, value)
        ) WITHOUT ROWID;
        DELETE FROM source_users;
        DELETE FROM source_groups;
        DELETE FROM source_state WHERE key IN ('cookie', 'full_read_at', 'generation');
        """

    /// Planning only the people a run's changes touch: the cache finds entries by the keys that
    /// link them to people (email, the username they would get, member values), and the
    /// checkpoint says against which caches, configuration and audit position the directory was
    /// last planned whole. The cache is rebuilt (it is only what the next read starts from).
    private static let touchedPlanningVersion = """
        DROP TABLE source_users;
        CREATE TABLE source_users (
            source TEXT NOT NULL,
            id TEXT NOT NULL,
            dn TEXT,
            normalized_dn TEXT,
            username TEXT,
            email TEXT,
            first_name TEXT,
            last_name TEXT,
            disabled INTEGER NOT NULL,
            primary_group_sid TEXT,
            -- JSON object of the values `attribute:` selectors read; NULL when there are none.
            attributes TEXT,
            -- EmailAddress.key(email), Planner.usernameKey (the username the entry would get) and
            -- the folded username as `memberUid` values name it.
            email_key TEXT,
            username_key TEXT,
            member_name TEXT,
            PRIMARY KEY (source, id)
        );
        CREATE INDEX source_users_email ON source_users (source, email_key);
        CREATE INDEX source_users_username ON source_users (source, username_key);
        CREATE INDEX source_users_dn ON source_users (source, normalized_dn);
        CREATE INDEX source_users_member_name ON source_users (source, member_name);
        DELETE FROM source_groups;
        DELETE FROM source_state WHERE key IN ('cookie', 'full_read_at', 'generation');

        CREATE TABLE plan_checkpoint (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            -- The last audit record of the run that planned: any record after it is a change
            -- (an admin's, a login…) the next plan cannot assume it knows.
            audit_seq INTEGER NOT NULL,
            config_sha256 TEXT NOT NULL,
            roster_version TEXT NOT NULL,
            -- "source=generation" lines: the cache of each source the plan was made against.
            caches TEXT NOT NULL
        );
        CREATE INDEX assignments_project_owner ON assignments (user_id) WHERE kind = 'project' AND detail = 'owner';
        CREATE INDEX users_inactive ON users (deactivated_at) WHERE status = 'inactive';
        -- The last record of an action (config.load, every run) without reading the whole log.
        CREATE INDEX audit_action ON audit (action, seq);
        """

    /// What each incrementally read source looked like after its last read: the entries that
    /// the changes of the next incremental read are merged into, in columns (a JSON document per
    /// entry costs seconds at 100,000 users). The cookie and the time of the last full read stay
    /// in `source_state`.
    private static let sourceCacheVersion = """
        CREATE TABLE IF NOT EXISTS source_users (
            source TEXT NOT NULL,
            id TEXT NOT NULL,
            dn TEXT,
            normalized_dn TEXT,
            username TEXT,
            email TEXT,
            first_name TEXT,
            last_name TEXT,
            disabled INTEGER NOT NULL,
            primary_group_sid TEXT,
            -- JSON object of the values `attribute:` selectors read; NULL when there are none.
            attributes TEXT,
            PRIMARY KEY (source, id)
        );
        CREATE TABLE IF NOT EXISTS source_groups (
            source TEXT NOT NULL,
            -- The group's external id, or its normalised DN where it has none.
            id TEXT NOT NULL,
            external_id TEXT NOT NULL,
            dn TEXT NOT NULL,
            normalized_dn TEXT NOT NULL,
            name TEXT NOT NULL,
            security_id TEXT,
            -- JSON array of the member DNs (or usernames).
            members TEXT NOT NULL,
            PRIMARY KEY (source, id)
        );
        """

    private static let oidcVersion = """
        CREATE TABLE IF NOT EXISTS oidc_grants (
            source TEXT NOT NULL,
            subject TEXT NOT NULL,
            -- Base64 of the AES-256-GCM box (nonce || ciphertext || tag) under token_key_file.
            refresh_token TEXT,
            claims TEXT NOT NULL,
            claims_at TEXT NOT NULL,
            refreshed_at TEXT,
            stale INTEGER NOT NULL DEFAULT 0,
            problem TEXT,
            withdrawn_at TEXT,
            PRIMARY KEY (source, subject)
        );

        CREATE TABLE IF NOT EXISTS sessions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            user_id INTEGER NOT NULL REFERENCES users (id),
            source TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('dashboard', 'sdk')),
            client TEXT NOT NULL,
            started_at TEXT NOT NULL,
            expires_at TEXT
        );
        CREATE INDEX IF NOT EXISTS sessions_user ON sessions (user_id, started_at);
        """

    private static let version1 = """
        CREATE TABLE users (
            -- AUTOINCREMENT: ids of deleted rows are never handed out again.
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            username TEXT NOT NULL,
            username_key TEXT NOT NULL,
            email TEXT NOT NULL,
            email_key TEXT NOT NULL,
            first_name TEXT NOT NULL DEFAULT '',
            last_name TEXT NOT NULL DEFAULT '',
            type TEXT NOT NULL CHECK (type IN ('admin', 'user')),
            status TEXT NOT NULL CHECK (status IN ('active', 'inactive', 'deleted')),
            origin TEXT NOT NULL,
            last_login TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            deactivated_at TEXT,
            deactivated_by TEXT CHECK (deactivated_by IN ('sync', 'admin')),
            password_hash TEXT,
            must_change_password INTEGER NOT NULL DEFAULT 0
        );
        -- Tombstones free their email and username (SPEC §2).
        CREATE UNIQUE INDEX users_email_key ON users (email_key) WHERE status <> 'deleted';
        CREATE UNIQUE INDEX users_username_key ON users (username_key)
            WHERE status <> 'deleted' AND username_key <> '';

        CREATE TABLE identities (
            user_id INTEGER NOT NULL REFERENCES users (id),
            source TEXT NOT NULL,
            external_id TEXT NOT NULL,
            dn TEXT,
            UNIQUE (source, external_id)
        );
        CREATE INDEX identities_user ON identities (user_id);

        CREATE TABLE assignments (
            user_id INTEGER NOT NULL REFERENCES users (id),
            kind TEXT NOT NULL CHECK (kind IN ('role', 'group', 'project')),
            name TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT '',
            origin TEXT NOT NULL,
            UNIQUE (user_id, kind, name, detail, origin)
        );

        CREATE TABLE audit (
            -- AUTOINCREMENT keeps the highest seq ever written in sqlite_sequence, so a log
            -- whose last records were deleted is detected by verification.
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            time TEXT NOT NULL,
            run TEXT,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            user_id INTEGER,
            email TEXT,
            email_key TEXT,
            -- The full record as canonical JSON including its hash: the authoritative copy.
            document TEXT NOT NULL,
            prev TEXT NOT NULL,
            hash TEXT NOT NULL
        );
        CREATE INDEX audit_time ON audit (time);
        CREATE INDEX audit_user ON audit (user_id);
        CREATE INDEX audit_email ON audit (email_key);
        CREATE INDEX audit_run ON audit (run);

        CREATE TABLE runs (
            id TEXT PRIMARY KEY,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            outcome TEXT NOT NULL,
            summary TEXT NOT NULL DEFAULT '',
            exit_code INTEGER
        );
        CREATE INDEX runs_started ON runs (started_at);

        -- Per-source state kept between runs (incremental sync cookies…).
        CREATE TABLE source_state (
            source TEXT NOT NULL,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (source, key)
        );
        """
}
