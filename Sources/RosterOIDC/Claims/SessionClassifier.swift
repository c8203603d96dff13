import RosterCore

/// Decides a login's session type from the client the ID token was issued to.
///
/// The client is the token's `azp`, else its only audience, else the first of its audiences that
/// the source lists. A client whose id has the word `sdk` or `cli` in it (split at `-`, `_`, `.`,
/// `:` and `/`; any case), such as `platform-sdk`, is an SDK session; any other client, such as
/// `platform-web`, is a dashboard session.
public enum SessionClassifier {
    public static func classify(_ token: VerifiedIDToken, audiences: [String]) -> (kind: SessionKind, client: String) {
        let client =
            token.authorizedParty
            ?? (token.audiences.count == 1 ? token.audiences[0] : nil)
            ?? token.audiences.first(where: audiences.contains)
            ?? token.audiences.first
            ?? ""
        return (kind(ofClient: client), client)
    }

    public static func kind(ofClient client: String) -> SessionKind {
        let words = client.lowercased().split(whereSeparator: { "-_.:/ ".contains($0) })
        return words.contains(where: { $0 == "sdk" || $0 == "cli" }) ? .sdk : .dashboard
    }
}
