import Foundation

/// The optional `KEY=value` settings file (`$XDG_CONFIG_HOME/wax/config`).
///
/// The format is the `.env` dialect the old Flask deployment used: one `KEY=value` per line,
/// `#` comments, blank lines, an optional `export ` prefix, and values optionally wrapped in
/// single or double quotes.
public struct ConfigFile: Sendable, Equatable {
    public var values: [String: String]
    public var path: URL

    public struct ParseError: Error, CustomStringConvertible, Equatable {
        public let path: String
        public let line: Int
        public let reason: String
        public var description: String { "\(path):\(line): \(reason)" }
    }

    public static func parse(_ text: String, path: URL) throws -> ConfigFile {
        var values: [String: String] = [:]
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = String(line.dropFirst("export ".count)).trimmingCharacters(in: .whitespaces) }
            guard let eq = line.firstIndex(of: "=") else {
                throw ParseError(path: path.path, line: index + 1, reason: "expected KEY=value")
            }
            let key = line[..<eq].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                throw ParseError(path: path.path, line: index + 1, reason: "\"\(key)\" is not a setting name")
            }
            var value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            } else if let hash = value.range(of: " #") {
                value = value[..<hash.lowerBound].trimmingCharacters(in: .whitespaces)
            }
            values[key] = value
        }
        return ConfigFile(values: values, path: path)
    }

    /// Reads the file if it exists; `nil` when it does not.
    public static func load(from path: URL) throws -> ConfigFile? {
        guard FileManager.default.fileExists(atPath: path.path) else { return nil }
        let data = try Data(contentsOf: path)
        guard let text = String(data: data, encoding: .utf8) else {
            throw ParseError(path: path.path, line: 1, reason: "not UTF-8 text")
        }
        return try parse(text, path: path)
    }

    /// True when someone other than the owner may read the file.
    public static func isReadableByOthers(_ path: URL) -> Bool {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path.path),
              let mode = attributes[.posixPermissions] as? NSNumber else { return false }
        return mode.intValue & 0o044 != 0
    }
}
