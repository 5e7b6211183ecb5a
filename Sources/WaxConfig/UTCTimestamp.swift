import Foundation

/// `2026-11-25T19:52:17Z`: how wax writes instants (in the database, logs and JSON).
public enum UTCTimestamp {
    public static func string(_ date: Date, fractional: Bool = false) -> String {
        let seconds = date.timeIntervalSince1970
        var whole = time_t(seconds.rounded(.down))
        var parts = tm()
        gmtime_r(&whole, &parts)
        // Digits by hand: `String(format:)` made timestamps a tenth of `wax serve`'s time.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        func digits(_ value: Int32, _ count: Int) {
            var divisor: Int32 = 1
            for _ in 1..<count { divisor *= 10 }
            var value = value
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
                value %= divisor
                divisor /= 10
            }
        }
        digits(parts.tm_year + 1900, 4)
        bytes.append(UInt8(ascii: "-"))
        digits(parts.tm_mon + 1, 2)
        bytes.append(UInt8(ascii: "-"))
        digits(parts.tm_mday, 2)
        bytes.append(UInt8(ascii: "T"))
        digits(parts.tm_hour, 2)
        bytes.append(UInt8(ascii: ":"))
        digits(parts.tm_min, 2)
        bytes.append(UInt8(ascii: ":"))
        digits(parts.tm_sec, 2)
        if fractional {
            bytes.append(UInt8(ascii: "."))
            digits(Int32(min(999, max(0, Int((seconds - seconds.rounded(.down)) * 1000)))), 3)
        }
        bytes.append(UInt8(ascii: "Z"))
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// The old Flask app's timestamps: naive UTC with microseconds (`2026-12-02T02:05:24.008085`), as
/// Python's `datetime.utcnow().isoformat()` wrote them. Scripts parse them with
/// `strptime('%Y-%m-%dT%H:%M:%S.%f')`, so the old JSON keys keep this form.
public enum LegacyTimestamp {
    public static func string(_ date: Date) -> String {
        let whole = date.timeIntervalSince1970.rounded(.down)
        let micros = min(999_999, max(0, Int(((date.timeIntervalSince1970 - whole) * 1_000_000).rounded())))
        let seconds = String(UTCTimestamp.string(Date(timeIntervalSince1970: whole)).dropLast())   // no "Z"
        let fraction = String(micros)
        return seconds + "." + String(repeating: "0", count: 6 - fraction.count) + fraction
    }
}
