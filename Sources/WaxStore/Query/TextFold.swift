import Foundation

/// Case- and accent-insensitive text keys: `Björk` → `bjork`, `TSCHÜSSI` → `tschussi`.
///
/// Filters compare folded needles against folded values, so the old app's `ilike` semantics hold
/// for any script, and `%` / `_` are plain characters (no LIKE pattern is ever built).
public enum TextFold {
    public static func fold(_ text: String) -> String {
        var ascii = true
        for byte in text.utf8 where byte >= 0x80 {
            ascii = false
            break
        }
        if ascii { return text.lowercased() }
        return text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
            .lowercased()
    }

    public static func fold(_ text: String?) -> String? {
        text.map { fold($0) }
    }
}

/// Turns what someone typed into an FTS5 query in which every word is a prefix and all words must
/// match: `beat bjo` → `"beat"* AND "bjo"*`. Words are runs of letters and digits, as the
/// `unicode61` tokenizer sees them, so punctuation can't become FTS5 syntax.
public enum FullTextQuery {
    public static func words(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        for scalar in text.unicodeScalars {
            let props = scalar.properties
            if props.isAlphabetic || props.numericType != nil || props.generalCategory == .nonspacingMark {
                current.unicodeScalars.append(scalar)
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// `nil` when the text holds no word at all.
    public static func match(_ text: String) -> String? {
        let words = words(text)
        guard !words.isEmpty else { return nil }
        return words.map { "\"\($0.replacingOccurrences(of: "\"", with: "\"\""))\"*" }.joined(separator: " AND ")
    }
}
