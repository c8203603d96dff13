/// The fields `roster users edit` may set; nil leaves a field as it is.
public struct UserEdit: Sendable {
    public var username: String?
    public var email: String?
    public var firstName: String?
    public var lastName: String?
    public var type: UserType?

    public init(
        username: String? = nil, email: String? = nil, firstName: String? = nil, lastName: String? = nil,
        type: UserType? = nil
    ) {
        self.username = username
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.type = type
    }

    public var isEmpty: Bool { username == nil && email == nil && firstName == nil && lastName == nil && type == nil }
}

extension DirectoryAdmin {
    /// The update `edit` makes to `reference`, or nil when every value is already as given.
    ///
    /// Only active users are edited (SPEC §5); a field that a source owns is refused naming the
    /// source and mapping, even when other fields of the same edit would be fine: an edit is
    /// made whole or not at all.
    public func edit(_ reference: String, _ edit: UserEdit) throws -> UserChange? {
        let before = try user(reference)
        try requireEditable(before)
        let ownership = FieldOwnership(configuration: configuration)
        var after = before

        func claim(_ field: FieldOwnership.Field) throws {
            if let owner = ownership.owner(of: field, for: before) { throw AdminError.refused(owner) }
        }
        if let email = edit.email?.trimmingCharacters(in: .whitespaces), email != before.email {
            if let problem = EmailAddress.problem(email) {
                throw AdminError.invalidInput("\(problem); give a valid address such as jdoe@example.com")
            }
            try claim(.email)
            if let holder = emailHolder(email, except: before.id) {
                throw AdminError.refused(
                    "email \(email) is already used by user \(holder.id) (\(holder.email)); give another address")
            }
            after.email = email
            // A username that was the email (the default of `users create`) follows it.
            if edit.username == nil, EmailAddress.key(before.username) == EmailAddress.key(before.email) {
                after.username = email
            }
        }
        if let text = edit.username {
            let username = try Self.checkedUsername(text)
            if username != before.username {
                try claim(.username)
                if let holder = usernameHolder(username, except: before.id) {
                    throw AdminError.refused(
                        "username \(username) is already used by user \(holder.id) (\(holder.email)); give another")
                }
                after.username = username
            }
        }
        if let text = edit.firstName {
            let first = try Self.checkedText(text, field: "first name")
            if first != before.firstName {
                try claim(.firstName)
                after.firstName = first
            }
        }
        if let text = edit.lastName {
            let last = try Self.checkedText(text, field: "last name")
            if last != before.lastName {
                try claim(.lastName)
                after.lastName = last
            }
        }
        if let type = edit.type, type != before.type {
            try claim(.type)
            after.type = type
        }
        if after.username != before.username, edit.username == nil,
            let holder = usernameHolder(after.username, except: before.id)
        {
            throw AdminError.refused(
                "username \(after.username) (following the new email) is already used by user \(holder.id); "
                    + "give --username too")
        }
        guard after != before else { return nil }
        return change(.update, before, after)
    }
}
