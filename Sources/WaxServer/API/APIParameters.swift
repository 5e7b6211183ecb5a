import Foundation

/// A request's query string. The old app's parameters (`q`, `artist`, `genre`, `format`) are
/// read as leniently as the old app read them: a bare `%` is a literal (`q=100%`), bytes that are
/// not UTF-8 become U+FFFD, and a repeated parameter means its first value. wax's own
/// parameters are strict: a malformed escape or text that is not UTF-8 is a 400, never a guess.
/// Values are decoded only when read, so a malformed parameter nobody reads is ignored.
struct APIParameters: Sendable, Equatable {
    /// Longer query strings are refused: no legitimate search needs more, and it bounds the
    /// work a request can ask for.
    static let maxQueryBytes = 4_096

    /// The old app's parameters, read its lenient way.
    static let lenient: Set<String> = ["q", "artist", "genre", "format"]

    /// Raw (still encoded) values by decoded-leniently name, in the order given.
    private var raw: [String: [Substring]] = [:]

    init(_ values: [String: String] = [:]) {
        for (name, value) in values {
            raw[name] = [Substring(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value)]
        }
    }

    init(rawQuery: String) throws {
        guard rawQuery.utf8.count <= Self.maxQueryBytes else {
            throw APIError.badRequest("query string too long (\(rawQuery.utf8.count) bytes; at most \(Self.maxQueryBytes))")
        }
        for pair in rawQuery.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            raw[Self.decodeLeniently(parts[0]), default: []].append(parts.count > 1 ? parts[1] : "")
        }
    }

    /// A parameter's value, or nil when absent or empty (`?artist=` filters nothing, as before):
    /// the first value, leniently, for the old app's parameters; else the last value, strictly.
    func text(_ name: String) throws -> String? {
        guard let values = raw[name], let first = values.first, let last = values.last else { return nil }
        let decoded = Self.lenient.contains(name) ? Self.decodeLeniently(first) : try Self.decodeStrictly(last, what: "parameter \"\(name)\"")
        // No text anyone types holds a control character (`q=a%00b` matched half the shop):
        // refused for every parameter, the old app's included.
        if decoded.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw APIError.badRequest("parameter \"\(name)\" holds a control character")
        }
        let value = decoded.trimmingCharacters(in: .whitespaces)
        return value.isEmpty ? nil : value
    }

    func number(_ name: String) throws -> Double? {
        guard let text = try text(name) else { return nil }
        guard let value = Double(text), value.isFinite else { throw APIError.badRequest("\(name) must be a number, not \"\(text)\"") }
        return value
    }

    func integer(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let text = try text(name) else { return nil }
        guard let value = Int(text) else { throw APIError.badRequest("\(name) must be a whole number, not \"\(text)\"") }
        guard range.contains(value) else {
            throw APIError.badRequest("\(name) must be between \(range.lowerBound) and \(range.upperBound), not \(value)")
        }
        return value
    }

    func flag(_ name: String) throws -> Bool? {
        guard let text = try text(name) else { return nil }
        switch text.lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw APIError.badRequest("\(name) must be true or false, not \"\(text)\"")
        }
    }

    /// Every parameter is checked strictly except the old app's (a malformed `sort` is a 400
    /// even when the route reads no sort: a typo should not pass silently).
    func checkStrict() throws {
        for (name, values) in raw where !Self.lenient.contains(name) {
            for value in values { _ = try Self.decodeStrictly(value, what: "parameter \"\(name)\"") }
        }
    }

    /// `+` is a space and `%XX` a byte, as in HTML forms.
    private static func bytes(_ part: Substring, strict: Bool, what: String) throws -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(part.utf8.count)
        let utf8 = Array(part.utf8)
        var i = 0
        while i < utf8.count {
            let byte = utf8[i]
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%") {
                if i + 2 < utf8.count, let high = hexValue(utf8[i + 1]), let low = hexValue(utf8[i + 2]) {
                    bytes.append(high << 4 | low)
                    i += 3
                    continue
                }
                // The old app read a bare or broken `%` as itself.
                guard !strict else { throw APIError.badRequest("malformed percent-encoding in \(what)") }
                bytes.append(byte)
            } else {
                bytes.append(byte)
            }
            i += 1
        }
        return bytes
    }

    private static func decodeStrictly(_ part: Substring, what: String) throws -> String {
        let decoded = try bytes(part, strict: true, what: what)
        guard let text = String(validating: decoded, as: UTF8.self) else {
            throw APIError.badRequest("\(what) is not valid UTF-8")
        }
        return text
    }

    private static func decodeLeniently(_ part: Substring) -> String {
        String(decoding: (try? bytes(part, strict: false, what: "")) ?? Array(part.utf8), as: UTF8.self)
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
