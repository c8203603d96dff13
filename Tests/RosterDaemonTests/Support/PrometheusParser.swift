/// Reads the Prometheus text format back, strictly enough to catch a malformed metrics file:
/// every sample belongs to a family declared by `# TYPE` before it, and every value is a number.
struct PrometheusParser {
    struct Sample: Hashable {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private(set) var types: [String: String] = [:]
    private(set) var samples: [Sample] = []

    init(_ text: String) throws {
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.isEmpty { continue }
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                guard parts.count == 4, ["counter", "gauge", "histogram", "summary", "untyped"].contains(parts[3])
                else { throw Failure(description: "line \(number + 1): bad TYPE: \(line)") }
                guard types[String(parts[2])] == nil else {
                    throw Failure(description: "line \(number + 1): \(parts[2]) declared twice")
                }
                types[String(parts[2])] = String(parts[3])
            } else if line.hasPrefix("#") {
                continue
            } else {
                samples.append(try Self.sample(String(line), line: number + 1, types: types))
            }
        }
    }

    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { $0.name == name && $0.labels == labels }?.value
    }

    private static func sample(_ line: String, line number: Int, types: [String: String]) throws -> Sample {
        guard let space = line.lastIndex(of: " ") else { throw Failure(description: "line \(number): no value") }
        let head = String(line[..<space])
        let valueText = String(line[line.index(after: space)...])
        let value: Double? = valueText == "+Inf" ? .infinity : valueText == "-Inf" ? -.infinity : Double(valueText)
        guard let value else { throw Failure(description: "line \(number): \(valueText) is not a number") }
        var name = head
        var labels: [String: String] = [:]
        if let brace = head.firstIndex(of: "{") {
            guard head.hasSuffix("}") else { throw Failure(description: "line \(number): unclosed labels") }
            name = String(head[..<brace])
            labels = try parseLabels(String(head[head.index(after: brace)..<head.index(before: head.endIndex)]), number)
        }
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == ":" }), !name.isEmpty else {
            throw Failure(description: "line \(number): bad metric name \(name)")
        }
        guard types[name] != nil else { throw Failure(description: "line \(number): \(name) has no TYPE before it") }
        return Sample(name: name, labels: labels, value: value)
    }

    private static func parseLabels(_ text: String, _ number: Int) throws -> [String: String] {
        var labels: [String: String] = [:]
        var rest = Substring(text)
        while !rest.isEmpty {
            guard let equals = rest.firstIndex(of: "="), rest[rest.index(after: equals)] == "\"" else {
                throw Failure(description: "line \(number): bad label in \(text)")
            }
            let key = String(rest[..<equals])
            var value = ""
            var index = rest.index(equals, offsetBy: 2)
            while index < rest.endIndex, rest[index] != "\"" {
                if rest[index] == "\\" {
                    index = rest.index(after: index)
                    value.append(rest[index] == "n" ? "\n" : rest[index])
                } else {
                    value.append(rest[index])
                }
                index = rest.index(after: index)
            }
            guard index < rest.endIndex else { throw Failure(description: "line \(number): unterminated label value") }
            labels[key] = value
            rest = rest[rest.index(after: index)...]
            if rest.first == "," { rest = rest.dropFirst() }
        }
        return labels
    }
}
