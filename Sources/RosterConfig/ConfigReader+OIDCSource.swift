import Foundation
import RosterCore

/// `type: oidc` sources.
extension ConfigReader {
    func oidcSource(_ fields: Fields) -> OIDCSourceOptions? {
        let issuer = issuerURL(required(fields, "issuer", example: "https://idp.example.com/realms/corp"))
        let clientID = string(required(fields, "client_id", example: "roster"))
        let audience = stringList(
            fields["audience"], what: "an audience or a list of them", example: "[roster, platform-web]",
            allowSingle: true)
        if let field = fields["audience"], audience?.isEmpty == true {
            fail(
                "\(field.name) is an empty list; leave it out to accept the client_id, or list the audiences",
                at: field.mark)
        }
        let defaults = OIDCSourceOptions(issuer: "", clientID: "")
        let options = OIDCSourceOptions(
            issuer: issuer ?? "", clientID: clientID ?? "",
            clientSecretFile: secretFile(fields["client_secret_file"]),
            // ID tokens carry the client_id as their audience unless the provider is told otherwise.
            audience: audience.flatMap { $0.isEmpty ? nil : $0 } ?? clientID.map { [$0] } ?? [],
            claims: claimMap(fields["claims"]),
            claimsMaxAge: duration(fields["claims_max_age"]) ?? defaults.claimsMaxAge,
            refreshEvery: duration(fields["refresh_every"]) ?? defaults.refreshEvery,
            tokenKeyFile: secretFile(fields["token_key_file"]),
            tls: tls(fields["tls"], allowsStartTLS: false))
        guard issuer != nil, clientID != nil else { return nil }
        return options
    }

    /// `https://`, or `http://` on a loopback address only (local providers and tests).
    private func issuerURL(_ field: Field?) -> String? {
        guard let field, let issuer = string(field, what: "an https:// URL") else { return nil }
        guard let components = URLComponents(string: issuer), let scheme = components.scheme?.lowercased(),
            let host = components.host, !host.isEmpty
        else {
            fail("\(field.name) \"\(issuer)\" is not a URL; write https://HOST/PATH", at: field.mark)
            return nil
        }
        let bareHost = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        let loopback = ["127.0.0.1", "::1", "localhost"].contains(bareHost)
        switch scheme {
        case "https":
            break
        case "http" where loopback:
            break
        case "http":
            fail(
                "\(field.name) \"\(issuer)\" must use https://; http:// is only allowed on 127.0.0.1, ::1 or"
                    + " localhost", at: field.mark)
            return nil
        default:
            fail("\(field.name) \"\(issuer)\" must be an https:// URL", at: field.mark)
            return nil
        }
        if components.query != nil || components.fragment != nil {
            fail(
                "\(field.name) \"\(issuer)\" must not have a query or fragment; an issuer is a plain URL",
                at: field.mark)
            return nil
        }
        return issuer
    }

    private func claimMap(_ field: Field?) -> ClaimMap {
        let defaults = ClaimMap()
        guard let field,
            let fields = fields(
                field.node, context: field.name,
                allowed: ["id", "username", "email", "first_name", "last_name", "groups"])
        else { return defaults }
        return ClaimMap(
            id: claimPath(fields["id"]) ?? defaults.id,
            username: claimPath(fields["username"]) ?? defaults.username,
            email: claimPath(fields["email"]) ?? defaults.email,
            firstName: claimPath(fields["first_name"]) ?? defaults.firstName,
            lastName: claimPath(fields["last_name"]) ?? defaults.lastName,
            groups: claimPath(fields["groups"]) ?? defaults.groups)
    }

    /// A dotted claim path, `a.b.c`, without empty steps.
    func claimPath(_ field: Field?) -> String? {
        guard let field, let path = string(field, what: "a claim name or path such as realm_access.roles") else {
            return nil
        }
        guard !path.split(separator: ".", omittingEmptySubsequences: false).contains(where: \.isEmpty),
            !path.contains(where: \.isWhitespace)
        else {
            fail(
                "invalid claim path \"\(path)\" for \(field.name); write names joined by dots, e.g. realm_access.roles",
                at: field.mark)
            return nil
        }
        return path
    }
}
