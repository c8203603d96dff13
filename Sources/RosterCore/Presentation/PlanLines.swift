/// A plan's change lines as UTF-8 bytes. A first sync's plan has a line per user, and building
/// each out of small strings (interpolated, padded, joined) cost more than the rest of the text.
struct PlanLines {
    static let newline = UInt8(ascii: "\n")
    private static let space = UInt8(ascii: " ")

    /// The widths the email and details columns are padded to.
    struct Columns {
        var email: Int
        var details: Int
    }

    var bytes: [UInt8] = []
    /// The line's details, written before they are padded into `bytes`.
    private var detail: [UInt8] = []

    /// `+ create      alice@example.com  type=user roles=[viewer]  (teams)`.
    mutating func appendLine(of change: UserChange, columns: Columns) {
        bytes.append(Self.symbol(change.action))
        bytes.append(Self.space)
        Self.appendPadded(change.action.rawValue.utf8, toLength: 11, into: &bytes)
        bytes.append(Self.space)
        Self.appendPadded(change.email.utf8, toLength: columns.email, into: &bytes)
        bytes.append(Self.space)
        bytes.append(Self.space)
        detail.removeAll(keepingCapacity: true)
        Self.appendDetails(of: change, into: &detail)
        let showsRules = change.action != .deactivate && change.action != .delete
        guard showsRules, change.mappings.contains(where: { $0 != "defaults" }) else {
            bytes.append(contentsOf: detail)
            return
        }
        Self.appendPadded(detail, toLength: columns.details, into: &bytes)
        bytes.append(Self.space)
        bytes.append(Self.space)
        bytes.append(UInt8(ascii: "("))
        var first = true
        for rule in change.mappings where rule != "defaults" {
            if !first { bytes.append(contentsOf: ", ".utf8) }
            first = false
            bytes.append(contentsOf: rule.utf8)
        }
        bytes.append(UInt8(ascii: ")"))
    }

    /// The details' width in characters, as the details column measures it.
    mutating func measureDetails(of change: UserChange) -> Int {
        detail.removeAll(keepingCapacity: true)
        Self.appendDetails(of: change, into: &detail)
        return Self.characterCount(detail)
    }

    /// The middle column: what a new user gets, written here; any other change's from its text.
    static func appendDetails(of change: UserChange, into bytes: inout [UInt8]) {
        guard change.action == .create else {
            bytes.append(contentsOf: PlanFormatter.changeDetails(change).utf8)
            return
        }
        let after = change.after
        bytes.append(contentsOf: "type=".utf8)
        bytes.append(contentsOf: after.type.rawValue.utf8)
        appendList(" roles", after.assignments.roleNames, into: &bytes) { $0.append(contentsOf: $1.utf8) }
        let groups = after.assignments.effectiveGroups
        if !groups.isEmpty {
            appendList(" groups", groups, into: &bytes) { bytes, group in
                bytes.append(contentsOf: group.name.utf8)
                if group.role == .admin { bytes.append(contentsOf: "(admin)".utf8) }
            }
        }
        let projects = after.assignments.effectiveProjects
        if !projects.isEmpty {
            appendList(" projects", projects, into: &bytes) { bytes, project in
                bytes.append(contentsOf: project.name.utf8)
                bytes.append(UInt8(ascii: ":"))
                bytes.append(contentsOf: project.role.rawValue.utf8)
            }
        }
        if after.status != .active {
            bytes.append(contentsOf: " status=".utf8)
            bytes.append(contentsOf: after.status.rawValue.utf8)
        }
    }

    /// `<name>=[a,b,c]`: `list`'s elements, each written by `write`, with commas between them.
    private static func appendList<Element>(
        _ name: String, _ list: [Element], into bytes: inout [UInt8], _ write: (inout [UInt8], Element) -> Void
    ) {
        bytes.append(contentsOf: name.utf8)
        bytes.append(contentsOf: "=[".utf8)
        for index in list.indices {
            if index != list.startIndex { bytes.append(UInt8(ascii: ",")) }
            write(&bytes, list[index])
        }
        bytes.append(UInt8(ascii: "]"))
    }

    private static func symbol(_ action: UserChange.Action) -> UInt8 {
        switch action {
        case .create, .reactivate: return UInt8(ascii: "+")
        case .update, .rename: return UInt8(ascii: "~")
        case .deactivate, .delete: return UInt8(ascii: "-")
        }
    }

    /// `DisplayText.padded(text, toLength: max(length, text.count))`: ASCII (nearly every
    /// line) padded here; anything else through the strings, whose measures differ from bytes.
    private static func appendPadded(_ text: some Collection<UInt8>, toLength length: Int, into bytes: inout [UInt8]) {
        guard text.allSatisfy({ $0 < 0x80 }) else {
            let string = String(decoding: text, as: UTF8.self)
            bytes.append(contentsOf: DisplayText.padded(string, toLength: max(length, string.count)).utf8)
            return
        }
        bytes.append(contentsOf: text)
        if text.count < length { bytes.append(contentsOf: repeatElement(space, count: length - text.count)) }
    }

    /// `DisplayText.characterCount` of UTF-8 bytes.
    private static func characterCount(_ text: [UInt8]) -> Int {
        text.allSatisfy { $0 < 0x80 } ? text.count : String(decoding: text, as: UTF8.self).count
    }
}
