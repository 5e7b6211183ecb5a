import Foundation

/// A request's query string, decoded strictly: `+` and `%XX` as in HTML forms, every value valid
/// UTF-8, the whole string bounded. Anything else is a 400, never a guess.
struct APIParameters: Sendable, Equatable {
    /// Longer query strings are refused: no legitimate search needs more, and it bounds the
    /// work a request can ask for.
    static let maxQueryBytes = 4_096

    private(set) var values: [String: String] = [:]

    init(_ values: [String: String] = [:]) {
        self.values = values
    }

    init(rawQuery: String) throws {
        guard rawQuery.utf8.count <= Self.maxQueryBytes else {
            throw APIError.badRequest("query string too long (\(rawQuery.utf8.count) bytes; at most \(Self.maxQueryBytes))")
        }
        for pair in rawQuery.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = try Self.decode(parts[0], what: "a parameter name")
            let value = try Self.decode(parts.count > 1 ? parts[1] : "", what: "parameter \"\(name)\"")
            values[name] = value
        }
    }

    /// A parameter's value, or nil when absent or empty (`?artist=` filters nothing, as before).
    func text(_ name: String) -> String? {
        guard let value = values[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }

    func number(_ name: String) throws -> Double? {
        guard let text = text(name) else { return nil }
        guard let value = Double(text), value.isFinite else { throw APIError.badRequest("\(name) must be a number, not \"\(text)\"") }
        return value
    }

    func integer(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let text = text(name) else { return nil }
        guard let value = Int(text) else { throw APIError.badRequest("\(name) must be a whole number, not \"\(text)\"") }
        guard range.contains(value) else {
            throw APIError.badRequest("\(name) must be between \(range.lowerBound) and \(range.upperBound), not \(value)")
        }
        return value
    }

    func flag(_ name: String) throws -> Bool? {
        guard let text = text(name) else { return nil }
        switch text.lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw APIError.badRequest("\(name) must be true or false, not \"\(text)\"")
        }
    }

    private static func decode(_ part: Substring, what: String) throws -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(part.utf8.count)
        var iterator = part.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"): bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                    throw APIError.badRequest("malformed percent-encoding in \(what)")
                }
                bytes.append(high << 4 | low)
            default: bytes.append(byte)
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw APIError.badRequest("\(what) is not valid UTF-8")
        }
        return text
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
