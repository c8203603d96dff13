import Testing

@testable import RosterConfig

struct YAMLDocumentTests {
    @Test func buildsTheTreeWithPositionsAndKeyOrder() throws {
        let document = try YAMLDocument.parse(
            """
            b: 1
            a:
              - x
              - {k: "v", empty: }
            """)
        let root = try #require(document.root)
        let entries = try #require(root.entries)
        #expect(entries.map(\.key) == ["b", "a"])
        #expect(entries[0].keyMark == YAMLMark(line: 1, column: 1))
        #expect(entries[0].value.text == "1")
        #expect(entries[0].value.mark == YAMLMark(line: 1, column: 4))
        let items = try #require(entries[1].value.items)
        #expect(items.count == 2)
        #expect(items[0].text == "x")
        #expect(items[0].mark == YAMLMark(line: 3, column: 5))
        let inner = try #require(items[1].entries)
        #expect(inner.map(\.key) == ["k", "empty"])
        #expect(inner[0].keyMark == YAMLMark(line: 4, column: 6))
        #expect(inner[1].value.isNull)
        #expect(document.problems.isEmpty)
    }

    @Test(arguments: [
        ("~", true), ("null", true), ("", true), ("\"~\"", false), ("'null'", false), ("!!str null", false),
        ("!!null x", true), ("value", false),
    ])
    func nullIsOnlyUnquotedNull(_ written: String, _ isNull: Bool) throws {
        let document = try YAMLDocument.parse("key: \(written)")
        let value = try #require(document.root?.entries?.first?.value)
        #expect(value.isNull == isNull)
    }

    @Test func resolvesAliasesAtTheAliasPosition() throws {
        let document = try YAMLDocument.parse(
            """
            common: &roles [viewer, editor]
            other: *roles
            """)
        let entries = try #require(document.root?.entries)
        #expect(entries[1].value.items?.compactMap(\.text) == ["viewer", "editor"])
        #expect(entries[1].value.mark == YAMLMark(line: 2, column: 8))
    }

    @Test func refusesAliasBombs() {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...6 {
            let previous = "*a\(level - 1)"
            text += "a\(level): &a\(level) [\(Array(repeating: previous, count: 10).joined(separator: ", "))]\n"
        }
        let problem = #expect(throws: YAMLProblem.self) { try YAMLDocument.parse(text) }
        #expect(problem?.message.contains("more than 100000 values") == true)
    }

    @Test func reportsDuplicateAndMergeKeysWithoutStopping() throws {
        let document = try YAMLDocument.parse(
            """
            base: &base {a: 1}
            one: 1
            one: 2
            merged:
              <<: *base
              b: 2
            """)
        #expect(
            document.problems == [
                YAMLProblem(
                    mark: YAMLMark(line: 3, column: 1),
                    message: "duplicate key \"one\" (first at line 2, column 1); remove one of them"),
                YAMLProblem(
                    mark: YAMLMark(line: 5, column: 3),
                    message: "merge keys (<<) are not supported; write the keys out in full"),
            ])
        #expect(document.root?.entries?.map(\.key) == ["base", "one", "merged"])
        #expect(document.root?.entries?[1].value.text == "1")
    }

    @Test func refusesASecondDocument() {
        let problem = #expect(throws: YAMLProblem.self) { try YAMLDocument.parse("a: 1\n---\nb: 2\n") }
        #expect(problem?.mark == YAMLMark(line: 2, column: 1))
        #expect(problem?.message.contains("second YAML document") == true)
    }

    @Test func refusesNonScalarKeys() throws {
        let document = try YAMLDocument.parse("? [a, b]\n: c\n")
        #expect(document.problems.map(\.message) == ["a key must be a name, not a list"])
    }

    @Test func syntaxErrorsCarryLibyamlsWordsAndPosition() {
        let problem = #expect(throws: YAMLProblem.self) { try YAMLDocument.parse("a: [1, 2\nb: 3\n") }
        #expect(problem?.message.hasPrefix("YAML syntax error: ") == true)
        #expect(problem?.message.contains("while parsing a flow sequence at line 1, column 4") == true)
    }

    @Test func refusesDeepNesting() {
        let text = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        let problem = #expect(throws: YAMLProblem.self) { try YAMLDocument.parse(text) }
        #expect(problem?.message.contains("deeper than 64 levels") == true)
    }

    @Test func emptyInputHasNoDocument() throws {
        #expect(try YAMLDocument.parse("").root == nil)
        #expect(try YAMLDocument.parse("# only a comment\n").root == nil)
    }
}
