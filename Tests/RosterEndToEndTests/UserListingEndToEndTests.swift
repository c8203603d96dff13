import Foundation
import Testing

/// `users list` as exports and consoles use it: paging totals, search, sort, CSV (RFC 4180).
@Suite(.serialized)
struct UserListingEndToEndTests {
    static let total = ReconcileEndToEndTests.expectedCount

    @Test func pagesCountTheWholeMatchAndTheFooterSaysWhere() throws {
        let demo = try DemoWorkspace.reconciled()
        defer { demo.remove() }
        let second = try demo.run(["users", "list", "--page", "2"])
        #expect(second.stdout.hasSuffix("26–50 of \(Self.total)\n"))
        #expect(second.stdout.split(separator: "\n").count == 25 + 2)  // header, rows, footer
        #expect(try demo.run(["users", "list", "--page", "3"]).stdout.hasSuffix("51–52 of \(Self.total)\n"))
        #expect(try demo.run(["users", "list", "--page", "4"]).stdout.contains("page 4 is past the end"))
        #expect(try demo.run(["users", "list", "--all"]).stdout.hasSuffix("\(Self.total) users\n"))
        let json = try demo.json(["users", "list", "--page", "2", "--per-page", "10", "--sort", "last", "--desc"])
        #expect(json["total"] as? Int == Self.total)
        #expect(json["page"] as? Int == 2)
        #expect(json["per_page"] as? Int == 10)
        let users = json["users"] as? [[String: Any]] ?? []
        #expect(users.count == 10)
        let lastNames = users.compactMap { $0["last_name"] as? String }
        #expect(lastNames == lastNames.sorted { $0.lowercased() > $1.lowercased() })
        let filtered = try demo.json(["users", "list", "--role", "analyst", "--type", "user", "--per-page", "3"])
        #expect(filtered["total"] as? Int == 8)
        #expect((filtered["users"] as? [Any])?.count == 3)
        #expect(try demo.run(["users", "list", "--page", "0"]).exitCode == 2)
    }

    @Test func searchIgnoresCaseAndAccents() throws {
        let demo = try DemoWorkspace.reconciled()
        defer { demo.remove() }
        let lukasz = try demo.json(["users", "list", "--search", "LUKASZ zolc"])
        #expect((lukasz["users"] as? [[String: Any]])?.first?["email"] as? String == "lukasz@example.com")
        let zoe = try demo.json(["users", "list", "--search", "angstrom"])
        #expect(zoe["total"] as? Int == 1)
        let group = try demo.json(["users", "list", "--group", "team-data", "--status", "active"])
        #expect(group["total"] as? Int == 17)
    }

    @Test func csvRoundTripsThroughAnRFC4180Parser() throws {
        let demo = try DemoWorkspace.reconciled()
        defer { demo.remove() }
        let tricky = [
            ["--email", "quote@example.com", "--first", "Anna \"Nan\"", "--last", "O'Brien, Jr."],
            ["--email", "formula@example.com", "--first", "=SUM(A1:A9)", "--last", "+1"],
            ["--email", "unicode@example.com", "--first", "Zoë, Łukasz", "--last", "Ångström"],
        ]
        for arguments in tricky { #expect(try demo.run(["users", "create"] + arguments).exitCode == 0) }
        #expect(try demo.run(["users", "delete", "judy", "--yes"]).exitCode == 0)

        let csv = try demo.run(["users", "list", "--all", "--format", "csv", "--sort", "id"])
        #expect(csv.exitCode == 0)
        let records = try CSVParser.parse(csv.stdout)
        let header = try #require(records.first)
        #expect(
            header == [
                "id", "username", "email", "first_name", "last_name", "type", "status", "origin", "last_login",
                "created_at",
            ])
        let rows = records.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
        #expect(rows.count == Self.total + 3)
        #expect(rows.allSatisfy { $0.count == header.count })

        // Every row says what the JSON says, field for field.
        let json = try demo.json(["users", "list", "--all", "--sort", "id"])["users"] as? [[String: Any]] ?? []
        #expect(json.count == rows.count)
        for (row, user) in zip(rows, json) {
            for field in header {
                let value = (user[field] as? String) ?? ""
                let guarded = value.first.map { "=+-@".contains($0) } == true ? "'" + value : value
                #expect(row[field] == guarded, "\(field) of user \(row["id"] ?? "?")")
            }
        }
        let quote = try #require(rows.first { $0["email"] == "quote@example.com" })
        #expect(quote["first_name"] == "Anna \"Nan\"" && quote["last_name"] == "O'Brien, Jr.")
        let formula = try #require(rows.first { $0["email"] == "formula@example.com" })
        #expect(formula["first_name"] == "'=SUM(A1:A9)" && formula["last_name"] == "'+1")
        #expect(rows.contains { $0["first_name"] == "Zoë, Łukasz" })
        #expect(rows.contains { $0["status"] == "deleted" && $0["first_name"] == "Deleted User" })
    }
}
