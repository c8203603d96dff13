import Foundation
import RosterCore

/// Typed readers. Each takes the field (nil when the key is absent, so optional keys read as
/// `reader.x(fields["key"]) ?? default`), reports a wrong value at its position, and returns nil.
extension ConfigReader {
    /// The field, or a "missing key" problem naming the example to add.
    func required(_ fields: Fields, _ key: String, example: String) -> Field? {
        if let field = fields[key] { return field }
        if let entry = fields.entry(key) {
            fail("\(fields.name(of: key)) is empty; write \(key): \(example)", at: entry.keyMark)
        } else {
            fail("missing key \"\(key)\" \(fields.placeName); add \(key): \(example)", at: fields.mark)
        }
        return nil
    }

    /// A non-empty text value.
    func string(_ field: Field?, what: String = "a text value") -> String? {
        guard let field else { return nil }
        guard let text = field.node.text else {
            fail("expected \(what) for \(field.name), found \(field.node.kindDescription)", at: field.mark)
            return nil
        }
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            fail("\(field.name) is empty; give it \(what)", at: field.mark)
            return nil
        }
        return text
    }

    func bool(_ field: Field?) -> Bool? {
        guard let field, let text = string(field, what: "true or false") else { return nil }
        switch text {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default:
            fail("expected true or false for \(field.name), found \(field.node.kindDescription)", at: field.mark)
            return nil
        }
    }

    func positiveInt(_ field: Field?, example: String) -> Int? {
        guard let field, let text = string(field, what: "a number") else { return nil }
        guard text.count <= 9, text.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(text), number > 0
        else {
            fail(
                "expected a whole number above 0 for \(field.name), found \"\(text)\"; write e.g. \(example)",
                at: field.mark)
            return nil
        }
        return number
    }

    /// A positive duration such as `15m`.
    func duration(_ field: Field?) -> Duration? {
        guard let field, let text = string(field, what: "a duration like 15m") else { return nil }
        guard let duration = DurationText.parse(text), duration > .zero else {
            fail(
                "invalid duration \"\(text)\" for \(field.name); write a number above 0 and a unit: 90s, 15m, 6h or 30d",
                at: field.mark)
            return nil
        }
        return duration
    }

    /// A count (`10`) or a percentage (`10%`).
    func limit(_ field: Field?) -> ChangeLimit? {
        guard let field, let text = string(field, what: "a count or a percentage") else { return nil }
        guard let limit = ChangeLimit(configText: text) else {
            fail(
                "invalid limit \"\(text)\" for \(field.name); write a count (10) or a percentage from 0% to 100% (10%)",
                at: field.mark)
            return nil
        }
        return limit
    }

    /// One of a closed set of words, with a did-you-mean for near misses.
    func choice<Value: RawRepresentable & CaseIterable>(_ field: Field?, _: Value.Type = Value.self) -> Value?
    where Value.RawValue == String {
        let options = Value.allCases.map(\.rawValue)
        guard let field, let text = string(field, what: "one of " + options.joined(separator: ", ")) else {
            return nil
        }
        if let value = Value(rawValue: text) { return value }
        var message = "invalid value \"\(text)\" for \(field.name); use \(Self.alternatives(options))"
        if let suggestion = Suggestion.closest(to: text, among: options) {
            message += " (did you mean \"\(suggestion)\"?)"
        }
        fail(message, at: field.mark)
        return nil
    }

    /// A list of non-empty texts; with `allowSingle`, one text alone counts as a one-element list.
    func stringList(_ field: Field?, what: String, example: String, allowSingle: Bool = false) -> [String]? {
        guard let field else { return nil }
        if allowSingle, field.node.text != nil {
            return string(field).map { [$0] }
        }
        guard let items = field.node.items else {
            fail(
                "expected \(what) for \(field.name), found \(field.node.kindDescription); write \(example)",
                at: field.mark)
            return nil
        }
        var values: [String] = []
        var valid = true
        for (index, item) in items.enumerated() {
            let itemField = Field(node: item, name: "\(field.name)[\(index)]", keyMark: item.mark)
            if let value = string(itemField) { values.append(value) } else { valid = false }
        }
        return valid ? values : nil
    }

    /// A file path, made absolute against the working directory.
    func filePath(_ field: Field?) -> String? {
        string(field, what: "a file path").map(resolve)
    }

    /// A secret file path, made absolute and checked on disk (exists, mode 600 or stricter).
    func secretFile(_ field: Field?) -> String? {
        guard let field, let path = filePath(field) else { return nil }
        if let problem = SecretFile.problem(path, key: field.name) {
            fail(problem, at: field.mark)
        }
        return path
    }

    func resolve(_ path: String) -> String {
        let base = URL(fileURLWithPath: workingDirectory, isDirectory: true)
        return URL(fileURLWithPath: path, relativeTo: base).standardizedFileURL.path
    }

    /// A DN as written, after checking that the normaliser accepts it.
    func distinguishedName(_ field: Field?, example: String) -> (written: String, normalized: String)? {
        guard let field, let dn = string(field, what: "a DN") else { return nil }
        do {
            return (dn, try dnNormalizer.normalize(dn))
        } catch {
            fail("invalid DN \"\(dn)\" for \(field.name): \(error); write it like \(example)", at: field.mark)
            return nil
        }
    }

    /// "a, b or c".
    static func alternatives(_ options: [String]) -> String {
        guard options.count > 1 else { return options.first ?? "" }
        return options.dropLast().joined(separator: ", ") + " or " + options.last!
    }
}
