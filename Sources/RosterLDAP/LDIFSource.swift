import RosterCore

/// An offline source: the users and groups of an LDIF export (RFC 2849), read in full on every
/// run. Users are the entries under `users.base` that have the username attribute; groups are
/// the entries under `groups.base` that have the group name attribute.
///
/// Any problem (the file missing or unreadable, a syntax error, an invalid DN, two entries with
/// one DN) gives an incomplete snapshot naming the file and line, so the source freezes rather
/// than losing users.
public struct LDIFSource: IdentitySource {
    public let name: String
    public let options: LDIFSourceOptions
    private let normalizer: any DNNormalizing

    /// `options.path` is opened as given (relative paths against the working directory).
    public init(name: String, options: LDIFSourceOptions, normalizer: any DNNormalizing = LDAPDNNormalizer()) {
        self.name = name
        self.options = options
        self.normalizer = normalizer
    }

    public func read() async -> SourceSnapshot {
        let clock = ContinuousClock()
        let start = clock.now
        func seconds() -> Double {
            let elapsed = clock.now - start
            return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        }
        do {
            let (users, groups) = try load()
            return SourceSnapshot(
                source: name, users: users, groups: groups, complete: true,
                membersAreUsernames: options.groups?.membersAreUsernames ?? false,
                nestedGroups: options.groups?.nested ?? false, readSeconds: seconds())
        } catch {
            return .failed(name, problem: error.description, readSeconds: seconds())
        }
    }

    private struct ReadError: Error, CustomStringConvertible {
        var description: String
    }

    private func load() throws(ReadError) -> ([SourceUser], [SourceGroup]) {
        let path = options.path
        // A filter would narrow the read; silently ignoring one would widen it.
        if options.users.filter != nil || options.groups?.filter != nil {
            throw ReadError(description: "\(path): `filter` is not supported for ldif sources")
        }
        let mapper: EntryMapper
        do {
            mapper = try EntryMapper(users: options.users, groups: options.groups, normalizer: normalizer)
        } catch {
            throw ReadError(description: "\(path): \(error)")
        }

        let reader: LDIFReader
        do {
            reader = try LDIFReader(path: path)
        } catch {
            throw ReadError(description: error.description)
        }
        var users: [SourceUser] = []
        var groups: [SourceGroup] = []
        var lineOfDN: [String: Int] = [:]
        while true {
            let next: LDIFEntry?
            do {
                next = try reader.next()
            } catch {
                throw ReadError(description: error.description)
            }
            guard let item = next else { break }
            func failure(_ message: String) -> ReadError {
                ReadError(description: LDIFError(path: path, line: item.line, message: message).description)
            }
            let normalizedDN: String
            do {
                normalizedDN = try normalizer.normalize(item.entry.dn)
            } catch {
                throw failure("\(error)")
            }
            if let earlier = lineOfDN.updateValue(item.line, forKey: normalizedDN) {
                throw failure("a second entry \"\(item.entry.dn)\" (the first is at line \(earlier))")
            }
            let mapped: EntryMapper.Mapped
            do {
                mapped = try mapper.map(item.entry, normalizedDN: normalizedDN)
            } catch {
                throw failure(error.description)
            }
            switch mapped {
            case .user(let user): users.append(user)
            case .group(let group): groups.append(group)
            case .neither: break
            }
        }
        return (users, groups)
    }
}
