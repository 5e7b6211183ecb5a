import Foundation

public enum URLText {
    /// A URL as it may be shown (`wax info`, messages, logs): any `user:password@` removed.
    public static func withoutCredentials(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.user != nil || components.password != nil else { return text }
        components.user = nil
        components.password = nil
        return components.string ?? text
    }
}
