/// A change's audit events with their `changes` and `reason` already written as canonical JSON,
/// for the thread that builds them ahead of the writer. A creation's are written straight from
/// the change: on a first sync, building and freeing a JSON tree for each of 100,000 creations
/// was most of that thread's work besides the chains.
extension AuditEventBuilder {
    public typealias WrittenEvent = (event: AuditEvent, prewritten: PrewrittenJSON?)

    /// The events `events(for:actor:)` gives, each with its `changes` and `reason` written. A
    /// creation's event carries only their written form, not the values; other events carry both.
    public static func writtenEvents(for change: UserChange, actor: String) -> [WrittenEvent] {
        guard change.action == .create else {
            return events(for: change, actor: actor).map { ($0, PrewrittenJSON($0)) }
        }
        let event = AuditEvent(action: "user.create", actor: actor, userID: 0, email: change.email)
        return [(event, PrewrittenJSON(changes: writtenCreation(of: change.after), reason: writtenReason(change)))]
    }

    /// The bytes of `fieldChanges(from: nil, to: user)` merged with the summary of every grant.
    static func writtenCreation(of user: DirectoryUser) -> [UInt8] {
        var writer = CanonicalJSONWriter(capacity: 512)
        var members = MemberWriter()
        // In code point order: email, first_name, groups, identities, last_name, projects,
        // roles, status, type, username. Every field is new: [null, value].
        func field(_ key: StaticString, _ value: String) {
            members.next(key, &writer)
            writer.appendRaw("[null,")
            writer.write(value)
            writer.appendRaw("]")
        }
        func grants(_ key: StaticString, _ kind: AssignmentKind) {
            let labels = sortedLabels(of: kind, in: user.assignments)
            guard !labels.isEmpty else { return }
            members.next(key, &writer)
            writer.appendRaw("{\"added\":")
            writer.writeArray(labels)
            writer.appendRaw(",\"removed\":[]}")
        }
        field("email", user.email)
        field("first_name", user.firstName)
        grants("groups", .group)
        let identities = identityLabels(user.identities)
        if !identities.isEmpty {
            members.next("identities", &writer)
            writer.appendRaw("[[],")
            writer.writeArray(identities)
            writer.appendRaw("]")
        }
        field("last_name", user.lastName)
        grants("projects", .project)
        grants("roles", .role)
        field("status", user.status.rawValue)
        field("type", user.type.rawValue)
        field("username", user.username)
        writer.appendRaw("}")
        return writer.bytes
    }

    /// The bytes of `reasonJSON(change)`; nil when it is nil.
    static func writtenReason(_ change: UserChange) -> [UInt8]? {
        let chains = change.chains  // (worked out on each read)
        guard change.source != nil || !change.mappings.isEmpty || !chains.isEmpty || change.note != nil else {
            return nil
        }
        var writer = CanonicalJSONWriter(capacity: 256)
        var members = MemberWriter()
        // In code point order: chains, mappings, note, source.
        if !chains.isEmpty {
            members.next("chains", &writer)
            writer.writeArray(chains)
        }
        if !change.mappings.isEmpty {
            members.next("mappings", &writer)
            writer.writeArray(change.mappings)
        }
        if let note = change.note {
            members.next("note", &writer)
            writer.write(note)
        }
        if let source = change.source {
            members.next("source", &writer)
            writer.write(source)
        }
        writer.appendRaw("}")
        return writer.bytes
    }

    /// Opens an object and separates its members: the caller writes them in code point order.
    private struct MemberWriter {
        private var started = false

        mutating func next(_ key: StaticString, _ writer: inout CanonicalJSONWriter) {
            writer.appendRaw(started ? "," : "{")
            started = true
            writer.appendRaw("\"")
            writer.appendRaw(key)
            writer.appendRaw("\":")
        }
    }
}
