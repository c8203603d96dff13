import Foundation
import RosterCore
import RosterOIDC
import RosterStore

/// `oidc login` for the command line and for the daemon's control socket (op `oidc.login`):
/// verify an ID token, provision the person just in time through the planner, and record the
/// login. The caller holds the directory's lock.
struct OIDCLoginService {
    let configuration: RosterConfiguration
    let database: DirectoryDatabase
    /// Who asked: `cli:<unix user>`, or the daemon's actor, for the `oidc.login` record.
    let actor: String

    /// What a login did.
    struct Outcome {
        var user: DirectoryUser
        var change: UserChange?
        var session: UserSession

        var text: String {
            let what = change.map { "\($0.action.rawValue)d" } ?? "up to date"
            var lines = [
                "signed in \(user.email) (user id \(user.id)) through \(session.source): \(what)",
                "session: \(session.kind.rawValue) (\(session.client)), until "
                    + (session.expiresAt.map(Timestamp.string) ?? "no expiry"),
            ]
            if let change, !change.mappings.isEmpty {
                lines.append("mappings: \(change.mappings.joined(separator: ", "))")
            }
            return lines.joined(separator: "\n")
        }

        var json: JSONValue {
            .object([
                "user": UserFormatter.json(user),
                "change": .optional(change?.action.rawValue),
                "session": .object([
                    "source": .string(session.source), "type": .string(session.kind.rawValue),
                    "client": .string(session.client), "started": .string(Timestamp.string(session.startedAt)),
                    "expires": .optional(session.expiresAt.map(Timestamp.string)),
                ]),
            ])
        }
    }

    /// Verifies `idToken` with the source's issuer and signs its user in. A refused token, or a
    /// person the mappings do not provision, changes nothing.
    func login(idToken: String, refreshToken: String?, sourceName: String?, now: Date = Date()) async throws -> Outcome
    {
        let (name, options) = try OIDCWiring.oidcSource(named: sourceName, in: configuration)
        var sealer: RefreshTokenSealer?
        if refreshToken != nil {
            guard let keyFile = options.tokenKeyFile else {
                throw Failure(
                    "source \(name) has no token_key_file, and refresh tokens are only ever stored encrypted; add "
                        + "token_key_file (openssl rand -hex 32, mode 600) or leave out --refresh-token-file",
                    exitCode: ExitCode.usage)
            }
            do {
                sealer = RefreshTokenSealer(
                    key: try TokenKey(contentsOf: keyFile, setting: "sources.\(name).token_key_file"))
            } catch {
                throw Failure("\(error)", exitCode: ExitCode.usage)
            }
        }
        let token: VerifiedIDToken
        do {
            token = try await OIDCWiring.provider(options).verify(
                idToken, policy: TokenClaimsPolicy(issuer: options.issuer, audiences: options.audience))
        } catch {
            throw Failure("oidc login: \(error)", exitCode: ExitCode.runtime)
        }

        let stored = try database.oidcGrants(source: name)
        let previous = stored.first { $0.subject == token.subject }
        let claims = ClaimOverage.carryingGroups(
            from: previous?.claims, into: token.claims, groupsPath: options.claims.groups)
        // A login without a refresh token keeps the one stored, unless the issuer already refused it.
        let kept = previous?.withdrawnAt == nil ? previous?.sealedRefreshToken : nil
        let grant = OIDCGrant(
            source: name, subject: token.subject,
            sealedRefreshToken: try refreshToken.map { try sealer!.seal($0, source: name, subject: token.subject) }
                ?? kept,
            claims: claims, claimsAt: now, refreshedAt: now)

        // The whole source as stored, with this login's claims: the planner sees everyone, so the
        // identities of others are respected; only this person's change is applied.
        let snapshot = GrantSnapshotBuilder(source: name, options: options).snapshot(
            stored.filter { $0.subject != token.subject } + [grant], now: now)
        let directory = try database.loadUsers()
        let plan = Planner(configuration: configuration, directory: directory, now: now).plan([snapshot])
        let person = ClaimsMapping(source: name, map: options.claims).sourceUser(claims)
        let (change, user) = try outcome(of: person, source: name, plan: plan, directory: directory)

        let (kind, client) = SessionClassifier.classify(token, audiences: options.audience)
        let session = UserSession(
            userID: user.id, source: name, kind: kind, client: client, startedAt: now, expiresAt: token.expiresAt)
        let loginEvent = AuditEvent(
            action: "oidc.login", actor: actor, userID: user.id, email: user.email,
            changes: .object([
                "last_login": .array([.optional(user.lastLogin.map(Timestamp.string)), .string(Timestamp.string(now))]),
                "session": .object([
                    "type": .string(kind.rawValue), "client": .string(client),
                    "expires": .string(Timestamp.string(token.expiresAt)),
                ]),
            ]),
            reason: .object([
                "source": .string(name), "issuer": .string(token.issuer), "subject": .string(token.subject),
                "mappings": .strings(change?.mappings ?? []),
            ]))
        let batch = ApplyBatch(
            changes: change.map { [($0, AuditEventBuilder.events(for: $0, actor: "sync"))] } ?? [], now: now)
        let applied = try database.applyLogin(batch, grant: grant, session: session, loginEvent: loginEvent)
        var signedIn = applied.users.first ?? user
        signedIn.lastLogin = now
        var recorded = session
        recorded.userID = signedIn.id
        return Outcome(user: signedIn, change: change, session: recorded)
    }

    /// The planner's verdict on the person signing in: their change (if any) and their user as
    /// it will be; an error saying why when they may not sign in.
    private func outcome(of person: SourceUser, source: String, plan: Plan, directory: [DirectoryUser]) throws -> (
        UserChange?, DirectoryUser
    ) {
        let id = person.externalID
        let label = person.email ?? person.label
        func refuse(_ reason: String) -> Failure {
            Failure("oidc login: \(label) is not signed in: \(reason)", exitCode: ExitCode.runtime)
        }
        guard !id.isEmpty else {
            throw refuse("the ID token has no \(source) id claim, so the user cannot be identified across logins")
        }
        if let change = plan.changes.first(where: {
            $0.after.identity(in: source)?.externalID == id || $0.before?.identity(in: source)?.externalID == id
        }) {
            guard change.after.status == .active else {
                if change.after.deactivatedBy == .admin {
                    throw refuse("an admin deactivated user id \(change.after.id); an admin must activate it first")
                }
                throw refuse(
                    "the user would be \(change.after.status.rawValue)" + (change.note.map { ": \($0)" } ?? ""))
            }
            return (change, change.after)
        }
        if let skipped = plan.skipped.first(where: { $0.source == source && $0.entry == person.label }) {
            throw refuse(skipped.reason)
        }
        let existing = directory.first { $0.status != .deleted && $0.identity(in: source)?.externalID == id }
        if let existing {
            guard existing.status == .active else {
                throw refuse(
                    existing.deactivatedBy == .admin
                        ? "an admin deactivated user id \(existing.id); an admin must activate it first"
                        : "user id \(existing.id) is \(existing.status.rawValue)")
            }
            return (nil, existing)
        }
        if let email = person.email,
            configuration.safety.protectedUsers.contains(where: {
                LDAPText.fold($0) == LDAPText.fold(email)
            })
        {
            throw refuse("\(email) is a protected user, which sync never creates or changes")
        }
        throw refuse(
            "no mapping of source \(source) matches the user's claims, and scope is \(configuration.scope.rawValue); "
                + "see roster config explain \(label) --source \(source)")
    }
}
