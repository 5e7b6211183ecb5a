import Foundation

/// What wax accepts in a field it writes to Discogs: checked where staff type it (the browser
/// while they type, the CLI before anything is queued) and again when an action is queued.
/// Each rule says what is wrong in one line, or nil.
public enum FieldRules {
    /// Discogs documents no limit for a location; wax's own, generous for a shelf code.
    public static let maximumLocationLength = 255
    public static let maximumCommentsLength = 4_000
    public static let maximumNoteLength = 500
    /// The longest message wax sends with an order's status change (Discogs documents none; a
    /// tracking note is a line or two).
    public static let maximumOrderMessageLength = 2_000
    public static let priceRange: ClosedRange<Double> = 0.01...1_000_000

    /// Decimals a price may have in `currency` (the yen has none).
    public static func decimals(of currency: String?) -> Int { currency?.uppercased() == "JPY" ? 0 : 2 }

    public static func price(_ value: Double, currency: String?) -> String? {
        guard value.isFinite, priceRange.contains(value) else {
            return "a price must be a positive number up to 1,000,000, like 12.50"
        }
        let places = decimals(of: currency)
        let scaled = value * pow(10, Double(places))
        if abs(scaled - scaled.rounded()) > 1e-6 {
            let what = currency.map { "a price in \($0)" } ?? "a price"
            return "\(what) has \(places == 0 ? "no decimals" : "at most \(places) decimals") (you gave \(value)): nothing is rounded for you"
        }
        return nil
    }

    /// A bin: one line, no control characters (a newline reached Discogs once).
    public static func location(_ text: String) -> String? {
        if text.count > maximumLocationLength {
            return "a location has at most \(maximumLocationLength) characters (this one has \(text.count))"
        }
        return control(text, allowingNewlines: false, what: "a location")
    }

    /// Comments may run over several lines; nothing else unprintable.
    public static func comments(_ text: String) -> String? {
        if text.count > maximumCommentsLength {
            return "comments have at most \(maximumCommentsLength) characters (these have \(text.count))"
        }
        return control(text, allowingNewlines: true, what: "comments")
    }

    /// A hold's note: who it is for, on one line.
    public static func note(_ text: String) -> String? {
        if text.count > maximumNoteLength { return "a note has at most \(maximumNoteLength) characters (this one has \(text.count))" }
        return control(text, allowingNewlines: false, what: "a note")
    }

    public static func orderMessage(_ text: String) -> String? {
        if text.count > maximumOrderMessageLength {
            return "a message has at most \(maximumOrderMessageLength) characters (this one has \(text.count))"
        }
        return control(text, allowingNewlines: true, what: "a message")
    }

    private static func control(_ text: String, allowingNewlines: Bool, what: String) -> String? {
        for scalar in text.unicodeScalars where scalar.properties.generalCategory == .control {
            if allowingNewlines, scalar == "\n" || scalar == "\r" || scalar == "\t" { continue }
            let name = scalar == "\n" ? "a line break" : scalar == "\t" ? "a tab" : String(format: "U+%04X", scalar.value)
            return "\(what) can't hold \(name)\(allowingNewlines ? "" : ": it is one line")"
        }
        return nil
    }
}
