import RosterCore

/// `type: ldap` and `type: ldif` sources, which share the `users:` and `groups:` blocks.
extension ConfigReader {
    func ldapSource(_ fields: Fields) -> LDAPSourceOptions? {
        let urls = ldapURLs(required(fields, "url", example: "ldaps://dc1.example.com"))
        let flavor = choice(fields["flavor"], DirectoryFlavor.self) ?? .openldap
        let bindDN = bindName(fields["bind_dn"], flavor: flavor)
        let passwordFile = secretFile(fields["bind_password_file"])
        let refusedSecret = fields.rejectedKeys.contains(where: Self.looksLikeInlineSecret)
        if let bindDN = fields["bind_dn"], !fields.has("bind_password_file"), !refusedSecret {
            // A DN without a password is an "unauthenticated bind": servers accept it as anonymous.
            fail(
                "\(bindDN.name) needs bind_password_file next to it; put the password in a file (mode 600)"
                    + " and name it there", at: bindDN.keyMark)
        } else if let file = fields["bind_password_file"], !fields.has("bind_dn") {
            fail("\(file.name) is set but bind_dn is not; add bind_dn: with the account to bind as", at: file.keyMark)
        }
        let tls = tls(fields["tls"], allowsStartTLS: true)
        if tls.startTLS, let urls, urls.contains(where: { $0.lowercased().hasPrefix("ldaps://") }),
            let field = fields["tls"]
        {
            fail(
                "\(field.name).start_tls is for ldap:// URLs; ldaps:// is already encrypted: use one or the other",
                at: field.mark)
        }
        let users = userQuery(
            required(fields, "users", example: "{base: \"ou=people,dc=example,dc=com\"}"),
            flavor: flavor, allowsFilter: true)
        let groups = groupQuery(fields["groups"], allowsFilter: true)
        let rangeSize = rangeSize(fields["range_size"], flavor: flavor)
        guard let urls, let users else { return nil }
        return LDAPSourceOptions(
            urls: urls, bindDN: bindDN?.written, bindPasswordFile: passwordFile, tls: tls, flavor: flavor,
            pageSize: positiveInt(fields["page_size"], example: "500") ?? 500, rangeSize: rangeSize,
            timeout: duration(fields["timeout"]) ?? .seconds(30), users: users, groups: groups)
    }

    func ldifSource(_ fields: Fields) -> LDIFSourceOptions? {
        let path = filePath(required(fields, "path", example: "config/demo/directory.ldif"))
        let users = userQuery(
            required(fields, "users", example: "{base: \"ou=people,dc=example,dc=com\"}"),
            flavor: .openldap, allowsFilter: false)
        let groups = groupQuery(fields["groups"], allowsFilter: false)
        guard let path, let users else { return nil }
        return LDIFSourceOptions(path: path, users: users, groups: groups)
    }

    /// The account to bind as: a DN, and for Active Directory also `user@realm` (its
    /// userPrincipalName) or `DOMAIN\user` (its down-level logon name), which AD accepts in a
    /// simple bind.
    private func bindName(_ field: Field?, flavor: DirectoryFlavor) -> (written: String, normalized: String)? {
        let example = "cn=roster,ou=services,dc=example,dc=com"
        guard flavor == .activeDirectory, let field, let name = field.node.text,
            let form = Self.activeDirectoryLogonName(name)
        else { return distinguishedName(field, example: example) }
        guard form.isValid else {
            fail(
                "invalid bind_dn \"\(name)\" for \(field.name): \(form.problem); write a DN, roster@example.com or"
                    + " EXAMPLE\\roster", at: field.mark)
            return nil
        }
        return (name, name)
    }

    /// `user@realm` or `DOMAIN\user`, and whether both halves are there; nil for anything else
    /// (a DN, checked as one).
    static func activeDirectoryLogonName(_ name: String) -> (isValid: Bool, problem: String)? {
        guard !name.contains("=") else { return nil }
        for separator in ["@", "\\"] where name.contains(separator) {
            let parts = name.components(separatedBy: separator)
            let valid = parts.count == 2 && parts.allSatisfy { !$0.isEmpty && !$0.contains(" ") }
            return (valid, "both sides of \"\(separator)\" must be a name without spaces")
        }
        return nil
    }

    /// `range_size`: only Active Directory understands `member;range=`; another server would
    /// take it for an unknown attribute option and return no members at all.
    private func rangeSize(_ field: Field?, flavor: DirectoryFlavor) -> Int? {
        guard let field else { return nil }
        guard flavor == .activeDirectory else {
            fail(
                "\(field.name) is for flavor: active-directory (ranged member retrieval); remove it or set the"
                    + " flavor", at: field.keyMark)
            return nil
        }
        return positiveInt(field, example: "1500")
    }

    private func ldapURLs(_ field: Field?) -> [String]? {
        guard let field,
            let urls = stringList(
                field, what: "an LDAP URL or a list of them", example: "[ldaps://dc1.example.com]",
                allowSingle: true)
        else { return nil }
        let items = field.node.items ?? [field.node]
        var valid = !urls.isEmpty
        if urls.isEmpty { fail("\(field.name) is an empty list; give at least one ldaps:// URL", at: field.mark) }
        for (index, url) in urls.enumerated() {
            let lower = url.lowercased()
            let host = lower.drop { $0 != ":" }.dropFirst(3)
            if !(lower.hasPrefix("ldap://") || lower.hasPrefix("ldaps://")) || host.isEmpty {
                fail(
                    "\"\(url)\" in \(field.name) is not an LDAP URL; write ldaps://HOST (or ldap://HOST with"
                        + " start_tls)", at: index < items.count ? items[index].mark : field.mark)
                valid = false
            }
        }
        return valid ? urls : nil
    }

    // MARK: - users: and groups:

    private func userQuery(_ field: Field?, flavor: DirectoryFlavor, allowsFilter: Bool) -> UserQuery? {
        guard let field,
            let fields = fields(field.node, context: field.name, allowed: ["base", "filter", "attributes"])
        else { return nil }
        let base = distinguishedName(
            required(fields, "base", example: "ou=people,dc=example,dc=com"), example: "ou=people,dc=example,dc=com")
        let filter = searchFilter(fields["filter"], allowed: allowsFilter, entries: "users")
        let attributes = attributeMap(fields["attributes"], defaults: AttributeMap.defaults(for: flavor))
        guard let base else { return nil }
        return UserQuery(base: base.written, filter: filter, attributes: attributes)
    }

    private func groupQuery(_ field: Field?, allowsFilter: Bool) -> GroupQuery? {
        guard let field,
            let fields = fields(
                field.node, context: field.name,
                allowed: ["base", "filter", "member_attribute", "name_attribute", "nested"])
        else { return nil }
        let base = distinguishedName(
            required(fields, "base", example: "ou=groups,dc=example,dc=com"), example: "ou=groups,dc=example,dc=com")
        let filter = searchFilter(fields["filter"], allowed: allowsFilter, entries: "groups")
        let member = attributeName(fields["member_attribute"]) ?? "member"
        let name = attributeName(fields["name_attribute"]) ?? "cn"
        let nested = bool(fields["nested"]) ?? false
        guard let base else { return nil }
        return GroupQuery(
            base: base.written, filter: filter, memberAttribute: member, nameAttribute: name, nested: nested)
    }

    private func attributeMap(_ field: Field?, defaults: AttributeMap) -> AttributeMap {
        guard let field,
            let fields = fields(
                field.node, context: field.name, allowed: ["id", "username", "email", "first_name", "last_name"])
        else { return defaults }
        return AttributeMap(
            id: attributeName(fields["id"]) ?? defaults.id,
            username: attributeName(fields["username"]) ?? defaults.username,
            email: attributeName(fields["email"]) ?? defaults.email,
            firstName: attributeName(fields["first_name"]) ?? defaults.firstName,
            lastName: attributeName(fields["last_name"]) ?? defaults.lastName)
    }

    /// An attribute type name (`mail`, `msDS-cloudExtensionAttribute1`) or a numeric OID.
    func attributeName(_ field: Field?) -> String? {
        guard let field, let name = string(field, what: "an attribute name") else { return nil }
        let isName =
            name.first?.isLetter == true && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        let isOID = name.first?.isNumber == true && name.allSatisfy { $0.isASCII && ($0.isNumber || $0 == ".") }
        guard isName || isOID else {
            fail(
                "invalid attribute name \"\(name)\" for \(field.name); use letters, digits and \"-\" (e.g. mail)",
                at: field.mark)
            return nil
        }
        return name
    }

    private func searchFilter(_ field: Field?, allowed: Bool, entries: String) -> String? {
        guard let field else { return nil }
        guard allowed else {
            let rule =
                entries == "users"
                ? "entries under base with the username attribute are users"
                : "entries under base with the member attribute are groups"
            fail(
                "\"filter\" is not supported for ldif sources (\(field.name)): \(rule); remove the filter",
                at: field.keyMark)
            return nil
        }
        guard let filter = string(field, what: "an LDAP filter") else { return nil }
        var depth = 0
        var balanced = filter.hasPrefix("(") && filter.hasSuffix(")")
        for character in filter where balanced {
            depth += character == "(" ? 1 : character == ")" ? -1 : 0
            if depth < 0 { balanced = false }
        }
        guard balanced, depth == 0 else {
            fail(
                "invalid LDAP filter \"\(filter)\" for \(field.name); wrap it in balanced parentheses, e.g."
                    + " (objectClass=inetOrgPerson)", at: field.mark)
            return nil
        }
        return filter
    }
}
