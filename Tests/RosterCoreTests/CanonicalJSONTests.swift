import Foundation
import RosterTestSupport
import Testing

@testable import RosterCore

/// The audit chain hashes canonical JSON: these bytes must never change. The expected texts are
/// Python's `json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)`, which
/// an independent verifier of the chain recomputes.
struct CanonicalJSONTests {
    private func canonical(_ value: JSONValue) -> String { value.canonicalString }

    @Test func stringsEscapeOnlyQuotesBackslashesAndControlCharacters() {
        let text = "q\"b\\s/ \u{0}\u{1}\u{8}\u{9}\u{A}\u{B}\u{C}\u{D}\u{1F}\u{7F}\u{80}\u{2028}é😀"
        #expect(
            canonical(.array([.string(text)]))
                == "[\"q\\\"b\\\\s/ \\u0000\\u0001\\b\\t\\n\\u000b\\f\\r\\u001f\u{7F}\u{80}\u{2028}é😀\"]")
    }

    @Test func keysSortByCodePointNotUTF16() {
        // U+E000 and U+FF21 come before 😀 (U+1F600) by code point, after it in UTF-16 units
        // (0xD83D…); upper case before `_` before lower case; no numeric or case-blind order.
        let keys = [
            "a_b", "aB", "ab", "a9", "a10", "B", "a", "z", "Z", "_", "Ω", "😀", "\u{FF21}", "\u{E000}", "aa", "A",
            "ä", "b", "é",
        ]
        let object = JSONValue.object(
            Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($0.element, JSONValue.int(Int64($0.offset))) }))
        #expect(
            canonical(object)
                == "{\"A\":15,\"B\":5,\"Z\":8,\"_\":9,\"a\":6,\"a10\":4,\"a9\":3,\"aB\":1,\"a_b\":0,\"aa\":14,\"ab\":2,"
                + "\"b\":17,\"z\":7,\"ä\":16,\"é\":18,\"Ω\":10,\"\u{E000}\":13,\"\u{FF21}\":12,\"😀\":11}")
    }

    @Test func nestedValuesHaveNoWhitespace() {
        let value = JSONValue.object([
            "z": .array([
                .int(1), .int(-2), .bool(true), .bool(false), .null, .object(["y": .string(""), "x": .array([])]),
            ]),
            "": .object([:]), "n": .int(.min), "m": .int(.max),
        ])
        #expect(
            canonical(value)
                == "{\"\":{},\"m\":9223372036854775807,\"n\":-9223372036854775808,"
                + "\"z\":[1,-2,true,false,null,{\"x\":[],\"y\":\"\"}]}")
    }

    @Test func doublesKeepFoundationsText() throws {
        let encoder = JSONEncoder()
        for double in [0.5, 1.0, -0.0, 1e20, 1e-7, 123_456_789.125, .leastNonzeroMagnitude, .pi] {
            let expected = String(decoding: try encoder.encode([double]), as: UTF8.self)
            #expect(canonical(.array([.double(double)])) == expected)
        }
        #expect(canonical(.object(["x": .double(.nan)])) == "null")
    }

    /// The writer against what Foundation's encoder gave before it (keys without combining marks,
    /// where the two orders agree).
    @Test func matchesJSONEncoderOnRandomDocuments() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let pool = Array("aZ_09 /\"\\\u{0}\u{1F}\u{7F}é€😀\u{FF21}\u{E000}\n\t")
        var generator = SeededRandom(seed: 8)
        func text() -> String {
            String((0..<Int(generator.next() % 6)).map { _ in pool[Int(generator.next() % UInt64(pool.count))] })
        }
        func value(depth: Int) -> JSONValue {
            switch generator.next() % (depth > 2 ? 4 : 6) {
            case 0: return .null
            case 1: return .bool(generator.next() % 2 == 0)
            case 2: return .int(Int64(bitPattern: generator.next()))
            case 3: return .string(text())
            case 4: return .array((0..<Int(generator.next() % 4)).map { _ in value(depth: depth + 1) })
            default:
                var object: [String: JSONValue] = [:]
                for _ in 0..<Int(generator.next() % 5) { object[text()] = value(depth: depth + 1) }
                return .object(object)
            }
        }
        for _ in 0..<300 {
            let document = value(depth: 0)
            #expect(document.canonicalBytes == Array(try encoder.encode(document)))
        }
    }

    @Test func auditRecordFormsMatchTheirJSON() {
        let changes = JSONValue.object([
            "email": .array([.null, .string("Ä@example.com")]), "roles": .object(["added": .strings(["a\"b"])]),
        ])
        let reason = JSONValue.object(["note": .string("line\nbreak"), "chains": .strings(["x ← y → mapping z"])])
        let records = [
            AuditRecord(
                seq: 7, time: "2026-11-23T10:00:00.000Z", run: "r-1", actor: "sync", action: "user.create", userID: 3,
                email: "Ä@example.com", changes: changes, reason: reason, prev: AuditRecord.genesisHash, hash: "ab12"),
            AuditRecord(
                seq: 8, time: "2026-11-23T10:00:00.000Z", run: nil, actor: "cli:root", action: "run.start",
                userID: nil, email: nil, changes: nil, reason: .null, prev: "ab12", hash: "cd34"),
            AuditRecord(
                seq: 9, time: "t", run: nil, actor: "a", action: "b", userID: nil, email: "e", changes: .object([:]),
                reason: nil, prev: "p", hash: "h"),
            AuditRecord(
                seq: 10, time: "t", run: "r", actor: "a", action: "b", userID: 0, email: nil,
                changes: .array([.double(.infinity)]), reason: nil, prev: "p", hash: "h"),
        ]
        for record in records {
            let (hashed, offset) = record.canonicalForm()
            #expect(hashed == record.json(includingHash: false).canonicalBytes)
            #expect(record.document(hashed: hashed, hashOffset: offset) == record.json().canonicalBytes)
        }
    }
}
