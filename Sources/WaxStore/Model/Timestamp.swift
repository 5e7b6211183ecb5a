import Foundation
import WaxConfig

/// UTC timestamps as ISO-8601 text (`2026-11-25T19:52:17Z`): sortable and readable in sqlite3.
public enum Timestamp {
    public static func string(_ date: Date) -> String { UTCTimestamp.string(date) }

    public static func parse(_ text: String?) -> Date? {
        guard let text else { return nil }
        return PostedDate.parse(text.hasSuffix("Z") || text.contains("+") ? text : text + "Z")
    }
}
