import Foundation
import RosterCore

/// `roster config explain USER`: which mappings match this source user, and why.
struct ConfigExplainCommand: Command {
    static let path = ["config", "explain"]
    static let abstract = "Show which mappings match a source user, and the path that leads to each."
    static let options: [OptionSpec] = [.repeated("--source", "NAME", "Look only in this source.")]
    static let positionals = [PositionalSpec(name: "USER", help: "Username, email, DN or external id in the source.")]

    let user: String
    let sources: [String]
    let context: CommandContext

    init(_ arguments: ParsedArguments, context: CommandContext) throws {
        user = arguments.positionals[0]
        sources = arguments.values("--source")
        self.context = context
    }

    func run() async throws -> Int32 {
        let configuration = try context.loadConfiguration()
        let snapshots = await SourceFactory.readAll(try SourceFactory.readers(for: configuration, only: sources))
        // The planner's verdict too, so that explain and reconcile never disagree on a skip.
        let directory =
            FileManager.default.fileExists(atPath: configuration.directory.path)
            ? try context.openDirectory(configuration).loadUsers() : []
        let plan = Planner(configuration: configuration, directory: directory, now: Date()).plan(snapshots)
        let key = LDAPText.fold(user)
        var found = false
        var lines: [String] = []
        for snapshot in snapshots {
            if !snapshot.complete {
                lines.append("\(snapshot.source): could not be read completely: \(snapshot.problem ?? "")")
            }
            let matches = snapshot.users.filter { candidate in
                [candidate.username, candidate.email, candidate.dn, candidate.externalID, candidate.normalizedDN]
                    .compactMap { $0 }.contains { LDAPText.fold($0) == key }
            }
            guard !matches.isEmpty else { continue }
            found = true
            let engine = MappingEngine(source: snapshot.source, configuration: configuration)
            let memberships = MembershipIndex(snapshot: snapshot)
            for candidate in matches {
                lines += explain(candidate, snapshot: snapshot, engine: engine, memberships: memberships)
                let entry = candidate.dn ?? candidate.label
                if let skip = plan.skipped.first(where: { $0.source == snapshot.source && $0.entry == entry }) {
                    lines.append("  reconcile skips it: \(skip.reason)")
                } else if let change = plan.changes.first(where: {
                    $0.after.identity(in: snapshot.source)?.externalID == candidate.externalID
                        || $0.before?.identity(in: snapshot.source)?.externalID == candidate.externalID
                }) {
                    lines.append("  reconcile would: \(change.action.rawValue) \(change.email)")
                } else if let user = directory.first(where: {
                    $0.identity(in: snapshot.source)?.externalID == candidate.externalID
                }) {
                    lines.append("  directory: user id \(user.id) (\(user.email)), \(user.status.rawValue), up to date")
                }
            }
        }
        guard found else {
            if !lines.isEmpty { Console.out(lines.joined(separator: "\n")) }
            throw Failure(
                "no user \"\(user)\" in \(snapshots.map(\.source).joined(separator: ", ")); give a username, email, "
                    + "DN or external id as the source has it", exitCode: ExitCode.runtime)
        }
        Console.out(lines.joined(separator: "\n"))
        return ExitCode.ok
    }

    private func explain(
        _ user: SourceUser, snapshot: SourceSnapshot, engine: MappingEngine, memberships: MembershipIndex
    ) -> [String] {
        var lines = [
            "\(snapshot.source): \(user.dn ?? user.label) (id \(user.externalID.isEmpty ? "missing" : user.externalID))"
        ]
        lines.append(
            "  email: \(user.email ?? "none")\(EmailAddress.problem(user.email).map { " — \($0), so it is skipped" } ?? "")"
        )
        if user.disabled { lines.append("  disabled in the source: synced as inactive, never created") }
        let groups = memberships.memberships(of: user).map { memberships.groups[$0.group].name }
        lines.append("  groups: \(groups.isEmpty ? "none" : groups.joined(separator: ", "))")
        for rule in engine.explain(user, memberships: memberships) {
            let verdict = rule.matched ? (rule.exclude ? "EXCLUDES" : "matches") : "no match"
            lines.append("  mapping \(rule.ruleID): \(verdict)")
            for detail in rule.details { lines.append("    \(detail)") }
            for grant in rule.grants { lines.append("    grants \(grant)") }
        }
        let evaluation = engine.evaluate(user, memberships: memberships)
        if evaluation.inScope {
            lines.append(
                "  result: in scope; type=\((evaluation.type ?? .user).rawValue) roles=[\(evaluation.assignments.roleNames.joined(separator: ","))]"
                    + " groups=[\(evaluation.assignments.effectiveGroups.map { $0.role == .admin ? "\($0.name)(admin)" : $0.name }.joined(separator: ","))]"
                    + " projects=[\(evaluation.assignments.effectiveProjects.map { "\($0.name):\($0.role.rawValue)" }.joined(separator: ","))]"
            )
        } else {
            lines.append("  result: out of scope (\(evaluation.outOfScopeReason ?? ""))")
        }
        return lines
    }
}
