import Foundation
import WaxJSON

/// Text columns hold lists as `; `-joined strings (genres) or JSON arrays (release details).
enum ListText {
    static let separator = "; "

    static func join(_ values: [String]) -> String? {
        let cleaned = values.map(\.trimmed).filter { !$0.isEmpty }
        return cleaned.isEmpty ? nil : cleaned.joined(separator: separator)
    }

    /// Splits at "; " (byte-wise: Foundation's `components(separatedBy:)` was a tenth of a
    /// large shop's start, splitting every genre and style list).
    static func split(_ text: String?) -> [String] {
        guard let text, !text.isEmpty else { return [] }
        var parts: [String] = []
        let utf8 = text.utf8
        var start = utf8.startIndex, index = start
        while index != utf8.endIndex {
            let next = utf8.index(after: index)
            if utf8[index] == UInt8(ascii: ";"), next != utf8.endIndex, utf8[next] == UInt8(ascii: " ") {
                parts.append(Substring(text[start..<index]).trimmed)
                index = utf8.index(after: next)
                start = index
            } else {
                index = next
            }
        }
        parts.append(Substring(text[start..<utf8.endIndex]).trimmed)
        return parts.filter { !$0.isEmpty }
    }

    /// A JSON array (written directly: JSONEncoder was a third of a bulk release import).
    static func encode(_ values: [String]) -> String? {
        values.isEmpty ? nil : JSONValue.array(values.map(JSONValue.string)).text
    }

    static func encode(_ values: [ReleaseRecord.Label]) -> String? {
        values.isEmpty ? nil : JSONValue.array(values.map { .object(["name": .string($0.name), "catalogNumber": JSONValue($0.catalogNumber)]) }).text
    }

    static func encode(_ values: [ReleaseRecord.Format]) -> String? {
        values.isEmpty ? nil : JSONValue.array(values.map {
            .object(["name": .string($0.name), "quantity": JSONValue($0.quantity), "descriptions": .array($0.descriptions.map(JSONValue.string))])
        }).text
    }

    static func encode(_ values: [ReleaseRecord.Track]) -> String? {
        values.isEmpty ? nil : JSONValue.array(values.map {
            .object(["position": .string($0.position), "title": .string($0.title), "duration": JSONValue($0.duration)])
        }).text
    }

    static func decode<T: Decodable>(_ text: String?, as type: [T].Type = [T].self) -> [T] {
        guard let text, let data = text.data(using: .utf8) else { return [] }
        return (try? JSONDecoder().decode([T].self, from: data)) ?? []
    }
}
