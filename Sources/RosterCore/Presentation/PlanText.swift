import Synchronization

/// The text of a plan (SPEC §5): a line per source, a line per change in aligned columns, the
/// skipped entries, warnings and the summary.
extension PlanFormatter {
    /// The widest the email and details columns grow; longer entries overflow them.
    static let maxEmailWidth = 40
    static let maxDetailWidth = 70

    /// `pieces` > 1 renders the change lines in that many parts, as many at once as there are
    /// cores (Dispatch's threads): a run renders its plan while the commit waits for the disk,
    /// and a first sync's 100,000 lines took longer alone than that wait.
    ///
    /// `reserving` leaves room for that many more bytes, for what the caller appends to the text
    /// (a run's status line): a million-user plan's text is 120 MB, and an append beyond its
    /// capacity copies it all into a buffer twice the size.
    public static func text(
        _ plan: Plan, sources: [SourceReadSummary], pieces: Int = 1, reserving extra: Int = 0
    ) -> String {
        let changes = plan.changes
        // Each column is as wide as its widest entry, up to a limit; once one entry reaches the
        // limit, the rest need not be measured.
        var widestEmail = 0
        for index in changes.indices where widestEmail < maxEmailWidth {
            widestEmail = max(widestEmail, DisplayText.characterCount(changes[index].email))
        }
        let emailWidth = min(widestEmail, maxEmailWidth)
        let parts = InParallel.split(changes.indices, into: pieces)
        // The details are made twice, once for the widest (which sets the column) and once for
        // the line: kept between the two, a first sync's would sit next to its whole text (at a
        // million users, 100 MB more at the run's peak).
        // Once any part finds an entry at the limit, every part stops measuring.
        let limitReached = Mutex(false)
        let detailWidth = min(
            InParallel.map(parts) { range in
                var lines = PlanLines()
                var width = 0
                for index in range where width < maxDetailWidth {
                    if limitReached.withLock({ $0 }) { break }
                    width = max(width, lines.measureDetails(of: changes[index]))
                }
                if width >= maxDetailWidth { limitReached.withLock { $0 = true } }
                return width
            }.max() ?? 0, maxDetailWidth)
        let columns = PlanLines.Columns(email: emailWidth, details: detailWidth)
        var bodies = InParallel.map(parts) { range in
            var lines = PlanLines()
            lines.bytes.reserveCapacity(range.count * (emailWidth + detailWidth + 32))
            for index in range {
                if index != range.lowerBound { lines.bytes.append(PlanLines.newline) }
                lines.appendLine(of: changes[index], columns: columns)
            }
            return lines.bytes
        }

        let head = sources.map(\.line)
        var tail: [String] = []
        for skipped in plan.skipped {
            tail.append("! skip        \(skipped.source) \(skipped.entry): \(skipped.reason)")
        }
        for frozen in plan.frozenSources {
            tail.append("! frozen      \(frozen.source): \(frozen.problem); nothing from it was removed")
        }
        for warning in plan.warnings { tail.append("! warning     \(warning)") }
        if let breach = plan.safetyBreach { tail.append("! aborted     \(breach)") }
        tail.append(plan.summaryLine)
        return joinedLines(head: head, bodies: &bodies, tail: tail, reserving: extra)
    }

    /// `head`, each non-empty body and `tail`, a line break between each two, into one string.
    /// Each body is let go as soon as it is copied: the text is held about once, not twice.
    private static func joinedLines(head: [String], bodies: inout [[UInt8]], tail: [String], reserving extra: Int)
        -> String
    {
        let lineCount = head.count + bodies.count { !$0.isEmpty } + tail.count
        let length =
            head.reduce(0) { $0 + $1.utf8.count } + bodies.reduce(0) { $0 + $1.count }
            + tail.reduce(0) { $0 + $1.utf8.count } + max(lineCount - 1, 0)
        return String(unsafeUninitializedCapacity: length + max(extra, 0)) { buffer in
            var written = 0
            func copy(_ bytes: some Collection<UInt8>) {
                if written > 0 {
                    buffer[written] = PlanLines.newline
                    written += 1
                }
                written = buffer[written...].initialize(fromContentsOf: bytes)
            }
            for line in head { copy(line.utf8) }
            for index in bodies.indices where !bodies[index].isEmpty {
                copy(bodies[index])
                bodies[index] = []
            }
            for line in tail { copy(line.utf8) }
            return written
        }
    }

    /// The middle column: what the user gets, or what changes, or why they go.
    static func details(_ change: UserChange) -> String {
        var bytes: [UInt8] = []
        PlanLines.appendDetails(of: change, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The details of a change other than a creation (a creation's are written byte by byte).
    static func changeDetails(_ change: UserChange) -> String {
        let after = change.after
        switch change.action {
        case .create:
            return details(change)
        case .deactivate, .delete:
            return change.note ?? ""
        case .update, .rename, .reactivate:
            guard let before = change.before else { return "" }
            var parts: [String] = []
            for (name, old, new) in [
                ("username", before.username, after.username), ("email", before.email, after.email),
                ("first", before.firstName, after.firstName), ("last", before.lastName, after.lastName),
                ("type", before.type.rawValue, after.type.rawValue),
            ] where old != new {
                parts.append("\(name) \(old)→\(new)")
            }
            for identity in after.identities {
                if let old = before.identity(in: identity.source), old.dn != identity.dn, let dn = identity.dn {
                    parts.append("dn→\(dn)")
                }
            }
            parts += diff("roles", before.assignments.roleNames, after.assignments.roleNames)
            parts += diff(
                "groups", before.assignments.effectiveGroups.map(groupLabel),
                after.assignments.effectiveGroups.map(groupLabel))
            parts += diff(
                "projects", before.assignments.effectiveProjects.map { "\($0.name):\($0.role.rawValue)" },
                after.assignments.effectiveProjects.map { "\($0.name):\($0.role.rawValue)" })
            if parts.isEmpty, before.assignments != after.assignments {
                parts.append("grant origins changed")
            }
            if let note = change.note { parts.append("(\(note))") }
            return parts.joined(separator: " ")
        }
    }

    private static func groupLabel(_ group: (name: String, role: GroupRole)) -> String {
        group.role == .admin ? "\(group.name)(admin)" : group.name
    }

    private static func diff(_ label: String, _ old: [String], _ new: [String]) -> [String] {
        let added = new.filter { !old.contains($0) }.map { "+" + $0 }
        let removed = old.filter { !new.contains($0) }.map { "-" + $0 }
        guard !(added.isEmpty && removed.isEmpty) else { return [] }
        return ["\(label) " + (added + removed).joined(separator: " ")]
    }
}
