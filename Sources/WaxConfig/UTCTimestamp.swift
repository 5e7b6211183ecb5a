import Foundation

/// `2026-11-25T19:52:17Z`: how wax writes instants (in the database, logs and JSON).
public enum UTCTimestamp {
    public static func string(_ date: Date, fractional: Bool = false) -> String {
        let seconds = date.timeIntervalSince1970
        var whole = time_t(seconds.rounded(.down))
        var parts = tm()
        gmtime_r(&whole, &parts)
        let base = String(format: "%04d-%02d-%02dT%02d:%02d:%02d",
                          Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
                          Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
        guard fractional else { return base + "Z" }
        let millis = Int((seconds - seconds.rounded(.down)) * 1000)
        return base + String(format: ".%03dZ", millis)
    }
}
