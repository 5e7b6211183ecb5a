import Foundation

/// Typed, forgiving reads from `JSONSerialization` output, with the path of whatever is wrong.
///
/// Discogs leaves fields out (the 2014 shapes have few), sends `{}` for "no shipping price",
/// `""` for "no thumbnail", numbers as strings now and then (the seller's rating): missing or
/// empty is never an error, but a value of the wrong kind is, naming where it was.
struct JSONReader {
    let object: [String: Any]
    let path: String

    struct Problem: Error, CustomStringConvertible {
        let description: String
    }

    init(_ object: [String: Any], path: String = "") {
        self.object = object
        self.path = path
    }

    static func parse(_ data: Data) throws -> JSONReader {
        guard !data.isEmpty else { throw Problem(description: "an empty body") }
        let value: Any
        do {
            value = try JSONSerialization.jsonObject(with: data)
        } catch {
            let head = String(decoding: data.prefix(40), as: UTF8.self).replacingOccurrences(of: "\n", with: " ")
            throw Problem(description: head.hasPrefix("<") ? "an HTML page (\(head)…)" : "malformed or truncated JSON (\(data.count) bytes)")
        }
        guard let object = value as? [String: Any] else { throw Problem(description: "a JSON \(kind(value)) instead of an object") }
        return JSONReader(object)
    }

    private func at(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    private static func kind(_ value: Any) -> String {
        switch value {
        case is String: "string"
        case is NSNumber: "number"
        case is [Any]: "array"
        case is [String: Any]: "object"
        case is NSNull: "null"
        default: "value"
        }
    }

    private func wrong(_ key: String, _ expected: String, _ value: Any) -> Problem {
        Problem(description: "\(at(key)): expected \(expected), got a \(Self.kind(value))")
    }

    private func present(_ key: String) -> Any? {
        guard let value = object[key], !(value is NSNull) else { return nil }
        return value
    }

    func string(_ key: String) throws -> String? {
        guard let value = present(key) else { return nil }
        if let string = value as? String { return string.isEmpty ? nil : string }
        if let number = value as? NSNumber, !Self.isBool(number) { return number.stringValue }
        throw wrong(key, "a string", value)
    }

    func double(_ key: String) throws -> Double? {
        guard let value = present(key) else { return nil }
        if let number = value as? NSNumber, !Self.isBool(number) { return number.doubleValue }
        if let string = value as? String {
            if string.isEmpty { return nil }
            if let number = Double(string) { return number }
        }
        throw wrong(key, "a number", value)
    }

    func int64(_ key: String) throws -> Int64? {
        guard let value = present(key) else { return nil }
        if let number = value as? NSNumber, !Self.isBool(number) {
            let double = number.doubleValue
            guard double == double.rounded() else { throw wrong(key, "a whole number", value) }
            return number.int64Value
        }
        if let string = value as? String {
            if string.isEmpty { return nil }
            if let number = Int64(string) { return number }
        }
        throw wrong(key, "a whole number", value)
    }

    func int(_ key: String) throws -> Int? { try int64(key).map { Int(truncatingIfNeeded: $0) } }

    func bool(_ key: String) throws -> Bool? {
        guard let value = present(key) else { return nil }
        if let number = value as? NSNumber { return number.boolValue }
        if let string = value as? String { return ["true", "1", "y", "yes"].contains(string.lowercased()) }
        throw wrong(key, "true or false", value)
    }

    /// A nested object; `{}` and a missing key both give nil.
    func object(_ key: String) throws -> JSONReader? {
        guard let value = present(key) else { return nil }
        guard let object = value as? [String: Any] else { throw wrong(key, "an object", value) }
        return object.isEmpty ? nil : JSONReader(object, path: at(key))
    }

    func objects(_ key: String) throws -> [JSONReader] {
        guard let value = present(key) else { return [] }
        guard let array = value as? [Any] else { throw wrong(key, "an array", value) }
        return try array.enumerated().map { index, element in
            guard let object = element as? [String: Any] else { throw wrong("\(key)[\(index)]", "an object", element) }
            return JSONReader(object, path: at("\(key)[\(index)]"))
        }
    }

    func strings(_ key: String) throws -> [String] {
        guard let value = present(key) else { return [] }
        guard let array = value as? [Any] else { throw wrong(key, "an array", value) }
        return array.compactMap { $0 as? String }
    }

    private static func isBool(_ number: NSNumber) -> Bool {
        // JSONSerialization hands booleans back as NSNumber too, with the C type of a char.
        String(cString: number.objCType) == "c"
    }
}
