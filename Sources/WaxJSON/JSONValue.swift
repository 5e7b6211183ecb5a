import Foundation

/// A JSON value with explicit nulls, numbers kept as integers or doubles, and keys written in
/// sorted order (as Flask's `jsonify` did, so scripts diffing old and new output see no noise).
public enum JSONValue: Sendable, Equatable {

    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(_ value: String?) { self = value.map(JSONValue.string) ?? .null }
    public init(_ value: Int?) { self = value.map { .int(Int64($0)) } ?? .null }
    public init(_ value: Int64?) { self = value.map(JSONValue.int) ?? .null }
    public init(_ value: Double?) { self = value.map(JSONValue.double) ?? .null }
    public init(_ value: Bool?) { self = value.map(JSONValue.bool) ?? .null }

    public subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    /// Compact JSON text.
    public var text: String { String(decoding: utf8, as: UTF8.self) }

    /// Compact JSON as UTF-8 bytes (what a server sends).
    public var utf8: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        var keys = KeyOrder()
        write(to: &out, indent: nil, level: 0, keys: &keys)
        return out
    }

    /// A compact JSON array of objects given as key–value pairs already in sorted key order:
    /// the bytes `.array(objects.map { .object(…) }).utf8` would give, without building and
    /// hashing a dictionary per object.
    public static func utf8(orderedObjects objects: [[(String, JSONValue)]]) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "[")]
        out.reserveCapacity(objects.count * 1_024 + 2)
        appendElements(orderedObjects: objects, to: &out, first: true)
        out.append(UInt8(ascii: "]"))
        return out
    }

    /// The elements of such an array without its brackets, each after a comma unless it is the
    /// array's `first`: how a long array is streamed a piece at a time, the bytes unchanged.
    public static func appendElements(orderedObjects objects: [[(String, JSONValue)]], to out: inout [UInt8], first: Bool) {
        var keys = KeyOrder()
        for (i, pairs) in objects.enumerated() {
            if i > 0 || !first { out.append(UInt8(ascii: ",")) }
            writeObject(pairs, to: &out, indent: nil, level: 1, keys: &keys)
        }
    }

    /// Indented JSON text for people.
    public var prettyText: String {
        var out: [UInt8] = []
        var keys = KeyOrder()
        write(to: &out, indent: Array("  ".utf8), level: 0, keys: &keys)
        return String(decoding: out, as: UTF8.self)
    }

    // Written as bytes: appending to a String cost a third of `wax serve`'s time per request.
    private func write(to out: inout [UInt8], indent: [UInt8]?, level: Int, keys order: inout KeyOrder) {
        switch self {
        case .null: out += Self.nullBytes
        case .bool(let b): out += b ? Self.trueBytes : Self.falseBytes
        case .int(let i): out += String(i).utf8
        case .double(let d):
            if d.isFinite, d == d.rounded(), abs(d) < 1e15 {
                out += String(Int64(d)).utf8
                out += Self.pointZero
            } else if d.isFinite {
                out += d.description.utf8
            } else {
                out += Self.nullBytes
            }
        case .string(let s): Self.writeString(s, to: &out)
        case .array(let items):
            if items.isEmpty { out += Self.emptyArray; return }
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                if let indent { Self.newline(&out, indent, level + 1) }
                item.write(to: &out, indent: indent, level: level + 1, keys: &order)
            }
            if let indent { Self.newline(&out, indent, level) }
            out.append(UInt8(ascii: "]"))
        case .object(let object):
            let keys = order.sorted(object.keys)
            Self.writeObject(keys.lazy.map { ($0, object[$0]!) }, to: &out, indent: indent, level: level, keys: &order)
        }
    }

    /// `{…}` from members already in the order they are to be written.
    private static func writeObject(_ members: some Sequence<(String, JSONValue)>, to out: inout [UInt8], indent: [UInt8]?,
                                    level: Int, keys order: inout KeyOrder) {
        out.append(UInt8(ascii: "{"))
        var empty = true
        for (key, value) in members {
            if !empty { out.append(UInt8(ascii: ",")) }
            empty = false
            if let indent { newline(&out, indent, level + 1) }
            writeString(key, to: &out)
            out.append(UInt8(ascii: ":"))
            if indent != nil { out.append(UInt8(ascii: " ")) }
            value.write(to: &out, indent: indent, level: level + 1, keys: &order)
        }
        if !empty, let indent { newline(&out, indent, level) }
        out.append(UInt8(ascii: "}"))
    }

    private static let nullBytes = Array("null".utf8), trueBytes = Array("true".utf8), falseBytes = Array("false".utf8)
    private static let pointZero = Array(".0".utf8), emptyArray = Array("[]".utf8)
    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func newline(_ out: inout [UInt8], _ indent: [UInt8], _ level: Int) {
        out.append(UInt8(ascii: "\n"))
        for _ in 0..<level { out += indent }
    }

    /// Keys in code point order (UTF-8 byte order is the same), as Python's `sort_keys`. An
    /// array of listings repeats one key set: its order is sorted once and reused while the
    /// next object's keys come in the same dictionary order (sorting every object was half
    /// of writing a page of listings).
    private struct KeyOrder {
        var unsorted: [String] = []
        var sorted: [String] = []

        mutating func sorted(_ keys: Dictionary<String, JSONValue>.Keys) -> [String] {
            let current = Array(keys)
            if current != unsorted {
                unsorted = current
                sorted = current.sorted(by: JSONValue.utf8Precedes)
            }
            return sorted
        }
    }

    /// Byte order by `memcmp` (the generic comparisons were a tenth of writing a listing).
    private static func utf8Precedes(_ a: String, _ b: String) -> Bool {
        var a = a, b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                let common = min(x.count, y.count)
                let order = common == 0 ? 0 : memcmp(x.baseAddress!, y.baseAddress!, common)
                return order != 0 ? order < 0 : x.count < y.count
            }
        }
    }

    /// Escapes `"`, `\` and control characters; everything else (UTF-8 included) goes as is.
    private static func writeString(_ s: String, to out: inout [UInt8]) {
        var s = s
        out.append(UInt8(ascii: "\""))
        s.withUTF8 { bytes in
            // Most strings need no escaping: append them whole.
            guard bytes.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
                out.append(contentsOf: bytes)
                return
            }
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
                case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
                case UInt8(ascii: "\n"): out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
                case UInt8(ascii: "\r"): out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
                case UInt8(ascii: "\t"): out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
                case 0..<0x20:
                    out += [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                            hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)]]
                default: out.append(byte)
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

extension JSONValue {
    /// A plain string for a CSV cell: nulls empty, numbers as Python wrote them (`60.0`, `1.09`).
    public var csvText: String {
        switch self {
        case .null: ""
        case .bool(let b): b ? "true" : "false"
        case .int(let i): String(i)
        case .double: text
        case .string(let s): s
        case .array, .object: text
        }
    }

    /// Converts what `JSONSerialization` returns (recorded samples, mostly).
    public init(any value: Any) {
        switch value {
        case let string as String: self = .string(string)
        case let number as NSNumber:
            if String(cString: number.objCType) == "c" {
                self = .bool(number.boolValue)
            } else if number.doubleValue == number.doubleValue.rounded(), abs(number.doubleValue) < 9e15,
                      !String(cString: number.objCType).contains(where: { $0 == "d" || $0 == "f" }) {
                self = .int(number.int64Value)
            } else {
                self = .double(number.doubleValue)
            }
        case let array as [Any]: self = .array(array.map(JSONValue.init(any:)))
        case let object as [String: Any]: self = .object(object.mapValues(JSONValue.init(any:)))
        default: self = .null
        }
    }
}
