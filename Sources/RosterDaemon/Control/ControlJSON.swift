import Foundation
import RosterCore

/// Converts the daemon's `Codable` types to and from `JSONValue`, dates as RFC 3339 (`Timestamp`).
///
/// The types spell their snake_case keys out in `CodingKeys` (`last_run`, `run_id`): a key
/// strategy would also rewrite the keys inside the plan document and the source names they carry.
public enum ControlJSON {
    public static func value(_ encodable: some Encodable) throws -> JSONValue {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Timestamp.string(date))
        }
        return try JSONValue.parse(encoder.encode(encodable))
    }

    public static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = Timestamp.parse(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "\(text) is not an RFC 3339 time")
            }
            return date
        }
        return try decoder.decode(type, from: value.canonicalData)
    }
}
