import RosterCore

/// Durations as admins write them: a whole number and one unit, `90s`, `15m`, `6h`, `30d`.
enum DurationText {
    private static let units: [(suffix: Character, seconds: Int64)] = [
        ("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1),
    ]

    /// The duration `text` spells, or nil when it is not of the form NUMBER+UNIT.
    static func parse(_ text: String) -> Duration? {
        guard let last = text.last, let unit = units.first(where: { $0.suffix == last }) else { return nil }
        let digits = text.dropLast()
        // Nine digits keep every unit far from overflow; no real interval needs more.
        guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
            let number = Int64(digits)
        else { return nil }
        return .seconds(number * unit.seconds)
    }

    /// The shortest spelling `parse` reads back: `21600 s` is `6h`.
    static func format(_ duration: Duration) -> String {
        let seconds = duration.components.seconds
        for unit in units where seconds != 0 && seconds % unit.seconds == 0 {
            return "\(seconds / unit.seconds)\(unit.suffix)"
        }
        return "\(seconds)s"
    }
}

extension ChangeLimit {
    /// Reads `10` (a count) or `10%` / `2.5%` (a share of the managed users).
    init?(configText text: String) {
        if text.hasSuffix("%") {
            let number = text.dropLast()
            guard !number.isEmpty, number.allSatisfy({ ($0.isASCII && $0.isNumber) || $0 == "." }),
                let percent = Double(number), percent >= 0, percent <= 100
            else { return nil }
            self = .percent(percent)
        } else {
            guard !text.isEmpty, text.count <= 9, text.allSatisfy({ $0.isASCII && $0.isNumber }), let count = Int(text)
            else { return nil }
            self = .count(count)
        }
    }
}
