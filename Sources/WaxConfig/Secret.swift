import Foundation

/// A value that must never be printed: the Discogs token, the API token.
///
/// `description`, `debugDescription` and string interpolation all print a redaction marker, so a
/// `Secret` can travel inside settings that get logged or dumped without leaking.
/// The only way to the value is `revealed`, which the HTTP client calls when it builds a header.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    private let value: String

    public init?(_ value: String?) {
        guard let value, !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
        self.value = value.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    public var revealed: String { value }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }

    /// Replaces every occurrence of the secret in `text`: the last line of defence for log lines
    /// and error messages that quote server output.
    public func redact(_ text: String) -> String {
        guard text.contains(value) else { return text }
        return text.replacingOccurrences(of: value, with: "<redacted>")
    }
}
