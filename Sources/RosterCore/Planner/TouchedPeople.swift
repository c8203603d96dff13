/// The people a run's changes can affect, and everyone whose plan depends on theirs: what a
/// planner given only them plans exactly as it would plan the whole directory, when the
/// directory is as the last run left it against the same caches and configuration (then every
/// person left out would be planned no change).
///
/// Starting from the changed and removed entries and the members of changed groups, it adds
/// until nothing new turns up: the directory users linked to an entry, or holding its email or
/// the username it would get; every cached entry of those users; and the cached entries, in any
/// source, with the same email or username as anyone included (the entries a claim could have
/// skipped, or that link across sources). Old and new forms of a changed entry both count.
public struct TouchedPeople {
    /// The directory users included, by id.
    public private(set) var directory: [DirectoryUser] = []
    /// Per source, its users included, in the order of its whole snapshot (the cache's order,
    /// new entries last): the order decides which of two claims on one email comes first.
    public private(set) var users: [String: [SourceUser]] = [:]

    /// - Parameters:
    ///   - seeds: directory users to include whatever the changes (those `delete_after` may
    ///     expire, the owners of projects).
    ///   - cachedChanged: per source, the cached (old) forms of its changed users, where the
    ///     caller read them already: they are not looked up again.
    public static func resolve(
        _ deltas: [SourceDelta], seeds: Set<Int64>, cachedChanged: [String: [CachedSourceUser]] = [:],
        lookup: some PlanningLookup
    ) throws -> TouchedPeople {
        var walk = Walk(sources: deltas.map(\.source))
        walk.directoryWanted.ids = seeds
        for delta in deltas {
            var keys = CacheKeys()
            for user in delta.changedUsers {
                walk.changed[delta.source, default: [:]][user.externalID] = user
                keys.ids.insert(user.externalID)
                walk.noteEntry(user, in: delta.source)
            }
            if let known = cachedChanged[delta.source] {
                // Their ids were asked: whatever of the changed users is cached is among them.
                walk.cacheAsked[delta.source, default: CacheKeys()].ids = keys.ids
                keys.ids = []
                for entry in known { walk.noteCached(entry, in: delta.source) }
            }
            for id in delta.removedUsers {
                keys.ids.insert(id)
                walk.directoryWanted.identities[delta.source, default: []].insert(id)
            }
            walk.removed[delta.source] = delta.removedUsers
            keys.memberKeys = delta.memberKeys
            keys.primaryGroupSIDs = delta.primaryGroupSIDs
            walk.cacheWanted[delta.source, default: CacheKeys()].merge(keys)
        }
        try walk.run(lookup)
        return walk.result(order: deltas)
    }

    /// The state of the search: what is in, what is still to look up, what was looked up.
    private struct Walk {
        let sources: [String]
        var changed: [String: [String: SourceUser]] = [:]
        var removed: [String: Set<String>] = [:]
        var directoryByID: [Int64: DirectoryUser] = [:]
        /// Per source, cached entries found (as cached: the old form of a changed one).
        var cached: [String: [String: CachedSourceUser]] = [:]
        var directoryWanted = DirectoryKeys()
        var cacheWanted: [String: CacheKeys] = [:]
        var directoryAsked = DirectoryKeys()
        var cacheAsked: [String: CacheKeys] = [:]
        /// Per source, the cache positions of the entries in `cached`.
        var knownPositions: [String: Set<Int64>] = [:]

        init(sources: [String]) { self.sources = sources }

        /// An entry (either form) is in: its user in the directory, and whoever shares its email
        /// or username, are looked for.
        mutating func noteEntry(_ user: SourceUser, in source: String) {
            directoryWanted.identities[source, default: []].insert(user.externalID)
            if let email = user.email {
                let key = EmailAddress.key(email)
                directoryWanted.emailKeys.insert(key)
                for other in sources { cacheWanted[other, default: CacheKeys()].emailKeys.insert(key) }
            }
            if let key = Planner.usernameKey(of: user) {
                directoryWanted.usernameKeys.insert(key)
                for other in sources { cacheWanted[other, default: CacheKeys()].usernameKeys.insert(key) }
            }
        }

        /// A cached entry is in, as `noteEntry`; it is not read again.
        mutating func noteCached(_ entry: CachedSourceUser, in source: String) {
            cached[source, default: [:]][entry.user.externalID] = entry
            knownPositions[source, default: []].insert(entry.position)
            noteEntry(entry.user, in: source)
        }

        /// A directory user is in: each of its entries, and the entries that share its email or
        /// username, are looked for.
        mutating func noteDirectoryUser(_ user: DirectoryUser) {
            for identity in user.identities where sources.contains(identity.source) {
                cacheWanted[identity.source, default: CacheKeys()].ids.insert(identity.externalID)
            }
            let emailKey = EmailAddress.key(user.email)
            let usernameKey = LDAPText.fold(user.username)
            for source in sources {
                cacheWanted[source, default: CacheKeys()].emailKeys.insert(emailKey)
                cacheWanted[source, default: CacheKeys()].usernameKeys.insert(usernameKey)
            }
        }

        mutating func run(_ lookup: some PlanningLookup) throws {
            while true {
                var progressed = false
                let directoryKeys = directoryWanted.subtracting(directoryAsked)
                directoryWanted = DirectoryKeys()
                if !directoryKeys.isEmpty {
                    progressed = true
                    directoryAsked.merge(directoryKeys)
                    for user in try lookup.directoryUsers(matching: directoryKeys)
                    where directoryByID[user.id] == nil {
                        directoryByID[user.id] = user
                        noteDirectoryUser(user)
                    }
                }
                for source in sources {
                    let keys = (cacheWanted[source] ?? CacheKeys()).subtracting(cacheAsked[source] ?? CacheKeys())
                    cacheWanted[source] = nil
                    guard !keys.isEmpty else { continue }
                    progressed = true
                    cacheAsked[source, default: CacheKeys()].merge(keys)
                    for entry in try lookup.cachedUsers(source, matching: keys, except: knownPositions[source] ?? [])
                    where cached[source]?[entry.user.externalID] == nil {
                        noteCached(entry, in: source)
                    }
                }
                if !progressed { return }
            }
        }

        func result(order deltas: [SourceDelta]) -> TouchedPeople {
            var people = TouchedPeople()
            people.directory = directoryByID.values.sorted { $0.id < $1.id }
            for delta in deltas {
                let source = delta.source
                let changedHere = changed[source] ?? [:]
                let removedHere = removed[source] ?? []
                var users = (cached[source] ?? [:]).values
                    .filter { !removedHere.contains($0.user.externalID) }
                    .sorted { $0.position < $1.position }
                    .map { changedHere[$0.user.externalID] ?? $0.user }
                let known = Set(users.map(\.externalID))
                users += delta.changedUsers.filter { !known.contains($0.externalID) }
                people.users[source] = users
            }
            return people
        }
    }
}

extension DirectoryKeys {
    mutating func merge(_ other: DirectoryKeys) {
        ids.formUnion(other.ids)
        identities.merge(other.identities) { $0.union($1) }
        emailKeys.formUnion(other.emailKeys)
        usernameKeys.formUnion(other.usernameKeys)
    }

    func subtracting(_ other: DirectoryKeys) -> DirectoryKeys {
        var result = DirectoryKeys()
        result.ids = ids.subtracting(other.ids)
        for (source, ids) in identities {
            let left = ids.subtracting(other.identities[source] ?? [])
            if !left.isEmpty { result.identities[source] = left }
        }
        result.emailKeys = emailKeys.subtracting(other.emailKeys)
        result.usernameKeys = usernameKeys.subtracting(other.usernameKeys)
        return result
    }
}

extension CacheKeys {
    mutating func merge(_ other: CacheKeys) {
        ids.formUnion(other.ids)
        emailKeys.formUnion(other.emailKeys)
        usernameKeys.formUnion(other.usernameKeys)
        memberKeys.formUnion(other.memberKeys)
        primaryGroupSIDs.formUnion(other.primaryGroupSIDs)
    }

    func subtracting(_ other: CacheKeys) -> CacheKeys {
        var result = CacheKeys()
        result.ids = ids.subtracting(other.ids)
        result.emailKeys = emailKeys.subtracting(other.emailKeys)
        result.usernameKeys = usernameKeys.subtracting(other.usernameKeys)
        result.memberKeys = memberKeys.subtracting(other.memberKeys)
        result.primaryGroupSIDs = primaryGroupSIDs.subtracting(other.primaryGroupSIDs)
        return result
    }
}
