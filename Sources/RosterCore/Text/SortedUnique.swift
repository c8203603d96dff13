extension Array where Element == String {
    /// The texts sorted, each once. Sorted first, then each compared with the one before: these
    /// are a user's handful of grants, where a set cost more than the sort.
    func sortedUnique() -> [String] {
        guard count > 1 else { return self }
        let sorted = self.sorted()
        var unique = [sorted[0]]
        for text in sorted.dropFirst() where text != unique[unique.count - 1] { unique.append(text) }
        return unique
    }
}
