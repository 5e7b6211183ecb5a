import Foundation

/// What is wrong with a value staff typed (worded by `FieldProblemText`).
public enum FieldProblem: Sendable, Equatable {
    public enum Field: Sendable, Equatable { case location, comments, note, orderMessage }

    /// Not a positive number up to `limit` (the shop's `WAX_MAX_PRICE`).
    case priceOutOfRange(limit: Double)
    case priceDecimals(Double, currency: String?, allowed: Int)
    case tooLong(Field, limit: Int, length: Int)
    case controlCharacter(Field, Unicode.Scalar, oneLine: Bool)
}

/// What wax accepts in a field it writes to Discogs: checked where staff type it (the browser
/// while they type, the CLI before anything is queued) and again when an action is queued.
/// Each rule says what is wrong, or nil.
public enum FieldRules {
    /// Discogs documents no limit for a location; wax's own, generous for a shelf code.
    public static let maximumLocationLength = 255
    public static let maximumCommentsLength = 4_000
    public static let maximumNoteLength = 500
    /// The longest message wax sends with an order's status change (Discogs documents none; a
    /// tracking note is a line or two).
    public static let maximumOrderMessageLength = 2_000
    /// The highest price staff may set unless the shop says otherwise (`WAX_MAX_PRICE`).
    public static let defaultPriceLimit = 10_000.0

    /// Decimals a price may have in `currency` (the yen has none).
    public static func decimals(of currency: String?) -> Int { currency?.uppercased() == "JPY" ? 0 : 2 }

    public static func price(_ value: Double, currency: String?, limit: Double = defaultPriceLimit) -> FieldProblem? {
        guard value.isFinite, value >= 0.01, value <= limit else { return .priceOutOfRange(limit: limit) }
        let places = decimals(of: currency)
        let scaled = value * pow(10, Double(places))
        if abs(scaled - scaled.rounded()) > 1e-6 { return .priceDecimals(value, currency: currency, allowed: places) }
        return nil
    }

    /// A bin: one line, no control characters (a newline reached Discogs once).
    public static func location(_ text: String) -> FieldProblem? {
        check(text, .location, limit: maximumLocationLength, allowingNewlines: false)
    }

    /// Comments may run over several lines; nothing else unprintable.
    public static func comments(_ text: String) -> FieldProblem? {
        check(text, .comments, limit: maximumCommentsLength, allowingNewlines: true)
    }

    /// A hold's note: who it is for, on one line.
    public static func note(_ text: String) -> FieldProblem? {
        check(text, .note, limit: maximumNoteLength, allowingNewlines: false)
    }

    public static func orderMessage(_ text: String) -> FieldProblem? {
        check(text, .orderMessage, limit: maximumOrderMessageLength, allowingNewlines: true)
    }

    private static func check(_ text: String, _ field: FieldProblem.Field, limit: Int, allowingNewlines: Bool) -> FieldProblem? {
        if text.count > limit { return .tooLong(field, limit: limit, length: text.count) }
        for scalar in text.unicodeScalars where scalar.properties.generalCategory == .control {
            if allowingNewlines, scalar == "\n" || scalar == "\r" || scalar == "\t" { continue }
            return .controlCharacter(field, scalar, oneLine: !allowingNewlines)
        }
        return nil
    }
}
