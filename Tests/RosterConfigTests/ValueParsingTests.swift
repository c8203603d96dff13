import RosterCore
import Testing

@testable import RosterConfig

struct ValueParsingTests {
    @Test(arguments: [
        ("90s", Duration.seconds(90)), ("15m", .seconds(900)), ("6h", .seconds(21_600)), ("30d", .seconds(2_592_000)),
        ("0s", .zero),
    ])
    func durations(_ text: String, _ expected: Duration) {
        #expect(DurationText.parse(text) == expected)
    }

    @Test(arguments: ["", "15", "m", "15 m", "1.5h", "-5m", "15M", "1h30m", "1w", "9999999999s"])
    func invalidDurations(_ text: String) {
        #expect(DurationText.parse(text) == nil)
    }

    @Test(arguments: [
        (Duration.seconds(90), "90s"), (.seconds(900), "15m"), (.seconds(21_600), "6h"), (.seconds(2_592_000), "30d"),
        (.seconds(3_660), "61m"),
    ])
    func formattedDurations(_ duration: Duration, _ expected: String) {
        #expect(DurationText.format(duration) == expected)
    }

    @Test(arguments: [
        ("10", ChangeLimit.count(10)), ("0", .count(0)), ("10%", .percent(10)), ("2.5%", .percent(2.5)),
        ("100%", .percent(100)),
    ])
    func limits(_ text: String, _ expected: ChangeLimit) {
        #expect(ChangeLimit(configText: text) == expected)
    }

    @Test(arguments: ["", "%", "-1", "ten", "101%", "10 %", "1e3", "-5%", "10%%"])
    func invalidLimits(_ text: String) {
        #expect(ChangeLimit(configText: text) == nil)
    }

    @Test(arguments: [
        ("grups", "groups"), ("sorce", "source"), ("intervall", "interval"), ("Groups", "groups"),
        ("rolse", "roles"),
    ])
    func suggestions(_ typo: String, _ expected: String) {
        let keys = ConfigReader.mappingKeys + ["interval"]
        #expect(Suggestion.closest(to: typo, among: keys) == expected)
    }

    @Test(arguments: ["xyz", "a", "totally_unrelated"])
    func noSuggestionForUnrelatedWords(_ word: String) {
        #expect(Suggestion.closest(to: word, among: ConfigReader.mappingKeys) == nil)
    }

    @Test(arguments: [
        ("bind_password", true), ("client_secret", true), ("password", true), ("token_key", true),
        ("bind_password_file", false), ("client_secret_file", false), ("groups", false),
    ])
    func inlineSecretKeys(_ key: String, _ refused: Bool) {
        #expect(ConfigReader.looksLikeInlineSecret(key) == refused)
    }
}
