import Foundation

/// Turns `DATABASE_URL` (the old Flask app's SQLAlchemy spelling) into a file path.
public enum DatabaseLocation {
    public struct InvalidURL: Error, CustomStringConvertible, Equatable {
        public let value: String
        public var description: String {
            "DATABASE_URL \"\(value)\" is not a SQLite location: use sqlite:///relative.db, sqlite:////absolute/path.db or a plain file path"
        }
    }

    /// - `sqlite:///relative.db` → `relative.db` (relative to the working directory, as SQLAlchemy does)
    /// - `sqlite:////abs/path.db` → `/abs/path.db`
    /// - a plain path → that path (`~/` expanded)
    /// - anything else (another scheme, `:memory:`, a host) → `InvalidURL`
    public static func resolve(_ databaseURL: String?, default defaultPath: URL, workingDirectory: URL? = nil) throws -> URL {
        guard let raw = databaseURL?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else {
            return defaultPath
        }
        let cwd = workingDirectory ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        var path: String
        if raw.hasPrefix("sqlite:///") {
            path = String(raw.dropFirst("sqlite:///".count))
            if let query = path.firstIndex(of: "?") { path = String(path[..<query]) }
        } else if raw.contains("://") || raw.hasPrefix("sqlite:") {
            throw InvalidURL(value: raw)
        } else {
            path = raw
        }
        guard !path.isEmpty, path != ":memory:", !path.hasSuffix("/") else { throw InvalidURL(value: raw) }
        if path.hasPrefix("~/") {
            path = NSHomeDirectory() + path.dropFirst(1)
        }
        if path.hasPrefix("/") { return URL(fileURLWithPath: path) }
        return cwd.appendingPathComponent(path)
    }
}
