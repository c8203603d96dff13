/// Reads a Prometheus text file back: each sample line must belong to a family typed before it
/// and carry a number. Enough to prove the metrics file parses, and to look values up.
struct PrometheusSamples {
    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    private var samples: [(name: String, labels: [String: String], value: Double)] = []

    init(_ text: String) throws {
        var typed = Set<String>()
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                guard parts.count == 4 else { throw Malformed(description: "bad TYPE line: \(line)") }
                typed.insert(String(parts[2]))
                continue
            }
            if line.hasPrefix("#") { continue }
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
                throw Malformed(description: "no numeric value: \(line)")
            }
            let head = line[..<space]
            let name = String(head.prefix { $0 != "{" })
            guard typed.contains(name) else { throw Malformed(description: "\(name) has no TYPE before it") }
            var labels: [String: String] = [:]
            if let open = head.firstIndex(of: "{") {
                guard head.hasSuffix("}") else { throw Malformed(description: "unclosed labels: \(line)") }
                // The values Roster writes hold no commas or escaped quotes, so a split is exact here.
                for pair in head[head.index(after: open)..<head.index(before: head.endIndex)].split(separator: ",") {
                    let parts = pair.split(separator: "=", maxSplits: 1)
                    guard parts.count == 2, parts[1].hasPrefix("\""), parts[1].hasSuffix("\"") else {
                        throw Malformed(description: "bad label \(pair) in \(line)")
                    }
                    labels[String(parts[0])] = String(parts[1].dropFirst().dropLast())
                }
            }
            samples.append((name, labels, value))
        }
    }

    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { $0.name == name && $0.labels == labels }?.value
    }
}
