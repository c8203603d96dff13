import Foundation
import RosterCore

/// A `type: ldap` source: the users and groups of an LDAP server (OpenLDAP, 389 Directory Server,
/// Active Directory), read in full on every run through paged searches.
///
/// Completely or not at all: a failed bind, a timeout, a size or time limit, a referral, a page
/// without its cookie or a dropped connection gives an incomplete snapshot naming the server,
/// the search and the server's own message, and the source freezes (SPEC §4.1).
///
/// libldap blocks; each read runs on a thread of its own (`BlockingWork`), never on the
/// cooperative pool.
public struct LDAPSource: IncrementalIdentitySource {
    public let name: String
    public let options: LDAPSourceOptions
    /// User attributes the `attribute:` selectors of this source's mappings read: requested
    /// along with the mapped ones.
    public let selectorAttributes: [String]
    private let normalizer: any DNNormalizing

    public init(
        name: String, options: LDAPSourceOptions, selectorAttributes: [String] = [],
        normalizer: any DNNormalizing = LDAPDNNormalizer()
    ) {
        self.name = name
        self.options = options
        self.selectorAttributes = selectorAttributes
        self.normalizer = normalizer
    }

    public func read() async -> SourceSnapshot {
        await BlockingWork.run { flag in readBlocking(isCancelled: { flag.isCancelled }) }
    }

    /// Only what changed since `cookie` (DirSync for Active Directory, RFC 4533 for OpenLDAP).
    public func readChanges(since cookie: String) async -> IncrementalRead {
        await BlockingWork.run { flag in readChangesBlocking(since: cookie, isCancelled: { flag.isCancelled }) }
    }

    /// Binds and runs a one-entry search for users and for groups (`config check --connect`).
    public func probe() async -> LDAPProbeReport {
        await BlockingWork.run { _ in
            LDAPProbe(
                options: options, selectorAttributes: selectorAttributes, normalizer: normalizer,
                warnings: warnings
            ).run()
        }
    }

    // MARK: - Reading

    private func readBlocking(isCancelled: @escaping () -> Bool) -> SourceSnapshot {
        let clock = ContinuousClock()
        let start = clock.now
        let reader = LDAPDirectoryReader(
            options: options, selectorAttributes: selectorAttributes,
            normalizer: InterningDNNormalizer(wrapping: normalizer), isCancelled: isCancelled)
        var snapshot: SourceSnapshot
        do {
            let result = try reader.read()
            snapshot = completeSnapshot(users: result.users, groups: result.groups, skipped: result.skipped)
            snapshot.cookie = result.cookie.map { StoredCookie(settings: settings, cookie: $0).text }
            if let problem = result.cookieProblem {
                snapshot.warnings.append("incremental reads unavailable, every read is full: \(problem)")
            }
        } catch {
            snapshot = .failed(name, problem: error.description)
            snapshot.warnings = warnings
        }
        snapshot.readSeconds = Self.seconds(clock.now - start)
        return snapshot
    }

    private func readChangesBlocking(since text: String, isCancelled: @escaping () -> Bool) -> IncrementalRead {
        let clock = ContinuousClock()
        let start = clock.now
        guard let stored = StoredCookie(text: text) else {
            return .refused("the stored cookie is not one this version of Roster wrote")
        }
        guard stored.settings == settings else {
            return .refused("the source's settings (bases, filters, attributes) changed since its last full read")
        }
        let cookie = stored.cookie
        let reader = LDAPDirectoryReader(
            options: options, selectorAttributes: selectorAttributes,
            normalizer: InterningDNNormalizer(wrapping: normalizer), isCancelled: isCancelled)
        do {
            switch try reader.readChanges(since: cookie) {
            case .refused(let reason):
                return .refused(reason)
            case .changes(let changes, let next, let skipped):
                var base = completeSnapshot(users: [], groups: [], skipped: skipped)
                base.readSeconds = Self.seconds(clock.now - start)
                return .changes(changes, cookie: StoredCookie(settings: settings, cookie: next).text, base: base)
            }
        } catch {
            var snapshot = SourceSnapshot.failed(name, problem: error.description)
            snapshot.warnings = warnings
            snapshot.readSeconds = Self.seconds(clock.now - start)
            return .failed(snapshot)
        }
    }

    /// A complete read of this source, with its settings and warnings.
    private func completeSnapshot(users: [SourceUser], groups: [SourceGroup], skipped: [String]) -> SourceSnapshot {
        var snapshot = SourceSnapshot(
            source: name, users: users, groups: groups, complete: true,
            membersAreUsernames: options.groups?.membersAreUsernames ?? false,
            nestedGroups: options.groups?.nested ?? false)
        snapshot.warnings = warnings + skipped.map { "skipped \($0)" }
        return snapshot
    }

    private var settings: String { StoredCookie.settings(options, selectorAttributes: selectorAttributes) }

    /// Said on every run while the configuration weakens the connection's security.
    var warnings: [String] {
        var warnings: [String] = []
        if options.tls.insecureSkipVerify {
            warnings.append(
                "tls.insecure_skip_verify is true: the server's certificate is not checked, so anyone on the"
                    + " network path can pose as the directory; set tls.ca_file instead")
        }
        if options.bindDN != nil, !options.tls.startTLS,
            let url = options.urls.first(where: { $0.lowercased().hasPrefix("ldap://") && !Self.isLoopback($0) })
        {
            warnings.append(
                "\(url) is not encrypted and tls.start_tls is off: the bind password crosses the network in"
                    + " clear text; use ldaps:// or tls.start_tls: true")
        }
        return warnings
    }

    private static func isLoopback(_ url: String) -> Bool {
        let host = url.lowercased().dropFirst("ldap://".count).prefix { $0 != ":" && $0 != "/" }
        return host == "localhost" || host.hasPrefix("127.") || host == "[::1]"
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
