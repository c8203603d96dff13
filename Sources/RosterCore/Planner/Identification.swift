/// Step 2 of SPEC §4: which directory user each in-scope source user is.
///
/// Per source by external id; across sources by case-insensitive email. A second identity
/// claiming an email already claimed in the same source is skipped and reported.
struct Identification {
    let planner: Planner
    let liveSources: Set<String>
    private(set) var persons: [Planner.Person] = []
    private(set) var skipped: [SkippedIdentity] = []
    private(set) var warnings: [String] = []
    /// Directory users this run has an answer for (a person, or a skipped entry that still exists).
    private(set) var handled = Set<Int>()
    /// Why a user seen in a source is out of scope, for the deactivation note.
    private(set) var outOfScopeReasons: [Int: String] = [:]

    /// Per source read, in the order read, its mappings with the groups and users it returned,
    /// for the chains of changed users (`SourceUserPosition.source` is the position here).
    private(set) var replays: [ChainReplay] = []

    private var byExternalID: [String: [String: Int]] = [:]
    private var byEmail: [String: Int] = [:]
    private var personByUser: [Int: Int] = [:]
    private var personByEmail: [String: Int] = [:]
    /// Per source, the entry that claimed each email key (its id and label: not the whole user).
    private var claimedEmails: [String: [String: (externalID: String, label: String)]] = [:]
    /// Per source, the folded DN of each identity: finds the user of an entry that lost its id.
    private var byDN: [String: [String: Int]] = [:]
    /// Per live source, the external ids this run read.
    private var presentIDs: [String: Set<String>] = [:]
    /// Directory users to whom the live sources give only addresses other than their current
    /// one: a user whose address moves away frees it for another user in the same run. (Two
    /// sets of indexes rather than each user's incoming keys: this is asked only about the
    /// current address, and a set of keys per user cost more memory than anything else here.)
    private var movingAway = Set<Int>()

    init(planner: Planner, liveSources: Set<String>, snapshots: [SourceSnapshot]) {
        self.planner = planner
        self.liveSources = liveSources
        for (index, user) in planner.directory.enumerated() where user.status != .deleted {
            for identity in user.identities {
                byExternalID[identity.source, default: [:]][identity.externalID] = index
                if let dn = identity.dn { byDN[identity.source, default: [:]][LDAPText.fold(dn)] = index }
            }
            if !user.email.isEmpty { byEmail[EmailAddress.key(user.email)] = index }
        }
        var keepingAddress = Set<Int>()
        // Only a source some directory user is linked to can have ids present or moving away: a
        // first sync's would be a set of every entry's id, never asked.
        for snapshot in snapshots where byExternalID[snapshot.source] != nil {
            var ids = Set<String>(minimumCapacity: snapshot.users.count)
            for user in snapshot.users where !user.externalID.isEmpty {
                ids.insert(user.externalID)
                if let index = byExternalID[snapshot.source]?[user.externalID], let email = user.email {
                    if EmailAddress.key(email) == EmailAddress.key(planner.directory[index].email) {
                        keepingAddress.insert(index)
                    } else {
                        movingAway.insert(index)
                    }
                }
            }
            presentIDs[snapshot.source] = ids
        }
        movingAway.subtract(keepingAddress)
    }

    mutating func read(_ snapshot: SourceSnapshot) {
        let engine = MappingEngine(source: snapshot.source, configuration: planner.configuration)
        let memberships = MembershipIndex(snapshot: snapshot, onlyItsUsers: planner.totals != nil)
        let idAttribute = idAttributeName(snapshot.source)
        var matchCache = MatchCache()
        let sourcePosition = UInt32(replays.count)
        // A large snapshot is evaluated on another thread, ahead of the identification below.
        let ahead =
            snapshot.users.count > EvaluationsAhead.chunkSize
            ? EvaluationsAhead(engine: engine, memberships: memberships, users: snapshot.users) : nil
        var chunk: [MappingEvaluation?] = []
        // Sized for every user at once: a first sync's tables otherwise rehash as they double.
        persons.reserveCapacity(persons.count + snapshot.users.count)
        personByEmail.reserveCapacity(personByEmail.count + snapshot.users.count)
        claimedEmails[snapshot.source, default: [:]].reserveCapacity(snapshot.users.count)
        for (userPosition, user) in snapshot.users.enumerated() {
            let positionInChunk = userPosition % EvaluationsAhead.chunkSize
            if let ahead, positionInChunk == 0 { chunk = ahead.next() }
            guard !user.externalID.isEmpty else {
                // Still in the source: its user (found by DN) is kept as it is, not removed.
                let known = user.dn.flatMap { byDN[snapshot.source]?[LDAPText.fold($0)] }
                skip(
                    snapshot.source, user, "no \(idAttribute) value, so it cannot be identified across runs",
                    keeping: known)
                continue
            }
            let existing = byExternalID[snapshot.source]?[user.externalID]
            // Chains (reason texts) are only needed for users that change: `replays` gives them then.
            let evaluation =
                ahead != nil
                ? chunk[positionInChunk]!
                : engine.evaluate(user, memberships: memberships, cache: &matchCache, withChains: false)
            warnings += evaluation.warnings.map { "\(snapshot.source): \(user.label): \($0)" }
            guard evaluation.inScope else {
                if let existing { outOfScopeReasons[existing] = evaluation.outOfScopeReason }
                continue
            }
            identify(
                user, at: SourceUserPosition(source: sourcePosition, user: UInt32(userPosition)),
                of: snapshot.users, evaluation: evaluation, source: snapshot.source, existing: existing)
        }
        replays.append(
            ChainReplay(
                engine: engine, memberships: memberships, users: snapshot.users,
                cache: ahead?.matchCache ?? matchCache))
    }

    /// Ends the reading: hands over the persons found (the planner lets each go as it turns it
    /// into a candidate) and drops the lookup tables, which only `read` uses. On a first sync the
    /// tables hold an entry per user, and the rest of the plan is built while they would linger.
    ///
    /// The tables are freed on another thread (`BackgroundRelease`): at a million users that took
    /// a tenth of a second of the planner's last steps, which run alone while the other core waits.
    mutating func finishReading() -> [Planner.Person] {
        // Handed over as a temporary, each table taken out of its field: no copy stays here to
        // be the last reference.
        BackgroundRelease.release(
            (
                Self.take(&byExternalID, leaving: [:]), Self.take(&byEmail, leaving: [:]),
                Self.take(&personByUser, leaving: [:]), Self.take(&personByEmail, leaving: [:]),
                Self.take(&claimedEmails, leaving: [:]), Self.take(&byDN, leaving: [:]),
                Self.take(&presentIDs, leaving: [:]), Self.take(&movingAway, leaving: [])
            ))
        defer { persons = [] }
        return persons
    }

    /// `value`, with `empty` left in its place.
    private static func take<Value>(_ value: inout Value, leaving empty: Value) -> Value {
        let taken = value
        value = empty
        return taken
    }

    private mutating func identify(
        _ user: SourceUser, at position: SourceUserPosition, of snapshotUsers: [SourceUser],
        evaluation: MappingEvaluation, source: String, existing: Int?
    ) {
        if let problem = EmailAddress.problem(user.email) {
            skip(source, user, problem, keeping: existing)
            return
        }
        let email = user.email!
        let emailKey = EmailAddress.key(email)
        if let earlier = claimedEmails[source]?[emailKey], earlier.externalID != user.externalID {
            skip(source, user, "email \(email) is already claimed by \(earlier.label) in \(source)", keeping: existing)
            return
        }
        claimedEmails[source, default: [:]][emailKey] = (user.externalID, user.label)

        var target = existing
        if let owner = byEmail[emailKey] {
            let ownerUser = planner.directory[owner]
            // `emailKey` is the owner's current address (`byEmail` holds those): free when it moves away.
            if let existing, owner != existing, !movingAway.contains(owner) {
                skip(source, user, "email \(email) is used by another user (id \(ownerUser.id))", keeping: existing)
                return
            }
            if existing == nil {
                // The owner's entry in this source is gone (a re-created account, a new id):
                // the person is linked again rather than locked out for good.
                if let identity = ownerUser.identity(in: source), identity.externalID != user.externalID,
                    presentIDs[source]?.contains(identity.externalID) ?? true
                {
                    skip(
                        source, user,
                        "email \(email) belongs to user id \(ownerUser.id), linked to another entry of \(source)")
                    return
                }
                target = owner
            }
        }
        if let target, planner.isProtected(planner.directory[target]) {
            handled.insert(target)
            return
        }
        if target == nil, planner.isProtected(email: email, username: user.username) {
            skip(source, user, "\(email) is a protected user; sync never creates or changes it")
            return
        }
        let contribution = Planner.Contribution(
            source: source, position: position, snapshotUsers: snapshotUsers, evaluation: evaluation)
        if let target { handled.insert(target) }
        if let index = target.flatMap({ personByUser[$0] }) {
            persons[index].contributions.append(contribution)
            return
        }
        if let index = personByEmail[emailKey] {
            // Someone read earlier in this run has this email: the same person seen by another
            // source links up; anything else is a second claim on the email.
            let person = persons[index]
            let sameSource = person.contributions.contains { $0.source == source }
            let otherUser = target != nil && person.existing != nil && person.existing != target
            guard !sameSource, !otherUser else {
                skip(
                    source, user,
                    "email \(email) is already claimed in this run by \(person.contributions[0].user.label)"
                        + " in \(person.contributions[0].source)", keeping: target)
                return
            }
            if let target, person.existing == nil {
                persons[index].existing = target
                personByUser[target] = index
            }
            persons[index].contributions.append(contribution)
            return
        }
        persons.append(Planner.Person(existing: target, emailKey: emailKey, contributions: [contribution]))
        if let target { personByUser[target] = persons.count - 1 }
        personByEmail[emailKey] = persons.count - 1
    }

    private mutating func skip(_ source: String, _ user: SourceUser, _ reason: String, keeping existing: Int? = nil) {
        skipped.append(SkippedIdentity(source: source, entry: user.dn ?? user.label, reason: reason))
        // A skipped entry still exists in the source: its user is neither removed nor changed.
        if let existing { handled.insert(existing) }
    }

    private func idAttributeName(_ source: String) -> String {
        switch planner.configuration.source(named: source)?.kind {
        case .ldap(let options): return options.users.attributes.id
        case .ldif(let options): return options.users.attributes.id
        case .oidc(let options): return options.claims.id
        case nil: return "id"
        }
    }
}
