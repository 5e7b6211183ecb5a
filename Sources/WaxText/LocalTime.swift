import Foundation

/// Times as a person at the shop reads them: in the server's time zone (`TZ`), to the day or to
/// the minute. The database and JSON keep UTC; only what is shown to people is local, so that a
/// listing posted on the evening of the 30th (Pacific) does not read as the 1st.
public struct LocalTime: Sendable, Equatable {
    public var zone: TimeZone

    public init(zone: TimeZone) {
        self.zone = zone
    }

    /// The process's zone (`TZ`, else the system's).
    public static var system: LocalTime { LocalTime(zone: .current) }
    public static let utc = LocalTime(zone: TimeZone(identifier: "UTC")!)

    /// `2025-09-30`
    public func day(_ date: Date) -> String { String(minute(date).prefix(10)) }

    /// `2025-09-30 19:28`
    public func minute(_ date: Date) -> String {
        var seconds = time_t((date.timeIntervalSince1970 + Double(zone.secondsFromGMT(for: date))).rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : String(value) }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday)) \(two(parts.tm_hour)):\(two(parts.tm_min))"
    }

    /// `19:28`: a time of today, in a line that is about now.
    public func clock(_ date: Date) -> String { String(minute(date).suffix(5)) }

    /// `2025-09-30 19:28 -07:00`: for a line read on its own (the zone said, since the reader
    /// may be elsewhere).
    public func minuteWithZone(_ date: Date) -> String {
        let offset = zone.secondsFromGMT(for: date)
        let hours = abs(offset) / 3_600, minutes = abs(offset) % 3_600 / 60
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
        return "\(minute(date)) \(offset < 0 ? "-" : "+")\(two(hours)):\(two(minutes))"
    }
}
