import Foundation

/// A NULL-terminated `char **` copy of some strings (the attribute list of a search): the only
/// owner of the copies, which it frees in `deinit`.
final class CStringArray {
    /// Nil for an empty list, which libldap reads as "all user attributes".
    let pointer: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
    private let count: Int

    init(_ strings: [String]) {
        count = strings.count
        guard !strings.isEmpty else {
            pointer = nil
            return
        }
        let array = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: strings.count + 1)
        for (index, string) in strings.enumerated() { array[index] = strdup(string) }
        array[strings.count] = nil
        pointer = array
    }

    deinit {
        guard let pointer else { return }
        for index in 0..<count { free(pointer[index]) }
        pointer.deallocate()
    }
}

@available(*, unavailable)
extension CStringArray: Sendable {}
